"""Benchmark of loading the August Storm scenario: read, validate, build the world, start a game.

Run from the repository root::

    .venv/bin/python benchmarks/bench_load.py [--runs 7] [--scenario august_storm]

Prints the median time of each step of ``load_scenario`` and of what follows it:

* **read**: the scenario's YAML files read with source positions (``read_with_mods``); beside it
  the floor, the same files read by PyYAML's C loader without positions (``yaml.load``), and
  the split of parsing into compose (libyaml's node tree) and build (data and positions);
* **validate**: the schema, positions given by place or lat/lon, and the cross-reference checks;
* **load_scenario**: read + validate, what ``main.py validate`` does. Target: at most 300 ms;
* **World**: the hex arrays, rivers, regions, the road and rail graph and the step costs;
* **new game**: the initial state and the first supply trace of both sides.

Where a faster path replaced a simpler one, the simple one is timed beside it ("fast paths"):
``parse_yaml_simple`` (PyYAML's own safe loader, one call a value, the cycle collector left
running) against ``parse_yaml``, and the regions of the fortified hexes found one centre at a
time (``regions_of`` for each centre, as ``_fortify`` did) against once for the hexes of all
centres. Both give the same results (see tests/engine/scenario/test_yamlsource_speedpaths.py).

A "machine check" (a fixed numpy workload) is printed first: this machine's speed varies by up
to 2x from minute to minute, so compare figures taken with similar checks. Each timed run starts
after a ``gc.collect()``, so that no run pays for the garbage of the one before.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import machine_check_ms, median_ms  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.paths import scenario_path  # noqa: E402
from engine.scenario import yamlsource  # noqa: E402
from engine.scenario.checks import check_scenario  # noqa: E402
from engine.scenario.geometry import (  # noqa: E402
    hexes_around,
    regions_of,
    resolve_positions,
    waypoint_hex,
)
from engine.scenario.loader import load_scenario, read_with_mods, validate_data  # noqa: E402
from engine.scenario.model import Scenario  # noqa: E402
from engine.scenario.projection import projection_of  # noqa: E402
from engine.world import World  # noqa: E402


def compose_all(texts: list[str], loader_class: type) -> None:
    for text in texts:
        loader = loader_class(text)
        try:
            loader.get_single_node()
        finally:
            loader.dispose()


def validate_steps(data: dict, smap: yamlsource.SourceMap, runs: int) -> tuple[float, ...]:
    """Medians of the three steps of ``validate_data``: schema, positions, checks."""
    schema, positions, checks = [], [], []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        scenario = Scenario.model_validate(data)
        t1 = time.perf_counter()
        resolve_positions(scenario)
        t2 = time.perf_counter()
        check_scenario(scenario, smap)
        t3 = time.perf_counter()
        schema.append(t1 - t0)
        positions.append(t2 - t1)
        checks.append(t3 - t2)
    return tuple(statistics.median(t) * 1000.0 for t in (schema, positions, checks))


def fortified_rings(scenario: Scenario) -> list[list[tuple[int, int]]]:
    places = {p.id: p for p in scenario.places}
    projection = projection_of(scenario.map)
    return [
        hexes_around(scenario, waypoint_hex(centre, places, projection), region.radius)
        for region in scenario.fortified_regions
        for centre in region.at
    ]


def regions_one_centre_at_a_time(scenario: Scenario, rings: list[list[tuple[int, int]]]) -> None:
    """The regions of the fortified hexes as they were found: one polygon test per centre."""
    projection = projection_of(scenario.map)
    for hexes in rings:
        regions_of(scenario, projection, hexes)


def regions_all_centres_at_once(scenario: Scenario, rings: list[list[tuple[int, int]]]) -> None:
    """The regions of the fortified hexes as geometry._fortify finds them."""
    coords = list(dict.fromkeys(c for hexes in rings for c in hexes))
    regions_of(scenario, projection_of(scenario.map), coords)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scenario", default="august_storm")
    args = parser.parse_args()
    name, runs = args.scenario, args.runs

    print(f"machine check: {machine_check_ms():.1f} ms")
    folder = scenario_path(name).parent
    # The files the scenario reads: scenario.yaml and its includes (not other YAML beside it).
    main_file = scenario_path(name)
    included = yaml.load(main_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    files = [main_file, *(folder / f for f in included.get("include", []))]
    texts = [f.read_text(encoding="utf-8") for f in files]

    def timed(fn: Callable[[], object]) -> float:
        return median_ms(fn, runs, collect=True)

    plain = timed(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
    compose_plain = timed(lambda: compose_all(texts, yaml.CSafeLoader))
    compose = timed(lambda: compose_all(texts, yamlsource._Loader))
    parse = timed(lambda: [yamlsource.parse_yaml(t, "f") for t in texts])
    parse_simple = timed(lambda: [yamlsource.parse_yaml_simple(t, "f") for t in texts])
    read = timed(lambda: read_with_mods(name, []))
    data, smap = read_with_mods(name, [])
    validate = timed(lambda: validate_data(data, smap))
    schema, positions, checks = validate_steps(data, smap, runs)
    load = timed(lambda: load_scenario(name))
    scenario = load_scenario(name)
    world = timed(lambda: World(scenario))
    built = World(scenario)
    game = timed(lambda: Game(scenario, 1, world=built))
    rings = fortified_rings(scenario)
    regions_slow = timed(lambda: regions_one_centre_at_a_time(scenario, rings))
    regions_fast = timed(lambda: regions_all_centres_at_once(scenario, rings))
    print(
        f"scenario {name}: {len(files)} files, {sum(len(t) for t in texts) / 1e3:.0f} kB, "
        f"{len(scenario.units)} units, {len(scenario.places)} places; medians of {runs} runs"
    )
    print(f"  read with positions          {read:8.1f} ms")
    print(f"    (plain C YAML, no positions {plain:8.1f} ms: positions cost {read / plain:.1f}x)")
    print(f"    parse_yaml of the files    {parse:8.1f} ms = compose {compose:.1f} + build")
    print(f"  validate                     {validate:8.1f} ms")
    print(f"    schema {schema:.1f}, positions and forts {positions:.1f}, checks {checks:.1f} ms")
    print(f"  load_scenario (read+validate){load:8.1f} ms   target <= 300 ms")
    print(f"  World                        {world:8.1f} ms")
    print(f"  new game (state, first supply){game:7.1f} ms")
    print(f"  total to a playable game     {load + world + game:8.1f} ms")
    print("fast paths (simple one beside it):")
    print(
        f"  parse_yaml {parse:.1f} ms vs parse_yaml_simple {parse_simple:.1f} ms: "
        f"{parse_simple / parse:.1f}x (compose alone: {compose:.1f} vs {compose_plain:.1f} ms "
        f"with PyYAML's resolver calls, {compose_plain / compose:.1f}x)"
    )
    print(
        f"  regions of the fortified hexes {regions_fast:.1f} ms (all centres at once) "
        f"vs {regions_slow:.1f} ms (a centre at a time): "
        f"{regions_slow / regions_fast:.1f}x"
    )


if __name__ == "__main__":
    main()
