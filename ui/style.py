"""How the map looks: colours and symbols for the engine's terrain, network, sides and units.

The engine knows terrain ids, link kinds, sides and unit types; this table alone decides how each
is drawn (Wesnoth keeps ``terrain.cfg`` apart from ``terrain_graphics.cfg`` in the same way).
Unknown ids fall back to a neutral colour, so a modder's new terrain still draws.

Everything that changes with the colour-blind setting lives in one :class:`Palette`
(``STANDARD`` and ``COLOUR_BLIND``); the module-level tables are the standard palette's, kept for
``ui.map_image`` and older callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Colour = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

# ---------------------------------------------------------------- terrain (muted, light)

TERRAIN_COLOURS: dict[str, Colour] = {
    "clear": (212, 219, 196),
    "steppe": (229, 220, 176),
    "desert": (239, 224, 188),
    "forest": (166, 192, 152),
    "hills": (218, 214, 188),
    "mountains": (206, 198, 176),
    "marsh": (198, 216, 204),
    "urban": (204, 194, 188),
    "lake": (160, 196, 222),
    "water": (170, 202, 226),
    "sea": (170, 202, 226),
}
FALLBACK_TERRAIN: Colour = (205, 205, 200)

#: Pseudo-elevation per terrain type for the relief shading (0 plain .. 1 high mountains), and
#: how rugged it is (amplitude of the per-hex noise added to it). Water is flat and unshaded.
TERRAIN_RELIEF: dict[str, tuple[float, float]] = {
    "clear": (0.05, 0.02),
    "steppe": (0.08, 0.03),
    "desert": (0.10, 0.04),
    "forest": (0.15, 0.05),
    "urban": (0.05, 0.0),
    "marsh": (0.0, 0.0),
    "hills": (0.35, 0.22),
    "mountains": (1.0, 0.75),
    "lake": (0.0, 0.0),
    "water": (0.0, 0.0),
    "sea": (0.0, 0.0),
}
#: Terrain types drawn as open water (flat, no relief, a coastline where they meet land).
WATER_TERRAIN = frozenset({"lake", "water", "sea"})
#: Light texture per terrain type: ``dots`` (steppe, desert), ``trees``, ``hatch`` (marsh).
TERRAIN_TEXTURE: dict[str, str] = {
    "steppe": "dots",
    "desert": "dots",
    "forest": "trees",
    "marsh": "hatch",
    "urban": "blocks",
}

# ---------------------------------------------------------------- lines on the map

RIVER_COLOURS: dict[str, Colour] = {"minor": (100, 150, 210), "major": (40, 100, 190)}
RIVER_WIDTHS: dict[str, int] = {"minor": 1, "major": 3}
LINK_COLOURS: dict[str, Colour] = {
    "rail": (30, 30, 30),
    "road": (150, 92, 50),
    "ferry": (40, 90, 170),
}
LINK_WIDTHS: dict[str, int] = {"rail": 2, "road": 1, "ferry": 2}
FORT_COLOUR: Colour = (196, 36, 36)
BORDER_COLOUR: Colour = (132, 60, 160)
BORDER_WIDTH = 2

# ---------------------------------------------------------------- sides and units

SIDE_COLOURS: dict[str, Colour] = {"soviet": (200, 36, 40), "japanese": (214, 176, 78)}
FALLBACK_SIDE: Colour = (150, 150, 150)
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

#: The NATO branches a counter can show (``ui.counters`` draws one symbol for each).
BRANCHES: tuple[str, ...] = (
    "infantry",
    "armour",
    "mechanized",
    "motorized",
    "cavalry",
    "airborne",
    "artillery",
    "hq",
    "fortress",
    "naval_infantry",
)
#: Size marks above a counter, smallest to largest.
SIZES: tuple[str, ...] = ("II", "III", "X", "XX", "XXX", "XXXX")

#: Unit type id -> (branch, size) of its counter. Types missing here fall back by movement
#: class (:data:`BRANCH_BY_MOVEMENT_CLASS`), so a modder's new type still draws.
COUNTER_STYLES: dict[str, tuple[str, str]] = {
    # Soviet and Mongolian
    "rifle": ("infantry", "XX"),
    "rifle_brigade": ("infantry", "X"),
    "mountain_rifle": ("infantry", "XX"),
    "naval_infantry": ("naval_infantry", "X"),
    "motor_rifle": ("motorized", "XX"),
    "motor_rifle_brigade": ("motorized", "X"),
    "cavalry": ("cavalry", "XX"),
    "cavalry_mpr": ("cavalry", "XX"),
    "armoured_car_brigade": ("armour", "X"),
    "tank_brigade": ("armour", "X"),
    "tank_division": ("armour", "XX"),
    "tank_corps": ("armour", "XXX"),
    "mechanized_corps": ("mechanized", "XXX"),
    "mechanized_brigade": ("mechanized", "X"),
    "artillery": ("artillery", "XX"),
    "fortified_region": ("fortress", "X"),
    "airborne": ("airborne", "X"),
    "air_landing": ("airborne", "II"),
    "hq": ("hq", "XXXX"),
    # Japanese
    "infantry_jp": ("infantry", "XX"),
    "imb": ("infantry", "X"),
    "tank_brigade_jp": ("armour", "X"),
    "mobile_brigade_jp": ("motorized", "X"),
    "garrison": ("fortress", "III"),
    "border_garrison": ("fortress", "II"),
    "fortress": ("fortress", "X"),
    # Manchukuo and Mengjiang
    "infantry_mk": ("infantry", "X"),
    "cavalry_mk": ("cavalry", "X"),
    "mengjiang_infantry": ("infantry", "XX"),
    "mengjiang_cavalry": ("cavalry", "XX"),
    # scenarios/test_small
    "infantry": ("infantry", "XX"),
    "tank": ("armour", "XX"),
    "mechanized": ("mechanized", "XX"),
}
BRANCH_BY_MOVEMENT_CLASS: dict[str, str] = {
    "foot": "infantry",
    "motorized": "motorized",
    "tracked": "armour",
    "cavalry": "cavalry",
}


def counter_style(
    unit_type: str, movement_class: str | None = None, airborne: bool = False
) -> tuple[str, str]:
    """The (branch, size) of a unit type's counter, falling back by movement class."""
    if unit_type in COUNTER_STYLES:
        return COUNTER_STYLES[unit_type]
    if airborne:
        return "airborne", "X"
    return BRANCH_BY_MOVEMENT_CLASS.get(movement_class or "", "infantry"), "XX"


