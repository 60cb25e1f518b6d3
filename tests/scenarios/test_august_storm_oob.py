"""The August Storm order of battle: schema, references, placement and the historical totals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.scenario.model import Formation, MapSpec, Place, TerrainType, UnitSpec, UnitType
from engine.scenario.projection import projection_of

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "august_storm"

# The counting rules are stated in the header of units.yaml; the figures come from history.md §1.
SOVIET_DIVISION_TYPES = {"rifle", "motor_rifle", "tank_division", "cavalry", "cavalry_mpr"}
SOVIET_DIVISIONS = (
    80  # [V CN-SRC]: 80 for the operation; 2 of them (Sakhalin, Kamchatka) off the map
)
SOVIET_FRONT_MEN = 648_000 + 589_000 + 333_000  # history.md §1.1 [V]
SOVIET_AFV = 3_704 + 1_852  # tanks + SP guns [V WIKI-INV]; the `tanks` field counts both
SOVIET_AIRCRAFT = 3_721
JAPANESE_DIVISIONS = 31  # Glantz incl. Korea [R]
JEJU_DIVISIONS = ("96th", "111th", "121st")  # 58th Army on Jeju: off the map, not units
JAPANESE_BRIGADES = 13
BRIGADE_TYPES = {"imb", "tank_brigade_jp", "mobile_brigade_jp"}
PUPPET_ARMIES = {"jp_manchukuo_army", "jp_mengjiang_army"}


def _load(name: str, key: str) -> Any:
    with open(SCENARIO / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)[key]


@pytest.fixture(scope="module")
def unit_types() -> dict[str, UnitType]:
    return {
        k: UnitType.model_validate(v) for k, v in _load("unit_types.yaml", "unit_types").items()
    }


@pytest.fixture(scope="module")
def formations() -> dict[str, Formation]:
    items = [Formation.model_validate(f) for f in _load("formations.yaml", "formations")]
    assert len({f.id for f in items}) == len(items), "duplicate formation ids"
    return {f.id: f for f in items}


@pytest.fixture(scope="module")
def units() -> list[UnitSpec]:
    return [UnitSpec.model_validate(u) for u in _load("units.yaml", "units")]


def ancestors(formations: dict[str, Formation], fid: str) -> list[str]:
    """The formation and all its superiors, bottom up; fails on a loop."""
    chain = [fid]
    while formations[chain[-1]].parent is not None:
        parent = formations[chain[-1]].parent
        assert parent not in chain, f"formation loop through {parent}"
        chain.append(parent)
    return chain


def under(formations: dict[str, Formation], unit: UnitSpec, fid: str) -> bool:
    assert unit.parent is not None
    return fid in ancestors(formations, unit.parent)


def total(units: list[UnitSpec], field: str) -> int:
    return sum(getattr(u, field) for u in units)


def side(units: list[UnitSpec], name: str) -> list[UnitSpec]:
    return [u for u in units if u.side == name]


# ---------------------------------------------------------------- integrity


def test_ids_are_unique_and_sides_known(
    units: list[UnitSpec], formations: dict[str, Formation]
) -> None:
    ids = [u.id for u in units]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert not set(ids) & set(formations), "a unit id repeats a formation id"
    assert {u.side for u in units} == {"soviet", "japanese"}
    assert {f.side for f in formations.values()} == {"soviet", "japanese"}


def test_units_reference_types_and_same_side_parents(
    units: list[UnitSpec], unit_types: dict[str, UnitType], formations: dict[str, Formation]
) -> None:
    for u in units:
        assert u.type in unit_types, f"{u.id}: unknown type {u.type}"
        assert u.parent in formations, f"{u.id}: unknown parent {u.parent}"
        assert formations[u.parent].side == u.side, f"{u.id}: parent on the other side"
        assert u.source.strip(), f"{u.id}: no source"


def test_formation_tree_is_rooted_and_acyclic(formations: dict[str, Formation]) -> None:
    for f in formations.values():
        assert f.parent is None or f.parent in formations, f"{f.id}: unknown parent"
        chain = ancestors(formations, f.id)
        assert all(formations[c].side == f.side for c in chain), f"{f.id}: parent on other side"
        assert f.source.strip(), f"{f.id}: no source"
    roots = {f.id for f in formations.values() if f.parent is None}
    assert {"sov_far_east_command", "jp_kwantung_army"} <= roots


def test_static_types_cannot_retreat(unit_types: dict[str, UnitType]) -> None:
    for name in ("fortified_region", "fortress", "border_garrison"):
        assert unit_types[name].movement_allowance == 0
        assert not unit_types[name].can_retreat
    assert unit_types["hq"].stack_points == 0


# ---------------------------------------------------------------- placement


@pytest.fixture(scope="module")
def places() -> dict[str, Place] | None:
    path = SCENARIO / "places.yaml"
    if not path.exists():
        return None
    return {p.id: p for p in (Place.model_validate(x) for x in _load("places.yaml", "places"))}


def test_every_place_id_exists(units: list[UnitSpec], places: dict[str, Place] | None) -> None:
    if places is None:
        pytest.skip("scenarios/august_storm/places.yaml is not written yet")
    for u in units:
        for where in (u.at, u.arrives.at if u.arrives else None):
            if isinstance(where, str):
                assert where in places, f"{u.id}: unknown place {where}"


def inside(lat: float, lon: float, polygon: list[list[float]]) -> bool:
    """Even-odd point-in-polygon test on [lat, lon] vertices."""
    result = False
    for (y1, x1), (y2, x2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def test_units_start_on_their_own_side(
    units: list[UnitSpec], places: dict[str, Place] | None
) -> None:
    """A unit at a place stands at a place its side owns; one at [lat, lon] in its side's region."""
    if places is None or not (SCENARIO / "regions.yaml").exists():
        pytest.skip("places.yaml or regions.yaml is not written yet")
    map_spec = MapSpec.model_validate(_load("map.yaml", "map"))
    proj = projection_of(map_spec)
    regions = _load("regions.yaml", "regions")
    for u in units:
        if u.arrives is not None or u.at is None:
            continue
        if isinstance(u.at, str):
            assert places[u.at].owner == u.side, f"{u.id}: at a place of the other side"
            continue
        lat, lon = proj.offset_to_latlon(*proj.latlon_to_offset(*u.at))
        owners = [r["owner"] for r in regions if inside(lat, lon, r["polygon"])]
        assert owners and owners[-1] == u.side, f"{u.id}: starts in enemy territory"


