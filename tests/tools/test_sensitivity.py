"""The sensitivity suite's machinery: its mods load, its metrics exist, its verdicts are right."""

from __future__ import annotations

import pytest

from engine.scenario.loader import load_scenario
from engine.simulate import simulate_game
from tools.sensitivity import load_suite, metrics, paired, verdict


def test_every_counterfactual_of_the_suite_loads_and_names_known_metrics():
    suite = load_suite()
    assert len(suite) >= 12
    scenario = load_scenario("test_small")
    record = simulate_game(scenario, 1, {"soviet": "passive", "japanese": "passive"}).record
    storm = load_scenario("august_storm")
    places = {p.id for p in storm.places}
    fronts = {f.id for f in storm.formations if f.kind == "front"}
    for name, spec in suite.items():
        load_scenario(spec["mod"])  # raises ScenarioError on a broken mod
        assert spec["why"], name
        for metric, sign in spec["expect"].items():
            assert sign in ("+", "-"), (name, metric)
            kind, _, rest = metric.partition(":")
            if kind == "day":
                assert rest in places, (name, metric)
            elif kind == "advance":
                front, day = rest.rsplit(":", 1)
                assert front in fronts and 1 <= int(day) <= storm.turns, (name, metric)
            elif kind == "lost":
                assert rest in ("soviet", "japanese"), (name, metric)
            else:
                assert metric == "vp_margin", (name, metric)
    values = metrics(record, scenario.turns)
    assert values["day:eastcity"] == scenario.turns + 1  # nobody took it: passive players
    assert values["lost:soviet"] == 0 and "vp_margin" in values


@pytest.mark.parametrize(
    ("low", "high", "expect", "want"),
    [
        (0.5, 2.0, "+", "pass"),
        (-2.0, -0.5, "-", "pass"),
        (-1.0, 1.0, "+", "no effect"),
        (0.0, 0.0, "-", "no effect"),
        (0.5, 2.0, "-", "WRONG WAY"),
    ],
)
def test_verdicts(low, high, expect, want):
    assert verdict(low, high, expect) == want


def test_paired_differences_and_their_interval():
    base = {1: {"m": 10.0}, 2: {"m": 12.0}, 3: {"m": 11.0}}
    mod = {1: {"m": 8.0}, 2: {"m": 10.0}, 3: {"m": 9.0}}
    mean, low, high, n = paired(base, mod, "m")
    assert (mean, low, high, n) == (-2.0, -2.0, -2.0, 3)
    mod[3]["m"] = 12.0
    mean, low, high, n = paired(base, mod, "m")
    assert mean == pytest.approx(-1.0) and low < mean < high and n == 3
