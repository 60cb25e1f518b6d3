"""The unit panel: the selected unit's formation, counter, strength, state and its hex's stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pygame

from ui import panel_style as ps
from ui.layout import Layout
from ui.panels.common import blit_text, draw_bar, fill_panel, fmt_int, wrap_text
from ui.state import UIState
from ui.style import side_colour

CounterFn = Callable[[Any, int], pygame.Surface]
HINT = "Click a unit to select it; right-click for its special orders."

_formation_cache: dict[int, tuple[Any, dict[str, Any]]] = {}


def formations_by_id(scenario: Any) -> dict[str, Any]:
    """The scenario's formations by id (built once per scenario object)."""
    hit = _formation_cache.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        hit = (scenario, {f.id: f for f in scenario.formations})
        _formation_cache[id(scenario)] = hit
    return hit[1]


def chain_of_command(scenario: Any, unit: Any) -> list[str]:
    """Names of the unit's army (or corps or area army) and front, nearest first."""
    forms = formations_by_id(scenario)
    out: list[str] = []
    seen: set[str] = set()
    fid = unit.parent
    while fid and fid in forms and fid not in seen:
        seen.add(fid)
        f = forms[fid]
        if f.kind in ("army", "corps", "area_army", "front"):
            out.append(f.name)
        if f.kind == "front":
            break
        fid = f.parent
    return out


def fmt_points(value: float) -> str:
    """Movement points: ``6.5``, ``12``."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value == value else "?"


def strength_lines(unit: Any) -> list[str]:
    """``men 12,400 / 14,000``, ``tanks ...``, ``guns ...`` (now / full)."""
    return [
        f"{kind} {fmt_int(getattr(unit, kind))} / {fmt_int(getattr(unit, 'full_' + kind))}"
        for kind in ("men", "tanks", "guns")
    ]


def supply_line(unit: Any, explanation: Any = None) -> tuple[str, bool]:
    """The unit's supply state in words, and whether it is in supply.

    With an :class:`engine.supply.SupplyExplanation` the line says where the supply comes from
    or where it is cut; without, it reads the unit's last supply status.
    """
    if explanation is not None:
        if explanation.in_supply:
            text = f"in supply, {explanation.ratio:.0%}"
            if explanation.source:
                text += f" from {explanation.source}"
            return text, True
        days = explanation.days_out
        text = f"out of supply {days} day{'s' if days != 1 else ''}"
        if explanation.blocked_hex:
            c, r = explanation.blocked_hex[:2]
            text += f": cut at {c},{r}"
        elif explanation.reason:
            text += f": {explanation.reason}"
        return text, False
    s = unit.supply
    if s.in_supply:
        return f"in supply, {s.ratio:.0%}", True
    return f"out of supply {s.days_out} day{'s' if s.days_out != 1 else ''}", False


def activity_line(unit: Any, turn: int) -> str:
    """What the unit did this turn: ``moved``, ``rail``, ``attacked`` or ``fresh``."""
    done = [
        word
        for flag, word in (
            (unit.rail_moved, "rail"),
            (unit.moved, "moved"),
            (unit.attacked, "attacked"),
        )
        if flag
    ]
    if unit.paralysed_until >= turn:
        done.append("paralysed")
    return ", ".join(done) if done else "fresh"


@dataclass
class UnitDetail:
    """Everything the panel says about one unit, as text (pure; tested without drawing)."""

    name: str
    command: list[str]
    strength: list[str]
    quality: str
    readiness: float
    supply: str
    in_supply: bool
    fuel: float | None
    moves: str
    activity: str
    entrenchment: str
    flags: list[str] = field(default_factory=list)
    """Warnings: cease-fire, pending arrival, destroyed."""


def unit_detail(game: Any, unit: Any, explanation: Any = None) -> UnitDetail:
    """The unit panel's content for ``unit``."""
    flags = []
    if unit.cease_fire:
        flags.append("cease-fire")
    if unit.status == "pending":
        flags.append(f"arrives day {unit.arrives_turn}" if unit.arrives_turn else "pending")
    elif unit.status in ("destroyed", "surrendered"):
        flags.append(unit.status)
    supply, ok = supply_line(unit, explanation)
    return UnitDetail(
        name=unit.name,
        command=chain_of_command(game.scenario, unit),
        strength=strength_lines(unit),
        quality=f"quality {unit.quality:.2f}",
        readiness=float(unit.readiness),
        supply=supply,
        in_supply=ok,
        fuel=float(unit.fuel) if unit.fuelled else None,
        moves=f"MP {fmt_points(unit.mp_left)} / {fmt_points(unit.movement_allowance)}",
        activity=activity_line(unit, game.state.turn),
        entrenchment=f"entrenched {unit.entrenchment}" if unit.entrenchment else "not entrenched",
        flags=flags,
    )


def stack_rows(layout: Layout, count: int) -> list[pygame.Rect]:
    """The clickable rows of the stack list (the controller hit-tests the same rectangles)."""
    return layout.list_rows(layout.unit_panel, layout.unit_panel_rows_top(), count)


def _unit_short(unit: Any) -> str:
    if unit.tanks:
        return f"{fmt_int(unit.men)} men {fmt_int(unit.tanks)} tk"
    return f"{fmt_int(unit.men)} men"


