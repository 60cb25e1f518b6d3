"""The static map, rendered once per zoom step into cached tiles and blitted per frame.

Terrain, relief and textures are rasterised with numpy (every pixel finds its hex, so hexes of the
same terrain join without seams); rivers, coasts, borders, forts, the network, places and labels
are drawn over them with ``pygame.draw``. A tile is a ``TILE`` x ``TILE`` surface of one zoom
step, rendered on first need and kept in an LRU bounded by memory; labels are placed once per
zoom step over the whole map (by priority, dropping any that would collide) and each tile draws
the labels that overlap it.

``draw()`` renders missing tiles within a per-frame time budget, nearest the view's centre
first, and shows a missing tile meanwhile as a fallback: the same area scaled from the nearest
zoom step whose tiles covering it are cached (at worst the theatre step, a single tile always
kept), so a zoom never freezes the window and never shows a hole, only a blurrier map for a few
frames. ``idle()`` warms the tiles around the view and at the neighbouring steps in spare time.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pygame

from engine.hexgrid import SQRT3
from engine.world import World
from ui import fonts, style
from ui.camera import (
    OPERATIONAL_RADIUS,
    ZOOM_STEPS,
    Camera,
    HexLayout,
    detail_level,
    pixel_hexes,
)
from ui.style import Colour, Palette

#: Edge of a square tile in pixels (the last row and column of tiles are cut to the map). Small
#: enough that one tile renders in 2-4 ms, inside a frame's budget (512 px tiles took 36-63 ms;
#: see docs/art.md).
TILE = 128
#: Default time budget of ``MapLayer.draw`` for rendering missing tiles, in milliseconds.
DRAW_BUDGET_MS = 6.0
#: Render-time estimate of a tile before any was timed, in milliseconds.
_FIRST_ESTIMATE_MS = 3.0
#: Zoom steps whose tiles may stand in for a missing tile, nearest first (relative steps).
_FALLBACK_STEPS = (-1, 1, -2, 2)
#: Steps whose whole map fits in this many pixels are one tile (the theatre view).
SINGLE_TILE_MAX = 700
#: Memory bound of the tile cache (32-bit pixels).
MAX_TILE_BYTES = 200 * 2**20
#: Resolution of the relief raster, pixels per world unit (a hex radius).
RELIEF_RES = 4.0
#: Light for the relief shading comes from the north-west.
_LIGHT = (-math.sqrt(0.5), -math.sqrt(0.5))

# corner k of a pointy-top hex at 60k - 30 degrees (y down: clockwise on screen)
_CORNERS = np.array(
    [(math.cos(math.radians(60 * k - 30)), math.sin(math.radians(60 * k - 30))) for k in range(6)]
)

#: Place kinds -> weight in a place's importance (added to its victory points).
KIND_WEIGHTS: dict[str, float] = {
    "capital": 20.0,
    "city": 8.0,
    "town": 3.0,
    "port": 1.0,
    "fort": 1.0,
    "junction": 0.5,
    "airfield": 0.3,
    "village": 0.5,
    "pass": 0.3,
}


def _hash01(a: np.ndarray, b: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic noise in [0, 1) from two integer arrays (a small integer hash)."""
    h = (a.astype(np.int64) * 374761393 + b.astype(np.int64) * 668265263 + seed * 2246822519) & (
        0xFFFFFFFF
    )
    h = ((h ^ (h >> 13)) * 1274126177) & 0xFFFFFFFF
    h = h ^ (h >> 16)
    return h.astype(np.float64) / 4294967296.0


@dataclass
class PlacedLabel:
    """A place's name placed at one zoom step (rect in that step's map pixels)."""

    place_id: str
    text: str
    rect: pygame.Rect
    size: int
    bold: bool
    colour: Colour | None = None
    """Text colour (None: the palette's place text)."""
    surface: pygame.Surface | None = field(default=None, repr=False)


@dataclass
class _Step:
    """What a zoom step draws, decided once: place symbols and placed labels."""

    radius: float
    level: str
    places: list[tuple[str, float, float, str, float]]
    """(place id, x, y, symbol kind, symbol size) in the step's map pixels."""
    labels: list[PlacedLabel]


