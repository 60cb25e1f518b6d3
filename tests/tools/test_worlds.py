"""A world shared from game to game (tools, batch workers) gives the games a fresh one gives."""

from engine.game import Game
from engine.players import make_player, run_game
from tools.worlds import scenario_and_world


def _hash(scenario, seed, world=None):
    game = Game(scenario, seed, world=world)
    run_game(game, {s: make_player("ai", s, scenario) for s in scenario.side_order})
    return game.state_hash()


def test_games_on_a_shared_world_are_the_games_on_a_fresh_one():
    scenario, world = scenario_and_world("test_small")
    assert scenario_and_world("test_small")[1] is world  # built once per process
    fresh = {seed: _hash(scenario, seed) for seed in (1, 2)}
    shared = [_hash(scenario, seed, world) for seed in (2, 1, 2)]  # caches warm from game to game
    assert shared == [fresh[2], fresh[1], fresh[2]]
