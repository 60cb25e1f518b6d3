"""Where scenario features fall on the hex grid: places, units placed at places, routed lines."""

from __future__ import annotations

import difflib

from engine.hexgrid import GeoProjection, axial_to_offset, line, offset_to_axial
from engine.scenario.model import (
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


def resolve_unit_positions(scenario: Scenario) -> list[tuple[tuple[str | int, ...], str]]:
    """Give every unit placed ``at`` a place or ``[lat, lon]`` its ``hex`` (arrivals too).

    Returns ``(field path, message)`` for each waypoint that names no place; those units keep
    no hex, and the scenario is invalid.
    """
    places = {p.id: p for p in scenario.places}
    projection = projection_of(scenario.map)
    problems: list[tuple[tuple[str | int, ...], str]] = []

    def locate(where: Waypoint, path: tuple[str | int, ...]) -> Coord | None:
        if isinstance(where, str) and where not in places:
            close = difflib.get_close_matches(where, list(places), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append((path, f"unknown place '{where}'{hint}"))
            return None
        return waypoint_hex(where, places, projection)

    def resolve(unit: UnitSpec, path: tuple[str | int, ...]) -> None:
        if unit.at is not None and unit.hex is None:
            unit.hex = locate(unit.at, (*path, "at"))
        if unit.arrives is not None and unit.arrives.at is not None and unit.arrives.hex is None:
            unit.arrives.hex = locate(unit.arrives.at, (*path, "arrives", "at"))

    for i, unit in enumerate(scenario.units):
        resolve(unit, ("units", i))
    for i, event in enumerate(scenario.events):
        for j, effect in enumerate(event.effects):
            if isinstance(effect, PlaceUnitsEffect):
                for k, unit in enumerate(effect.units):
                    resolve(unit, ("events", i, "effects", j, "units", k))
    return problems
