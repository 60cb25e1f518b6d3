"""The fast paths of scenario loading give exactly what the simple ones give.

``parse_yaml`` (memoised resolver, scalars inline) against ``parse_yaml_simple`` (PyYAML's safe
loader, one call a value): the same data, positions in the same order, the same problems. The
polygon test against its former loop, the fortified regions found for all centres at once
against one centre at a time, the include merge against the loop over every
position, the adjacency test against ``direction_to``.
"""

from __future__ import annotations

import contextlib
import gc
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.errors import ScenarioError
from engine.hexgrid import direction_to, offset_to_axial
from engine.paths import REPO_ROOT, SCENARIOS_DIR
from engine.scenario import checks, yamlsource
from engine.scenario.geometry import (
    hexes_around,
    points_in_polygon,
    regions_of,
    resolve_positions,
    waypoint_hex,
)
from engine.scenario.loader import (
    display_name,
    load_scenario,
    read_scenario_data,
    read_with_mods,
)
from engine.scenario.model import Fortification, Scenario
from engine.scenario.projection import projection_of
from engine.scenario.yamlsource import SourceMap, parse_yaml, parse_yaml_simple, read_yaml

DATA = Path(__file__).resolve().parents[2] / "data"
REPO_YAML = sorted(
    p
    for folder in (SCENARIOS_DIR, DATA)
    for p in folder.rglob("*.yaml")
    if "__pycache__" not in p.parts
)

EDGE_CASES = [
    # numbers in every style the YAML 1.1 resolver knows, quoted and tagged
    "a: 1\nb: 1.5\nc: -0.0\nd: .inf\ne: -.inf\nf: .nan\ng: 1_000.5\nh: 1:30.5\ni: 1e5\n"
    "j: 1.0e+5\nk: +1.5\nl: 0.5\nm: 00.5\nn: 5.\no: '1.5'\np: !!float 3\nq: !!float '2.5'\n"
    "r: !!int '12'\ns: 012\nt: 0x1F\nu: -12\nv: +12\nw: 1_000\nx: 190:20:30\ny: -0\nz: 0\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: ~\nf: null\ng:\nh: ''\ni: \"\"\nj: true\nk: !!bool 'yes'\n",
    "d: 1945-08-09\ne: 1945-08-32\nf: 1945-08-09T10:00:00Z\n",
    "a: |\n  text\n  more\nb: >\n  folded\nc: !!str 12\nd: !!binary aGk=\ne: 'q'\nf: \"w\"\n",
    # what the loader refuses or reports
    "a: 1\na: 2\n",
    "1: a\nTrue: b\n1.0: c\n",
    "[1]: a\n{x: 1}: b\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!set {x, y}\n",
    "a: !!python/object:os.system {}\n",
    "a: !local 3\n",
    "!!omap [a: 1]\n",
    "a: !!int 1.5\nb: !!float x\nc: !!int '0o17'\n",
    "- !!map {a: 1}\n- !!seq [1]\n- !!str [1]\n",
    # aliases, nesting, the __value__ entries
    "a: &x [1, 2, {b: c}]\nd: *x\ne: [*x, *x]\n",
    "a:\n  __value__: 1\n  b: 2\n",
    "__value__: x\n",
    "- 1\n- [2, 3.5, x, 'y']\n- {a: b}\n",
    "a: {b: [1, 2, [3, [4, {c: d}]]]}\n",
    "? a\n: b\n",
    # not a mapping, empty, malformed
    "x\n",
    "",
    "# only a comment\n",
    "a: [1, 2\n",
    "a: b: c\n",
]

BOMB = 'lol0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + "".join(
    f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 4)
)
NESTED_BOMB = "a: &a {k: 1, j: [1, 2], m: {n: 1.5}}\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n"


def _same(x: Any) -> Any:
    """A comparable form of parsed data: types kept, NaN equal to NaN, -0.0 apart from 0.0."""
    if isinstance(x, float):
        return ("float", "nan" if math.isnan(x) else repr(x))
    if isinstance(x, dict):
        return ("dict", [(_same(k), _same(v)) for k, v in x.items()])
    if isinstance(x, list):
        return ("list", [_same(v) for v in x])
    return (type(x).__name__, repr(x))


def _outcome(parse: Any, text: str) -> Any:
    try:
        data, smap = parse(text, "f.yaml")
    except ScenarioError as exc:
        return ("error", [tuple(vars(p).values()) for p in exc.problems])
    positions = [(path, tuple(pos), type(pos).__name__) for path, pos in smap.positions.items()]
    return ("ok", _same(data), positions)