def test_start_hexes_are_on_the_map_passable_and_within_stacking(
    units: list[UnitSpec], unit_types: dict[str, UnitType], places: dict[str, Place] | None
) -> None:
    if places is None:
        pytest.skip("scenarios/august_storm/places.yaml is not written yet")
    map_spec = MapSpec.model_validate(_load("map.yaml", "map"))
    terrain = {
        t.code: t for t in (TerrainType.model_validate(t) for t in _load("terrain.yaml", "terrain"))
    }
    proj = projection_of(map_spec)
    rows = map_spec.terrain_rows()

    def hex_of(where: str | tuple[float, float]) -> tuple[int, int]:
        if isinstance(where, str):
            p = places[where]
            return p.hex if p.hex is not None else tuple(proj.latlon_to_offset(p.lat, p.lon))
        return tuple(proj.latlon_to_offset(*where))

    points: Counter[tuple[tuple[int, int], str]] = Counter()
    sides: dict[tuple[int, int], set[str]] = {}
    for u in units:
        where = u.at if u.arrives is None else u.arrives.at
        assert where is not None
        col, row = hex_of(where)
        assert 0 <= col < map_spec.width and 0 <= row < map_spec.height, f"{u.id}: off the map"
        mclass = unit_types[u.type].movement_class
        assert terrain[rows[row][col]].move.get(mclass) is not None, f"{u.id}: impassable hex"
        if u.arrives is None:
            points[((col, row), u.side)] += unit_types[u.type].stack_points
            sides.setdefault((col, row), set()).add(u.side)
    assert [k for k, n in points.items() if n > 3] == []
    assert [h for h, s in sides.items() if len(s) > 1] == []


# ---------------------------------------------------------------- Soviet totals


def test_soviet_division_count(units: list[UnitSpec]) -> None:
    divisions = [u for u in side(units, "soviet") if u.type in SOVIET_DIVISION_TYPES]
    assert abs(len(divisions) - SOVIET_DIVISIONS) <= 3
    kinds = Counter(u.type for u in divisions)
    assert kinds["tank_division"] == 2 and kinds["motor_rifle"] == 2
    assert kinds["cavalry"] + kinds["cavalry_mpr"] == 6