# ---------------------------------------------------------------- the palettes

#: Soviet fronts and Japanese area armies (formation ids) -> the colour of their army markers.
FRONT_COLOURS: dict[str, Colour] = {
    "sov_transbaikal_front": (200, 36, 40),
    "sov_1fef": (226, 92, 40),
    "sov_2fef": (170, 30, 90),
    "sov_pacific_fleet": (60, 80, 170),
    "jp_1st_area_army": (214, 176, 78),
    "jp_3rd_area_army": (178, 150, 70),
    "jp_17th_area_army": (226, 200, 120),
    "jp_kwantung_army": (196, 160, 60),
    "jp_north_china_area_army": (160, 150, 96),
}
FRONT_COLOURS_CB: dict[str, Colour] = {
    "sov_transbaikal_front": (0, 114, 178),
    "sov_1fef": (86, 180, 233),
    "sov_2fef": (40, 60, 150),
    "sov_pacific_fleet": (0, 158, 115),
    "jp_1st_area_army": (230, 159, 0),
    "jp_3rd_area_army": (213, 94, 0),
    "jp_17th_area_army": (240, 200, 80),
    "jp_kwantung_army": (200, 130, 20),
    "jp_north_china_area_army": (180, 110, 60),
}


@dataclass(frozen=True, eq=False)
class Palette:
    """Every colour the window uses; one instance per colour scheme (hashed by identity).

    Colours with four components carry an alpha for translucent washes.
    """

    name: str
    terrain: dict[str, Colour] = field(default_factory=lambda: dict(TERRAIN_COLOURS))
    terrain_fallback: Colour = FALLBACK_TERRAIN
    off_map: Colour = (52, 58, 66)
    coast: Colour = (98, 140, 178)
    grid_line: Colour = (120, 120, 110)
    texture_dark: float = 0.86
    """Multiplier for texture marks (dots, trees) over the terrain colour."""
    marsh_hatch: Colour = (96, 156, 150)
    tree: Colour = (112, 150, 104)
    relief_light: Colour = (250, 248, 240)
    relief_dark: Colour = (128, 112, 92)
    river: dict[str, Colour] = field(default_factory=lambda: dict(RIVER_COLOURS))
    rail: Colour = (34, 34, 34)
    road: Colour = (156, 96, 52)
    ferry: Colour = (40, 90, 170)
    border: Colour = BORDER_COLOUR
    fort: Colour = FORT_COLOUR
    parallel: Colour = (90, 90, 110)
    place_dot: Colour = (30, 30, 30)
    place_fill: Colour = (250, 250, 245)
    place_text: Colour = (20, 20, 24)
    label_halo: Colour = (250, 248, 238)
    sides: dict[str, Colour] = field(default_factory=lambda: dict(SIDE_COLOURS))
    side_text: dict[str, Colour] = field(default_factory=lambda: dict(SIDE_TEXT))
    side_fallback: Colour = FALLBACK_SIDE
    side_notch: bool = False
    """Colour-blind aid: the Japanese counters get a cut corner so sides never rest on hue."""
    fronts: dict[str, Colour] = field(default_factory=lambda: dict(FRONT_COLOURS))
    counter_edge: Colour = (16, 16, 16)
    counter_symbol: Colour = (16, 16, 16)
    selected: Colour = (255, 255, 120)
    out_of_supply: Colour = (230, 20, 20)
    low_fuel: Colour = (30, 30, 30)
    entrenched: Colour = (50, 34, 18)
    disorganised: Colour = (40, 40, 40)
    cease_fire: Colour = (255, 255, 255)
    # highlights and overlays of the map view (RGBA washes)
    reach_near: RGBA = (90, 170, 255, 70)
    reach_far: RGBA = (90, 170, 255, 38)
    reach_edge: Colour = (30, 100, 220)
    path: Colour = (20, 60, 200)
    path_illegal: Colour = (200, 30, 30)
    hover: Colour = (255, 255, 255)
    attackers: Colour = (255, 200, 40)
    zoc_enemy: RGBA = (200, 40, 40, 155)
    zoc_own: RGBA = (40, 90, 200, 115)
    attack_target: Colour = (255, 60, 20)
    supply_area: RGBA = (60, 170, 60, 40)
    supply_line: Colour = (30, 140, 40)
    supply_blocked: RGBA = (200, 40, 40, 70)
    supply_source: Colour = (20, 110, 30)
    front_line: Colour = (220, 20, 20)
    control_alpha: int = 45
    """Opacity of the control overlay's tint in each side's colour."""
    fog: RGBA = (40, 40, 50, 80)
    combat_flash: Colour = (255, 80, 30)
    combat_text: Colour = (120, 0, 0)
    map_text: Colour = (20, 20, 40)
    """Text drawn on the map: a path's cost, objectives' VP."""
    backdrop: Colour = (44, 50, 58)
    """Behind everything: shows where no panel or map covers the window."""
    # panels: dark slate with light text
    panel_bg: Colour = (36, 41, 48)
    panel_border: Colour = (70, 78, 90)
    panel_text: Colour = (232, 232, 226)
    panel_text_dim: Colour = (160, 166, 172)
    panel_accent: Colour = (240, 200, 90)

    def terrain_colour(self, terrain_id: str) -> Colour:
        """The colour of a terrain type (neutral for an unknown one)."""
        return self.terrain.get(terrain_id, self.terrain_fallback)

    def side_colour(self, side: str) -> Colour:
        """The counter colour of a side."""
        return self.sides.get(side, self.side_fallback)

    def text_on(self, side: str) -> Colour:
        """Text and symbol colour on a side's counter."""
        return self.side_text.get(side, self.counter_symbol)

    def front_colour(self, formation: str | None, side: str) -> Colour:
        """The army-marker colour of a front or area army (the side's colour otherwise)."""
        return self.fronts.get(formation or "", self.side_colour(side))


STANDARD = Palette("standard")
COLOUR_BLIND = Palette(
    "colour_blind",
    sides={"soviet": (0, 114, 178), "japanese": (230, 159, 0)},
    side_text={"soviet": (255, 255, 255), "japanese": (20, 20, 20)},
    side_notch=True,
    fronts=dict(FRONT_COLOURS_CB),
    out_of_supply=(213, 94, 0),
    attack_target=(240, 228, 66),
    reach_near=(0, 158, 115, 70),
    reach_far=(0, 158, 115, 38),
    reach_edge=(0, 110, 80),
    path=(0, 80, 60),
    path_illegal=(213, 94, 0),
    zoc_enemy=(213, 94, 0, 155),
    zoc_own=(0, 114, 178, 115),
    supply_area=(0, 114, 178, 40),
    supply_line=(0, 90, 150),
    supply_blocked=(213, 94, 0, 70),
    supply_source=(0, 70, 120),
    front_line=(20, 20, 20),
)
PALETTES: dict[str, Palette] = {p.name: p for p in (STANDARD, COLOUR_BLIND)}

# ---------------------------------------------------------------- older flat names (map_image)

PLACE_DOT: Colour = STANDARD.place_dot
PLACE_TEXT: Colour = STANDARD.place_text
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
