"""Any single damaged value in a scenario: a ScenarioError or a playable game, never a crash."""

import copy

import numpy as np
import pytest

from engine.errors import ScenarioError
from engine.game import Game
from engine.orders import EndPhase
from engine.paths import scenario_path
from engine.scenario.loader import read_scenario_data, validate_data

REPLACEMENTS = [
    None,
    -1,
    0,
    1,
    2.5,
    1e9,
    -1e9,
    "x",
    "",
    [],
    {},
    [0, 0],
    [99, 99],
    [-1, 3],
    {"a": 1},
    True,
    "soviet",
    "clear",
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:4]):
            yield from _paths(v, (*prefix, i))


@pytest.mark.parametrize("seed", range(3))
def test_damaged_values_never_crash(seed):
    data, smap = read_scenario_data(scenario_path("test_small"))
    candidates = [p for p in _paths(data) if p]
    rng = np.random.default_rng(seed)
    rejected = played = 0
    for _ in range(150):
        doc = copy.deepcopy(data)
        where = candidates[int(rng.integers(len(candidates)))]
        target = doc
        for step in where[:-1]:
            target = target[step]
        target[where[-1]] = REPLACEMENTS[int(rng.integers(len(REPLACEMENTS)))]
        try:
            scenario = validate_data(doc, smap)
        except ScenarioError as exc:
            assert exc.problems and all(p.message for p in exc.problems)
            rejected += 1
            continue
        game = Game(scenario, 1)
        for _ in range(8):
            if not game.state.game_over:
                game.apply(EndPhase())
        played += 1
    assert rejected > 50 and played > 10  # both branches are exercised