class MapLayer:
    """The static map of a world at every zoom step, as lazily rendered, cached tiles.

    Args:
        world: the static world (grid, terrain, rivers, network, places, regions).
        palette: the colours (``style.STANDARD`` or ``style.COLOUR_BLIND``).
        max_bytes: memory bound of the tile cache.
    """

    def __init__(
        self, world: World, palette: Palette = style.STANDARD, max_bytes: int = MAX_TILE_BYTES
    ) -> None:
        self.world = world
        self.palette = palette
        self.layout = HexLayout(world.grid)
        self.max_bytes = max_bytes
        self.tiles: OrderedDict[tuple[int, int, int], pygame.Surface] = OrderedDict()
        self.tile_bytes = 0
        self.tiles_rendered = 0
        """How many tiles were rendered so far (a test counts cache misses with it)."""
        self.complete = True
        """Whether the last ``draw`` showed every visible tile (False: fallbacks, draw again)."""
        self._fallbacks: dict[tuple[int, int, int], tuple[int, int, pygame.Surface]] = {}
        """Missing tile -> (source step, ``tiles_rendered`` when made, stand-in surface)."""
        self._step_rendered: dict[int, int] = {}
        """Step -> ``tiles_rendered`` when it last gained a tile (fallbacks made before may
        improve)."""
        self._tile_ms: dict[int, float] = {}
        self._steps: dict[int, _Step] = {}
        self._relief: np.ndarray | None = None
        self._prepare()

    # ------------------------------------------------------------ world geometry, once

    def _prepare(self) -> None:
        w = self.world
        g = w.grid
        pal = self.palette
        ids = [t.id for t in w.terrain_types]
        self.terrain_ids = ids
        self.hex_terrain = w.terrain.astype(np.int64)
        self.type_colour = np.array([pal.terrain_colour(t) for t in ids], dtype=np.float32)
        self.type_water = np.array([t in style.WATER_TERRAIN for t in ids])
        self.hex_water = self.type_water[self.hex_terrain]
        texture_codes = {"dots": 1, "trees": 2, "hatch": 3, "blocks": 4}
        self.type_texture = np.array(
            [texture_codes.get(style.TERRAIN_TEXTURE.get(t, ""), 0) for t in ids]
        )
        self.hex_fort = w.fort_level > 0
        c = self.layout.centres
        nb = g.neighbor_index

        def sides(mask: np.ndarray) -> np.ndarray:
            """(k, 4) world endpoints of the hexsides (i, d) selected by an (N, 3) mask."""
            i, d = np.nonzero(mask)
            a = c[i] + _CORNERS[(-d) % 6]
            b = c[i] + _CORNERS[(1 - d) % 6]
            return np.column_stack([a, b])

        half = nb[:, :3]
        valid = half >= 0
        other = np.where(valid, half, 0)
        self.river_sides = sides(w.river[:, :3] > 0)
        self.river_class = w.river[:, :3][w.river[:, :3] > 0].astype(np.int64)
        water = self.hex_water
        self.coast_sides = sides(valid & (water[:, None] != water[other]))
        reg = w.region
        owners = [r.owner for r in w.scenario.regions]
        owner_idx = np.array([owners.index(o) for o in owners] + [-1])
        border = valid & (reg[:, None] != reg[other]) & (reg[:, None] >= 0) & (reg[other] >= 0)
        self.border_sides = sides(border)
        hex_owner = owner_idx[reg]
        self.border_major = (hex_owner[:, None] != hex_owner[other])[border]
        fort = self.hex_fort
        self.fort_sides = sides((valid & (fort[:, None] != fort[other])) & (fort[:, None]))
        # fort hexes on the map edge, or whose outer side faces off the map
        self.links: dict[str, np.ndarray] = {}
        for kind in ("road", "rail", "ferry"):
            pairs = [(a, b) for a, b, k in w.network.edges(keys=True) if k == kind]
            if pairs:
                p = np.array(pairs, dtype=np.int64)
                self.links[kind] = np.column_stack([c[p[:, 0]], c[p[:, 1]]])
            else:
                self.links[kind] = np.zeros((0, 4))
        self.parallel = self._parallel_line(38.0)
        # named rivers: the world midpoints of their hexsides, longest river first
        named: dict[str, list[tuple[float, float]]] = {}
        for (a, b), name in sorted(w.river_names.items()):
            if name.startswith("unnamed"):
                continue
            named.setdefault(name, []).append(tuple((c[a] + c[b]) / 2.0))
        self.river_points = sorted(named.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.place_rank = self._rank_places()

    def _world_of_latlon(self, lat: float, lon: float) -> tuple[float, float]:
        proj = self.world.projection
        x, y = proj.latlon_to_km(lat, lon)
        ox, oy = proj._origin_px()
        return (x + ox) / proj.size + self.layout.offset_x, (y + oy) / proj.size + (
            self.layout.offset_y
        )

    def _parallel_line(self, lat: float) -> np.ndarray | None:
        """World points of a parallel across the map, or None when it misses the map."""
        proj = self.world.projection
        lons = np.arange(proj.center_lon - 40.0, proj.center_lon + 40.0, 0.25)
        pts = np.array([self._world_of_latlon(lat, lon) for lon in lons])
        on = (
            (pts[:, 0] >= 0)
            & (pts[:, 0] <= self.layout.width)
            & (pts[:, 1] >= 1.0)
            & (pts[:, 1] <= self.layout.height - 1.0)
        )
        if on.sum() < 2:
            return None
        k = np.nonzero(on)[0]
        return pts[max(0, k[0] - 1) : k[-1] + 2]

    def _rank_places(self) -> list[tuple[str, float]]:
        """Places by importance, most important first (ties by name, so the order is stable)."""
        ranked = []
        for pid, info in self.world.places.items():
            spec = info.spec
            score = sum(spec.vp.values()) + sum(KIND_WEIGHTS.get(k, 0.0) for k in spec.kinds)
            ranked.append((pid, score))
        ranked.sort(key=lambda p: (-p[1], self.world.places[p[0]].spec.name))
        return ranked

    # ------------------------------------------------------------ steps and tiles

    def map_size(self, step: int) -> tuple[int, int]:
        """Pixel size of the whole map at a zoom step."""
        r = ZOOM_STEPS[step]
        return math.ceil(self.layout.width * r), math.ceil(self.layout.height * r)

    def tile_size(self, step: int) -> int:
        """Edge of the tiles of a zoom step (one tile holds the map when it is small)."""
        mw, mh = self.map_size(step)
        return max(mw, mh) if max(mw, mh) <= SINGLE_TILE_MAX else TILE

    def tile_rect(self, step: int, tx: int, ty: int) -> pygame.Rect:
        """A tile's rectangle in the step's map pixels (cut to the map)."""
        ts = self.tile_size(step)
        mw, mh = self.map_size(step)
        x0, y0 = tx * ts, ty * ts
        return pygame.Rect(x0, y0, min(ts, mw - x0), min(ts, mh - y0))

    def origin(self, camera: Camera) -> tuple[int, int]:
        """Screen position of the map's top-left pixel (whole pixels, so tiles join)."""
        x, y, w, h = camera.view
        r = camera.radius
        return round(x + w / 2.0 - camera.cx * r), round(y + h / 2.0 - camera.cy * r)

    def visible_tiles(self, camera: Camera) -> list[tuple[int, int]]:
        """Tiles of the camera's step that overlap its view."""
        step = camera.zoom
        ts = self.tile_size(step)
        mw, mh = self.map_size(step)
        ox, oy = self.origin(camera)
        x, y, w, h = camera.view
        tx0 = max(0, (x - ox) // ts)
        ty0 = max(0, (y - oy) // ts)
        tx1 = min((mw - 1) // ts, (x + w - 1 - ox) // ts)
        ty1 = min((mh - 1) // ts, (y + h - 1 - oy) // ts)
        return [(tx, ty) for ty in range(ty0, ty1 + 1) for tx in range(tx0, tx1 + 1)]

    def tile(self, step: int, tx: int, ty: int) -> pygame.Surface:
        """One tile, from the cache or rendered now."""
        key = (step, tx, ty)
        surf = self.tiles.get(key)
        if surf is not None:
            self.tiles.move_to_end(key)
            return surf
        self.step_plan(step)  # placed once a step: not part of a tile's time
        t0 = time.perf_counter()
        surf = self.render_tile(step, tx, ty)
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            surf = surf.convert()
        ms = (time.perf_counter() - t0) * 1000.0
        est = self._tile_ms.get(step)
        self._tile_ms[step] = ms if est is None else 0.7 * est + 0.3 * ms
        self.tiles[key] = surf
        self._fallbacks.pop(key, None)
        self._step_rendered[step] = self.tiles_rendered
        self.tile_bytes += surf.get_width() * surf.get_height() * 4
        self._evict(key)
        return surf

    def _evict(self, newest: tuple[int, int, int]) -> None:
        """Drop the least recently used tiles beyond the memory bound.

        Never the one just made, nor the theatre tile (every other tile's last fallback).
        """
        keep = {newest, (0, 0, 0)}
        while self.tile_bytes > self.max_bytes and len(self.tiles) > len(keep):
            key = next(k for k in self.tiles if k not in keep)
            old = self.tiles.pop(key)
            self.tile_bytes -= old.get_width() * old.get_height() * 4

    def tile_estimate_ms(self, step: int) -> float:
        """Expected render time of one tile of a step (a running mean of the tiles timed)."""
        est = self._tile_ms.get(step)
        if est is not None:
            return est
        known = [ms for s, ms in self._tile_ms.items() if self.tile_size(s) == TILE]
        return sum(known) / len(known) if known else _FIRST_ESTIMATE_MS

    def prerender(self, camera: Camera) -> None:
        """Render the tiles the camera sees now (e.g. behind a loading screen)."""
        for tx, ty in self.visible_tiles(camera):
            self.tile(camera.zoom, tx, ty)

    def invalidate(self) -> None:
        """Forget every tile and label placement (after a palette or world change)."""
        self.tiles.clear()
        self.tile_bytes = 0
        self._fallbacks.clear()
        self._step_rendered.clear()
        self._steps.clear()
        self.complete = False
        self._prepare()

    def set_palette(self, palette: Palette) -> None:
        """Switch colour scheme (re-renders lazily)."""
        self.palette = palette
        self.invalidate()

    def draw(
        self,
        surface: pygame.Surface,
        camera: Camera,
        budget_ms: float | None = DRAW_BUDGET_MS,
    ) -> bool:
        """Blit the visible tiles of the camera's zoom step into its view (nothing else).

        Missing tiles are rendered nearest the view's centre first, while the time spent in
        this call stays within ``budget_ms`` (at least one tile a call, so repeated draws
        always finish the picture); the others show a fallback, their area scaled from another
        zoom step's cached tiles or the theatre tile, so no pixel of the view is left unwritten.

        Args:
            surface: where to draw (clipped to the camera's view).
            camera: the view, zoom step and centre.
            budget_ms: time for rendering tiles in this call; ``None`` or ``math.inf`` renders
                every missing tile now (a picture, a test, behind a loading screen).

        Returns:
            Whether the picture is complete (also kept in ``complete``); when False, draw
            again next frame.
        """
        start = time.perf_counter()
        step = camera.zoom
        x, y, w, h = camera.view
        view = pygame.Rect(x, y, w, h)
        ox, oy = self.origin(camera)
        mw, mh = self.map_size(step)
        visible = self.visible_tiles(camera)
        if budget_ms is None or math.isinf(budget_ms):
            for tx, ty in visible:
                self.tile(step, tx, ty)
        else:
            self._render_within(step, self._missing(camera, visible), start, budget_ms)
        old_clip = surface.get_clip()
        surface.set_clip(view.clip(old_clip))
        if not pygame.Rect(ox, oy, mw, mh).contains(view):
            surface.fill(self.palette.off_map, view)
        ts = self.tile_size(step)
        blits = []
        complete = True
        for tx, ty in visible:
            key = (step, tx, ty)
            surf = self.tiles.get(key)
            if surf is not None:
                self.tiles.move_to_end(key)
            else:
                surf = self._fallback(step, tx, ty)
                if surf is None:  # nothing to stand in for it: render it after all
                    surf = self.tile(step, tx, ty)
                else:
                    complete = False
            blits.append((surf, (ox + tx * ts, oy + ty * ts)))
        surface.fblits(blits)
        surface.set_clip(old_clip)
        if complete:
            self._fallbacks.clear()
        else:  # only this step's fallbacks are worth keeping
            for key in [k for k in self._fallbacks if k[0] != step]:
                del self._fallbacks[key]
        self.complete = complete
        return complete

    def idle(self, camera: Camera, budget_ms: float) -> int:
        """Warm tiles in spare frame time (the window calls it when a frame has time left).

        In order: the view's missing tiles, a ring of tiles just outside the view, then the
        tiles under the view one zoom step in and one out (about the view's centre). Renders
        nothing it expects to overrun ``budget_ms`` (``math.inf``: all of them).

        Returns:
            How many tiles it rendered (0: all warm, or no tile fits the budget).
        """
        start = time.perf_counter()
        step = camera.zoom
        x, y, w, h = camera.view
        todo = [(step, t) for t in self._missing(camera, self.visible_tiles(camera))]
        ts = self.tile_size(step)
        wide = (x - ts, y - ts, w + 2 * ts, h + 2 * ts)
        ring = Camera(camera.layout, wide, zoom=step, cx=camera.cx, cy=camera.cy)
        todo += [(step, t) for t in self._missing(ring, self.visible_tiles(ring))]
        for near in (step + 1, step - 1):
            if 0 <= near < len(ZOOM_STEPS):
                other = Camera(camera.layout, camera.view, zoom=near, cx=camera.cx, cy=camera.cy)
                todo += [(near, t) for t in self._missing(other, self.visible_tiles(other))]
        done = 0
        for s, (tx, ty) in todo:
            if (s, tx, ty) in self.tiles:
                continue
            spent = (time.perf_counter() - start) * 1000.0
            if spent + self.tile_estimate_ms(s) > budget_ms:
                break
            self.tile(s, tx, ty)
            done += 1
        return done

    def _missing(self, camera: Camera, tiles: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The tiles not cached, nearest the view's centre first."""
        step = camera.zoom
        ts = self.tile_size(step)
        r = camera.radius
        cx, cy = camera.cx * r, camera.cy * r
        out = [t for t in tiles if (step, *t) not in self.tiles]
        out.sort(key=lambda t: ((t[0] + 0.5) * ts - cx) ** 2 + ((t[1] + 0.5) * ts - cy) ** 2)
        return out

    def _render_within(
        self, step: int, missing: list[tuple[int, int]], start: float, budget_ms: float
    ) -> None:
        """Render missing tiles of a step in order while the budget lasts (at least one)."""
        if missing and step != 0 and self._single(0) and (0, 0, 0) not in self.tiles:
            self.tile(0, 0, 0)  # the theatre tile: every fallback's last resort
        for n, (tx, ty) in enumerate(missing):
            spent = (time.perf_counter() - start) * 1000.0
            if n > 0 and spent + self.tile_estimate_ms(step) > budget_ms:
                break
            self.tile(step, tx, ty)

    def _single(self, step: int) -> bool:
        """Whether a step's map is one tile."""
        return self.tile_size(step) >= max(self.map_size(step))

    # ------------------------------------------------------------ fallbacks of missing tiles

    def _fallback(self, step: int, tx: int, ty: int) -> pygame.Surface | None:
        """A stand-in for a missing tile: its area scaled from the nearest step that has it.

        Made once, and made again only when a nearer step has gained tiles since.
        """
        key = (step, tx, ty)
        order = self._fallback_steps(step)
        cached = self._fallbacks.get(key)
        better = order if cached is None else order[: order.index(cached[0])]
        for s in better:
            if cached is not None and self._step_rendered.get(s, -1) <= cached[1]:
                continue
            sources = self._sources(step, tx, ty, s)
            if sources is None:
                continue
            surf = self._scaled(step, tx, ty, s, sources)
            self._fallbacks[key] = (s, self.tiles_rendered, surf)
            return surf
        return None if cached is None else cached[2]

    def _fallback_steps(self, step: int) -> list[int]:
        """Steps to take a fallback from, best first (the theatre step last)."""
        out = [step + d for d in _FALLBACK_STEPS if 0 < step + d < len(ZOOM_STEPS)]
        return [*out, 0] if step != 0 else out

    def _source_rect(self, step: int, tx: int, ty: int, s: int) -> tuple[pygame.Rect, float]:
        """A tile's area in step ``s``'s map pixels, and the scale from step ``s`` to ``step``.

        The area is widened to whole pixels and cut to the map.
        """
        rect = self.tile_rect(step, tx, ty)
        f = ZOOM_STEPS[s] / ZOOM_STEPS[step]
        x0, y0 = math.floor(rect.x * f), math.floor(rect.y * f)
        x1, y1 = math.ceil(rect.right * f), math.ceil(rect.bottom * f)
        src = pygame.Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
        mw, mh = self.map_size(s)
        return src.clip(pygame.Rect(0, 0, mw, mh)), 1.0 / f

    def _sources(
        self, step: int, tx: int, ty: int, s: int
    ) -> list[tuple[pygame.Surface, pygame.Rect]] | None:
        """The cached tiles of step ``s`` covering a tile's area (None if one is missing)."""
        src, _ = self._source_rect(step, tx, ty, s)
        if src.w <= 0 or src.h <= 0:
            return None
        ts = self.tile_size(s)
        out = []
        for sy in range(src.y // ts, (src.bottom - 1) // ts + 1):
            for sx in range(src.x // ts, (src.right - 1) // ts + 1):
                surf = self.tiles.get((s, sx, sy))
                if surf is None:
                    return None
                out.append((surf, self.tile_rect(s, sx, sy)))
        return out

    def _scaled(
        self,
        step: int,
        tx: int,
        ty: int,
        s: int,
        sources: list[tuple[pygame.Surface, pygame.Rect]],
    ) -> pygame.Surface:
        """A tile-sized surface of the area, scaled from tiles of step ``s``."""
        src, scale = self._source_rect(step, tx, ty, s)
        if len(sources) == 1:
            surf, rect = sources[0]
            picture = surf.subsurface(src.move(-rect.x, -rect.y))
        else:
            picture = pygame.Surface(src.size, 0, sources[0][0])
            for surf, rect in sources:
                picture.blit(surf, (rect.x - src.x, rect.y - src.y))
        # whole pixels around the area's exact place at ``step``, so the tile is covered
        x0, y0 = math.floor(src.x * scale), math.floor(src.y * scale)
        size = (
            max(1, math.ceil(src.right * scale) - x0),
            max(1, math.ceil(src.bottom * scale) - y0),
        )
        if min(src.size) >= 2:
            big = pygame.transform.smoothscale(picture, size)
        else:
            big = pygame.transform.scale(picture, size)
        rect = self.tile_rect(step, tx, ty)
        out = pygame.Surface(rect.size, 0, big)
        out.fill(self.palette.off_map)  # only a sliver at the map's edge stays so
        out.blit(big, (x0 - rect.x, y0 - rect.y))
        return out

    # ------------------------------------------------------------ labels, once per step

    def step_plan(self, step: int) -> _Step:
        """Place symbols and labels of a zoom step (computed once, shared by its tiles)."""
        plan = self._steps.get(step)
        if plan is None:
            plan = self._plan_step(step)
            self._steps[step] = plan
        return plan

    def labels(self, step: int) -> list[PlacedLabel]:
        """The labels placed at a zoom step (never overlapping)."""
        return self.step_plan(step).labels

    def _plan_step(self, step: int) -> _Step:
        return self._plan(ZOOM_STEPS[step])

    def _plan(self, r: float) -> _Step:
        """Place symbols and labels at hex radius ``r`` (by priority, dropped on collision)."""
        level = detail_level(r)
        mw, mh = math.ceil(self.layout.width * r), math.ceil(self.layout.height * r)
        places = []
        for pid, score in self.place_rank:
            spec = self.world.places[pid].spec
            kinds = set(spec.kinds)
            vp = sum(spec.vp.values())
            if level == "theatre" and not (vp >= 4 or "capital" in kinds or score >= 10):
                continue
            if level == "operational" and not (kinds & {"city", "town", "capital"} or vp > 0):
                continue
            x, y = self.layout.centre(self.world.places[pid].index)
            if "capital" in kinds:
                kind, size = "capital", max(4.0, r * 0.5)
            elif "city" in kinds:
                kind, size = "city", max(3.0, min(10.0, r * 0.42))
            elif "town" in kinds:
                kind, size = "town", max(1.5, min(5.0, r * 0.17))
            else:
                kind, size = "minor", max(1.5, min(3.5, r * 0.12))
            places.append((pid, x * r, y * r, kind, size))
        # labels: the most important first; one is dropped when it would touch one placed before
        taken: list[pygame.Rect] = [
            pygame.Rect(px - s - 1, py - s - 1, 2 * s + 2, 2 * s + 2) for _, px, py, _, s in places
        ]
        if self.parallel is not None:
            pts = self.parallel * r
            for (x1, y1), (x2, y2) in zip(pts[:-1], pts[1:], strict=False):
                taken.append(pygame.Rect(min(x1, x2), min(y1, y2) - 1, abs(x2 - x1) + 1, 3))
        labels: list[PlacedLabel] = []
        placed: list[pygame.Rect] = []
        sizes = {"theatre": (10, 11), "operational": (11, 13), "tactical": (12, 14)}[level]
        for n, (pid, px, py, kind, s) in enumerate(places):
            spec = self.world.places[pid].spec
            big = kind in ("city", "capital")
            size = sizes[1] if big else sizes[0]
            text = spec.name if level == "tactical" else spec.name.split(" (")[0]
            f = fonts.font(size, bold=big)
            tw, th = f.size(text)
            tw, th = tw + 2, th + 2  # the halo
            gap = s + 2
            candidates = [
                (px + gap, py - th / 2),
                (px - gap - tw, py - th / 2),
                (px - tw / 2, py - gap - th),
                (px - tw / 2, py + gap),
                (px + gap * 0.7, py - gap * 0.7 - th),
                (px + gap * 0.7, py + gap * 0.7),
            ]
            others = taken[:n] + taken[n + 1 :]
            for cx, cy in candidates:
                rect = pygame.Rect(round(cx), round(cy), tw, th)
                if rect.left < 0 or rect.top < 0 or rect.right > mw or rect.bottom > mh:
                    continue
                if rect.collidelist(placed) >= 0 or rect.collidelist(others) >= 0:
                    continue
                placed.append(rect)
                labels.append(PlacedLabel(pid, text, rect, size, big))
                break
        if self.parallel is not None:
            self._place_parallel_label(labels, placed, r, mw, mh)
        if level == "tactical":
            self._place_river_labels(labels, placed, taken, r, mw, mh)
        return _Step(r, level, places, labels)

    def _place_river_labels(
        self,
        labels: list[PlacedLabel],
        placed: list[pygame.Rect],
        taken: list[pygame.Rect],
        r: float,
        mw: int,
        mh: int,
    ) -> None:
        """River names beside their rivers at tactical zoom, about every dozen hexes."""
        f = fonts.font(fonts.SMALL)
        for name, points in self.river_points:
            tw, th = f.size(name)
            tw, th = tw + 2, th + 2
            mine: list[tuple[float, float]] = []
            for k in range(len(points) // 2 % 6, len(points), 3):
                x, y = points[k][0] * r, points[k][1] * r
                if any(math.hypot(x - a, y - b) < 12 * r for a, b in mine):
                    continue
                rect = pygame.Rect(round(x - tw / 2), round(y + 3), tw, th)
                if rect.left < 0 or rect.top < 0 or rect.right > mw or rect.bottom > mh:
                    continue
                if rect.collidelist(placed) >= 0 or rect.collidelist(taken) >= 0:
                    continue
                placed.append(rect)
                mine.append((x, y))
                labels.append(
                    PlacedLabel(
                        f"river:{name}", name, rect, fonts.SMALL, False, self.palette.river["major"]
                    )
                )

    def _place_parallel_label(
        self, labels: list[PlacedLabel], placed: list[pygame.Rect], r: float, mw: int, mh: int
    ) -> None:
        text = "38th parallel"
        size = 10 if r < OPERATIONAL_RADIUS else 11
        f = fonts.font(size)
        tw, th = f.size(text)
        pts = self.parallel * r
        # try points along the line, west to east, just above it
        for k in range(len(pts) // 4, len(pts), max(1, len(pts) // 40)):
            x, y = pts[k]
            rect = pygame.Rect(round(x), round(y - th - 3), tw + 2, th + 2)
            if rect.left < 0 or rect.top < 0 or rect.right > mw or rect.bottom > mh:
                continue
            if rect.collidelist(placed) >= 0:
                continue
            placed.append(rect)
            labels.append(PlacedLabel("38th_parallel", text, rect, size, False))
            return

    def _label_surface(self, label: PlacedLabel) -> pygame.Surface:
        if label.surface is None:
            pal = self.palette
            f = fonts.font(label.size, bold=label.bold)
            if label.place_id == "38th_parallel":
                f = fonts.font(label.size)
            text = f.render(label.text, True, label.colour or pal.place_text)
            halo = f.render(label.text, True, pal.label_halo)
            surf = pygame.Surface(label.rect.size, pygame.SRCALPHA)
            for dx, dy in ((0, 1), (1, 0), (2, 1), (1, 2), (0, 0), (2, 0), (0, 2), (2, 2)):
                surf.blit(halo, (dx, dy))
            surf.blit(text, (1, 1))
            label.surface = surf
        return label.surface

    # ------------------------------------------------------------ relief, once

    def relief(self) -> np.ndarray:
        """The relief shade raster, ``(W, H)`` at ``RELIEF_RES`` pixels a world unit.

        A pseudo-elevation per hex (from its terrain type, with per-hex and sub-hex noise scaled
        by the terrain's ruggedness) is blurred, so neighbours shape each other, and shaded by a
        light from the north-west: positive lightens, negative darkens; water is flat.
        """
        if self._relief is not None:
            return self._relief
        res = RELIEF_RES
        w = math.ceil(self.layout.width * res)
        h = math.ceil(self.layout.height * res)
        wx = (np.arange(w)[:, None] + 0.5) / res
        wy = (np.arange(h)[None, :] + 0.5) / res
        wx, wy = np.broadcast_arrays(wx, wy)
        idx, _ = pixel_hexes(self.layout, wx, wy)
        relief = np.array([style.TERRAIN_RELIEF.get(t, (0.1, 0.05)) for t in self.terrain_ids])
        base = relief[self.hex_terrain, 0]
        amp = relief[self.hex_terrain, 1]
        n = self.world.grid.size
        hex_noise = _hash01(np.arange(n), np.zeros(n, dtype=np.int64), 7) * 2.0 - 1.0
        elev_hex = base + amp * hex_noise * 0.15
        on = idx >= 0
        safe = np.where(on, idx, 0)
        elev = np.where(on, elev_hex[safe], 0.0)
        # sub-hex value noise (a lattice every ``cell`` world units, smoothly interpolated), for
        # ridges and valleys inside hills and ranges
        cell = 0.9
        gx = wx / cell
        gy = wy / cell
        ix = np.floor(gx).astype(np.int64)
        iy = np.floor(gy).astype(np.int64)
        fx = gx - ix
        fy = gy - iy
        fx = fx * fx * (3 - 2 * fx)
        fy = fy * fy * (3 - 2 * fy)
        lx = np.arange(int(ix.max()) + 2)[:, None]
        ly = np.arange(int(iy.max()) + 2)[None, :]
        lattice = _hash01(*np.broadcast_arrays(lx, ly), 11)
        vn = (lattice[ix, iy] * (1 - fx) + lattice[ix + 1, iy] * fx) * (1 - fy) + (
            lattice[ix, iy + 1] * (1 - fx) + lattice[ix + 1, iy + 1] * fx
        ) * fy
        elev = elev + np.where(on, amp[safe], 0.0) * (vn * 2.0 - 1.0)
        elev = _box_blur(_box_blur(elev, 3), 2)
        dx, dy = np.gradient(elev, 1.0 / res)
        shade = -(dx * _LIGHT[0] + dy * _LIGHT[1]) * 0.32
        shade = np.clip(shade, -0.42, 0.28)
        water = np.where(on, self.hex_water[safe], True)
        shade[water] = 0.0
        self._relief = shade.astype(np.float32)
        return self._relief

    # ------------------------------------------------------------ rendering a tile

    def render_tile(self, step: int, tx: int, ty: int) -> pygame.Surface:
        """Render one tile now (no cache): terrain raster, then lines, places and labels."""
        self.tiles_rendered += 1
        return self._render(self.tile_rect(step, tx, ty), ZOOM_STEPS[step], self.step_plan(step))

    def render_picture(self, radius: float) -> pygame.Surface:
        """The whole map at any hex radius as one uncached surface (``ui.map_image``'s picture)."""
        w, h = math.ceil(self.layout.width * radius), math.ceil(self.layout.height * radius)
        return self._render(pygame.Rect(0, 0, w, h), radius, self._plan(radius))

    def _render(self, rect: pygame.Rect, r: float, plan: _Step) -> pygame.Surface:
        """The map pixels of ``rect`` (in map pixels at radius ``r``)."""
        surf = pygame.Surface(rect.size)
        pixels = self._terrain_pixels(rect, r, plan.level)
        pygame.surfarray.blit_array(surf, pixels)
        self._draw_relief_marks(surf, rect, r, plan.level)
        self._draw_lines(surf, rect, r, plan.level)
        self._draw_places(surf, rect, plan)
        return surf

    def _terrain_pixels(self, rect: pygame.Rect, r: float, level: str) -> np.ndarray:
        """``(W, H, 3)`` terrain, relief and texture pixels of a tile (flat arrays inside)."""
        pal = self.palette
        w, h = rect.size
        px = np.repeat(np.arange(rect.x, rect.right, dtype=np.int64), h)
        py = np.tile(np.arange(rect.y, rect.bottom, dtype=np.int64), w)
        wx = (px + 0.5) / r
        wy = (py + 0.5) / r
        idx, edge = pixel_hexes(self.layout, wx, wy)
        on = idx >= 0
        ttype = self.hex_terrain[np.where(on, idx, 0)]
        rgb = self.type_colour[ttype]
        # relief: a bilinear sample of the shade raster, lightening or darkening
        rel = self.relief()
        u = wx * RELIEF_RES - 0.5
        v = wy * RELIEF_RES - 0.5
        i0 = np.clip(u.astype(np.int64), 0, rel.shape[0] - 2)
        j0 = np.clip(v.astype(np.int64), 0, rel.shape[1] - 2)
        fu = np.clip(u - i0, 0.0, 1.0).astype(np.float32)
        fv = np.clip(v - j0, 0.0, 1.0).astype(np.float32)
        shade = (rel[i0, j0] * (1 - fu) + rel[i0 + 1, j0] * fu) * (1 - fv) + (
            rel[i0, j0 + 1] * (1 - fu) + rel[i0 + 1, j0 + 1] * fu
        ) * fv
        lit = shade > 0
        rgb[lit] += (255.0 - rgb[lit]) * shade[lit, None]
        dim = shade < 0
        rgb[dim] *= 1.0 + shade[dim, None]
        tex = self.type_texture[ttype]
        tex[~on] = 0
        # steppe and desert: a sparse stipple on a jittered grid
        sel = np.nonzero(tex == 1)[0]
        if len(sel):
            g = max(4, round(r * 0.42))
            x, y = px[sel], py[sel]
            cx, cy = x // g, y // g
            ox = (_hash01(cx, cy, 3) * g).astype(np.int64)
            oy = (_hash01(cx, cy, 5) * g).astype(np.int64)
            keep = 0.55 if level != "theatre" else 0.3
            dot = (x - cx * g == ox) & (y - cy * g == oy) & (_hash01(cx, cy, 9) < keep)
            rgb[sel[dot]] *= pal.texture_dark
        # forest: round tree crowns on a jittered grid, shaded on the south-east
        sel = np.nonzero(tex == 2)[0]
        if len(sel):
            gt = max(3, round(r * 0.5))
            x, y = px[sel], py[sel]
            cx, cy = x // gt, y // gt
            ddx = x + 0.5 - (cx * gt + 0.5 + _hash01(cx, cy, 17) * (gt - 1))
            ddy = y + 0.5 - (cy * gt + 0.5 + _hash01(cx, cy, 19) * (gt - 1))
            rad = max(1.0, gt * 0.34)
            crown = (ddx * ddx + ddy * ddy) <= rad * rad
            tree = np.array(pal.tree, dtype=np.float32)
            rgb[sel[crown]] = tree
            rgb[sel[crown & ((ddx + ddy) > rad * 0.6)]] = tree * 0.85
        # marsh: short horizontal dashes
        sel = np.nonzero(tex == 3)[0]
        if len(sel):
            sp = max(3, round(r * 0.28))
            x, y = px[sel], py[sel]
            row = y // sp
            shift = (_hash01(row, row, 23) * 7).astype(np.int64)
            dash = (y % sp == 0) & (((x + shift) % 7) < 4)
            rgb[sel[dash]] = np.array(pal.marsh_hatch, dtype=np.float32)
        # urban: small blocks
        sel = np.nonzero(tex == 4)[0]
        if len(sel):
            gb = max(3, round(r * 0.3))
            block = ((px[sel] % gb) < gb * 0.6) & ((py[sel] % gb) < gb * 0.6)
            rgb[sel[block]] *= 0.88
        # fortified regions: red diagonal hatching (an outline only at theatre zoom)
        if level != "theatre":
            sel = np.nonzero(on & self.hex_fort[np.where(on, idx, 0)])[0]
            if len(sel):
                stripe = ((px[sel] + py[sel]) % max(5, round(r * 0.45))) < 1.5
                fc = np.array(pal.fort, dtype=np.float32)
                rgb[sel[stripe]] = rgb[sel[stripe]] * 0.35 + fc * 0.65
        # a faint hex grid at tactical zoom
        if level == "tactical":
            line = (1.0 - edge) * (SQRT3 / 2.0) * r < 0.75
            grid = np.array(pal.grid_line, dtype=np.float32)
            rgb[line] = rgb[line] * 0.78 + grid * 0.22
        rgb[~on] = np.array(pal.off_map, dtype=np.float32)
        return np.clip(rgb, 0, 255).astype(np.uint8).reshape(w, h, 3)

    def _draw_relief_marks(
        self, surf: pygame.Surface, rect: pygame.Rect, r: float, level: str
    ) -> None:
        """Peaks on mountain hexes and humps on hills at close zoom (lit from the north-west)."""
        if level == "theatre":
            return
        c = self.layout.centres * r
        near = (
            (c[:, 0] > rect.x - r)
            & (c[:, 0] < rect.right + r)
            & (c[:, 1] > rect.y - r)
            & (c[:, 1] < rect.bottom + r)
        )
        ids = self.terrain_ids
        pal = self.palette
        tactical = level == "tactical"
        for kind, marks in (("mountains", 3 if tactical else 1), ("hills", 2 if tactical else 0)):
            if kind not in ids or not marks:
                continue
            sel = np.nonzero(near & (self.hex_terrain == ids.index(kind)))[0]
            hi, hk = np.repeat(sel, marks), np.tile(np.arange(marks), len(sel))
            hash1 = _hash01(hi, hk, 29).reshape(len(sel), marks).tolist()
            hash2 = _hash01(hi, hk, 31).reshape(len(sel), marks).tolist()
            for n, i in enumerate(sel):
                cx, cy = c[i, 0] - rect.x, c[i, 1] - rect.y
                for k in range(marks):
                    h1, h2 = hash1[n][k], hash2[n][k]
                    if marks == 1:
                        x, y = cx + (h1 - 0.5) * r * 0.3, cy + (h2 - 0.5) * r * 0.3
                    else:
                        angle = 2 * math.pi * (k / marks + h1 * 0.25)
                        dist = r * (0.3 + 0.15 * h2)
                        x, y = cx + math.cos(angle) * dist, cy + math.sin(angle) * dist
                    if kind == "mountains":
                        hw, hh = r * 0.26, r * 0.24
                        top = (x, y - hh)
                        w = 2 if tactical else 1
                        pygame.draw.line(surf, pal.relief_light, (x - hw, y + hh * 0.6), top, w)
                        pygame.draw.line(surf, pal.relief_dark, top, (x + hw, y + hh * 0.6), w)
                    else:
                        hw = r * 0.24
                        arc = pygame.Rect(
                            round(x - hw), round(y - hw * 0.6), round(2 * hw), round(hw * 1.5)
                        )
                        pygame.draw.arc(surf, pal.relief_dark, arc, 0.3, math.pi - 0.3, 1)

    def _select(self, seg: np.ndarray, rect: pygame.Rect, r: float, margin: float) -> np.ndarray:
        """Rows of a (k, 4) world segment array that may touch a tile, in tile pixels."""
        if len(seg) == 0:
            return seg
        p = seg * r
        x0, y0 = rect.x - margin, rect.y - margin
        x1, y1 = rect.right + margin, rect.bottom + margin
        lo_x = np.minimum(p[:, 0], p[:, 2])
        hi_x = np.maximum(p[:, 0], p[:, 2])
        lo_y = np.minimum(p[:, 1], p[:, 3])
        hi_y = np.maximum(p[:, 1], p[:, 3])
        keep = (hi_x >= x0) & (lo_x <= x1) & (hi_y >= y0) & (lo_y <= y1)
        out = p[keep]
        out[:, [0, 2]] -= rect.x
        out[:, [1, 3]] -= rect.y
        return out

    def _draw_lines(self, surf: pygame.Surface, rect: pygame.Rect, r: float, level: str) -> None:
        pal = self.palette
        theatre = level == "theatre"
        tactical = level == "tactical"
        # coasts
        for x1, y1, x2, y2 in self._select(self.coast_sides, rect, r, 4):
            pygame.draw.line(surf, pal.coast, (x1, y1), (x2, y2), 1)
        # rivers along hexsides
        sel = self._select(
            np.column_stack([self.river_sides, self.river_class]), rect, r, 6
        )  # the class column is scaled by r too: undo below
        widths = {
            "theatre": {1: 1, 2: 2},
            "operational": {1: 1, 2: 3},
            "tactical": {1: 2, 2: 4},
        }[level]
        for x1, y1, x2, y2, cls_r in sel:
            cls = round(cls_r / r)
            colour = pal.river["major" if cls >= 2 else "minor"]
            width = widths[2 if cls >= 2 else 1]
            pygame.draw.line(surf, colour, (x1, y1), (x2, y2), width)
            if width >= 3:
                pygame.draw.circle(surf, colour, (x1, y1), width / 2)
                pygame.draw.circle(surf, colour, (x2, y2), width / 2)
        # borders: dashed purple (heavier between sides)
        sel = self._select(np.column_stack([self.border_sides, self.border_major]), rect, r, 6)
        for x1, y1, x2, y2, major in sel:
            width = (3 if major else 2) if not theatre else (2 if major else 1)
            _dashed(surf, pal.border, (x1, y1), (x2, y2), width, max(3.0, r * 0.35), rect)
        # fortified regions: red outline
        for x1, y1, x2, y2 in self._select(self.fort_sides, rect, r, 4):
            pygame.draw.line(surf, pal.fort, (x1, y1), (x2, y2), 2 if not theatre else 1)
        # the network
        road_w = 1 if not tactical else 2
        for x1, y1, x2, y2 in self._select(self.links["road"], rect, r, 4):
            if theatre:
                pygame.draw.aaline(surf, _mix(pal.road, (230, 220, 200), 0.35), (x1, y1), (x2, y2))
            else:
                pygame.draw.line(surf, pal.road, (x1, y1), (x2, y2), road_w)
        rail_w = 1 if theatre else 2
        for x1, y1, x2, y2 in self._select(self.links["rail"], rect, r, 4):
            pygame.draw.line(surf, pal.rail, (x1, y1), (x2, y2), rail_w)
            if rail_w > 1:
                pygame.draw.circle(surf, pal.rail, (x1, y1), 1)
            if tactical:
                _ties(surf, pal.rail, (x1, y1), (x2, y2), spacing=max(5.0, r * 0.28), half=3)
        for x1, y1, x2, y2 in self._select(self.links["ferry"], rect, r, 4):
            _dashed(surf, pal.ferry, (x1, y1), (x2, y2), 2, max(3.0, r * 0.25), rect)
        # the 38th parallel
        if self.parallel is not None:
            pts = self.parallel
            seg = np.column_stack([pts[:-1], pts[1:]])
            for x1, y1, x2, y2 in self._select(seg, rect, r, 2):
                _dashed(surf, pal.parallel, (x1, y1), (x2, y2), 1, 5.0, rect, gap=4.0)

    def _draw_places(self, surf: pygame.Surface, rect: pygame.Rect, plan: _Step) -> None:
        pal = self.palette
        for _pid, x, y, kind, s in plan.places:
            m = max(12.0, s + 3.0)  # the symbol's half size and outline
            if not (rect.x - m <= x <= rect.right + m and rect.y - m <= y <= rect.bottom + m):
                continue
            cx, cy = x - rect.x, y - rect.y
            if kind in ("city", "capital"):
                box = pygame.Rect(0, 0, round(2 * s), round(2 * s))
                box.center = (round(cx), round(cy))
                pygame.draw.rect(surf, pal.place_fill, box)
                pygame.draw.rect(surf, pal.place_dot, box, max(1, round(s / 3)))
                if kind == "capital":
                    pygame.draw.rect(surf, pal.place_dot, box.inflate(-s, -s))
            elif kind == "town":
                pygame.draw.circle(surf, pal.place_dot, (cx, cy), s)
                if s >= 3:
                    pygame.draw.circle(surf, pal.place_fill, (cx, cy), s * 0.45)
            else:
                pygame.draw.circle(surf, pal.place_dot, (cx, cy), s)
        for label in plan.labels:
            if label.rect.colliderect(rect):
                surf.blit(self._label_surface(label), label.rect.move(-rect.x, -rect.y))


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    """Blend two colours (``t`` of ``b``)."""
    return tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _dashed(
    surf: pygame.Surface,
    colour: Colour,
    a: tuple[float, float],
    b: tuple[float, float],
    width: int,
    dash: float,
    rect: pygame.Rect,
    gap: float | None = None,
) -> None:
    """A dashed segment whose dash phase follows map position, so neighbours line up."""
    gap = dash * 0.8 if gap is None else gap
    period = dash + gap
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1e-6:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # phase from the segment's start in map pixels (tile independent)
    phase = ((x1 + rect.x) * 0.7 + (y1 + rect.y) * 0.7) % period
    t = -phase
    while t < length:
        s0 = max(t, 0.0)
        s1 = min(t + dash, length)
        if s1 > s0:
            pygame.draw.line(
                surf,
                colour,
                (x1 + ux * s0, y1 + uy * s0),
                (x1 + ux * s1, y1 + uy * s1),
                width,
            )
        t += period


def _ties(
    surf: pygame.Surface,
    colour: Colour,
    a: tuple[float, float],
    b: tuple[float, float],
    spacing: float,
    half: float,
) -> None:
    """Cross ties along a railway segment."""
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1e-6:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy * half, ux * half
    t = spacing / 2
    while t < length:
        cx, cy = x1 + ux * t, y1 + uy * t
        pygame.draw.line(surf, colour, (cx - nx, cy - ny), (cx + nx, cy + ny), 1)
        t += spacing


def _box_blur(a: np.ndarray, radius: int) -> np.ndarray:
    """A separable box blur of a 2-D array (edges clamped)."""
    if radius < 1:
        return a
    k = 2 * radius + 1
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius + 1, radius)
        p = np.pad(a, pad, mode="edge")
        c = np.cumsum(p, axis=axis)
        a = (c[k:] - c[:-k]) / k if axis == 0 else (c[:, k:] - c[:, :-k]) / k
    return a
