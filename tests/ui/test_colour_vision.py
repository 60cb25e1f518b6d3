"""The colour-blind palette keeps the sides apart for protan and deutan players (simulated)."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from ui.colour_vision import delta_e, seen_difference, simulate
from ui.counters import counter_surface
from ui.style import COLOUR_BLIND, STANDARD

#: ΔE*ab two colours must keep, as seen, to be told apart at a glance (10: plainly different).
APART = 20.0


def test_greys_look_the_same_to_everyone_and_red_green_does_not():
    greys = np.array([[255, 255, 255], [0, 0, 0], [128, 128, 128]])
    for kind in ("protan", "deutan", "tritan"):
        assert np.abs(simulate(greys, kind).astype(int) - greys).max() <= 1
    # pure red against a mid green: very different to most, nearly alike to a deutan
    assert delta_e(np.array([255, 0, 0]), np.array([0, 160, 0])) > 100
    assert seen_difference((255, 0, 0), (0, 160, 0), "deutan") < 15


def _screenshot(palette) -> tuple[np.ndarray, pygame.Rect, pygame.Rect]:
    """Two infantry counters side by side on the panel colour, as the window draws them."""
    pygame.display.init()
    surface = pygame.Surface((200, 100))
    surface.fill(palette.panel_bg)
    left, right = pygame.Rect(10, 10, 80, 80), pygame.Rect(110, 10, 80, 80)
    for side, rect in (("soviet", left), ("japanese", right)):
        surface.blit(counter_surface("infantry", "XX", side, 80, "9", (), palette), rect)
    return pygame.surfarray.array3d(surface), left, right


def _fill(pixels: np.ndarray, rect: pygame.Rect) -> np.ndarray:
    """The commonest colour in a counter: its fill."""
    block = pixels[rect.x : rect.right, rect.y : rect.bottom].reshape(-1, 3)
    colours, counts = np.unique(block, axis=0, return_counts=True)
    return colours[counts.argmax()]


@pytest.mark.parametrize("kind", ["protan", "deutan"])
def test_the_colour_blind_palette_keeps_the_sides_apart_on_a_screenshot(kind):
    pixels, left, right = _screenshot(COLOUR_BLIND)
    seen = simulate(pixels, kind)
    soviet, japanese = _fill(seen, left), _fill(seen, right)
    assert delta_e(soviet, japanese) >= APART
    # the simulated fills are the palette's colours as seen
    assert delta_e(soviet, simulate(np.array(COLOUR_BLIND.sides["soviet"]), kind)) < 1.0
    # and farther apart than the standard red and ochre, which the palette replaces
    std = seen_difference(STANDARD.sides["soviet"], STANDARD.sides["japanese"], kind)
    assert delta_e(soviet, japanese) > 2 * std


@pytest.mark.parametrize("kind", ["protan", "deutan", "tritan"])
def test_the_colour_blind_palettes_side_colours_and_markers_stay_apart(kind):
    p = COLOUR_BLIND
    assert seen_difference(p.sides["soviet"], p.sides["japanese"], kind) >= APART
    # what marks a unit out of supply stands out from both sides' fills
    for side in ("soviet", "japanese"):
        assert seen_difference(p.out_of_supply, p.sides[side], kind) >= 10.0
    assert p.side_notch  # and the sides never rest on hue alone
