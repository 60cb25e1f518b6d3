"""NATO counters: every unit type has a branch, branches differ, sides keep their colours."""

import itertools

import numpy as np
import pygame
import pytest

from engine.scenario.loader import load_scenario
from ui import counters, style
from ui.counters import army_marker_surface, counter_surface, draw_stack, front_of, unit_counter


def pixels(surface):
    return pygame.surfarray.array3d(surface), pygame.surfarray.array_alpha(surface)


@pytest.mark.parametrize("name", ["august_storm", "test_small"])
def test_every_unit_type_maps_to_a_known_branch_and_size(name):
    scenario = load_scenario(name)
    for type_id in scenario.unit_types:
        assert type_id in style.COUNTER_STYLES, type_id
        branch, size = style.counter_style(type_id)
        assert branch in style.BRANCHES and size in style.SIZES


def test_unknown_types_fall_back_by_movement_class():
    assert style.counter_style("hovercraft", "tracked") == ("armour", "XX")
    assert style.counter_style("glider", "foot", airborne=True)[0] == "airborne"
    assert style.counter_style("mystery")[0] == "infantry"
    assert unit_counter("mystery", "soviet", 40).get_size() == (40, 40)


@pytest.mark.parametrize("px", [16, 40])
def test_every_branch_draws_distinct_pixels(px):
    drawn = {b: pixels(counter_surface(b, "XX", "soviet", px))[0] for b in style.BRANCHES}
    for a, b in itertools.combinations(style.BRANCHES, 2):
        assert not np.array_equal(drawn[a], drawn[b]), (a, b)


def test_sizes_draw_distinct_marks():
    drawn = [pixels(counter_surface("infantry", s, "soviet", 40))[0] for s in style.SIZES]
    for a, b in itertools.combinations(range(len(drawn)), 2):
        assert not np.array_equal(drawn[a], drawn[b])


@pytest.mark.parametrize("palette", [style.STANDARD, style.COLOUR_BLIND])
@pytest.mark.parametrize("side", ["soviet", "japanese"])
def test_a_counter_is_in_its_sides_colour(palette, side):
    for px in (8, 20, 48):
        surf = counter_surface("infantry", "XX", side, px, "12", (), palette)
        rgb, alpha = pixels(surf)
        colour = np.array(palette.side_colour(side))
        share = (np.all(rgb == colour, axis=2) & (alpha == 255)).mean()
        assert share > 0.3, (side, px, share)


def test_colour_blind_palette_differs_and_notches_one_side():
    for side in ("soviet", "japanese"):
        assert style.COLOUR_BLIND.side_colour(side) != style.STANDARD.side_colour(side)
    jp = counter_surface("infantry", "XX", "japanese", 40, palette=style.COLOUR_BLIND)
    su = counter_surface("infantry", "XX", "soviet", 40, palette=style.COLOUR_BLIND)
    assert jp.get_at((1, 1)).a == 0  # the cut corner
    assert su.get_at((3, 3)).a == 255


def test_strength_shows_only_on_big_counters():
    a = pixels(counter_surface("armour", "X", "soviet", 40, "12"))[0]
    b = pixels(counter_surface("armour", "X", "soviet", 40, "99"))[0]
    assert not np.array_equal(a, b)
    a = pixels(counter_surface("armour", "X", "soviet", 20, "12"))[0]
    b = pixels(counter_surface("armour", "X", "soviet", 20, "99"))[0]
    assert np.array_equal(a, b)


def test_marks_change_the_counter():
    plain = pixels(counter_surface("infantry", "XX", "soviet", 40, "8"))[0]
    for mark in sorted(counters.MARKS):
        marked = pixels(counter_surface("infantry", "XX", "soviet", 40, "8", {mark}))[0]
        assert not np.array_equal(plain, marked), mark


def test_counters_are_cached():
    a = counter_surface("cavalry", "XX", "japanese", 30, "5", ["low_fuel"])
    b = counter_surface("cavalry", "XX", "japanese", 30, "5", ("low_fuel",))
    assert a is b


def test_army_markers_take_their_fronts_colour():
    parents = {"sov_6gta": "sov_transbaikal_front", "sov_transbaikal_front": "sov_fec"}
    front = front_of("sov_6gta", parents, style.STANDARD)
    assert front == "sov_transbaikal_front"
    surf = army_marker_surface("soviet", "6 GTA", 40, style.STANDARD, front)
    assert tuple(surf.get_at((4, surf.get_height() // 2)))[:3] == style.FRONT_COLOURS[front]
    other = army_marker_surface("soviet", "6 GTA", 40, style.STANDARD, None)
    assert tuple(other.get_at((4, other.get_height() // 2)))[:3] == style.SIDE_COLOURS["soviet"]
    assert front_of("nobody", parents, style.STANDARD) is None


def test_draw_stack_offsets_and_counts():
    stack = [counter_surface(b, "XX", "soviet", 30) for b in style.BRANCHES[:5]]
    screen = pygame.Surface((200, 200))
    screen.fill((255, 255, 255))
    one = draw_stack(screen, (100, 100), stack[:1])
    assert one.size == (30, 30) and one.center == (100, 100)
    screen.fill((255, 255, 255))
    three = draw_stack(screen, (100, 100), stack[:3])
    assert three.width == 30 + 2 * counters.STACK_OFFSET[0]
    screen.fill((255, 255, 255))
    five = draw_stack(screen, (100, 100), stack)
    assert five.width > three.width  # the count badge
