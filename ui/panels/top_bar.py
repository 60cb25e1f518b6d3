"""The top bar: day, date and phase, the running victory points, who plays, and its buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from ui import panel_style as ps
from ui.layout import Layout
from ui.panels.common import (
    blit_text,
    draw_button,
    fmt_day_month,
    fmt_long_date,
    fmt_vp,
    side_label,
    text_width,
)
from ui.state import UIState


@dataclass(frozen=True)
class TopBarText:
    """The top bar's strings (a pure function of the game, so tests read them directly)."""

    when: str
    """``Day 3 · 11 August 1945 · Soviet movement``."""
    vp: str
    """``VP Soviet 41 : Japanese 12`` (``VP against 1945 ...`` under the graded scheme)."""
    players: str
    buttons: dict[str, str]
    """Button name -> label."""
    when_short: tuple[str, ...] = ()
    """Shorter forms of ``when``, longest first (``Day 3 · 11 Aug · Soviet movement``,
    ``Day 3 · 11 Aug``), for a narrow window or a large UI scale."""


def phase_done(game: Any) -> bool:
    """Whether every unit of the side to play has used its movement (or cannot move)."""
    if game.state.phase != "movement":
        return False
    for u in game.state.units_of(game.active_side):
        if not (u.moved or u.rail_moved or u.cease_fire or u.mp_left <= 0.0):
            return False
    return True


def top_bar_text(game: Any, ui: UIState, players_text: str = "") -> TopBarText:
    """The top bar's strings for a game and the window's state."""
    st = game.state
    date = fmt_long_date(game.scenario.date_of_turn(st.turn))
    phase = "game over" if st.game_over else f"{side_label(game.active_side)} {st.phase}"
    vp = game.victory_points()
    # which scheme decides the game: points against 1945, or the plans' victory points
    label = "VP against 1945 " if game.scenario.victory.scheme == "graded" else "VP "
    vp_text = label + " : ".join(
        f"{side_label(s)} {fmt_vp(vp.get(s, 0.0))}" for s in game.scenario.side_order
    )
    when_date = game.scenario.date_of_turn(st.turn)
    short = fmt_day_month(when_date)
    return TopBarText(
        when_short=(f"Day {st.turn} · {short} · {phase}", f"Day {st.turn} · {short}"),
        when=f"Day {st.turn} · {date} · {phase}",
        vp=vp_text,
        players=players_text,
        buttons={
            "undo": "Undo",
            "speed": f"Speed: {ui.speed}",
            "help": "Help F1",
            "end_phase": "End phase ⏎",
        },
    )


def button_states(
    game: Any, ui: UIState, *, can_undo: bool, ai_busy: bool, all_moved: bool | None = None
) -> dict[str, str]:
    """How each top-bar button is drawn: ``normal``, ``off``, ``hot`` or ``on``.

    ``all_moved`` overrides :func:`phase_done` (the controller may know better, e.g. in the
    combat phase when no unit can still attack).
    """
    done = phase_done(game) if all_moved is None else all_moved
    over = bool(game.state.game_over)
    if ai_busy or over or ui.mode in ("ai_turn", "handover", "game_over"):
        end = "off"
    else:
        end = "hot" if done else "normal"
    return {
        "undo": "normal" if can_undo and not ai_busy and not over else "off",
        "speed": "normal",
        "help": "on" if ui.help else "normal",
        "end_phase": end,
    }


def draw_top_bar(
    surface: pygame.Surface,
    layout: Layout,
    game: Any,
    ui: UIState,
    *,
    players_text: str = "",
    can_undo: bool = False,
    ai_busy: bool = False,
    all_moved: bool | None = None,
) -> None:
    """Draw the top bar into ``layout.top_bar``.

    Args:
        surface: the window.
        layout: the window's layout (the buttons are drawn at ``layout.buttons``).
        game: the :class:`engine.game.Game` shown.
        ui: the window's state (speed, help).
        players_text: who plays, e.g. ``you: Soviet vs AI``, ``hot-seat`` or ``watching``.
        can_undo: whether Undo would do something (else greyed).
        ai_busy: the AI is playing (End phase and Undo greyed).
        all_moved: see :func:`button_states`.
    """
    bar = layout.top_bar
    small, normal, large = ps.text_sizes(layout.row)
    pygame.draw.rect(surface, ps.TOP_BAR_BG, bar)
    pygame.draw.line(surface, ps.PANEL_EDGE, bar.bottomleft, (bar.right, bar.bottom - 1))
    text = top_bar_text(game, ui, players_text)
    first_button = min(
        (layout.buttons[n].x for n in text.buttons if n in layout.buttons), default=bar.right
    )
    y_big = bar.y + (bar.height - large - 4) // 2
    y_norm = bar.y + (bar.height - normal - 4) // 2
    x = bar.x + 10
    room = first_button - 16 - x
    # the date first; VP and players share what is left, VP before players when short of room
    vp_w = text_width(text.vp, normal, True)
    pl_w = text_width(text.players, normal) if text.players else 0
    forms = (text.when, *text.when_short)
    players = text.players
    if text_width(forms[-1], large, True) > room - vp_w - pl_w - 48:
        players, pl_w = "", 0  # short of room: the date before who plays
    avail = max(60, room - vp_w - pl_w - 48)
    fitting = next((f for f in forms if text_width(f, large, True) <= avail), forms[-1])
    when = blit_text(surface, fitting, (x, y_big), large, ps.TEXT_HEAD, bold=True, max_width=avail)
    x = when.right + 28
    vp_rect = blit_text(
        surface, text.vp, (x, y_norm), normal, ps.ACCENT, bold=True, max_width=first_button - 16 - x
    )
    if players and vp_rect.width:
        x = vp_rect.right + 24
        blit_text(
            surface, players, (x, y_norm), normal, ps.TEXT_DIM, max_width=first_button - 12 - x
        )
    states = button_states(game, ui, can_undo=can_undo, ai_busy=ai_busy, all_moved=all_moved)
    for name, label in text.buttons.items():
        rect = layout.buttons.get(name)
        if rect is not None:
            draw_button(surface, rect, label, normal, states[name])
