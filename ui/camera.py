"""The one world-to-screen transform: pan, zoom in fixed steps about a point, hex <-> pixel.

World coordinates are the pixel coordinates of hex centres at a hex radius of 1 (Red Blob
Games' pointy-top layout, ``engine.hexgrid.hex_to_pixel``), shifted so the map's top-left hex
corner is at (0, 0). The screen shows the world scaled by the zoom step's hex radius, with the
camera's centre at the centre of the map view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.hexgrid import SQRT3, HexGrid, axial_to_offset, pixel_to_hex

#: Hex radius in screen pixels at each zoom step, from the whole theatre to a few dozen hexes.
ZOOM_STEPS: tuple[float, ...] = (3.5, 4.2, 5.6, 7.5, 10.0, 14.0, 19.0, 26.0, 36.0)
#: Hex radius from which the map draws divisions (below: armies as single markers).
OPERATIONAL_RADIUS = 7.0
#: Hex radius from which the map draws every road, hex grid lines and counter details.
TACTICAL_RADIUS = 14.0


def detail_level(radius: float) -> str:
    """``theatre``, ``operational`` or ``tactical`` for a hex radius in pixels."""
    if radius < OPERATIONAL_RADIUS:
        return "theatre"
    if radius < TACTICAL_RADIUS:
        return "operational"
    return "tactical"


class HexLayout:
    """World coordinates of every hex of a grid (radius 1), computed once."""

    def __init__(self, grid: HexGrid) -> None:
        self.grid = grid
        q = grid.q.astype(np.float64)
        r = grid.r.astype(np.float64)
        x = SQRT3 * q + SQRT3 / 2.0 * r
        y = 1.5 * r
        # top-left hex corner at the origin: the leftmost centre is SQRT3/2 in, the top one 1 down
        self.offset_x = SQRT3 / 2.0 - float(x.min())
        self.offset_y = 1.0
        self.centres = np.column_stack([x + self.offset_x, y + self.offset_y])
        self.width = (grid.width + 0.5) * SQRT3
        self.height = 1.5 * (grid.height - 1) + 2.0

    def centre(self, index: int) -> tuple[float, float]:
        """World centre of a hex."""
        x, y = self.centres[index]
        return float(x), float(y)

    def hex_at(self, wx: float, wy: float) -> int | None:
        """Flat index of the hex under a world point (None off the map)."""
        h = pixel_to_hex(wx - self.offset_x, wy - self.offset_y, 1.0)
        col, row = axial_to_offset(h)
        if not self.grid.contains(col, row):
            return None
        return row * self.grid.width + col

    def corners(self, index: int) -> list[tuple[float, float]]:
        """The six world corners of a hex (corner 0 at -30 degrees, clockwise on screen)."""
        cx, cy = self.centre(index)
        return [
            (cx + math.cos(math.radians(60 * i - 30)), cy + math.sin(math.radians(60 * i - 30)))
            for i in range(6)
        ]


@dataclass
class Camera:
    """Where the map view looks: its screen rectangle, zoom step and world centre."""

    layout: HexLayout
    view: tuple[int, int, int, int]
    """The map view on screen: x, y, width, height."""
    zoom: int = 0
    cx: float = 0.0
    cy: float = 0.0
    moved_by_player: bool = False
    revision: int = field(default=0, compare=False)
    """Bumped on every change, so views know when to redraw."""

    @property
    def radius(self) -> float:
        """Hex radius in screen pixels."""
        return ZOOM_STEPS[self.zoom]

    @property
    def level(self) -> str:
        """The detail level of the zoom step (see :func:`detail_level`)."""
        return detail_level(self.radius)

    # ------------------------------------------------------------ transforms

    def to_screen(self, wx: float, wy: float) -> tuple[float, float]:
        """Screen pixel of a world point."""
        x, y, w, h = self.view
        r = self.radius
        return (wx - self.cx) * r + x + w / 2.0, (wy - self.cy) * r + y + h / 2.0

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """World point under a screen pixel."""
        x, y, w, h = self.view
        r = self.radius
        return (sx - x - w / 2.0) / r + self.cx, (sy - y - h / 2.0) / r + self.cy

    def hex_centre(self, index: int) -> tuple[float, float]:
        """Screen centre of a hex."""
        return self.to_screen(*self.layout.centre(index))

    def hex_centre_int(self, index: int) -> tuple[int, int]:
        """Screen centre of a hex, in whole pixels."""
        x, y = self.hex_centre(index)
        return int(round(x)), int(round(y))

    def hex_at(self, sx: float, sy: float) -> int | None:
        """The hex under a screen pixel, or None off the map or outside the map view."""
        if not self.contains(sx, sy):
            return None
        return self.layout.hex_at(*self.to_world(sx, sy))

    def contains(self, sx: float, sy: float) -> bool:
        """Whether a screen pixel lies in the map view."""
        x, y, w, h = self.view
        return x <= sx < x + w and y <= sy < y + h

    def world_rect(self) -> tuple[float, float, float, float]:
        """The world rectangle the view shows: left, top, right, bottom."""
        x, y, w, h = self.view
        left, top = self.to_world(x, y)
        right, bottom = self.to_world(x + w, y + h)
        return left, top, right, bottom

    def visible_mask(self, margin: float = 1.5) -> np.ndarray:
        """Hexes whose centre lies within the view (widened by ``margin`` hex radii)."""
        left, top, right, bottom = self.world_rect()
        c = self.layout.centres
        return (
            (c[:, 0] >= left - margin)
            & (c[:, 0] <= right + margin)
            & (c[:, 1] >= top - margin)
            & (c[:, 1] <= bottom + margin)
        )

    # ------------------------------------------------------------ moves

    def _changed(self) -> None:
        self.revision += 1

    def set_view(self, rect: tuple[int, int, int, int]) -> None:
        """Put the map view at a new screen rectangle (after a resize)."""
        if rect != self.view:
            self.view = rect
            self._clamp()
            self._changed()

    def centre_on_world(self, wx: float, wy: float) -> None:
        """Look at a world point."""
        self.cx, self.cy = wx, wy
        self._clamp()
        self._changed()

    def centre_on(self, index: int) -> None:
        """Look at a hex."""
        self.centre_on_world(*self.layout.centre(index))

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by screen pixels (a drag of the map moves it by minus the drag)."""
        r = self.radius
        self.centre_on_world(self.cx + dx / r, self.cy + dy / r)
        self.moved_by_player = True

    def zoom_to(self, step: int, about: tuple[float, float] | None = None) -> bool:
        """Go to a zoom step keeping the world point under ``about`` (a screen pixel) fixed.

        Returns whether the zoom changed.
        """
        step = max(0, min(len(ZOOM_STEPS) - 1, step))
        if step == self.zoom:
            return False
        if about is None:
            x, y, w, h = self.view
            about = (x + w / 2.0, y + h / 2.0)
        wx, wy = self.to_world(*about)
        self.zoom = step
        # the same world point stays under the same pixel
        x, y, w, h = self.view
        r = self.radius
        self.cx = wx - (about[0] - x - w / 2.0) / r
        self.cy = wy - (about[1] - y - h / 2.0) / r
        self._clamp()
        self._changed()
        return True

    def zoom_by(self, steps: int, about: tuple[float, float] | None = None) -> bool:
        """Zoom in (positive) or out (negative) by whole steps."""
        return self.zoom_to(self.zoom + steps, about)

    def fit_step(self) -> int:
        """The largest zoom step at which the whole map fits the view."""
        _x, _y, w, h = self.view
        best = 0
        for k, r in enumerate(ZOOM_STEPS):
            if self.layout.width * r <= w and self.layout.height * r <= h:
                best = k
        return best

    def _clamp(self) -> None:
        """Keep the camera's centre over the map (the view may show margins around it)."""
        self.cx = min(max(self.cx, 0.0), self.layout.width)
        self.cy = min(max(self.cy, 0.0), self.layout.height)


def pixel_hexes(layout: HexLayout, wx: np.ndarray, wy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hex under each world point (-1 off the map) and its edge metric (0 centre, 1 edge).

    The edge metric is linear in the distance to the nearest hexside: a point ``e`` is
    ``(1 - e) * sqrt(3) / 2`` hex radii inside its hex.
    """
    x = wx - layout.offset_x
    y = wy - layout.offset_y
    fq = SQRT3 / 3.0 * x - y / 3.0
    fr = 2.0 / 3.0 * y
    fs = -fq - fr
    q = np.rint(fq)
    r = np.rint(fr)
    s = np.rint(fs)
    dq = np.abs(q - fq)
    dr = np.abs(r - fr)
    ds = np.abs(s - fs)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    s = -q - r
    eq, er, es = fq - q, fr - r, fs - s
    edge = np.maximum(np.maximum(np.abs(eq - er), np.abs(er - es)), np.abs(es - eq))
    ri = r.astype(np.int64)
    col = q.astype(np.int64) + (ri - (ri & 1)) // 2
    g = layout.grid
    inside = (ri >= 0) & (ri < g.height) & (col >= 0) & (col < g.width)
    index = np.where(inside, ri * g.width + col, -1)
    return index, edge
