"""The map picture: what a modder sees after a change (drawn headless on plain surfaces)."""

import subprocess
import sys

import pygame
import pytest

from engine.game import initial_state
from engine.paths import REPO_ROOT
from engine.scenario.loader import load_scenario
from engine.world import World
from ui import style
from ui.map_image import MapPainter, render
from ui.png import save_png


@pytest.fixture(scope="module")
def drawn():
    scenario = load_scenario("test_small")
    world = World(scenario)
    state = initial_state(scenario, world)
    return world, state, render(world, state, hex_radius=12.0, title=scenario.name)


def pixel(surface, xy):
    return tuple(surface.get_at((int(xy[0]), int(xy[1]))))[:3]


def test_terrain_colours_at_hex_centres(drawn):
    world, _, surface = drawn
    painter = MapPainter(world, 12.0)
    assert surface.get_size() == painter.pixel_size
    water = world.index(0, 19)
    forest = world.index(18, 1)
    assert pixel(surface, painter.centre(water)) == style.terrain_colour("water")
    assert pixel(surface, painter.centre(forest)) == style.terrain_colour("forest")


def test_rivers_run_along_hexsides(drawn):
    world, _, surface = drawn
    painter = MapPainter(world, 12.0)
    a = world.index(9, 4)
    d = world.grid.direction(a, world.index(10, 4))
    (x1, y1), (x2, y2) = painter.hexside(a, d)
    assert pixel(surface, ((x1 + x2) / 2, (y1 + y2) / 2)) == style.RIVER_COLOURS["major"]


def test_units_are_drawn_in_their_side_colour(drawn):
    world, state, surface = drawn
    painter = MapPainter(world, 12.0)
    tank = state.units["j_tank"]
    x, y = painter.centre(world.index(*tank.hex))
    assert pixel(surface, (x - 5, y - 5)) == style.side_colour("japanese")


def test_save_png_round_trip(drawn, tmp_path):
    *_, surface = drawn
    out = tmp_path / "map.png"
    save_png(surface, out)
    assert pygame.image.load(str(out)).get_size() == surface.get_size()
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_map_command_with_a_mod(tmp_path):
    out = tmp_path / "map.png"
    mod = REPO_ROOT / "scenarios/test_small/mods/reinforced.yaml"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "main.py"),
            "map",
            "--scenario",
            "test_small",
            "--mod",
            str(mod),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert pygame.image.load(str(out)).get_width() > 300
