"""The geographic projection a scenario's map declares."""

from __future__ import annotations

from engine.hexgrid import GeoProjection
from engine.scenario.model import MapSpec


def projection_of(map_spec: MapSpec) -> GeoProjection:
    """Build the map's projection; the centre hex defaults to the middle of the map."""
    p = map_spec.projection
    col = p.center_col if p.center_col is not None else map_spec.width // 2
    row = p.center_row if p.center_row is not None else map_spec.height // 2
    return GeoProjection(p.center_lat, p.center_lon, p.hex_km, col, row)
