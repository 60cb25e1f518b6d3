"""Engine benchmark on the generated 100x100 map with 300 units: the three targets of the core.

Reproduce with::

    .venv/bin/python benchmarks/bench_engine.py              # all figures, one networkx turn
    .venv/bin/python benchmarks/bench_engine.py --quick      # skip the slow networkx turn

It times, in one run, the fast path and the simple networkx path side by side:

* reachable area for one unit (``movement.reachable`` vs ``movement.reachable_reference``);
* supply state for all units of a side (``supply.trace`` vs ``supply.trace_reference``);
* one whole turn of engine processing with scripted orders: the orders of turn 1 are recorded
  once from two scripted players, then replayed on fresh copies of the start state, so the time
  is the engine's (validation, movement, combat, supply phases, events, victory check) and not
  the players'. The players' own decision time is reported separately.

Targets on the project's 2-core machine: reachable ≤ 1 ms, supply for a side ≤ 20 ms, whole turn
≤ 100 ms (medians).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms  # noqa: E402
from engine import movement, supply  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.orders import EndPhase  # noqa: E402
from engine.players import ScriptedPlayer  # noqa: E402
from engine.rng import restore_streams, stream_states  # noqa: E402
from engine.scenario.builder import generated_scenario  # noqa: E402
from engine.state import Unit  # noqa: E402


def machine_check_ms() -> float:
    """Median time of a fixed pure-Python workload: shows how busy the (shared) machine is.

    Figures taken while this reads much above its quiet value are inflated in proportion.
    """
    return median_ms(lambda: sum(range(3_000_000)), 5)


def record_turn(game: Game) -> tuple[list, float]:
    """Orders of one whole turn from scripted players, and the players' decision time (ms)."""
    players = {s: ScriptedPlayer(s) for s in game.scenario.side_order}
    orders = []
    thinking = 0.0
    turn = game.state.turn
    while game.state.turn == turn and not game.state.game_over:
        t0 = time.perf_counter()
        order = players[game.active_side].next_order(game)
        thinking += time.perf_counter() - t0
        game.apply(order)
        orders.append(order)
    return orders, thinking * 1000.0


def fresh_copy(game: Game) -> Game:
    """An independent game at the same point (state and random streams copied)."""
    return Game.restore(
        game.scenario,
        game.seed,
        game.state.copy(),
        restore_streams(stream_states(game.streams)),
        [],
        world=game.world,
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed repetitions per figure")
    parser.add_argument("--quick", action="store_true", help="skip the networkx whole turn")
    args = parser.parse_args()

    scenario = generated_scenario()
    start = Game(scenario, 1)
    world, state = start.world, start.state
    units = sorted(state.on_map_units(), key=lambda u: u.id)
    print(f"generated map {world.grid.width}x{world.grid.height}, {len(units)} units")
    print(f"machine check: sum(range(3e6)) takes {machine_check_ms():.1f} ms (lower = quieter)")

    sample = units[::10]

    def search(u: Unit) -> None:
        state.cache.pop("movement.reach", None)  # time the search, not the memo of answers
        movement.reachable(world, state, u)

    movement.USE_BATCHES = False
    movement.reachable(world, state, sample[0])  # build the cached graph once
    alone = statistics.median(median_ms(lambda u=u: search(u), 5) for u in sample)
    movement.USE_BATCHES = True
    side_units = [u for u in units if u.side == scenario.side_order[0]]

    for u in side_units:  # every class's graph is built outside the timing
        movement.reachable(world, state, u)

    def whole_side() -> None:
        movement.forget_batches(world)
        for u in side_units:
            search(u)

    batched = median_ms(whole_side, 5) / len(side_units)
    ref = statistics.median(
        median_ms(lambda u=u: movement.reachable_reference(world, state, u), 1) for u in sample[:5]
    )
    print(
        f"reachable area, one unit:  alone {alone:7.3f} ms   in a phase's batch "
        f"{batched:7.3f} ms/unit   networkx {ref:8.1f} ms   ratio {ref / alone:6.0f}x "
        f"alone, {ref / batched:6.0f}x batched   (target ≤ 1 ms)"
    )

    side = scenario.side_order[1]
    supply.trace(world, state, side)
    fast = median_ms(lambda: supply.trace(world, state, side), args.runs)
    ref = median_ms(lambda: supply.trace_reference(world, state, side), 3)
    print(
        f"supply, all units of side: fast {fast:8.3f} ms   networkx {ref:9.2f} ms   "
        f"ratio {ref / fast:7.0f}x   (target ≤ 20 ms)"
    )

    probe = fresh_copy(start)
    orders, thinking = record_turn(probe)
    moves = sum(o.kind == "move" for o in orders)
    attacks = sum(o.kind == "attack" for o in orders)
    print(
        f"turn 1 script: {len(orders)} orders ({moves} moves, {attacks} attacks, "
        f"{sum(isinstance(o, EndPhase) for o in orders)} phase ends); "
        f"scripted players' decisions {thinking:.0f} ms"
    )

    def play_turn(game: Game) -> None:
        for order in orders:
            game.apply(order)

    times = []
    for _ in range(args.runs):
        game = fresh_copy(start)
        t0 = time.perf_counter()
        play_turn(game)
        times.append((time.perf_counter() - t0) * 1000.0)
        assert game.state_hash() == probe.state_hash(), "replayed turn diverged"
    fast = statistics.median(times)
    movement.USE_BATCHES = False
    lone = []
    for _ in range(max(3, args.runs // 3)):
        game = fresh_copy(start)
        t0 = time.perf_counter()
        play_turn(game)
        lone.append((time.perf_counter() - t0) * 1000.0)
        assert game.state_hash() == probe.state_hash(), "searches alone diverged"
    movement.USE_BATCHES = True
    print(f"whole turn, searches one by one: {statistics.median(lone):8.1f} ms (same result)")
    line = f"whole turn, engine only:  fast {fast:8.1f} ms"
    if not args.quick:
        saved = movement.reachable, supply.trace
        movement.reachable, supply.trace = movement.reachable_reference, supply.trace_reference
        try:
            game = fresh_copy(start)
            t0 = time.perf_counter()
            play_turn(game)
            ref = (time.perf_counter() - t0) * 1000.0
            same = game.state_hash() == probe.state_hash()
        finally:
            movement.reachable, supply.trace = saved
        line += f"   networkx {ref:9.0f} ms   ratio {ref / fast:7.0f}x   same result: {same}"
    print(line + "   (target ≤ 100 ms)")
    print(f"machine check after: {machine_check_ms():.1f} ms")


if __name__ == "__main__":
    main()
