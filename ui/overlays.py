"""Map overlays: reach, path, zones of control, supply, control and the front line, objectives, fog.

Area overlays (tints and hatches per hex) are painted once into a surface that covers the view
and a margin around it, and kept until what they show or the zoom changes; panning within the
margin only moves the blit. Line overlays (the hovered path, the attack target, the supply
trace of one unit) are cheap and drawn every frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pygame

from ui.camera import Camera, HexLayout
from ui.style import STANDARD, Palette

Colour = tuple[int, ...]
#: The cached overlay covers the view widened by this fraction of its size on every side.
MARGIN = 0.5


@dataclass
class AreaLayer:
    """One cached area overlay: its key, the world rectangle it covers and its surface."""

    key: tuple
    zoom: int
    world: tuple[float, float, float, float]
    surface: pygame.Surface


def _clip(
    rect: tuple[float, float, float, float], bounds: tuple[float, float, float, float] | None
) -> tuple[float, float, float, float] | None:
    """The part of a world rectangle inside ``bounds`` (None if they do not meet)."""
    if bounds is None:
        return rect
    out = (
        max(rect[0], bounds[0]),
        max(rect[1], bounds[1]),
        min(rect[2], bounds[2]),
        min(rect[3], bounds[3]),
    )
    return out if out[0] < out[2] and out[1] < out[3] else None


def mask_bounds(
    layout: HexLayout, mask: np.ndarray, margin: float = 1.0
) -> tuple[float, float, float, float] | None:
    """The world rectangle around the hexes of a mask (widened by ``margin`` hex radii)."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return None
    c = layout.centres[idx]
    return (
        float(c[:, 0].min()) - margin,
        float(c[:, 1].min()) - margin,
        float(c[:, 0].max()) + margin,
        float(c[:, 1].max()) + margin,
    )


