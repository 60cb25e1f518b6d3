"""Random playouts that check the state's invariants after every order, and a golden replay."""

import os

import numpy as np
import pytest
from random_player import RandomPlayer

from engine.game import Game
from engine.paths import REPO_ROOT
from engine.players import ScriptedPlayer, run_game
from engine.scenario.loader import load_scenario
from engine.zoc import side_index

GOLDEN = REPO_ROOT / "tests" / "data" / "golden" / "test_small_seed7.txt"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("test_small")


def check_invariants(game):
    world, state = game.world, game.state
    limit = state.rules.stacking.max_points
    seen: dict[tuple[int, int], str] = {}
    stacks: dict[tuple[tuple[int, int], str], int] = {}
    for u in state.units.values():
        assert 0 <= u.men <= u.full_men, u
        assert 0 <= u.tanks <= u.full_tanks, u
        assert 0 <= u.guns <= u.full_guns, u
        assert 0.0 <= u.fuel <= 1.0 and 0.0 <= u.readiness <= 1.0, u
        assert u.mp_left >= 0.0
        if u.status == "destroyed":
            assert u.hex is None
        if not u.on_map:
            continue
        i = world.index(*u.hex)
        assert world.passable(i, u.movement_class), u
        assert seen.setdefault(u.hex, u.side) == u.side, f"both sides in {u.hex}"
        key = (u.hex, u.side)
        stacks[key] = stacks.get(key, 0) + u.stack_points
        assert stacks[key] <= limit, f"overstacked {u.hex}"
        assert state.control[i] == side_index(world, u.side), f"{u.id} in a hex it does not hold"
    for s in state.sides.values():
        assert all(v >= 0 for v in s.losses.values())


@pytest.mark.parametrize("seed", range(6))
def test_random_playouts_keep_the_invariants(scenario, seed):
    rng = np.random.default_rng(seed)
    game = Game(scenario, seed)
    a, b = scenario.side_order
    players = {a: RandomPlayer(a, rng), b: RandomPlayer(b, rng)}
    check_invariants(game)
    steps = 0
    while not game.state.game_over:
        game.apply(players[game.active_side].next_order(game))
        check_invariants(game)
        steps += 1
    assert steps > 4 * scenario.turns


def test_scripted_playouts_keep_the_invariants(scenario):
    for seed in range(4):
        game = Game(scenario, seed)
        players = {s: ScriptedPlayer(s) for s in scenario.side_order}
        while not game.state.game_over:
            game.apply(players[game.active_side].next_order(game))
            check_invariants(game)


def snapshot(game):
    lines = [
        f"turn {game.state.turn} over {game.state.game_over} winner {game.state.winner} "
        f"level {game.state.victory_level}"
    ]
    lines.append("vp " + " ".join(f"{k}={v:g}" for k, v in game.victory_points().items()))
    for sid, s in game.state.sides.items():
        lines.append(f"losses {sid} " + " ".join(f"{k}={v}" for k, v in s.losses.items()))
    for u in game.state.units.values():
        lines.append(
            f"unit {u.id} {u.status} hex={u.hex} men={u.men} tanks={u.tanks} guns={u.guns} "
            f"fuel={u.fuel:.4f} readiness={u.readiness:.4f} supply={u.supply.in_supply}"
        )
    lines.append(f"hash {game.state_hash()}")
    return "\n".join(lines) + "\n"


def test_golden_replay(scenario):
    """Scenario + seed + scripted orders give exactly the recorded final state.

    After a deliberate rules change, regenerate with UPDATE_GOLDEN=1 and review the diff.
    """
    game = Game(scenario, 7)
    run_game(game, {s: ScriptedPlayer(s) for s in scenario.side_order})
    text = snapshot(game)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), "no golden file: run with UPDATE_GOLDEN=1 once"
    assert text == GOLDEN.read_text()
