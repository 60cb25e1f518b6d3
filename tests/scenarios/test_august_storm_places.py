"""The August Storm places: schema, owners, positions on the map and the campaign objectives."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.hexgrid import GeoProjection, distance, offset_to_axial
from engine.scenario.model import MapSpec, Place
from engine.scenario.projection import projection_of

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "august_storm"
SIDES = {"soviet", "japanese"}
WATER_CODES = {"~", "="}
SEA_CODE = "~"

# Coordinates as history.md §2.1 gives them (GeoNames values), for spot checks.
HISTORY_COORDS = {
    "harbin": (45.750, 126.650),
    "mukden": (41.792, 123.433),
    "changchun": (43.880, 125.323),
    "hailar": (49.200, 119.700),
    "qiqihar": (47.339, 123.962),
    "port_arthur": (38.800, 121.267),
    "mudanjiang": (44.548, 129.626),
    "vladivostok": (43.106, 131.874),
    "chita": (52.043, 113.492),
    "wonsan": (39.153, 127.444),
}

# Where each place lay on 9 Aug 1945: a sample across every border of the map.
KNOWN_OWNERS = {
    "chita": "soviet",
    "choibalsan": "soviet",
    "tamsag_bulag": "soviet",
    "blagoveshchensk": "soviet",
    "iman": "soviet",
    "pogranichny": "soviet",
    "kraskino": "soviet",
    "otpor": "soviet",
    "manzhouli": "japanese",
    "heihe": "japanese",
    "hutou": "japanese",
    "suifenhe": "japanese",
    "kalgan": "japanese",
    "dolon_nur": "japanese",
    "dairen": "japanese",
    "pyongyang": "japanese",
    "unggi": "japanese",
}

# The cities the campaign turns on: the Soviet side must score for taking them.
SOVIET_OBJECTIVES = ("mukden", "changchun", "harbin", "qiqihar", "kirin", "mudanjiang", "hailar")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with open(SCENARIO / "places.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def places(raw: dict[str, Any]) -> list[Place]:
    return [Place.model_validate(entry) for entry in raw["places"]]


@pytest.fixture(scope="module")
def by_id(places: list[Place]) -> dict[str, Place]:
    return {p.id: p for p in places}


@pytest.fixture(scope="module")
def map_spec() -> MapSpec:
    with open(SCENARIO / "map.yaml", encoding="utf-8") as fh:
        return MapSpec.model_validate(yaml.safe_load(fh)["map"])


@pytest.fixture(scope="module")
def proj(map_spec: MapSpec) -> GeoProjection:
    return projection_of(map_spec)


def place_hex(place: Place, proj: GeoProjection) -> tuple[int, int]:
    """The hex the engine puts a place on: the override, else the projected position."""
    if place.hex is not None:
        return (place.hex[0], place.hex[1])
    col, row = proj.latlon_to_offset(place.lat, place.lon)
    return (col, row)


def position_problem(coord: tuple[int, int], map_spec: MapSpec, rows: list[str]) -> str | None:
    """Why a hex cannot hold a place (off the map or on water), or None."""
    col, row = coord
    if not (0 <= col < map_spec.width and 0 <= row < map_spec.height):
        return f"off the map at {coord}"
    if rows[row][col] in WATER_CODES:
        return f"on water '{rows[row][col]}' at {coord}"
    return None


def test_file_is_a_mapping_with_a_list_of_places(raw: dict[str, Any]) -> None:
    assert list(raw) == ["places"]
    assert isinstance(raw["places"], list)
    assert len(raw["places"]) >= 100


def test_ids_are_unique_snake_case(places: list[Place]) -> None:
    ids = [p.id for p in places]
    assert len(ids) == len(set(ids))
    for pid in ids:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", pid), pid


def test_names_are_ascii_and_kinds_given(places: list[Place]) -> None:
    for p in places:
        assert p.name and p.name.isascii(), p.id
        assert p.kinds, p.id
        assert len(set(p.kinds)) == len(p.kinds), p.id


def test_owners_and_vp_sides_are_the_two_sides(places: list[Place]) -> None:
    for p in places:
        assert p.owner in SIDES, p.id
        assert set(p.vp) <= SIDES, p.id
        assert all(v > 0 for v in p.vp.values()), p.id


def test_known_owners(by_id: dict[str, Place]) -> None:
    for pid, owner in KNOWN_OWNERS.items():
        assert by_id[pid].owner == owner, pid


def test_vp_is_for_taking_the_other_sides_places_or_the_japanese_redoubt(
    places: list[Place],
) -> None:
    # No Japanese objective on Soviet or Mongolian soil (the Japanese plan was defensive), and
    # the Soviet side scores only for places it must take.
    for p in places:
        if p.owner == "soviet":
            assert not p.vp, p.id


def test_every_place_has_a_source(places: list[Place]) -> None:
    for p in places:
        assert p.source.strip(), p.id
        assert "history.md" in p.source, p.id


def test_every_place_is_on_the_map_and_on_land(
    places: list[Place], map_spec: MapSpec, proj: GeoProjection
) -> None:
    rows = map_spec.terrain_rows()
    problems = {
        p.id: problem
        for p in places
        if (problem := position_problem(place_hex(p, proj), map_spec, rows)) is not None
    }
    assert problems == {}


def test_the_land_check_catches_sea_and_the_map_edge(
    map_spec: MapSpec, proj: GeoProjection
) -> None:
    rows = map_spec.terrain_rows()
    yellow_sea = proj.latlon_to_offset(38.5, 123.5)
    assert position_problem((yellow_sea.col, yellow_sea.row), map_spec, rows) is not None
    assert position_problem((map_spec.width, 0), map_spec, rows) is not None
    assert position_problem((-1, 5), map_spec, rows) is not None


def test_hex_overrides_stay_next_to_the_projected_position(
    places: list[Place], proj: GeoProjection
) -> None:
    overridden = [p for p in places if p.hex is not None]
    assert overridden, "the coastal and border-river overrides are missing"
    for p in overridden:
        projected = proj.latlon_to_offset(p.lat, p.lon)
        assert p.hex is not None
        d = distance(offset_to_axial(*projected), offset_to_axial(*p.hex))
        assert d == 1, (p.id, projected, p.hex)
        assert "hex override" in p.source, p.id


def test_no_two_places_share_a_hex(places: list[Place], proj: GeoProjection) -> None:
    seen: dict[tuple[int, int], str] = {}
    for p in places:
        coord = place_hex(p, proj)
        assert coord not in seen, f"{p.id} and {seen[coord]} both on {coord}"
        seen[coord] = p.id


def test_ports_are_on_the_coast(
    places: list[Place], map_spec: MapSpec, proj: GeoProjection
) -> None:
    rows = map_spec.terrain_rows()
    ports = [p for p in places if "port" in p.kinds]
    assert len(ports) >= 6
    for p in ports:
        col, row = place_hex(p, proj)
        centre = offset_to_axial(col, row)
        near_sea = any(
            rows[r][c] == SEA_CODE
            for r in range(max(0, row - 1), min(map_spec.height, row + 2))
            for c in range(max(0, col - 1), min(map_spec.width, col + 2))
            if distance(centre, offset_to_axial(c, r)) <= 1
        )
        assert near_sea, p.id


def test_campaign_objectives_score_for_the_soviet_side(by_id: dict[str, Place]) -> None:
    for pid in SOVIET_OBJECTIVES:
        assert by_id[pid].owner == "japanese", pid
        assert by_id[pid].vp.get("soviet", 0) > 0, pid
    assert by_id["port_arthur"].vp.get("soviet", 0) > 0 or by_id["dairen"].vp.get("soviet", 0) > 0


def test_the_three_main_cities_are_the_top_soviet_objectives(places: list[Place]) -> None:
    top = max(p.vp.get("soviet", 0) for p in places)
    assert {p.id for p in places if p.vp.get("soviet", 0) == top} == {
        "mukden",
        "changchun",
        "harbin",
    }


def test_the_tonghua_redoubt_is_the_top_japanese_objective(places: list[Place]) -> None:
    japanese = {p.id: p.vp["japanese"] for p in places if "japanese" in p.vp}
    assert max(japanese, key=japanese.__getitem__) == "tonghua"
    assert all(v < japanese["tonghua"] for pid, v in japanese.items() if pid != "tonghua")


@pytest.mark.parametrize("pid", sorted(HISTORY_COORDS))
def test_coordinates_match_history(by_id: dict[str, Place], pid: str) -> None:
    lat, lon = HISTORY_COORDS[pid]
    assert abs(by_id[pid].lat - lat) <= 0.2, pid
    assert abs(by_id[pid].lon - lon) <= 0.2, pid


def test_kinds_cover_the_roles(places: list[Place]) -> None:
    kinds = {k for p in places for k in p.kinds}
    assert {"city", "town", "junction", "airfield", "port", "pass", "fort", "village"} <= kinds
