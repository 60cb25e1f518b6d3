"""The minimap: the whole theatre's terrain, control tint, unit dots and the camera's rectangle.

It shows the world space of :mod:`ui.camera` (hex centres at radius 1, top-left corner at the
origin) scaled to fit the minimap rectangle, so :meth:`Minimap.minimap_to_world` turns a click
into the world point to centre the camera on. The terrain image is rendered once per minimap
size with numpy (each pixel looks up its hex, Red Blob Games' cube rounding), and the control
tint and the dots are cached until they change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pygame

from ui import panel_style as ps
from ui.camera import HexLayout, pixel_hexes
from ui.layout import Layout
from ui.style import LINK_COLOURS, side_colour, terrain_colour

WorldRect = tuple[float, float, float, float]


class Minimap:
    """The theatre in miniature for one world; draw it every frame with :meth:`draw`."""

    def __init__(self, world: Any, hex_layout: HexLayout | None = None) -> None:
        self.world = world
        self.hex_layout = hex_layout or HexLayout(world.grid)
        self._size: tuple[int, int, int, int] | None = None
        self._base: pygame.Surface | None = None
        self._index: np.ndarray | None = None
        self._tint_key: bytes | None = None
        self._tint: pygame.Surface | None = None
        self._dots_key: tuple[Any, ...] | None = None
        self._dots: pygame.Surface | None = None

    # ------------------------------------------------------------ transform

    def scale_and_origin(self, layout: Layout) -> tuple[float, float, float]:
        """Pixels per world unit and the screen pixel of the world's origin."""
        r = layout.minimap.inflate(-6, -6)
        w, h = self.hex_layout.width, self.hex_layout.height
        s = min(r.width / w, r.height / h)
        return s, r.x + (r.width - w * s) / 2.0, r.y + (r.height - h * s) / 2.0

    def world_to_minimap(self, layout: Layout, wx: float, wy: float) -> tuple[float, float]:
        """Screen pixel of a world point on the minimap."""
        s, ox, oy = self.scale_and_origin(layout)
        return ox + wx * s, oy + wy * s

    def minimap_to_world(self, layout: Layout, pos: tuple[float, float]) -> tuple[float, float]:
        """World point under a minimap pixel (clamped to the map), for a click to centre on."""
        s, ox, oy = self.scale_and_origin(layout)
        wx = (pos[0] - ox) / s
        wy = (pos[1] - oy) / s
        return (
            min(max(wx, 0.0), self.hex_layout.width),
            min(max(wy, 0.0), self.hex_layout.height),
        )

    def camera_rect(self, layout: Layout, world_rect: WorldRect) -> pygame.Rect:
        """The minimap rectangle of the camera's world rectangle (left, top, right, bottom)."""
        left, top = self.world_to_minimap(layout, world_rect[0], world_rect[1])
        right, bottom = self.world_to_minimap(layout, world_rect[2], world_rect[3])
        return pygame.Rect(round(left), round(top), round(right - left), round(bottom - top))

    # ------------------------------------------------------------ cached images

    def _image_rect(self, layout: Layout) -> pygame.Rect:
        s, ox, oy = self.scale_and_origin(layout)
        w = max(1, math.ceil(self.hex_layout.width * s))
        h = max(1, math.ceil(self.hex_layout.height * s))
        return pygame.Rect(math.floor(ox), math.floor(oy), w, h)

    def _build_base(self, layout: Layout) -> None:
        rect = self._image_rect(layout)
        s, ox, oy = self.scale_and_origin(layout)
        px = (np.arange(rect.width) + rect.x + 0.5 - ox) / s
        py = (np.arange(rect.height) + rect.y + 0.5 - oy) / s
        xs, ys = np.meshgrid(px, py, indexing="xy")
        index, _edge = pixel_hexes(self.hex_layout, xs, ys)  # (h, w)
        world = self.world
        palette = np.array(
            [terrain_colour(t.id) for t in world.terrain_types] + [ps.MINIMAP_BG], dtype=np.uint8
        )
        terrain = np.where(index >= 0, world.terrain[np.maximum(index, 0)], len(palette) - 1)
        rgb = palette[terrain]  # (h, w, 3)
        base = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
        # the railways, so the theatre reads at a glance
        colour = LINK_COLOURS.get("rail", (30, 30, 30))
        for a, b, kind in world.network.edges(keys=True):
            if kind != "rail":
                continue
            ax, ay = self.hex_layout.centre(a)
            bx, by = self.hex_layout.centre(b)
            pygame.draw.line(
                base,
                colour,
                (ox + ax * s - rect.x, oy + ay * s - rect.y),
                (ox + bx * s - rect.x, oy + by * s - rect.y),
            )
        shown = pygame.display.get_init() and pygame.display.get_surface() is not None
        self._base = base.convert() if shown else base
        self._index = index
        self._tint_key = None
        self._dots_key = None

    def _ensure(self, layout: Layout) -> pygame.Rect:
        key = tuple(layout.minimap)
        if self._base is None or self._size != key:
            self._size = key  # type: ignore[assignment]
            self._build_base(layout)
        return self._image_rect(layout)

    def _tint_for(self, control: np.ndarray, side_order: tuple[str, ...]) -> pygame.Surface:
        key = control.tobytes() + "|".join(side_order).encode()
        if self._tint is None or self._tint_key != key:
            assert self._index is not None
            index = self._index
            per_pixel = np.where(index >= 0, np.asarray(control)[np.maximum(index, 0)], -1)
            h, w = index.shape
            rgb = np.zeros((h, w, 3), dtype=np.uint8)
            alpha = np.zeros((h, w), dtype=np.uint8)
            for k, side in enumerate(side_order):
                at = per_pixel == k
                rgb[at] = side_colour(side)
                alpha[at] = ps.MINIMAP_TINT_ALPHA
            tint = pygame.Surface((w, h), pygame.SRCALPHA)
            pygame.surfarray.pixels3d(tint)[...] = rgb.transpose(1, 0, 2)
            pygame.surfarray.pixels_alpha(tint)[...] = alpha.T
            self._tint = tint
            self._tint_key = key
        return self._tint

    def _dots_for(self, layout: Layout, units: tuple[tuple[int, str], ...]) -> pygame.Surface:
        if self._dots is None or self._dots_key != units:
            rect = self._image_rect(layout)
            s, ox, oy = self.scale_and_origin(layout)
            dots = pygame.Surface(rect.size, pygame.SRCALPHA)
            d = max(2, round(s * 1.2))
            for index, side in units:
                wx, wy = self.hex_layout.centre(index)
                x = round(ox + wx * s - rect.x - d / 2)
                y = round(oy + wy * s - rect.y - d / 2)
                pygame.draw.rect(dots, (20, 20, 20), (x - 1, y - 1, d + 2, d + 2))
                pygame.draw.rect(dots, side_colour(side), (x, y, d, d))
            self._dots = dots
            self._dots_key = units
        return self._dots

    # ------------------------------------------------------------ drawing

    def draw(
        self,
        surface: pygame.Surface,
        layout: Layout,
        camera_world_rect: WorldRect | None,
        control: np.ndarray | None = None,
        units: Iterable[tuple[int, str]] | None = None,
        side_order: tuple[str, ...] | None = None,
    ) -> None:
        """Draw the minimap into ``layout.minimap``.

        Args:
            surface: the window.
            layout: the window's layout.
            camera_world_rect: ``Camera.world_rect()`` (left, top, right, bottom), or None.
            control: per-hex controlling side (-1 none, else an index into ``side_order``).
            units: ``(hex index, side)`` of each unit to dot (as the side sees them).
            side_order: the scenario's side order (default: the world scenario's).
        """
        area = layout.minimap
        pygame.draw.rect(surface, ps.MINIMAP_BG, area)
        img = self._ensure(layout)
        assert self._base is not None
        surface.blit(self._base, img)
        order = tuple(side_order or self.world.scenario.side_order)
        if control is not None:
            surface.blit(self._tint_for(control, order), img)
        if units is not None:
            surface.blit(self._dots_for(layout, tuple(units)), img)
        if camera_world_rect is not None:
            cam = self.camera_rect(layout, camera_world_rect).clip(area.inflate(-2, -2))
            if cam.width > 0 and cam.height > 0:
                pygame.draw.rect(surface, (0, 0, 0), cam.inflate(2, 2), 1)
                pygame.draw.rect(surface, ps.MINIMAP_CAMERA, cam, 1)
        pygame.draw.rect(surface, ps.PANEL_EDGE, area, 1)