def draw_unit_panel(
    surface: pygame.Surface,
    layout: Layout,
    game: Any,
    ui: UIState,
    units_here: Sequence[Any],
    counter_fn: CounterFn,
    *,
    explanation: Any = None,
) -> None:
    """Draw the selected unit and the stack of its hex into ``layout.unit_panel``.

    Args:
        surface: the window.
        layout: the window's layout.
        game: the :class:`engine.game.Game`.
        ui: the window's state (``ui.selection.unit_id`` is the unit shown).
        units_here: the units of the selected (or hovered) hex as the side sees them, in
            stack order; drawn as the clickable rows of :func:`stack_rows`.
        counter_fn: ``counter_fn(unit, px)`` returns the unit's counter ``px`` pixels wide.
        explanation: the unit's :class:`engine.supply.SupplyExplanation`, when the controller
            has one (it is too slow to ask for every frame).
    """
    rect = layout.unit_panel
    fill_panel(surface, rect)
    small, normal, large = ps.text_sizes(layout.row)
    row = layout.row
    pad = 8
    x0, w = rect.x + pad, rect.width - 2 * pad
    uid = ui.selection.unit_id
    unit = game.state.units.get(uid) if uid else None
    list_top = layout.unit_panel_rows_top()
    if unit is None:
        y = rect.y + pad
        for line in wrap_text(HINT, normal, False, w):
            blit_text(surface, line, (x0, y), normal, ps.TEXT_DIM)
            y += row
    else:
        _draw_detail(surface, layout, unit_detail(game, unit, explanation), unit, counter_fn)
    if units_here:
        if unit is None:
            blit_text(
                surface, "On this hex", (x0, list_top - row - 2), small, ps.TEXT_DIM, bold=True
            )
        pygame.draw.line(
            surface, ps.PANEL_EDGE, (rect.x + 4, list_top - 3), (rect.right - 5, list_top - 3)
        )
        rows = stack_rows(layout, len(units_here))
        for k, (r, u) in enumerate(zip(rows, units_here, strict=False)):
            if u.id == uid:
                pygame.draw.rect(surface, ps.SELECTED_BG, r)
                pygame.draw.rect(surface, ps.ACCENT, r, 1)
            elif k % 2:
                pygame.draw.rect(surface, ps.PANEL_BG_ALT, r)
            sw = r.height - 6
            pygame.draw.rect(surface, side_colour(u.side), (r.x + 3, r.y + 3, sw, sw))
            short = _unit_short(u)
            right = blit_text(
                surface, short, (r.right - 4, r.y + 2), small, ps.TEXT_DIM, align="right"
            )
            colour = ps.TEXT_HEAD if u.id == uid else ps.TEXT
            blit_text(
                surface,
                u.name,
                (r.x + sw + 8, r.y + 1),
                normal,
                colour,
                max_width=right.x - (r.x + sw + 8) - 6,
            )
        if len(rows) < len(units_here):
            blit_text(
                surface,
                f"+{len(units_here) - len(rows)} more",
                (rect.right - pad, rect.bottom - row),
                small,
                ps.TEXT_DIM,
                align="right",
            )


def _draw_detail(
    surface: pygame.Surface, layout: Layout, d: UnitDetail, unit: Any, counter_fn: CounterFn
) -> None:
    rect = layout.unit_panel
    small, normal, large = ps.text_sizes(layout.row)
    row = layout.row
    pad = 8
    x0, w = rect.x + pad, rect.width - 2 * pad
    y = rect.y + pad
    px = 3 * row
    counter = counter_fn(unit, px)
    surface.blit(counter, (x0, y + 2))
    tx = x0 + max(px, counter.get_width()) + 10
    tw = rect.right - pad - tx
    blit_text(surface, d.name, (tx, y), normal, ps.TEXT_HEAD, bold=True, max_width=tw)
    cy = y + row + 2
    for name in d.command[:2]:
        blit_text(surface, name, (tx, cy), small, ps.TEXT_DIM, max_width=tw)
        cy += row - 2
    if d.flags:
        blit_text(surface, " · ".join(d.flags), (tx, cy), small, ps.WARN, bold=True, max_width=tw)
    y += max(px, counter.get_height()) + 8
    half = w // 2
    # strength in two columns: men | tanks, guns | quality
    cells = [d.strength[0], d.strength[1], d.strength[2], d.quality]
    for k, text in enumerate(cells):
        cx = x0 + (k % 2) * half
        blit_text(surface, text, (cx, y + (k // 2) * row), small + 1, ps.TEXT, max_width=half - 6)
    y += 2 * row
    bar_x = x0 + int(w * 0.42)
    bar_w = rect.right - pad - bar_x
    bar_h = max(6, row // 2)
    blit_text(
        surface,
        f"readiness {d.readiness:.0%}",
        (x0, y),
        small + 1,
        ps.TEXT,
        max_width=bar_x - x0 - 4,
    )
    draw_bar(surface, pygame.Rect(bar_x, y + (row - bar_h) // 2, bar_w, bar_h), d.readiness)
    y += row
    if d.fuel is not None:
        blit_text(
            surface, f"fuel {d.fuel:.0%}", (x0, y), small + 1, ps.TEXT, max_width=bar_x - x0 - 4
        )
        draw_bar(surface, pygame.Rect(bar_x, y + (row - bar_h) // 2, bar_w, bar_h), d.fuel)
        y += row
    blit_text(
        surface, d.supply, (x0, y), small + 1, ps.GOOD if d.in_supply else ps.BAD, max_width=w
    )
    y += row
    blit_text(surface, d.moves, (x0, y), small + 1, ps.TEXT, bold=True, max_width=half - 6)
    blit_text(surface, d.activity, (x0 + half, y), small + 1, ps.TEXT_DIM, max_width=half)
    y += row
    if y + row <= layout.unit_panel_rows_top():
        blit_text(surface, d.entrenchment, (x0, y), small + 1, ps.TEXT_DIM, max_width=w)
