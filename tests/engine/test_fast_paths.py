"""Each fast path of the engine gives exactly what the simple path beside it gives.

The engine keeps a plain version beside every optimised one (house rule; the benchmark
``benchmarks/bench_campaign.py`` times both). These tests play short games and compare the
two on every position met, so a game's outcome cannot depend on which one runs.
"""

import numpy as np
import pytest

from engine import zoc
from engine.game import Game
from engine.players import make_player
from engine.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("test_small")


def positions_of_games(scenario, seeds=(1, 2), players=("rush", "random")):
    """Yield every game position (after each order) of a few short games."""
    for seed in seeds:
        for pair in (players, players[::-1]):
            game = Game(scenario, seed)
            names = dict(zip(scenario.side_order, pair, strict=True))
            ps = {s: make_player(names[s], s, scenario) for s in scenario.side_order}
            yield game
            while not game.state.game_over:
                game.apply(ps[game.active_side].next_order(game))
                yield game


def test_unit_layers_match_the_plain_loops(scenario):
    checked = 0
    for game in positions_of_games(scenario):
        world, state = game.world, game.state
        for side in scenario.side_order:
            plain = [u for u in state.units.values() if u.side == side and u.on_map]
            assert state.units_of(side) == plain
            for zoc_only in (False, True):
                assert np.array_equal(
                    zoc.positions(world, state, side, zoc_only),
                    zoc.positions_reference(world, state, side, zoc_only),
                )
            assert np.array_equal(
                zoc.occupied(world, state, side), zoc.occupied_reference(world, state, side)
            )
            assert np.array_equal(
                zoc.zone_of_control(world, state, side),
                zoc.zone_of_control_reference(world, state, side),
            )
            fast = zoc.stack_points(world, state, side)
            simple = zoc.stack_points_reference(world, state, side)
            assert fast.dtype == simple.dtype and np.array_equal(fast, simple)
        assert state.on_map_units() == [u for u in state.units.values() if u.on_map]
        for u in state.on_map_units():
            i = zoc.unit_index(world, u)
            assert zoc.units_at(world, state, i) == zoc.units_at_reference(world, state, i)
        checked += 1
    assert checked > 50
