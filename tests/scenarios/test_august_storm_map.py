"""The committed August Storm map: schema, grid, projection, places and rivers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.hexgrid import GeoProjection, distance, offset_to_axial
from engine.scenario.model import MapSpec, TerrainType
from engine.scenario.projection import projection_of

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "august_storm"
WATER = {"sea", "lake"}


@pytest.fixture(scope="module")
def map_spec() -> MapSpec:
    with open(SCENARIO / "map.yaml", encoding="utf-8") as fh:
        return MapSpec.model_validate(yaml.safe_load(fh)["map"])


@pytest.fixture(scope="module")
def terrain_table() -> list[TerrainType]:
    with open(SCENARIO / "terrain.yaml", encoding="utf-8") as fh:
        return [TerrainType.model_validate(t) for t in yaml.safe_load(fh)["terrain"]]


@pytest.fixture(scope="module")
def proj(map_spec: MapSpec) -> GeoProjection:
    return projection_of(map_spec)


def terrain_at(
    map_spec: MapSpec, table: list[TerrainType], proj: GeoProjection, lat: float, lon: float
) -> str:
    col, row = proj.latlon_to_offset(lat, lon)
    assert 0 <= col < map_spec.width and 0 <= row < map_spec.height, (lat, lon)
    code = map_spec.terrain_rows()[row][col]
    return next(t.id for t in table if t.code == code)


def test_grid_matches_its_declared_size(map_spec: MapSpec) -> None:
    rows = map_spec.terrain_rows()
    assert len(rows) == map_spec.height
    assert all(len(r) == map_spec.width for r in rows)
    assert map_spec.projection.hex_km == 20.0


def test_terrain_table_is_complete_and_codes_unique(
    map_spec: MapSpec, terrain_table: list[TerrainType]
) -> None:
    codes = [t.code for t in terrain_table]
    assert len(set(codes)) == len(codes)
    assert len({t.id for t in terrain_table}) == len(terrain_table)
    used = set("".join(map_spec.terrain_rows()))
    assert used <= set(codes)
    for tid in (
        "clear",
        "steppe",
        "desert",
        "hills",
        "mountains",
        "marsh",
        "forest",
        "lake",
        "sea",
    ):
        assert tid in {t.id for t in terrain_table}
    for t in terrain_table:
        blocked = t.move.foot is None
        assert blocked == (t.id in WATER)


def test_every_terrain_class_occurs_and_none_dominates(
    map_spec: MapSpec, terrain_table: list[TerrainType]
) -> None:
    text = "".join(map_spec.terrain_rows())
    for t in terrain_table:
        share = text.count(t.code) / len(text)
        assert 0 < share < 0.5, t.id


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Kalgan", 40.78, 114.87),
        ("Dolon Nur", 42.19, 116.49),
        ("Erenhot", 43.65, 111.98),
        ("Chita", 52.04, 113.49),
        ("Amur northern bend", 53.5, 122.3),
        ("Khabarovsk", 48.46, 135.10),
        ("Vladivostok", 43.11, 131.87),
        ("38th parallel, west coast", 38.0, 124.8),
        ("38th parallel, east coast", 38.0, 128.5),
        ("Seoul", 37.57, 126.98),
        ("Sea of Japan off Primorye", 44.0, 136.0),
    ],
)
def test_theatre_fits_with_a_margin(
    map_spec: MapSpec, proj: GeoProjection, place: str, lat: float, lon: float
) -> None:
    col, row = proj.latlon_to_offset(lat, lon)
    assert 1 <= col < map_spec.width - 1 and 1 <= row < map_spec.height - 1, place


@pytest.mark.parametrize(
    ("place", "lat", "lon", "allowed"),
    [
        ("Lake Khanka", 45.0, 132.4, {"lake"}),
        ("Hulun Nur", 49.0, 117.4, {"lake"}),
        ("Sea of Japan", 40.5, 131.5, {"sea"}),
        ("Bay of Korea", 39.0, 123.5, {"sea"}),
        ("Harbin", 45.75, 126.65, {"clear", "steppe", "marsh", "forest"}),
        ("Changchun", 43.9, 125.3, {"clear", "steppe", "hills"}),
        ("Mukden", 41.8, 123.4, {"clear", "steppe", "hills"}),
        ("Qiqihar", 47.34, 123.96, {"clear", "steppe", "marsh"}),
        ("Greater Khingan", 47.5, 120.5, {"hills", "mountains"}),
        ("Changbai", 42.0, 128.0, {"hills", "mountains"}),
        ("Hulunbuir steppe", 48.7, 118.5, {"steppe", "clear"}),
        ("Gobi edge", 44.0, 113.0, {"desert", "steppe"}),
        ("Sanjiang lowland", 47.3, 133.0, {"marsh"}),
    ],
)
def test_known_places_land_on_the_right_terrain(
    map_spec: MapSpec,
    terrain_table: list[TerrainType],
    proj: GeoProjection,
    place: str,
    lat: float,
    lon: float,
    allowed: set[str],
) -> None:
    assert terrain_at(map_spec, terrain_table, proj, lat, lon) in allowed, place


def test_land_cities_are_land(
    map_spec: MapSpec, terrain_table: list[TerrainType], proj: GeoProjection
) -> None:
    for lat, lon in [
        (45.75, 126.65),
        (43.9, 125.3),
        (41.8, 123.4),
        (50.28, 127.53),
        (48.46, 135.1),
        (44.55, 129.63),
    ]:
        assert terrain_at(map_spec, terrain_table, proj, lat, lon) not in WATER


def test_river_hexsides_are_adjacent_pairs_on_the_map(map_spec: MapSpec) -> None:
    assert map_spec.rivers
    seen = set()
    for river in map_spec.rivers:
        assert river.name
        for a, b in river.hexsides:
            for col, row in (a, b):
                assert 0 <= col < map_spec.width and 0 <= row < map_spec.height
            assert distance(offset_to_axial(*a), offset_to_axial(*b)) == 1, (river.name, a, b)
            key = frozenset((tuple(a), tuple(b)))
            assert key not in seen, (river.name, a, b)  # each hexside in one river only
            seen.add(key)
    classes = {r.river_class for r in map_spec.rivers}
    assert classes == {"major", "minor"}


def _river_near(
    map_spec: MapSpec, proj: GeoProjection, name: str, lat: float, lon: float, within: int
) -> int:
    centre = offset_to_axial(*proj.latlon_to_offset(lat, lon))
    n = 0
    for river in map_spec.rivers:
        if river.name != name:
            continue
        for a, b in river.hexsides:
            if (
                min(distance(centre, offset_to_axial(*a)), distance(centre, offset_to_axial(*b)))
                <= within
            ):
                n += 1
    return n


@pytest.mark.parametrize(
    ("river", "lat", "lon"),
    [
        ("Sungari", 45.75, 126.65),  # Harbin
        ("Amur", 50.25, 127.5),  # Blagoveshchensk / Heihe
        ("Amur", 48.46, 135.1),  # Khabarovsk
        ("Ussuri", 45.95, 133.7),  # Iman / Hutou
        ("Argun", 50.36, 119.10),  # Priargunsk
        ("Nen (Nonni)", 47.25, 123.75),  # Qiqihar
        ("Yalu", 40.11, 124.40),  # Sinuiju / Dandong
        ("Liao", 42.0, 122.85),  # Xinmin
    ],
)
def test_named_rivers_pass_their_towns(
    map_spec: MapSpec, proj: GeoProjection, river: str, lat: float, lon: float
) -> None:
    assert _river_near(map_spec, proj, river, lat, lon, within=1) >= 2


def test_major_rivers_are_major_where_it_matters(map_spec: MapSpec) -> None:
    for name in ("Amur", "Argun", "Sungari", "Ussuri"):
        major = sum(
            len(r.hexsides) for r in map_spec.rivers if r.name == name and r.river_class == "major"
        )
        assert major >= 20, name


def test_generated_file_says_so() -> None:
    head = (SCENARIO / "map.yaml").read_text(encoding="utf-8")[:3000]
    assert "GENERATED" in head and "tools/build_map.py" in head
    for credit in ("Natural Earth", "GSHHG", "Marble", "LGPL"):
        assert credit in head
