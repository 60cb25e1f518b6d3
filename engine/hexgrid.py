"""Hex-grid geometry: axial/cube maths, offset storage, pixels and the geographic projection.

The maths follows Red Blob Games, "Hexagonal Grids" (https://www.redblobgames.com/grids/hexagons/):
pointy-top hexes, axial coordinates ``(q, r)`` for all arithmetic, and "odd-r" offset coordinates
``(col, row)`` only for array storage and for the files people edit (a text grid is rows of
columns). Every per-hex layer of the engine is a flat numpy array indexed by
``index = row * width + col``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import cached_property
from typing import NamedTuple

import numpy as np

SQRT3 = math.sqrt(3.0)
EARTH_RADIUS_KM = 6371.0088


class Hex(NamedTuple):
    """An axial hex coordinate; the cube coordinate ``s`` is ``-q - r``."""

    q: int
    r: int

    @property
    def s(self) -> int:
        """The third cube coordinate."""
        return -self.q - self.r


class Offset(NamedTuple):
    """An "odd-r" offset coordinate: column and row of the stored grid."""

    col: int
    row: int


# Red Blob order: east, north-east, north-west, west, south-west, south-east.
AXIAL_DIRECTIONS: tuple[Hex, ...] = (
    Hex(1, 0),
    Hex(1, -1),
    Hex(0, -1),
    Hex(-1, 0),
    Hex(-1, 1),
    Hex(0, 1),
)
DIRECTION_NAMES = ("E", "NE", "NW", "W", "SW", "SE")


def opposite(direction: int) -> int:
    """The direction pointing back across the same hexside."""
    return (direction + 3) % 6


def hex_add(a: Hex, b: Hex) -> Hex:
    """Vector sum of two axial hexes."""
    return Hex(a.q + b.q, a.r + b.r)


def hex_subtract(a: Hex, b: Hex) -> Hex:
    """Vector difference of two axial hexes."""
    return Hex(a.q - b.q, a.r - b.r)


def hex_scale(a: Hex, k: int) -> Hex:
    """Scale an axial vector by an integer."""
    return Hex(a.q * k, a.r * k)


def neighbor(h: Hex, direction: int) -> Hex:
    """The neighbouring hex in one of the six directions."""
    d = AXIAL_DIRECTIONS[direction]
    return Hex(h.q + d.q, h.r + d.r)


def neighbors(h: Hex) -> list[Hex]:
    """The six neighbours of a hex, in direction order."""
    return [Hex(h.q + d.q, h.r + d.r) for d in AXIAL_DIRECTIONS]


def direction_to(a: Hex, b: Hex) -> int | None:
    """The direction from ``a`` to an adjacent hex ``b``, or None if they are not adjacent."""
    delta = Hex(b.q - a.q, b.r - a.r)
    try:
        return AXIAL_DIRECTIONS.index(delta)
    except ValueError:
        return None


def distance(a: Hex, b: Hex) -> int:
    """Number of hex steps between two hexes."""
    dq = a.q - b.q
    dr = a.r - b.r
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


def cube_round(fq: float, fr: float) -> Hex:
    """Round fractional axial coordinates to the nearest hex (cube rounding)."""
    fs = -fq - fr
    q = round(fq)
    r = round(fr)
    s = round(fs)
    dq = abs(q - fq)
    dr = abs(r - fr)
    ds = abs(s - fs)
    if dq > dr and dq > ds:
        q = -r - s
    elif dr > ds:
        r = -q - s
    return Hex(int(q), int(r))


def line(a: Hex, b: Hex) -> list[Hex]:
    """Hexes on the straight line from ``a`` to ``b``, both included (linear interpolation).

    The endpoints are nudged by a tiny epsilon so a line along a hexside edge resolves to the
    same side consistently, as the reference recommends.
    """
    n = distance(a, b)
    if n == 0:
        return [a]
    eps_q, eps_r = 1e-6, 2e-6
    out = []
    for i in range(n + 1):
        t = i / n
        fq = a.q + eps_q + (b.q - a.q) * t
        fr = a.r + eps_r + (b.r - a.r) * t
        out.append(cube_round(fq, fr))
    return out


def ring(center: Hex, radius: int) -> list[Hex]:
    """Hexes at exactly ``radius`` steps from ``center`` (the centre itself for radius 0)."""
    if radius == 0:
        return [center]
    results = []
    h = hex_add(center, hex_scale(AXIAL_DIRECTIONS[4], radius))
    for direction in range(6):
        for _ in range(radius):
            results.append(h)
            h = neighbor(h, direction)
    return results


def spiral(center: Hex, radius: int) -> list[Hex]:
    """All hexes within ``radius`` steps, centre first, then ring by ring."""
    out = [center]
    for k in range(1, radius + 1):
        out.extend(ring(center, k))
    return out


def offset_to_axial(col: int, row: int) -> Hex:
    """Odd-r offset to axial."""
    return Hex(col - (row - (row & 1)) // 2, row)


def axial_to_offset(h: Hex) -> Offset:
    """Axial to odd-r offset."""
    return Offset(h.q + (h.r - (h.r & 1)) // 2, h.r)


def hex_to_pixel(h: Hex, size: float) -> tuple[float, float]:
    """Centre of a pointy-top hex in pixels; ``size`` is the centre-to-corner radius."""
    x = size * (SQRT3 * h.q + SQRT3 / 2.0 * h.r)
    y = size * (1.5 * h.r)
    return x, y


def pixel_to_hex(x: float, y: float, size: float) -> Hex:
    """The hex containing a pixel (inverse of :func:`hex_to_pixel`)."""
    fq = (SQRT3 / 3.0 * x - 1.0 / 3.0 * y) / size
    fr = (2.0 / 3.0 * y) / size
    return cube_round(fq, fr)


def hex_corners(h: Hex, size: float) -> list[tuple[float, float]]:
    """The six corner pixels of a pointy-top hex, starting at the upper-right corner."""
    cx, cy = hex_to_pixel(h, size)
    out = []
    for i in range(6):
        angle = math.radians(60 * i - 30)
        out.append((cx + size * math.cos(angle), cy + size * math.sin(angle)))
    return out


class GeoProjection(NamedTuple):
    """Azimuthal equidistant projection about a centre, scaled to hexes of ``hex_km`` across.

    ``hex_km`` is the distance between the centres of two adjacent hexes. The projection centre
    falls on the centre of hex ``(center_col, center_row)``. Distances from the centre are true;
    at 1,000 km from it the scale error across the projection is under 1.3 %.
    """

    center_lat: float
    center_lon: float
    hex_km: float
    center_col: int
    center_row: int

    @property
    def size(self) -> float:
        """Hex radius (centre to corner) in km."""
        return self.hex_km / SQRT3

    def latlon_to_km(self, lat: float, lon: float) -> tuple[float, float]:
        """Project a geographic point to km east (x) and south (y) of the centre."""
        phi1 = math.radians(self.center_lat)
        phi = math.radians(lat)
        dlam = math.radians(lon - self.center_lon)
        cos_c = math.sin(phi1) * math.sin(phi) + math.cos(phi1) * math.cos(phi) * math.cos(dlam)
        cos_c = max(-1.0, min(1.0, cos_c))
        c = math.acos(cos_c)
        k = 1.0 if c < 1e-12 else c / math.sin(c)
        x = EARTH_RADIUS_KM * k * math.cos(phi) * math.sin(dlam)
        north = (
            EARTH_RADIUS_KM
            * k
            * (math.cos(phi1) * math.sin(phi) - math.sin(phi1) * math.cos(phi) * math.cos(dlam))
        )
        return x, -north

    def km_to_latlon(self, x: float, y: float) -> tuple[float, float]:
        """Inverse of :meth:`latlon_to_km`."""
        north = -y
        rho = math.hypot(x, north)
        if rho < 1e-9:
            return self.center_lat, self.center_lon
        c = rho / EARTH_RADIUS_KM
        phi1 = math.radians(self.center_lat)
        lat = math.asin(math.cos(c) * math.sin(phi1) + north * math.sin(c) * math.cos(phi1) / rho)
        lon = math.radians(self.center_lon) + math.atan2(
            x * math.sin(c),
            rho * math.cos(phi1) * math.cos(c) - north * math.sin(phi1) * math.sin(c),
        )
        return math.degrees(lat), (math.degrees(lon) + 540.0) % 360.0 - 180.0

    def offsets_to_latlon(
        self, cols: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of many hex centres at once (see :meth:`offset_to_latlon`)."""
        cols = np.asarray(cols, dtype=np.int64)
        rows = np.asarray(rows, dtype=np.int64)
        q = cols - (rows - (rows & 1)) // 2
        x = self.size * (SQRT3 * q + SQRT3 / 2.0 * rows)
        return self.plane_to_latlon(x, self.size * 1.5 * rows)

    def plane_to_latlon(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of points of the hex pixel plane (km; vectorised inverse)."""
        ox, oy = self._origin_px()
        xk = np.asarray(x, dtype=np.float64) - ox
        north = -(np.asarray(y, dtype=np.float64) - oy)
        rho = np.hypot(xk, north)
        c = rho / EARTH_RADIUS_KM
        phi1 = math.radians(self.center_lat)
        safe = np.where(rho < 1e-9, 1.0, rho)
        lat = np.arcsin(np.cos(c) * math.sin(phi1) + north * np.sin(c) * math.cos(phi1) / safe)
        lon = math.radians(self.center_lon) + np.arctan2(
            xk * np.sin(c),
            safe * math.cos(phi1) * np.cos(c) - north * math.sin(phi1) * np.sin(c),
        )
        lat_deg = np.where(rho < 1e-9, self.center_lat, np.degrees(lat))
        lon_deg = np.where(rho < 1e-9, self.center_lon, (np.degrees(lon) + 540.0) % 360.0 - 180.0)
        return lat_deg, lon_deg

    def _origin_px(self) -> tuple[float, float]:
        return hex_to_pixel(offset_to_axial(self.center_col, self.center_row), self.size)

    def latlon_to_offset(self, lat: float, lon: float) -> Offset:
        """The stored-grid hex that contains a geographic point."""
        x, y = self.latlon_to_km(lat, lon)
        ox, oy = self._origin_px()
        return axial_to_offset(pixel_to_hex(x + ox, y + oy, self.size))

    def offset_to_latlon(self, col: int, row: int) -> tuple[float, float]:
        """Latitude and longitude of a hex centre."""
        x, y = hex_to_pixel(offset_to_axial(col, row), self.size)
        ox, oy = self._origin_px()
        return self.km_to_latlon(x - ox, y - oy)


class HexGrid:
    """A rectangular odd-r grid of ``width`` columns by ``height`` rows with numpy lookup tables.

    ``neighbor_index[i, d]`` is the flat index of the neighbour of hex ``i`` in direction ``d``,
    or -1 off the map; it is what the movement and supply searches use.
    """

    def __init__(self, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            raise ValueError("a grid needs a positive width and height")
        self.width = width
        self.height = height
        self.size = width * height
        cols = np.tile(np.arange(width), height)
        rows = np.repeat(np.arange(height), width)
        self.cols = cols
        self.rows = rows
        q = cols - (rows - (rows & 1)) // 2
        r = rows
        self.q = q
        self.r = r
        nb = np.full((self.size, 6), -1, dtype=np.int64)
        for d, step in enumerate(AXIAL_DIRECTIONS):
            nq = q + step.q
            nr = r + step.r
            ncol = nq + (nr - (nr & 1)) // 2
            ok = (nr >= 0) & (nr < height) & (ncol >= 0) & (ncol < width)
            nb[ok, d] = nr[ok] * width + ncol[ok]
        self.neighbor_index = nb

    def contains(self, col: int, row: int) -> bool:
        """Whether an offset coordinate lies on the map."""
        return 0 <= col < self.width and 0 <= row < self.height

    def index(self, col: int, row: int) -> int:
        """Flat array index of an offset coordinate."""
        if not self.contains(col, row):
            raise IndexError(f"hex {col},{row} is off the {self.width}x{self.height} map")
        return row * self.width + col

    def offset(self, index: int) -> Offset:
        """Offset coordinate of a flat index."""
        return Offset(index % self.width, index // self.width)

    def axial(self, index: int) -> Hex:
        """Axial coordinate of a flat index."""
        return offset_to_axial(index % self.width, index // self.width)

    def index_of_axial(self, h: Hex) -> int:
        """Flat index of an axial hex (raises IndexError off the map)."""
        o = axial_to_offset(h)
        return self.index(o.col, o.row)

    @cached_property
    def neighbor_rows(self) -> tuple[tuple[int, ...], ...]:
        """``neighbor_index`` as Python tuples (-1 off the map), for per-hex loops in Python.

        Tuples of ints, which the garbage collector stops tracking, not lists: a list per hex
        would make every full collection of the process walk the whole map.
        """
        # Column by column: the rows come out of zip as tuples, with no list per hex on the way.
        return tuple(zip(*self.neighbor_index.T.tolist(), strict=True))

    def neighbors_of(self, index: int) -> Iterator[int]:
        """Flat indices of the on-map neighbours of a hex."""
        for j in self.neighbor_rows[index]:
            if j >= 0:
                yield j

    def distance(self, a: int, b: int) -> int:
        """Hex distance between two flat indices."""
        return distance(self.axial(a), self.axial(b))

    def distances_from(self, index: int) -> np.ndarray:
        """Hex distance from one hex to every hex of the map, as an int array."""
        h = self.axial(index)
        dq = self.q - h.q
        dr = self.r - h.r
        return (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2

    def direction(self, a: int, b: int) -> int | None:
        """Direction from hex ``a`` to adjacent hex ``b`` (None if not adjacent)."""
        row = self.neighbor_rows[a]
        return row.index(b) if b in row else None