@pytest.mark.parametrize("path", REPO_YAML, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_parse_yaml_matches_the_simple_parse_on_every_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _outcome(parse_yaml, text) == _outcome(parse_yaml_simple, text)


@pytest.mark.parametrize("text", EDGE_CASES)
def test_parse_yaml_matches_the_simple_parse_on_edge_cases(text: str) -> None:
    assert _outcome(parse_yaml, text) == _outcome(parse_yaml_simple, text)


@pytest.mark.parametrize("limit", [0, 1, 2, 3, 5, 8, 13, 40, 111, 1110, 1111, 1112, 5000])
@pytest.mark.parametrize("text", [BOMB, NESTED_BOMB])
def test_the_value_cap_stops_both_parses_at_the_same_value(
    text: str, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsource, "MAX_VALUES", limit)
    assert _outcome(parse_yaml, text) == _outcome(parse_yaml_simple, text)


def test_mutated_files_parse_alike() -> None:
    """Random small damage to real files (broken YAML, odd values) is reported alike."""
    rng = np.random.default_rng(3)
    texts = [p.read_text(encoding="utf-8") for p in REPO_YAML[:40]]
    pieces = list(" :-[]{},'\"&*!#|>?\n0123456789.xyz") + ["!!float ", "&q ", "*q", "__value__"]
    for _ in range(300):
        chars = list(texts[rng.integers(len(texts))][:3000])
        for _ in range(rng.integers(1, 4)):
            i = int(rng.integers(len(chars) + 1))
            if rng.random() < 0.5:
                chars.insert(i, pieces[rng.integers(len(pieces))])
            elif i < len(chars):
                del chars[i]
        text = "".join(chars)
        assert _outcome(parse_yaml, text) == _outcome(parse_yaml_simple, text), text


def _points_in_polygon_loop(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    y, x = points[:, 0], points[:, 1]
    inside = np.zeros(len(points), dtype=bool)
    py, px = polygon[:, 0], polygon[:, 1]
    qy, qx = np.roll(py, 1), np.roll(px, 1)
    for y1, x1, y2, x2 in zip(py, px, qy, qx, strict=True):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (x < at)
    return inside


@pytest.fixture(scope="module")
def august_storm() -> Scenario:
    return load_scenario("august_storm")


def test_points_in_polygon_matches_the_edge_loop(august_storm: Scenario) -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        polygon = np.round(rng.uniform(0, 10, size=(int(rng.integers(3, 12)), 2)), 1)
        # On a coarse lattice, so points fall on vertices and on horizontal and vertical edges.
        points = np.round(rng.uniform(-1, 11, size=(400, 2)), 1)
        points = np.concatenate([points, polygon])
        assert (
            points_in_polygon(points, polygon) == _points_in_polygon_loop(points, polygon)
        ).all()
    projection = projection_of(august_storm.map)
    m = august_storm.map
    centres = np.array(
        [projection.offset_to_latlon(c, r) for r in range(m.height) for c in range(m.width)]
    )
    for region in august_storm.regions:
        polygon = np.array(region.polygon, dtype=np.float64)
        expected = _points_in_polygon_loop(centres, polygon)
        assert (points_in_polygon(centres, polygon) == expected).all(), region.id


def test_fortified_regions_match_one_centre_at_a_time(august_storm: Scenario) -> None:
    """The old _fortify: regions_of for each centre's hexes, in turn."""
    data, _ = read_with_mods("august_storm")
    scenario = Scenario.model_validate(data)
    places = {p.id: p for p in scenario.places}
    projection = projection_of(scenario.map)
    expected: list[Fortification] = list(scenario.map.fortifications)
    for region in scenario.fortified_regions:
        for centre in region.at:
            hexes = hexes_around(scenario, waypoint_hex(centre, places, projection), region.radius)
            regions = regions_of(scenario, projection, hexes)
            for coord, k in zip(hexes, regions.tolist(), strict=True):
                if k == regions[0]:
                    expected.append(Fortification(hex=coord, level=region.level, name=region.name))
    assert len(expected) > len(scenario.map.fortifications)
    resolve_positions(scenario)
    assert scenario.map.fortifications == expected


def test_adjacency_check_matches_direction_to() -> None:
    checker = checks._Checker.__new__(checks._Checker)
    checker.problems = []
    checker.smap = SourceMap(default_file="f.yaml")
    for a in [(c, r) for c in range(4, 8) for r in range(4, 8)]:
        for b in [(c, r) for c in range(2, 10) for r in range(2, 10)]:
            adjacent = direction_to(offset_to_axial(*a), offset_to_axial(*b)) is not None
            assert checker.check_adjacent(("x",), a, b) == adjacent, (a, b)


def _merged_positions_the_slow_way(path: Path) -> list[Any]:
    """read_scenario_data's merge of positions as a loop over every position of every key."""
    data, smap = read_yaml(path, display_name(path))
    for name in data.pop("include", []):
        inc_path = path.parent / name
        inc_data, inc_map = read_yaml(inc_path, display_name(inc_path))
        for key, value in inc_data.items():
            if key in data and isinstance(data[key], list) and isinstance(value, list):
                base = len(data[key])
                data[key].extend(value)
                for sub, pos in inc_map.positions.items():
                    if sub and sub[0] == key and len(sub) > 1 and isinstance(sub[1], int):
                        smap.positions[(key, base + sub[1], *sub[2:])] = pos
            else:
                data[key] = value
                for sub, pos in inc_map.positions.items():
                    if sub and sub[0] == key:
                        smap.positions[sub] = pos
    return list(smap.positions.items())


def test_include_merge_matches_the_loop(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text(
        "id: x\nunits:\n  - id: a\ninclude: [one.yaml, two.yaml, three.yaml]\n", encoding="utf-8"
    )
    (tmp_path / "one.yaml").write_text("places:\n  - id: p\n    lat: 1.5\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text(
        "units:\n  - id: b\n  - {id: c, at: [1.0, 2.0]}\nformations: []\n", encoding="utf-8"
    )
    (tmp_path / "three.yaml").write_text("units: [{id: d}]\n", encoding="utf-8")
    for path in (SCENARIOS_DIR / "august_storm" / "scenario.yaml", tmp_path / "scenario.yaml"):
        _, smap = read_scenario_data(path)
        assert list(smap.positions.items()) == _merged_positions_the_slow_way(path)


@pytest.mark.parametrize("text", ["a: 1\n", "a: [1\n", "a: 1\na: 2\n"])
def test_parse_yaml_leaves_the_cycle_collector_as_it_found_it(text: str) -> None:
    assert gc.isenabled()
    with contextlib.suppress(ScenarioError):
        parse_yaml(text, "f.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        with contextlib.suppress(ScenarioError):
            parse_yaml(text, "f.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
