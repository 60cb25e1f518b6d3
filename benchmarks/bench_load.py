"""Benchmark of loading the August Storm scenario: read, validate, build the world, start a game.

Run from the repository root::

    .venv/bin/python benchmarks/bench_load.py [--runs 7] [--scenario august_storm]

Prints the median time of each step of ``load_scenario`` and of what follows it:

* **read**: the scenario's YAML files read with source positions (``read_with_mods``); beside it
  the floor, the same files read by PyYAML's C loader without positions (``yaml.load``);
* **validate**: the schema, positions given by place or lat/lon, and the cross-reference checks;
* **load_scenario**: read + validate, what ``main.py validate`` does. Target: at most 300 ms;
* **World**: the hex arrays, rivers, regions, the road and rail graph and the step costs;
* **new game**: the initial state and the first supply trace of both sides.

A "machine check" (a fixed numpy workload) is printed first: this machine's speed varies by up
to 2x from minute to minute, so compare figures taken with similar checks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.game import Game  # noqa: E402
from engine.paths import scenario_path  # noqa: E402
from engine.scenario.loader import load_scenario, read_with_mods, validate_data  # noqa: E402
from engine.world import World  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


def machine_check() -> float:
    rng = np.random.default_rng(0)
    a = rng.random((300, 300))
    return median_ms(lambda: [np.linalg.inv(a) for _ in range(10)], 5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scenario", default="august_storm")
    args = parser.parse_args()
    name, runs = args.scenario, args.runs

    print(f"machine check: {machine_check():.1f} ms")
    folder = scenario_path(name).parent
    files = sorted(folder.glob("*.yaml"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    plain = median_ms(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts], runs)
    read = median_ms(lambda: read_with_mods(name, []), runs)
    data, smap = read_with_mods(name, [])
    validate = median_ms(lambda: validate_data(data, smap), runs)
    load = median_ms(lambda: load_scenario(name), runs)
    scenario = load_scenario(name)
    world = median_ms(lambda: World(scenario), runs)
    built = World(scenario)
    game = median_ms(lambda: Game(scenario, 1, world=built), runs)
    print(
        f"scenario {name}: {len(files)} files, {sum(len(t) for t in texts) / 1e3:.0f} kB, "
        f"{len(scenario.units)} units, {len(scenario.places)} places; medians of {runs} runs"
    )
    print(f"  read with positions          {read:8.1f} ms")
    print(f"    (plain C YAML, no positions {plain:8.1f} ms: positions cost {read / plain:.1f}x)")
    print(f"  validate                     {validate:8.1f} ms")
    print(f"  load_scenario (read+validate){load:8.1f} ms   target <= 300 ms")
    print(f"  World                        {world:8.1f} ms")
    print(f"  new game (state, first supply){game:7.1f} ms")
    print(f"  total to a playable game     {load + world + game:8.1f} ms")


if __name__ == "__main__":
    main()
