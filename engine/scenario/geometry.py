"""Where scenario features fall on the hex grid: places, units, routed lines, fortified regions."""

from __future__ import annotations

import difflib

import numpy as np

from engine.hexgrid import GeoProjection, axial_to_offset, line, offset_to_axial, spiral
from engine.scenario.model import (
    Fortification,
    FortifiedRegion,
    NetworkLine,
    Place,
    PlaceUnitsEffect,
    Scenario,
    UnitSpec,
    Waypoint,
)
from engine.scenario.projection import projection_of

Coord = tuple[int, int]


def place_hex(place: Place, projection: GeoProjection) -> Coord:
    """The hex of a place: its ``hex`` override, or its projected latitude and longitude."""
    if place.hex is not None:
        return (place.hex[0], place.hex[1])
    o = projection.latlon_to_offset(place.lat, place.lon)
    return (o.col, o.row)


def waypoint_hex(waypoint: Waypoint, places: dict[str, Place], projection: GeoProjection) -> Coord:
    """The hex of a route waypoint (a place id or a ``(lat, lon)`` pair).

    Raises:
        KeyError: the waypoint names no place.
    """
    if isinstance(waypoint, str):
        return place_hex(places[waypoint], projection)
    o = projection.latlon_to_offset(waypoint[0], waypoint[1])
    return (o.col, o.row)


def straight_hexes(a: Coord, b: Coord) -> list[Coord]:
    """Adjacent hexes on the straight line from ``a`` to ``b``, both included."""
    out = []
    for h in line(offset_to_axial(*a), offset_to_axial(*b)):
        o = axial_to_offset(h)
        out.append((o.col, o.row))
    return out


def route_segments(
    line_spec: NetworkLine, places: dict[str, Place], projection: GeoProjection
) -> list[list[Coord]]:
    """The hexes of each leg of a routed line (leg ``k`` joins waypoints ``k`` and ``k+1``)."""
    assert line_spec.route is not None
    ends = [waypoint_hex(w, places, projection) for w in line_spec.route]
    return [straight_hexes(a, b) for a, b in zip(ends, ends[1:], strict=False)]


def line_hexes(line_spec: NetworkLine, scenario: Scenario) -> list[Coord]:
    """The chain of adjacent hexes a road or railway runs through."""
    if line_spec.hexes is not None:
        return [(c, r) for c, r in line_spec.hexes]
    places = {p.id: p for p in scenario.places}
    chain: list[Coord] = []
    for leg in route_segments(line_spec, places, projection_of(scenario.map)):
        for coord in leg:
            if not chain or chain[-1] != coord:
                chain.append(coord)
    return chain


def resolve_positions(scenario: Scenario) -> list[tuple[tuple[str | int, ...], str]]:
    """Give units placed ``at`` a place or ``[lat, lon]`` their hex; lay out fortified regions.

    Returns ``(field path, message)`` for each waypoint that names no place; those units keep
    no hex, and the scenario is invalid.
    """
    places = {p.id: p for p in scenario.places}
    projection = projection_of(scenario.map)
    problems: list[tuple[tuple[str | int, ...], str]] = []
    found: dict[Waypoint, Coord] = {}  # many units stand at the same place

    def locate(where: Waypoint, path: tuple[str | int, ...]) -> Coord | None:
        if isinstance(where, str) and where not in places:
            close = difflib.get_close_matches(where, list(places), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append((path, f"unknown place '{where}'{hint}"))
            return None
        coord = found.get(where)
        if coord is None:
            coord = found[where] = waypoint_hex(where, places, projection)
        return coord

    def resolve(unit: UnitSpec, path: tuple[str | int, ...]) -> None:
        if unit.at is not None and unit.hex is None:
            unit.hex = locate(unit.at, (*path, "at"))
        if unit.arrives is not None and unit.arrives.at is not None and unit.arrives.hex is None:
            unit.arrives.hex = locate(unit.arrives.at, (*path, "arrives", "at"))

    for i, unit in enumerate(scenario.units):
        resolve(unit, ("units", i))
    centres: list[tuple[Coord, FortifiedRegion]] = []
    for i, fortified in enumerate(scenario.fortified_regions):
        for j, centre in enumerate(fortified.at):
            coord = locate(centre, ("fortified_regions", i, "at", j))
            if coord is not None:
                centres.append((coord, fortified))
    _fortify(scenario, centres)
    for i, event in enumerate(scenario.events):
        for j, effect in enumerate(event.effects):
            if isinstance(effect, PlaceUnitsEffect):
                for k, unit in enumerate(effect.units):
                    resolve(unit, ("events", i, "effects", j, "units", k))
    return problems


def _fortify(scenario: Scenario, centres: list[tuple[Coord, FortifiedRegion]]) -> None:
    """Add the fortified hexes within ``radius`` of each centre on the map and in its country.

    A fortified region does not spill across a border (Hutou's works are not on the Soviet bank
    of the Ussuri): hexes of another region than the centre's are left out. The regions of the
    hexes around all centres are found at once (one polygon test per region, not per centre).
    """
    if not centres:
        return
    m = scenario.map
    rings = [hexes_around(scenario, centre, fortified.radius) for centre, fortified in centres]
    coords = list(dict.fromkeys(c for hexes in rings for c in hexes))
    region_of = dict(
        zip(coords, regions_of(scenario, projection_of(m), coords).tolist(), strict=True)
    )
    for (_, fortified), hexes in zip(centres, rings, strict=True):
        home = region_of[hexes[0]]
        for coord in hexes:
            if region_of[coord] == home:
                m.fortifications.append(
                    Fortification(hex=coord, level=fortified.level, name=fortified.name)
                )


def hexes_around(scenario: Scenario, centre: Coord, radius: int) -> list[Coord]:
    """``centre`` and the hexes of the map within ``radius`` of it, ring by ring."""
    m = scenario.map
    hexes = [centre]  # the spiral starts at the centre
    for h in spiral(offset_to_axial(*centre), radius)[1:]:
        o = axial_to_offset(h)
        if 0 <= o.col < m.width and 0 <= o.row < m.height:
            hexes.append((o.col, o.row))
    return hexes


def regions_of(scenario: Scenario, projection: GeoProjection, coords: list[Coord]) -> np.ndarray:
    """Index of the region holding each hex's centre (the last region that does), or -1."""
    points = np.array([projection.offset_to_latlon(c, r) for c, r in coords], dtype=np.float64)
    out = np.full(len(coords), -1, dtype=np.int64)
    for k, region in enumerate(scenario.regions):
        out[points_in_polygon(points, np.array(region.polygon, dtype=np.float64))] = k
    return out


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which ``(lat, lon)`` points lie inside a ``(lat, lon)`` polygon (even-odd rule).

    Treats latitude and longitude as plane coordinates, which is exact enough for borders drawn
    at 20 km hexes (a polygon edge of a few hundred km bends by well under a hex).
    """
    y, x = points[:, 0], points[:, 1]
    inside = np.zeros(len(points), dtype=bool)
    py, px = polygon[:, 0], polygon[:, 1]
    qy, qx = np.roll(py, 1), np.roll(px, 1)
    # One pass over the points per polygon edge (one array op over edges and points together
    # is faster for a few hundred points, but slower for the whole map: the temporaries grow).
    with np.errstate(divide="ignore", invalid="ignore"):
        for y1, x1, y2, x2 in zip(py.tolist(), px.tolist(), qy.tolist(), qx.tolist(), strict=True):
            crosses = (y1 > y) != (y2 > y)
            at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            inside ^= crosses & (x < at)
    return inside
