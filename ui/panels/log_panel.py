"""The log under the map: dated lines coloured by kind, newest at the bottom, with filters.

Entries are the game log's structured entries (``turn``, ``phase``, ``kind``, ``side``,
``units``, ``hexes``, ``text``). :func:`visible_log_entries` is the one place that decides
which entries the rows show, so the controller maps a click on row k to the same entry drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pygame

from ui import panel_style as ps
from ui.layout import LOG_FILTERS, Layout
from ui.panels.common import blit_text, draw_button, fill_panel, fmt_date, fmt_day_month
from ui.state import UIState

#: The entry kinds each log filter button shows (None: everything).
FILTER_KINDS: dict[str, frozenset[str] | None] = {
    "all": None,
    "combat": frozenset({"combat", "surrender"}),
    "move": frozenset({"move", "rail", "reinforcement"}),
    "capture": frozenset({"capture", "surrender", "victory"}),
    "event": frozenset({"event", "weather", "reinforcement", "victory", "turn"}),
    "supply": frozenset({"supply"}),
}
FILTER_LABELS: dict[str, str] = {
    "all": "All",
    "combat": "Combat",
    "move": "Moves",
    "capture": "Captures",
    "event": "Events",
    "supply": "Supply",
}

_filtered_memo: dict[str, tuple[tuple[int, int, frozenset[str] | None], list[Any]]] = {}


def log_filter_kinds(name: str) -> set[str] | None:
    """The ``ui.log_kinds`` a filter button sets (None for all)."""
    kinds = FILTER_KINDS.get(name)
    return None if kinds is None else set(kinds)


def active_log_filter(ui: UIState) -> str | None:
    """The filter button matching ``ui.log_kinds`` (None when it matches no button)."""
    kinds = None if ui.log_kinds is None else frozenset(ui.log_kinds)
    for name, want in FILTER_KINDS.items():
        if want == kinds:
            return name
    return None


def filtered_log(entries: Sequence[Any], ui: UIState) -> list[Any]:
    """The entries the filter lets through, oldest first."""
    kinds = None if ui.log_kinds is None else frozenset(ui.log_kinds)
    if kinds is None:
        return list(entries)
    key = (id(entries), len(entries), kinds)
    hit = _filtered_memo.get("last")
    if hit is not None and hit[0] == key:
        return hit[1]
    out = [e for e in entries if e.kind in kinds]
    _filtered_memo["last"] = (key, out)
    return out


def max_log_scroll(entries: Sequence[Any], ui: UIState, n_rows: int) -> int:
    """The largest useful ``ui.log_scroll`` (the oldest entry on the top row)."""
    return max(0, len(filtered_log(entries, ui)) - n_rows)


def visible_log_entries(entries: Sequence[Any], ui: UIState, n_rows: int) -> list[Any]:
    """The entries on the log's rows, top to bottom.

    The newest entry that passes ``ui.log_kinds`` sits on the bottom row when
    ``ui.log_scroll`` is 0; each step of scroll shows one older entry (the scroll is clamped).
    """
    if n_rows <= 0:
        return []
    shown = filtered_log(entries, ui)
    scroll = min(max(0, ui.log_scroll), max(0, len(shown) - n_rows))
    end = len(shown) - scroll
    return shown[max(0, end - n_rows) : end]


def log_entry_at(
    layout: Layout, entries: Sequence[Any], ui: UIState, pos: tuple[int, int]
) -> Any | None:
    """The entry drawn on the log row under ``pos`` (None off the rows or on an empty row)."""
    rows = layout.log_rows()
    shown = visible_log_entries(entries, ui, len(rows))
    for k, r in enumerate(rows):
        if r.collidepoint(pos):
            return shown[k] if k < len(shown) else None
    return None


def log_line(entry: Any, date_of_turn: Callable[[int], dt.datetime]) -> str:
    """``11 Aug — text`` (events with the year: ``15 Aug 1945 — the Emperor's broadcast``)."""
    try:
        when = date_of_turn(int(entry.turn))
    except (TypeError, ValueError):
        return str(entry.text)
    date = fmt_date(when) if entry.kind in ps.LOG_HIGHLIGHT else fmt_day_month(when)
    return f"{date} — {entry.text}"


def draw_log(
    surface: pygame.Surface,
    layout: Layout,
    entries: Sequence[Any],
    ui: UIState,
    date_of_turn: Callable[[int], dt.datetime],
) -> None:
    """Draw the log panel into ``layout.log``: filter buttons, then the visible entries.

    Args:
        surface: the window.
        layout: the window's layout (rows at ``layout.log_rows()``, filters at
            ``layout.buttons['log:NAME']``).
        entries: the game's log entries, oldest first.
        ui: the window's state (``log_scroll``, ``log_kinds``).
        date_of_turn: ``scenario.date_of_turn``.
    """
    rect = layout.log
    fill_panel(surface, rect)
    small, normal, _ = ps.text_sizes(layout.row)
    active = active_log_filter(ui)
    last_button = rect.x
    for name in LOG_FILTERS:
        b = layout.buttons.get(f"log:{name}")
        if b is None:
            continue
        draw_button(
            surface, b, FILTER_LABELS.get(name, name), small, "on" if name == active else "normal"
        )
        last_button = max(last_button, b.right)
    rows = layout.log_rows()
    shown = visible_log_entries(entries, ui, len(rows))
    total = len(filtered_log(entries, ui))
    if total > len(rows):
        scroll = min(max(0, ui.log_scroll), total - len(rows))
        first = total - scroll - len(shown) + 1
        note = f"{first}–{first + len(shown) - 1} of {total}"
        note += "  (scroll for older)" if scroll == 0 else "  ▼ newer below"
        blit_text(
            surface,
            note,
            (rect.right - 8, rect.y + 5),
            small,
            ps.TEXT_DIM,
            align="right",
            max_width=rect.right - last_button - 20,
        )
    if not shown:
        if rows:
            blit_text(
                surface, "nothing to show", (rows[0].x + 4, rows[0].y + 1), normal, ps.TEXT_DIM
            )
        return
    # row k shows shown[k], as log_entry_at reads it (a short log fills from the top)
    for r, entry in zip(rows, shown, strict=False):
        kind = entry.kind
        if kind in ps.LOG_HIGHLIGHT:
            pygame.draw.rect(surface, ps.PANEL_BG_ALT, r)
            pygame.draw.rect(surface, ps.LOG_COLOURS.get(kind, ps.ACCENT), (r.x, r.y, 3, r.height))
        blit_text(
            surface,
            log_line(entry, date_of_turn),
            (r.x + 8, r.y + 1),
            normal,
            ps.LOG_COLOURS.get(kind, ps.TEXT),
            bold=kind in ps.LOG_BOLD,
            max_width=r.width - 12,
        )