class HexPainter:
    """Hex polygons on a surface whose top-left is a given world point, at a hex radius."""

    def __init__(self, layout: HexLayout, radius: float, origin: tuple[float, float]) -> None:
        self.layout = layout
        self.radius = radius
        self.ox, self.oy = origin
        angles = np.radians(60 * np.arange(6) - 30)
        self.corner_dx = np.cos(angles) * radius
        self.corner_dy = np.sin(angles) * radius

    def centre(self, index: int) -> tuple[float, float]:
        """Surface pixel of a hex centre."""
        x, y = self.layout.centres[index]
        return (x - self.ox) * self.radius, (y - self.oy) * self.radius

    def polygon(self, index: int) -> list[tuple[float, float]]:
        """The hex's corners on the surface."""
        cx, cy = self.centre(index)
        return list(
            zip((cx + self.corner_dx).tolist(), (cy + self.corner_dy).tolist(), strict=True)
        )

    def side(self, index: int, direction: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """The two corners of the hexside facing an engine direction (E, NE, NW, W, SW, SE)."""
        pts = self.polygon(index)
        return pts[(-direction) % 6], pts[(1 - direction) % 6]


def hatch(surface: pygame.Surface, points: list[tuple[float, float]], colour: Colour) -> None:
    """Diagonal hatching inside a hex polygon (three strokes)."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    cx, cy = sum(xs) / 6, sum(ys) / 6
    r = (max(xs) - min(xs)) / 2
    for k in (-0.5, 0.0, 0.5):
        off = k * r
        pygame.draw.line(
            surface, colour, (cx - r * 0.6 + off, cy + r * 0.6), (cx + r * 0.6 + off, cy - r * 0.6)
        )


class Overlays:
    """Paints the overlays for the controller's state."""

    def __init__(
        self, layout: HexLayout, neighbours: np.ndarray, palette: Palette = STANDARD
    ) -> None:
        self.layout = layout
        self.palette = palette
        self.neighbours = neighbours
        self._layers: dict[str, AreaLayer] = {}
        self.renders = 0

    def area(
        self,
        surface: pygame.Surface,
        camera: Camera,
        name: str,
        key: tuple,
        paint: Callable[[pygame.Surface, HexPainter, np.ndarray], None],
        bounds: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Blit the cached area overlay ``name`` (repainted when ``key``, zoom or view change).

        ``bounds`` (a world rectangle) limits the painting to where the overlay can have
        anything, e.g. a unit's reach: a smaller surface to clear and blit.
        """
        need = _clip(camera.world_rect(), bounds)
        if need is None:
            return
        layer = self._layers.get(name)
        if (
            layer is None
            or layer.key != key
            or layer.zoom != camera.zoom
            or need[0] < layer.world[0]
            or need[1] < layer.world[1]
            or need[2] > layer.world[2]
            or need[3] > layer.world[3]
        ):
            layer = self._paint(camera, key, paint, bounds)
            self._layers[name] = layer
        sx, sy = camera.to_screen(layer.world[0], layer.world[1])
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(camera.view))
        surface.blit(layer.surface, (round(sx), round(sy)))
        surface.set_clip(clip)

    def _paint(
        self,
        camera: Camera,
        key: tuple,
        paint: Callable[[pygame.Surface, HexPainter, np.ndarray], None],
        bounds: tuple[float, float, float, float] | None = None,
    ) -> AreaLayer:
        left, top, right, bottom = camera.world_rect()
        mw, mh = (right - left) * MARGIN, (bottom - top) * MARGIN
        world = _clip((left - mw, top - mh, right + mw, bottom + mh), bounds) or (0, 0, 1, 1)
        r = camera.radius
        size = (
            max(1, int((world[2] - world[0]) * r) + 2),
            max(1, int((world[3] - world[1]) * r) + 2),
        )
        surf = pygame.Surface(size, pygame.SRCALPHA)
        c = self.layout.centres
        inside = (
            (c[:, 0] >= world[0] - 1.5)
            & (c[:, 0] <= world[2] + 1.5)
            & (c[:, 1] >= world[1] - 1.5)
            & (c[:, 1] <= world[3] + 1.5)
        )
        paint(surf, HexPainter(self.layout, r, (world[0], world[1])), inside)
        self.renders += 1
        return AreaLayer(key, camera.zoom, world, surf)

    # ------------------------------------------------------------ area painters

    @staticmethod
    def tint(colours: dict[int, Colour], values: np.ndarray) -> Callable:
        """A painter filling each hex with the colour of its value (values not listed: none)."""

        def paint(surf: pygame.Surface, hp: HexPainter, inside: np.ndarray) -> None:
            for value, colour in colours.items():
                for i in np.flatnonzero(inside & (values == value)).tolist():
                    pygame.draw.polygon(surf, colour, hp.polygon(i))

        return paint

    @staticmethod
    def hatched(mask: np.ndarray, colour: Colour) -> Callable:
        """A painter hatching the hexes of a mask."""

        def paint(surf: pygame.Surface, hp: HexPainter, inside: np.ndarray) -> None:
            for i in np.flatnonzero(inside & mask).tolist():
                hatch(surf, hp.polygon(i), colour)

        return paint

    def front_line(self, control: np.ndarray, width: int, side_order: tuple[str, ...]) -> Callable:
        """A painter for control tints and the front line between the two sides' hexes."""
        nb = self.neighbours
        pal = self.palette
        tints = {
            k: (*pal.side_colour(side), pal.control_alpha) for k, side in enumerate(side_order)
        }
        tint = self.tint(tints, control)

        def paint(surf: pygame.Surface, hp: HexPainter, inside: np.ndarray) -> None:
            tint(surf, hp, inside)
            for d in range(3):  # each hexside once
                j = nb[:, d]
                cj = np.where(j >= 0, control[np.maximum(j, 0)], -1)
                front = inside & (j >= 0) & (control >= 0) & (cj >= 0) & (cj != control)
                for i in np.flatnonzero(front).tolist():
                    a, b = hp.side(i, d)
                    pygame.draw.line(surf, pal.front_line, a, b, width)

        return paint

    def reach(self, dist: np.ndarray, points: float) -> Callable:
        """A painter for a unit's reach: near and far bands, and the edge of the area."""
        pal = self.palette
        finite = np.isfinite(dist)
        near = finite & (dist <= points / 2)
        far = finite & ~near
        nb = self.neighbours

        def paint(surf: pygame.Surface, hp: HexPainter, inside: np.ndarray) -> None:
            for mask, colour in ((near, pal.reach_near), (far, pal.reach_far)):
                for i in np.flatnonzero(inside & mask).tolist():
                    pygame.draw.polygon(surf, colour, hp.polygon(i))
            width = max(1, int(hp.radius / 8))
            for d in range(6):
                j = nb[:, d]
                edge = inside & finite & ((j < 0) | ~finite[np.maximum(j, 0)])
                for i in np.flatnonzero(edge).tolist():
                    a, b = hp.side(i, d)
                    pygame.draw.line(surf, pal.reach_edge, a, b, width)

        return paint

    def supply(self, trace: object) -> Callable:
        """A painter for a side's supply net: the area fed, the lines used, blocked hexes."""
        pal = self.palette
        fed = np.isfinite(trace.overland_cost)  # type: ignore[attr-defined]
        blocked = np.asarray(trace.blocked, dtype=bool)  # type: ignore[attr-defined]
        loads = dict(trace.edge_load)  # type: ignore[attr-defined]
        sources = list(trace.sources)  # type: ignore[attr-defined]

        def paint(surf: pygame.Surface, hp: HexPainter, inside: np.ndarray) -> None:
            for i in np.flatnonzero(inside & fed).tolist():
                pygame.draw.polygon(surf, pal.supply_area, hp.polygon(i))
            for i in np.flatnonzero(inside & blocked).tolist():
                hatch(surf, hp.polygon(i), pal.supply_blocked)
            top = max(loads.values(), default=1.0) or 1.0
            for (a, b), tons in loads.items():
                if not (inside[a] or inside[b]):
                    continue
                w = max(1, int(round(1 + 4 * math.sqrt(tons / top) * hp.radius / 12)))
                pygame.draw.line(surf, pal.supply_line, hp.centre(a), hp.centre(b), w)
            for s in sources:
                if inside[s]:
                    cx, cy = hp.centre(s)
                    size = max(4, hp.radius * 0.6)
                    pygame.draw.rect(
                        surf,
                        pal.supply_source,
                        pygame.Rect(cx - size / 2, cy - size / 2, size, size),
                    )

        return paint

    def fog(self, sight: np.ndarray) -> Callable:
        """A painter darkening the hexes in which the side would not see enemy units."""
        return self.tint({0: self.palette.fog}, sight.astype(np.int8))

    # ------------------------------------------------------------ per-frame lines

    def path(
        self,
        surface: pygame.Surface,
        camera: Camera,
        hexes: list[int],
        cost: float,
        legal: bool,
        zoc: bool,
        text: Callable[[str], pygame.Surface],
    ) -> None:
        """The hovered path as a bold line with its cost at the end."""
        if len(hexes) < 2:
            return
        pts = [camera.hex_centre(i) for i in hexes]
        colour = self.palette.path if legal else self.palette.path_illegal
        width = max(2, int(camera.radius / 5))
        pygame.draw.lines(surface, colour, False, pts, width)
        end = pts[-1]
        pygame.draw.circle(surface, colour, end, max(3, camera.radius / 3), width)
        label = f"{cost:g} MP" + (" · ZOC" if zoc else "")
        img = text(label)
        surface.blit(img, (end[0] + camera.radius * 0.6, end[1] - img.get_height() - 2))

    def target(self, surface: pygame.Surface, camera: Camera, index: int, t: float) -> None:
        """The attack's target hex, pulsing."""
        pulse = 0.5 + 0.5 * math.sin(t * 6.0)
        width = max(2, int(camera.radius / 6 + 2 * pulse))
        pts = [camera.to_screen(x, y) for x, y in camera.layout.corners(index)]
        pygame.draw.polygon(surface, self.palette.attack_target, pts, width)

    def outline(self, surface: pygame.Surface, camera: Camera, index: int, colour: Colour) -> None:
        """A hex outline (the hovered hex, the attackers)."""
        pts = [camera.to_screen(x, y) for x, y in camera.layout.corners(index)]
        pygame.draw.polygon(surface, colour, pts, max(1, int(camera.radius / 10)))

    def supply_trace(
        self, surface: pygame.Surface, camera: Camera, path: list[int], blocked: int | None
    ) -> None:
        """One unit's supply path to its source, and the break when it is cut."""
        if len(path) >= 2:
            pts = [camera.hex_centre(i) for i in path]
            pygame.draw.lines(
                surface, self.palette.supply_line, False, pts, max(2, int(camera.radius / 5))
            )
        if blocked is not None:
            x, y = camera.hex_centre(blocked)
            r = max(5, camera.radius * 0.6)
            w = max(2, int(camera.radius / 5))
            pygame.draw.line(surface, self.palette.path_illegal, (x - r, y - r), (x + r, y + r), w)
            pygame.draw.line(surface, self.palette.path_illegal, (x - r, y + r), (x + r, y - r), w)
