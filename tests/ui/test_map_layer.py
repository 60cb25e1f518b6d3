"""The static map layer: terrain where it is, rivers, labels that never overlap, caching."""

import itertools
import math
import time

import numpy as np
import pygame
import pytest

from engine.scenario.loader import load_scenario
from engine.world import World
from ui import style
from ui.camera import ZOOM_STEPS, Camera
from ui.map_layer import MapLayer, pixel_hexes

TACTICAL = len(ZOOM_STEPS) - 1


@pytest.fixture(scope="module")
def storm_world():
    return World(load_scenario("august_storm"))


def quiet_hexes(world, terrain_id, limit=5):
    """Hexes of one terrain with no link, place, river, fort or border near their centre."""
    out = []
    nb = world.grid.neighbor_index
    for i in range(world.grid.size):
        if world.terrain_at(i).id != terrain_id or i in world.place_at:
            continue
        if world.network.degree(i) or world.river[i].any() or world.fort_level[i]:
            continue
        near = [int(j) for j in nb[i] if j >= 0]
        if len(near) < 6 or any(world.network.degree(j) or j in world.place_at for j in near):
            continue
        if any(world.region[j] != world.region[i] for j in near):
            continue
        out.append(i)
        if len(out) >= limit:
            break
    return out


def pixel_at_hex(layer, step, index):
    """The colour of a tile pixel at a hex centre, and the hex's terrain colour."""
    r = ZOOM_STEPS[step]
    x, y = layer.layout.centre(index)
    px, py = int(x * r), int(y * r)
    ts = layer.tile_size(step)
    tile = layer.tile(step, px // ts, py // ts)
    return tuple(tile.get_at((px % ts, py % ts)))[:3]


def close_to(a, b, tol):
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def test_pixel_hexes_agree_with_the_layout(world):
    layer = MapLayer(world)
    c = layer.layout.centres
    idx, edge = pixel_hexes(layer.layout, c[:, 0], c[:, 1])
    assert (idx == np.arange(world.grid.size)).all()
    assert (edge < 1e-9).all()
    # a point just inside the E side of a hex is still that hex, near its edge
    i = world.index(5, 5)
    x, y = layer.layout.centre(i)
    idx, edge = pixel_hexes(layer.layout, np.array([x + 0.85]), np.array([y]))
    assert idx[0] == i and 0.9 < edge[0] < 1.0


@pytest.mark.parametrize("name", ["test_small", "august_storm"])
def test_theatre_tile_has_the_terrain_colours(name, world, storm_world):
    w = world if name == "test_small" else storm_world
    layer = MapLayer(w)
    for terrain in ("clear", "forest", "steppe", "water", "sea", "mountains", "hills"):
        for i in quiet_hexes(w, terrain, limit=3):
            want = style.STANDARD.terrain_colour(terrain)
            # relief and texture shade the colour a little; water is flat
            tol = 2 if terrain in style.WATER_TERRAIN else 60 if terrain == "mountains" else 40
            got = pixel_at_hex(layer, 0, i)
            wants = [want]
            if terrain == "forest":  # the centre may fall on a tree crown
                wants.append(style.STANDARD.tree)
            assert any(close_to(got, x, tol) for x in wants), (terrain, i, got, want)
    # water is exact and distinct from land
    water = [i for i in range(w.grid.size) if w.terrain_at(i).id in style.WATER_TERRAIN]
    land = quiet_hexes(w, "clear", limit=1)
    assert water and land
    assert pixel_at_hex(layer, 0, land[0]) != pixel_at_hex(layer, 0, water[-1])


def test_rivers_drawn_on_a_known_hexside_at_tactical_zoom(world):
    layer = MapLayer(world)
    a = world.index(9, 4)
    d = world.grid.direction(a, world.index(10, 4))
    assert world.river[a, d] == 2
    r = ZOOM_STEPS[TACTICAL]
    (x1, y1), (x2, y2) = layer.layout.corners(a)[(-d) % 6], layer.layout.corners(a)[(1 - d) % 6]
    mx, my = (x1 + x2) / 2 * r, (y1 + y2) / 2 * r
    ts = layer.tile_size(TACTICAL)
    tile = layer.tile(TACTICAL, int(mx) // ts, int(my) // ts)
    got = tuple(tile.get_at((int(mx) % ts, int(my) % ts)))[:3]
    assert got == style.STANDARD.river["major"]


def test_labels_for_vp_cities_and_never_overlapping(world, storm_world):
    for w, steps in ((world, range(len(ZOOM_STEPS))), (storm_world, (0, 2, 4))):
        layer = MapLayer(w)
        for step in steps:
            labels = layer.labels(step)
            for a, b in itertools.combinations(labels, 2):
                assert not a.rect.colliderect(b.rect), (step, a.text, b.text)
    layer = MapLayer(storm_world)
    theatre = {label.place_id for label in layer.labels(0)}
    assert {"harbin", "mukden"} <= theatre
    # a VP city's label is drawn: pixels of its rectangle carry the text colour
    label = next(lb for lb in layer.labels(0) if lb.place_id == "harbin")
    tile = layer.tile(0, 0, 0)
    area = pygame.surfarray.pixels3d(tile.subsurface(label.rect))
    dark = (area.sum(axis=2) < 150).sum()
    assert dark > 10
    # named rivers are labelled at tactical zoom (not "unnamed ..." ones), never at theatre zoom
    close = next(k for k, r in enumerate(ZOOM_STEPS) if r >= 14.0)  # the first tactical step
    rivers = {lb.text for lb in layer.labels(close) if lb.place_id.startswith("river:")}
    assert "Sungari" in rivers and not any(t.startswith("unnamed") for t in rivers)
    assert not any(lb.place_id.startswith("river:") for lb in layer.labels(0))
    # the tactical step labels every place of the small scenario
    small = MapLayer(world)
    assert {lb.place_id for lb in small.labels(TACTICAL)} >= set(world.places)


def test_tiles_are_cached(world):
    layer = MapLayer(world)
    cam = Camera(layer.layout, (0, 0, 800, 600), zoom=4)
    cam.centre_on(world.index(10, 10))
    screen = pygame.Surface((800, 600))
    layer.draw(screen, cam)
    first = layer.tiles_rendered
    assert first >= 1
    layer.draw(screen, cam)
    assert layer.tiles_rendered == first
    layer.invalidate()
    layer.draw(screen, cam)
    assert layer.tiles_rendered == 2 * first


def test_draw_fills_the_view_and_respects_the_clip(world):
    layer = MapLayer(world)
    cam = Camera(layer.layout, (100, 50, 400, 300), zoom=0)
    cam.centre_on_world(layer.layout.width / 2, layer.layout.height / 2)
    screen = pygame.Surface((600, 400))
    screen.fill((1, 2, 3))
    layer.draw(screen, cam)
    assert tuple(screen.get_at((10, 10)))[:3] == (1, 2, 3)  # outside the view: untouched
    assert tuple(screen.get_at((102, 52)))[:3] == style.STANDARD.off_map  # view, off the map
    cx, cy = cam.hex_centre(world.index(10, 10))
    assert tuple(screen.get_at((int(cx), int(cy))))[:3] != style.STANDARD.off_map


def test_lru_bound_evicts_old_tiles(storm_world):
    ts = MapLayer(storm_world).tile_size(TACTICAL)
    layer = MapLayer(storm_world, max_bytes=3 * ts * ts * 4)
    for tx in range(5):
        layer.tile(TACTICAL, tx, 3)
    assert len(layer.tiles) == 3
    assert (TACTICAL, 4, 3) in layer.tiles and (TACTICAL, 0, 3) not in layer.tiles


def test_lru_keeps_the_theatre_tile(storm_world):
    probe = MapLayer(storm_world)
    ts = probe.tile_size(TACTICAL)
    mw, mh = probe.map_size(0)
    layer = MapLayer(storm_world, max_bytes=(3 * ts * ts + mw * mh) * 4)
    layer.tile(0, 0, 0)
    for tx in range(6):
        layer.tile(TACTICAL, tx, 3)
    assert (0, 0, 0) in layer.tiles  # the fallback of every other tile
    assert (TACTICAL, 5, 3) in layer.tiles and (TACTICAL, 0, 3) not in layer.tiles


SENTINEL = (255, 0, 254)


def budget_camera(layer, world, zoom):
    cam = Camera(layer.layout, (20, 10, 800, 500), zoom=zoom)
    cam.centre_on(world.places["mudanjiang"].index)
    return cam


def sentinel_pixels(screen, cam):
    view = screen.subsurface(cam.view)
    px = pygame.surfarray.pixels3d(view)
    return int(((px[..., 0] == 255) & (px[..., 1] == 0) & (px[..., 2] == 254)).sum())


def test_a_budgeted_draw_renders_one_tile_and_leaves_no_hole(storm_world):
    layer = MapLayer(storm_world)
    cam = budget_camera(layer, storm_world, TACTICAL)
    visible = layer.visible_tiles(cam)
    assert len(visible) > 4
    screen = pygame.Surface((840, 520))
    screen.fill(SENTINEL)
    assert layer.draw(screen, cam, budget_ms=0.0) is False
    assert layer.complete is False
    # the theatre tile (every fallback's last resort) and one tile of the view, no more
    assert layer.tiles_rendered == 2
    assert (0, 0, 0) in layer.tiles
    assert sum((TACTICAL, *t) in layer.tiles for t in visible) == 1
    assert sentinel_pixels(screen, cam) == 0
    # outside the view: untouched
    assert tuple(screen.get_at((5, 5)))[:3] == SENTINEL
    # the first tile is the one under the view's centre
    centre = layer.visible_tiles(
        Camera(layer.layout, (420 - 1, 260 - 1, 2, 2), zoom=TACTICAL, cx=cam.cx, cy=cam.cy)
    )
    assert any((TACTICAL, *t) in layer.tiles for t in centre)


def test_repeated_budgeted_draws_complete_the_picture_as_drawn_without_budget(storm_world):
    fast = MapLayer(storm_world)
    cam = budget_camera(fast, storm_world, TACTICAL - 1)
    visible = fast.visible_tiles(cam)
    screen = pygame.Surface((840, 520))
    frames = 0
    while True:
        screen.fill(SENTINEL)
        done = fast.draw(screen, cam, budget_ms=0.0)
        frames += 1
        assert sentinel_pixels(screen, cam) == 0, frames
        if done:
            break
        assert frames <= len(visible)
    assert frames == len(visible)  # one tile a frame, the last frame complete
    assert fast.draw(screen, cam, budget_ms=0.0) is True
    slow = MapLayer(storm_world)
    plain = pygame.Surface((840, 520))
    plain.fill(SENTINEL)
    assert slow.draw(plain, cam, budget_ms=None) is True
    a = pygame.surfarray.array3d(screen.subsurface(cam.view)).astype(int)
    b = pygame.surfarray.array3d(plain.subsurface(cam.view)).astype(int)
    assert (a == b).all()
    # math.inf is the same as None
    inf = MapLayer(storm_world)
    plain.fill(SENTINEL)
    assert inf.draw(plain, cam, budget_ms=math.inf) is True
    assert (pygame.surfarray.array3d(plain.subsurface(cam.view)).astype(int) == b).all()


def test_fallback_comes_from_the_nearest_cached_step(storm_world):
    layer = MapLayer(storm_world)
    cam = budget_camera(layer, storm_world, 5)
    screen = pygame.Surface((840, 520))
    layer.draw(screen, cam, budget_ms=None)
    truth = pygame.surfarray.array3d(screen.subsurface(cam.view)).astype(int)
    cam.zoom_to(6)
    layer.draw(screen, cam, budget_ms=0.0)
    sources = {src for (step, _, _), (src, _, _) in layer._fallbacks.items() if step == 6}
    assert sources == {5}  # not the theatre: step 5 covers the view's middle
    # zooming back out: step 5 is all cached, so the picture is complete at once and exact
    cam.zoom_to(5)
    before = layer.tiles_rendered
    screen.fill(SENTINEL)
    assert layer.draw(screen, cam, budget_ms=0.0) is True
    assert layer.tiles_rendered == before
    assert (pygame.surfarray.array3d(screen.subsurface(cam.view)).astype(int) == truth).all()


def test_fallback_looks_like_the_map(storm_world):
    """A blurry stand-in of the same area: close to the real tile's mean colour."""
    layer = MapLayer(storm_world)
    cam = budget_camera(layer, storm_world, TACTICAL)
    screen = pygame.Surface((840, 520))
    layer.draw(screen, cam, budget_ms=0.0)
    blurry = pygame.surfarray.array3d(screen.subsurface(cam.view)).astype(float)
    layer.draw(screen, cam, budget_ms=None)
    sharp = pygame.surfarray.array3d(screen.subsurface(cam.view)).astype(float)
    assert np.abs(blurry.mean(axis=(0, 1)) - sharp.mean(axis=(0, 1))).max() < 12
    assert np.abs(blurry - sharp).mean() < 40


def test_idle_warms_the_ring_and_the_neighbouring_steps(storm_world):
    layer = MapLayer(storm_world)
    cam = budget_camera(layer, storm_world, 4)
    screen = pygame.Surface((840, 520))
    layer.draw(screen, cam, budget_ms=None)
    assert layer.idle(cam, 0.0) == 0  # no time: nothing
    done = layer.idle(cam, math.inf)
    assert done > 0
    assert layer.idle(cam, math.inf) == 0  # all warm
    before = layer.tiles_rendered
    # a pan by most of a tile, a zoom in and a zoom out about the centre: all cached
    cam.pan(layer.tile_size(4) - 8, 0)
    assert layer.draw(screen, cam, budget_ms=0.0) is True
    cam.pan(-(layer.tile_size(4) - 8), 0)
    for step in (5, 3):
        cam.zoom_to(step)
        assert layer.draw(screen, cam, budget_ms=0.0) is True, step
        cam.zoom_to(4)
    assert layer.tiles_rendered == before


def test_render_speed(storm_world):
    layer = MapLayer(storm_world)
    t = time.perf_counter()
    layer.tile(0, 0, 0)
    theatre = time.perf_counter() - t
    layer.step_plan(TACTICAL)
    t = time.perf_counter()
    layer.render_tile(TACTICAL, 5, 5)
    tile = time.perf_counter() - t
    # generous bounds (the real numbers are ~0.3 s and ~50 ms): catch a regression, not jitter
    assert theatre < 2.0
    assert tile < 0.3


def test_colour_blind_palette_differs():
    assert style.COLOUR_BLIND.side_colour("soviet") != style.STANDARD.side_colour("soviet")
    assert style.COLOUR_BLIND.side_notch and not style.STANDARD.side_notch
