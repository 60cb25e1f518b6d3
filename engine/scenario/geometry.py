"""Where scenario features fall on the hex grid: places, and roads or railways given by route."""

from __future__ import annotations

from engine.hexgrid import GeoProjection, axial_to_offset, line, offset_to_axial
from engine.scenario.model import NetworkLine, Place, Scenario, Waypoint
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
