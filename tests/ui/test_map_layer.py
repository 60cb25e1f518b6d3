"""The static map layer: terrain where it is, rivers, labels that never overlap, caching."""

import itertools
import time

import numpy as np
import pygame
import pytest

from engine.scenario.loader import load_scenario
from engine.world import World
from ui import style
from ui.camera import ZOOM_STEPS, Camera
from ui.map_layer import TILE, MapLayer, pixel_hexes

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
    layer = MapLayer(storm_world, max_bytes=3 * TILE * TILE * 4)
    for tx in range(5):
        layer.tile(TACTICAL, tx, 3)
    assert len(layer.tiles) == 3
    assert (TACTICAL, 4, 3) in layer.tiles and (TACTICAL, 0, 3) not in layer.tiles


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


def test_a_frame_renders_tiles_within_its_budget_and_leaves_no_hole(storm_world):
    layer = MapLayer(storm_world)
    surface = pygame.Surface((1600, 900))
    cam = Camera(layer.layout, (0, 36, 1280, 700), zoom=TACTICAL)
    cam.centre_on(storm_world.index(60, 55))
    sentinel = (255, 0, 255)
    surface.fill(sentinel)
    layer.tile(0, 0, 0)  # the theatre picture the stand-ins come from
    before = layer.tiles_rendered
    complete = layer.draw(surface, cam, budget_ms=0.0)
    assert layer.tiles_rendered - before == 1  # a zero budget still renders one tile a frame
    assert not complete and not layer.complete
    view = pygame.surfarray.pixels3d(surface)[0:1280, 36:736]
    holes = (view == np.array(sentinel)).all(axis=2).sum()
    del view
    assert holes == 0
    frames = 1
    while not layer.draw(surface, cam, budget_ms=0.0):
        frames += 1
        assert frames < 200
    assert frames + 1 == len(layer.visible_tiles(cam))  # one tile a frame, the last completes
    budgeted = pygame.surfarray.array3d(surface)
    whole = pygame.Surface((1600, 900))
    MapLayer(storm_world).draw(whole, cam, budget_ms=None)
    assert (pygame.surfarray.array3d(whole)[0:1280, 36:736] == budgeted[0:1280, 36:736]).all()


def test_idle_warms_the_neighbouring_steps(storm_world):
    layer = MapLayer(storm_world)
    cam = Camera(layer.layout, (0, 36, 1280, 700), zoom=4)
    cam.centre_on(storm_world.index(60, 55))
    layer.draw(pygame.Surface((1600, 900)), cam, budget_ms=None)
    while layer.idle(cam, budget_ms=1000.0):
        pass
    cam.zoom_to(5)
    before = layer.tiles_rendered
    assert layer.draw(pygame.Surface((1600, 900)), cam, budget_ms=0.0)
    assert layer.tiles_rendered == before  # every tile of the next step was ready