def test_soviet_men(units: list[UnitSpec]) -> None:
    men = total(side(units, "soviet"), "men")
    assert 1_200_000 <= men <= 1_600_000
    assert men <= SOVIET_FRONT_MEN  # the rest (air, rear services, flotilla) is a stated gap


def test_soviet_tanks_and_sp_guns(units: list[UnitSpec], formations: dict[str, Formation]) -> None:
    sov = side(units, "soviet")
    assert abs(total(sov, "tanks") - SOVIET_AFV) <= 0.10 * SOVIET_AFV
    # the front figures of history.md §1.1 [V], and the 6th Guards Tank Army's 1,019 [V]
    for front, afv in (("sov_transbaikal_front", 2_359), ("sov_1fef", 1_974), ("sov_2fef", 917)):
        assert total([u for u in sov if under(formations, u, front)], "tanks") == afv
    assert total([u for u in sov if u.parent == "sov_6gta"], "tanks") == 1_019


def test_soviet_aircraft(formations: dict[str, Formation]) -> None:
    aircraft = sum(f.aircraft for f in formations.values() if f.side == "soviet")
    assert abs(aircraft - SOVIET_AIRCRAFT) <= 0.05 * SOVIET_AIRCRAFT


# ---------------------------------------------------------------- Japanese totals


def imperial_army(units: list[UnitSpec]) -> list[UnitSpec]:
    return [u for u in side(units, "japanese") if u.parent not in PUPPET_ARMIES]


def test_japanese_divisions(units: list[UnitSpec], formations: dict[str, Formation]) -> None:
    divisions = [
        u
        for u in imperial_army(units)
        if u.type == "infantry_jp" and under(formations, u, "jp_kwantung_army")
    ]
    counted = len(divisions) + len(JEJU_DIVISIONS)
    assert abs(counted - JAPANESE_DIVISIONS) <= 2
    names = {u.name for u in divisions}
    assert not any(n.startswith(j) for j in JEJU_DIVISIONS for n in names)
    korea = [
        u for u in divisions if under(formations, u, "jp_17th_area_army") or u.parent == "jp_34a"
    ]
    assert {u.name.split()[0] for u in korea} == {
        "59th",
        "137th",
        "320th",
        "120th",
        "150th",
        "160th",
    }


def test_japanese_brigades(units: list[UnitSpec], formations: dict[str, Formation]) -> None:
    brigades = {
        u.name
        for u in imperial_army(units)
        if u.type in BRIGADE_TYPES
        and under(formations, u, "jp_kwantung_army")
        and "detachment" not in u.name
    }
    assert abs(len(brigades) - JAPANESE_BRIGADES) <= 2


def test_japanese_men_tanks_aircraft(
    units: list[UnitSpec], formations: dict[str, Formation]
) -> None:
    ija = imperial_army(units)
    assert 600_000 <= total(ija, "men") <= 1_000_000
    assert 300 <= total(ija, "tanks") <= 500
    aircraft = sum(f.aircraft for f in formations.values() if f.side == "japanese")
    assert abs(aircraft - 2_000) <= 100


def test_manchukuo_and_mengjiang(units: list[UnitSpec]) -> None:
    jp = side(units, "japanese")
    manchukuo = [u for u in jp if u.parent == "jp_manchukuo_army"]
    mengjiang = [u for u in jp if u.parent == "jp_mengjiang_army"]
    assert 150_000 <= total(manchukuo, "men") <= 210_000
    assert 35_000 <= total(mengjiang, "men") <= 50_000
    assert all(u.quality <= 0.4 for u in manchukuo + mengjiang)


def test_japanese_readiness_is_low(units: list[UnitSpec]) -> None:
    """oob.md §1.2: the 1945 divisions were rated at 15-35 % of nominal combat efficiency."""
    divisions = [u for u in imperial_army(units) if u.type == "infantry_jp"]
    assert max(u.readiness for u in divisions) <= 0.6
    rated = {"124th": 0.35, "126th": 0.2, "128th": 0.2, "134th": 0.15, "135th": 0.15}
    for u in divisions:
        number = u.name.split()[0]
        if number in rated:
            assert u.readiness == pytest.approx(rated[number]), u.id
