"""How the map looks: colours and symbols for the engine's terrain, network, sides and units.

The engine knows terrain ids, link kinds, sides and unit types; this table alone decides how each
is drawn (Wesnoth keeps ``terrain.cfg`` apart from ``terrain_graphics.cfg`` in the same way).
Unknown ids fall back to a neutral colour, so a modder's new terrain still draws.
"""

from __future__ import annotations

Colour = tuple[int, int, int]

TERRAIN_COLOURS: dict[str, Colour] = {
    "clear": (214, 222, 160),
    "steppe": (226, 214, 140),
    "desert": (232, 196, 130),
    "forest": (96, 150, 90),
    "hills": (196, 160, 100),
    "mountains": (140, 100, 70),
    "marsh": (120, 180, 170),
    "urban": (170, 160, 160),
    "lake": (90, 150, 220),
    "water": (150, 190, 230),
    "sea": (150, 190, 230),
}
FALLBACK_TERRAIN: Colour = (200, 200, 200)

RIVER_COLOURS: dict[str, Colour] = {"minor": (70, 110, 210), "major": (30, 60, 190)}
RIVER_WIDTHS: dict[str, int] = {"minor": 1, "major": 3}
LINK_COLOURS: dict[str, Colour] = {
    "rail": (30, 30, 30),
    "road": (150, 80, 40),
    "ferry": (20, 60, 160),
}
LINK_WIDTHS: dict[str, int] = {"rail": 2, "road": 1, "ferry": 2}
FORT_COLOUR: Colour = (200, 30, 30)
BORDER_COLOUR: Colour = (140, 40, 160)
BORDER_WIDTH = 2

SIDE_COLOURS: dict[str, Colour] = {"soviet": (200, 40, 40), "japanese": (235, 200, 60)}
FALLBACK_SIDE: Colour = (120, 120, 120)
SIDE_TEXT: dict[str, Colour] = {"soviet": (255, 255, 255), "japanese": (20, 20, 20)}

#: One letter on a unit counter per unit type (the first letter of the type otherwise).
UNIT_LETTERS: dict[str, str] = {
    "rifle": "R",
    "infantry": "I",
    "tank": "T",
    "mechanized": "M",
    "cavalry": "C",
    "airborne": "A",
    "hq": "H",
    "fortress": "F",
    "artillery": "G",
}

PLACE_DOT: Colour = (20, 20, 20)
PLACE_TEXT: Colour = (10, 10, 10)
BACKGROUND: Colour = (255, 255, 255)
HEX_EDGE: Colour = (0, 0, 0)


def terrain_colour(terrain_id: str) -> Colour:
    """The colour of a terrain type."""
    return TERRAIN_COLOURS.get(terrain_id, FALLBACK_TERRAIN)


def side_colour(side: str) -> Colour:
    """The counter colour of a side."""
    return SIDE_COLOURS.get(side, FALLBACK_SIDE)


def unit_letter(unit_type: str) -> str:
    """The letter printed on a unit's counter."""
    return UNIT_LETTERS.get(unit_type, unit_type[:1].upper() or "?")
