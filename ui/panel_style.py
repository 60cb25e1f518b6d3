"""Colours and text sizes of the panels around the map (terrain and side colours are in style)."""

from __future__ import annotations

from ui.style import Colour

# ---------------------------------------------------------------- PANEL
# Quiet dark-slate panels so the map and the counters stay the brightest things on screen.

PANEL_BG: Colour = (36, 40, 46)
PANEL_BG_ALT: Colour = (44, 49, 56)
"""Every other row of a list, and the log's event lines."""
PANEL_EDGE: Colour = (70, 76, 86)
TOP_BAR_BG: Colour = (24, 27, 32)
TEXT: Colour = (226, 228, 232)
TEXT_DIM: Colour = (150, 156, 166)
TEXT_HEAD: Colour = (255, 255, 255)
ACCENT: Colour = (240, 196, 80)
"""Highlights: the selected row, the active filter, End phase when every unit has moved."""
SELECTED_BG: Colour = (70, 82, 104)
HOVER_BG: Colour = (58, 66, 80)

BUTTON_BG: Colour = (58, 64, 74)
BUTTON_EDGE: Colour = (96, 104, 118)
BUTTON_TEXT: Colour = TEXT
BUTTON_OFF_BG: Colour = (42, 46, 52)
BUTTON_OFF_TEXT: Colour = (100, 106, 114)
BUTTON_HOT_BG: Colour = (196, 150, 40)
BUTTON_HOT_TEXT: Colour = (20, 20, 20)
BUTTON_ON_BG: Colour = (86, 104, 136)
CONFIRM_BG: Colour = (60, 130, 70)
CANCEL_BG: Colour = (120, 60, 60)

BAR_BACK: Colour = (64, 68, 76)
BAR_GOOD: Colour = (92, 180, 100)
BAR_MID: Colour = (220, 180, 60)
BAR_BAD: Colour = (210, 80, 70)

GOOD: Colour = (130, 210, 130)
BAD: Colour = (240, 110, 100)
WARN: Colour = (240, 200, 90)

#: Outcome bar colours, from the attacker's worst to its best.
OUTCOME_COLOURS: dict[str, Colour] = {
    "attacker_repulsed": (196, 70, 60),
    "defender_holds": (150, 150, 150),
    "defender_retreats": (110, 170, 100),
    "defender_routs": (50, 140, 70),
}
FALLBACK_OUTCOME: Colour = (120, 120, 160)

#: Log line colours by entry kind (anything else is plain text).
LOG_COLOURS: dict[str, Colour] = {
    "combat": (240, 140, 125),
    "capture": (255, 214, 120),
    "surrender": (255, 214, 120),
    "event": (150, 200, 255),
    "weather": (150, 200, 230),
    "supply": (200, 180, 230),
    "reinforcement": (170, 220, 170),
    "turn": (150, 156, 166),
    "phase": (120, 126, 136),
    "victory": (255, 230, 120),
}
LOG_BOLD: frozenset[str] = frozenset({"capture", "surrender", "victory", "turn"})
LOG_HIGHLIGHT: frozenset[str] = frozenset({"event", "victory"})
"""Kinds whose line gets a background band."""

SHEET_BG: tuple[int, int, int, int] = (16, 18, 22, 215)
"""The translucent help and game-over sheets."""
HANDOVER_BG: Colour = (20, 22, 26)
BANNER_BG: tuple[int, int, int, int] = (16, 18, 22, 170)
TOAST_BG: Colour = (30, 33, 38)
TOAST_ERROR_EDGE: Colour = (230, 70, 60)
TOAST_INFO_EDGE: Colour = (140, 148, 160)
TOAST_RESULT_EDGE: Colour = ACCENT
TOOLTIP_BG: Colour = (250, 248, 236)
TOOLTIP_TEXT: Colour = (20, 20, 20)
TOOLTIP_EDGE: Colour = (90, 90, 90)

MINIMAP_BG: Colour = (20, 22, 26)
MINIMAP_CAMERA: Colour = (255, 255, 255)
MINIMAP_TINT_ALPHA = 90
"""Opacity (0-255) of the control tint over the minimap's terrain."""


def text_sizes(row: int) -> tuple[int, int, int]:
    """The three text sizes (small, normal, large) for a layout's row height."""
    return max(11, row - 7), max(12, row - 5), max(14, row + 3)
