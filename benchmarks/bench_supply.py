"""Benchmark of the supply trace on the generated 100x100 map with 300 units.

Run from the repository root::

    .venv/bin/python benchmarks/bench_supply.py [--runs 30] [--side soviet]

Prints the median time of :func:`engine.supply.trace` (both searches, the loads and ratios of
every unit, and each unit's path) for one side, the same for the networkx
:func:`engine.supply.trace_reference`, and their ratio. Target: the fast trace at most 20 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import median_ms  # noqa: E402
from engine import supply  # noqa: E402
from engine.game import initial_state  # noqa: E402
from engine.scenario.builder import generated_scenario  # noqa: E402
from engine.world import World  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of the fast trace")
    parser.add_argument("--reference-runs", type=int, default=3, help="timed reference runs")
    parser.add_argument("--side", default="soviet")
    args = parser.parse_args()

    scenario = generated_scenario()
    world = World(scenario)
    state = initial_state(scenario, world)
    t0 = time.perf_counter()
    first = supply.trace(world, state, args.side)
    cold = (time.perf_counter() - t0) * 1000.0
    fast = median_ms(lambda: supply.trace(world, state, args.side), args.runs)
    ref = median_ms(lambda: supply.trace_reference(world, state, args.side), args.reference_runs)
    check = supply.trace_reference(world, state, args.side)
    agree = all(
        (first.units[k].in_supply, first.units[k].path, first.units[k].ratio)
        == (check.units[k].in_supply, check.units[k].path, check.units[k].ratio)
        for k in first.units
    )
    units = first.units.values()
    print(
        f"map {world.grid.width}x{world.grid.height}, {len(state.on_map_units())} units, "
        f"side {args.side}: {sum(u.in_supply for u in units)}/{len(units)} in supply, "
        f"{sum(u.ratio < 1 for u in units if u.in_supply)} limited by bottlenecks"
    )
    print(f"fast trace (first call, builds the cached tables): {cold:8.2f} ms")
    print(f"fast trace, median of {args.runs}:                  {fast:8.2f} ms")
    print(f"networkx reference, median of {args.reference_runs}:           {ref:8.2f} ms")
    print(f"speed-up: {ref / fast:.1f}x; results agree: {agree}")


if __name__ == "__main__":
    main()
