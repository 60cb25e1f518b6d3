"""The panels around the map and the sheets over it: pure draw functions, one module each.

Each ``draw_*`` takes the surface, the :class:`ui.layout.Layout` and the data to show, and
draws into its rectangle; the controller decides everything and hit-tests the same
rectangles (``layout.buttons``, :func:`attack_rows`, :func:`stack_rows`, :func:`log_entry_at`,
:func:`menu_item_rects`).
"""

from ui.panels.info_panel import (
    attack_rows,
    draw_info_panel,
    factor_lines,
    hex_lines,
    loss_text,
    outcome_segments,
)
from ui.panels.log_panel import (
    FILTER_KINDS,
    active_log_filter,
    draw_log,
    log_entry_at,
    log_filter_kinds,
    log_line,
    visible_log_entries,
)
from ui.panels.minimap import Minimap
from ui.panels.overlays import (
    draw_banner,
    draw_game_over,
    draw_handover,
    draw_help,
    draw_how_to_play,
    draw_menu,
    draw_toasts,
    draw_tooltip,
    game_over_lines,
    help_columns,
    menu_item_rects,
)
from ui.panels.top_bar import TopBarText, draw_top_bar, phase_done, top_bar_text
from ui.panels.unit_panel import draw_unit_panel, stack_rows, unit_detail

__all__ = [
    "FILTER_KINDS",
    "Minimap",
    "TopBarText",
    "active_log_filter",
    "attack_rows",
    "draw_banner",
    "draw_game_over",
    "draw_handover",
    "draw_help",
    "draw_how_to_play",
    "draw_info_panel",
    "draw_log",
    "draw_menu",
    "draw_toasts",
    "draw_tooltip",
    "draw_top_bar",
    "draw_unit_panel",
    "factor_lines",
    "game_over_lines",
    "help_columns",
    "hex_lines",
    "log_entry_at",
    "log_filter_kinds",
    "log_line",
    "loss_text",
    "menu_item_rects",
    "outcome_segments",
    "phase_done",
    "stack_rows",
    "top_bar_text",
    "unit_detail",
    "visible_log_entries",
]
