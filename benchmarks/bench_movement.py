"""Benchmark of per-unit reachability: the scipy fast path against the networkx reference.

Reproduce with::

    .venv/bin/python benchmarks/bench_movement.py    # 20 warm rounds, 10 reference units
    .venv/bin/python benchmarks/bench_movement.py --rounds 50 --ref-units 30

On the generated 100x100 map with 300 units it times, in one run:

* ``reachable`` for every unit, ``--rounds`` times over (warm graph cache; the per-state memo
  of answers is dropped before each call, so every call searches), median per call;
* ``reachable(...).destinations()`` (what ``Game.legal_orders`` does per unit);
* one cold query on a fresh world (step tables, enemy layers and graph built from nothing), and
  the median graph rebuild after an enemy unit moves;
* ``reachable_reference`` (networkx) for ``--ref-units`` units, median per call, and the ratio.

Target: fast ``reachable`` at most 1 ms median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# Run from a clone without installing: the repository root holds the engine package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import movement  # noqa: E402
from engine.game import initial_state  # noqa: E402
from engine.scenario.builder import generated_scenario  # noqa: E402
from engine.world import World  # noqa: E402


def forget_answers(state) -> None:  # noqa: ANN001
    """Drop the remembered reachable areas, so every timed call searches (as a move does)."""
    state.cache.pop("movement.reach", None)


def ms(ns: float) -> float:
    return ns / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="warm passes over all units")
    parser.add_argument("--ref-units", type=int, default=10, help="units for the networkx run")
    args = parser.parse_args()

    scenario = generated_scenario()
    world = World(scenario)
    state = initial_state(scenario, world)
    for u in state.units.values():
        u.mp_left = u.movement_allowance
    units = state.on_map_units()
    print(f"map {world.grid.width}x{world.grid.height}, {len(units)} units")

    # Cold: the first query on a fresh world builds step tables, enemy layers and the graph.
    movement.clear_cache(world)
    t0 = time.perf_counter_ns()
    movement.reachable(world, state, units[0])
    cold = time.perf_counter_ns() - t0

    # Rebuild: an enemy unit moves, so the graph of the other side is rebuilt (tables warm).
    rebuilds = []
    enemy = next(u for u in units if u.side != units[0].side)
    home = enemy.hex
    assert home is not None
    for k in range(10):
        enemy.hex = (home[0], (home[1] + 1 + k) % world.grid.height)
        state.version += 1  # the engine bumps it whenever a unit moves
        t0 = time.perf_counter_ns()
        movement.reachable(world, state, units[0])
        rebuilds.append(time.perf_counter_ns() - t0)
    enemy.hex = home
    state.version += 1

    for u in units:  # warm every (side, movement class) graph
        movement.reachable(world, state, u)
    warm: list[int] = []
    with_dest: list[int] = []
    reached = []
    for _ in range(args.rounds):
        for u in units:
            forget_answers(state)
            t0 = time.perf_counter_ns()
            reach = movement.reachable(world, state, u)
            t1 = time.perf_counter_ns()
            dests = reach.destinations()
            t2 = time.perf_counter_ns()
            warm.append(t1 - t0)
            with_dest.append(t2 - t0)
            reached.append(len(dests))

    ref: list[int] = []
    step = max(1, len(units) // max(1, args.ref_units))
    for u in units[::step][: args.ref_units]:
        t0 = time.perf_counter_ns()
        slow = movement.reachable_reference(world, state, u)
        ref.append(time.perf_counter_ns() - t0)
        fast = movement.reachable(world, state, u)
        assert fast.destinations() == slow.destinations(), f"disagreement on {u.id}"
        assert np.array_equal(np.isinf(fast.dist), np.isinf(slow.dist))

    fast_med = statistics.median(warm)
    ref_med = statistics.median(ref)
    print(f"destinations per unit: median {statistics.median(reached):.0f}, max {max(reached)}")
    print(f"reachable (scipy, warm cache)   median {ms(fast_med):8.3f} ms  over {len(warm)} calls")
    print(f"  + destinations()              median {ms(statistics.median(with_dest)):8.3f} ms")
    print(f"  95th percentile               {ms(float(np.percentile(warm, 95))):8.3f} ms")
    print(f"cold first query (fresh world)  {ms(cold):8.3f} ms")
    print(f"graph rebuild after enemy move  median {ms(statistics.median(rebuilds)):8.3f} ms")
    print(f"reachable_reference (networkx)  median {ms(ref_med):8.3f} ms  over {len(ref)} calls")
    print(f"ratio networkx / scipy          {ref_med / fast_med:8.0f}x")
    print(f"target <= 1 ms median: {'met' if ms(fast_med) <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
