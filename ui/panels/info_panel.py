"""The info panel: the attack being put together (odds, outcomes, losses, factors) or the hex.

Everything shown is read from the engine's :class:`engine.combat.CombatPreview` and world; the
panel computes no rule. The attackers' rows and the Confirm/Cancel buttons are clickable: the
controller hit-tests :func:`attack_rows` and ``layout.attack_buttons()``, which this draws into.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pygame

from engine.hexgrid import DIRECTION_NAMES
from ui import panel_style as ps
from ui.layout import Layout
from ui.panels.common import (
    blit_text,
    draw_button,
    fill_panel,
    fmt_int,
    side_label,
    wrap_text,
)
from ui.panels.unit_panel import fmt_points
from ui.state import PendingAttack, UIState
from ui.style import Colour

MAX_ATTACK_ROWS = 6
_INTRINSIC = frozenset({"quality", "readiness"})
PAD = 8
Line = tuple[str, Colour, bool]
"""A line of the hex view: text, colour, bold."""


# ---------------------------------------------------------------- pure content


def outcome_segments(preview: Any, width: int) -> list[tuple[str, int, int, float]]:
    """The outcome bar: ``(outcome, x, width, probability)`` per outcome, filling ``width``.

    Widths are rounded so that they add up to ``width`` exactly (the last takes the rest).
    """
    out = []
    total = sum(max(0.0, o.probability) for o in preview.outcomes) or 1.0
    x = 0
    acc = 0.0
    for o in preview.outcomes:
        p = max(0.0, o.probability) / total
        acc += p
        end = round(acc * width)
        out.append((o.outcome, x, end - x, o.probability))
        x = end
    if out:
        name, x0, _w, p = out[-1]
        out[-1] = (name, x0, width - x0, p)
    return out


def fmt_strength(value: float) -> str:
    """A combat strength: ``1,234``, ``56.3``, ``7.25``."""
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _mult(m: float) -> str:
    return f"×{m:.2f}".rstrip("0").rstrip(".") if m != int(m) else f"×{int(m)}"


def factor_lines(preview: Any) -> list[tuple[str, bool]]:
    """Every factor of an attack in words, ``(text, matters)``, the ones that matter first.

    Factors are grouped by role and name over the units: ``terrain Hills ×1.5 (defender)``,
    ``quality ×0.6–0.8 (attacker, 3 units)``; the factors that change nothing are gathered in
    one line per role (``no effect (attacker): supply, fuel, river``).
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    # every unit's factors, the neutral ones too (``preview.factors`` keeps only those != 1)
    every = [f for s in (*preview.attackers, *preview.defenders) for f in s.factors]
    for f in every or preview.factors:
        groups.setdefault((f.role, f.name), []).append(f)
    lines: list[tuple[str, bool]] = []
    neutral: dict[str, list[str]] = {}
    for (role, name), fs in groups.items():
        mults = [f.multiplier for f in fs]
        if all(abs(m - 1.0) < 1e-9 for m in mults):
            notes = {f.note for f in fs}
            shown = f"{name} {next(iter(notes))}" if name == "terrain" and len(notes) == 1 else name
            neutral.setdefault(role, []).append(shown)
            continue
        notes = {f.note for f in fs}
        lo, hi = min(mults), max(mults)
        mult = _mult(lo) if abs(hi - lo) < 1e-9 else f"{_mult(lo)}–{_mult(hi)[1:]}"
        if len(notes) == 1 and name not in ("quality", "readiness"):
            note = next(iter(notes))
            label = note if name[:7] in note.lower() else f"{name} {note}"
        else:
            label = name
        who = role if len(fs) == 1 else f"{role}, {len(fs)} units"
        lines.append((f"{label} {mult} ({who})", True))
    # the situation first (terrain, forts, rivers, supply), what the units bring after
    lines.sort(key=lambda line: line[0].split(" ")[0] in _INTRINSIC)
    for role, names in neutral.items():
        lines.append((f"no effect ({role}): {', '.join(names)}", False))
    return lines


def loss_text(side: str, estimate: Any) -> str:
    """``Soviet loses 275 men (90–610), 4 tanks (0–9), 8 guns (2–15)``: expected and 10–90%."""
    parts = []
    for kind in ("men", "tanks", "guns"):
        e = getattr(estimate.expected, kind)
        lo, hi = getattr(estimate.low, kind), getattr(estimate.high, kind)
        if kind != "men" and e < 0.5 and hi < 0.5:
            continue
        parts.append(f"{fmt_int(e)} {kind} ({fmt_int(lo)}–{fmt_int(hi)})")
    return f"{side_label(side)} loses " + ", ".join(parts)


def loss_cells(estimate: Any) -> list[str]:
    """Men, tanks and guns lost: ``292 (176–431)``, expected and the 10–90% range."""
    cells = []
    for kind in ("men", "tanks", "guns"):
        e = getattr(estimate.expected, kind)
        lo, hi = getattr(estimate.low, kind), getattr(estimate.high, kind)
        if e < 0.5 and hi < 0.5:
            cells.append("0")
        elif round(lo) == round(hi):
            cells.append(fmt_int(e))
        else:
            cells.append(f"{fmt_int(e)} ({fmt_int(lo)}–{fmt_int(hi)})")
    return cells


def attack_unit_ids(attack: PendingAttack) -> list[str]:
    """The attack's rows in order: the attackers, then the candidates not yet in it."""
    ids = list(attack.attackers)
    ids += [c for c in attack.candidates if c not in attack.attackers]
    return ids[:MAX_ATTACK_ROWS]


def attack_rows(layout: Layout, attack: PendingAttack) -> list[tuple[pygame.Rect, str]]:
    """The clickable attacker rows ``(rect, unit id)``: a click toggles that unit in the attack."""
    r = layout.info_panel
    first = r.y + PAD + 2 * layout.row + 2
    ids = attack_unit_ids(attack)
    return list(zip(layout.list_rows(r, first, len(ids)), ids, strict=False))


def hex_lines(
    game: Any, index: int, ui: UIState | None = None, units: Sequence[Any] = ()
) -> list[Line]:
    """What the hex view says about a hex: terrain, rivers, forts, control, network, place."""
    world = game.world
    col, row = world.coord(index)
    terrain = world.terrain_at(index)
    lines: list[Line] = []
    place_id = world.place_at.get(index)
    place = world.places[place_id].spec if place_id else None
    head = f"Hex {col},{row} · {terrain.name}"
    if place is not None:
        head = f"{place.name} · {head}"
    lines.append((head, ps.TEXT_HEAD, True))
    lines.append((f"terrain {terrain.name}, defence ×{terrain.defense:g}", ps.TEXT, False))
    if place is not None:
        bits = [", ".join(place.kinds)] if place.kinds else []
        vp = [f"{side_label(s)} {v:g}" for s, v in place.vp.items() if v]
        if vp:
            bits.append("VP " + " / ".join(vp))
        if bits:
            lines.append((" · ".join(bits), ps.ACCENT, False))
    rivers: dict[str, list[str]] = {}
    for d in range(6):
        code = int(world.river[index, d])
        if code:
            cls = "major" if code == 2 else "minor"
            rivers.setdefault(cls, []).append(DIRECTION_NAMES[d])
    if rivers:
        names = {
            world.river_names.get((min(index, j), max(index, j)), "")
            for j in world.grid.neighbor_rows[index]
            if j >= 0
        } - {""}
        text = "; ".join(f"{cls} river {' '.join(ds)}" for cls, ds in sorted(rivers.items()))
        if names:
            text += f" ({', '.join(sorted(names))})"
        lines.append((text, (140, 180, 255), False))
    level = int(world.fort_level[index])
    if level:
        name = world.fort_names.get(index, "")
        lines.append(
            (f"fortification level {level}" + (f" ({name})" if name else ""), ps.BAD, False)
        )
    owner = int(game.state.control[index])
    side_order = game.scenario.side_order
    owner_name = side_label(side_order[owner]) if 0 <= owner < len(side_order) else "nobody"
    lines.append((f"held by {owner_name}", ps.TEXT, False))
    links: dict[str, list[str]] = {}
    for _a, b, kind in world.network.edges(index, keys=True):
        d = world.grid.direction(index, b)
        links.setdefault(kind, []).append(DIRECTION_NAMES[d] if d is not None else "?")
    if links:
        text = "; ".join(f"{kind} {' '.join(ds)}" for kind, ds in sorted(links.items()))
        lines.append((text, ps.TEXT, False))
    path = ui.path if ui is not None else None
    if path is not None and path.to == index:
        if path.legal:
            text = f"move here: {fmt_points(path.cost)} MP"
            if path.ends_in_zoc:
                text += ", ends in enemy ZOC"
            lines.append((text, ps.GOOD, True))
        else:
            lines.append((f"cannot move here: {path.why or 'out of reach'}", ps.BAD, False))
    if units:
        lines.append(
            (f"{len(units)} unit{'s' if len(units) != 1 else ''} here:", ps.TEXT_DIM, False)
        )
        for u in units:
            lines.append((f"{u.name} ({fmt_int(u.men)} men)", ps.TEXT, False))
    return lines


# ---------------------------------------------------------------- drawing


def draw_info_panel(
    surface: pygame.Surface,
    layout: Layout,
    game: Any,
    ui: UIState,
    hex_units: Sequence[Any] = (),
) -> None:
    """Draw the pending attack, else the hovered hex (and the last combat's result).

    Args:
        surface: the window.
        layout: the window's layout.
        game: the :class:`engine.game.Game`.
        ui: the window's state: ``ui.attack`` (with its preview), ``ui.hovered``, ``ui.path``,
            ``ui.last_result``.
        hex_units: the units on the hovered hex as the side sees them (the attack view shows
            the preview's defenders instead).
    """
    rect = layout.info_panel
    fill_panel(surface, rect)
    clip = surface.get_clip()
    surface.set_clip(rect)
    try:
        if ui.attack is not None:
            _draw_attack(surface, layout, game, ui.attack)
        else:
            y = rect.y + PAD
            if ui.hovered is not None:
                y = _draw_hex(surface, layout, game, ui, hex_units)
            if ui.last_result:
                _draw_result(surface, layout, ui.last_result, y)
            elif ui.hovered is None:
                _, normal, _ = ps.text_sizes(layout.row)
                blit_text(
                    surface,
                    "Point at a hex to see it here.",
                    (rect.x + PAD, y),
                    normal,
                    ps.TEXT_DIM,
                )
    finally:
        surface.set_clip(clip)


def _draw_hex(
    surface: pygame.Surface, layout: Layout, game: Any, ui: UIState, units: Sequence[Any]
) -> int:
    rect = layout.info_panel
    small, normal, _ = ps.text_sizes(layout.row)
    x, w = rect.x + PAD, rect.width - 2 * PAD
    y = rect.y + PAD
    step = layout.row - 1
    assert ui.hovered is not None
    for k, (text, colour, bold) in enumerate(hex_lines(game, ui.hovered, ui, units)):
        if y + step > rect.bottom - 4:
            break
        size = normal if k == 0 else small + 1
        blit_text(surface, text, (x, y), size, colour, bold=bold, max_width=w)
        y += step + (4 if k == 0 else 0)
    return y


def _draw_result(surface: pygame.Surface, layout: Layout, text: str, y: int) -> None:
    rect = layout.info_panel
    small, normal, _ = ps.text_sizes(layout.row)
    x, w = rect.x + PAD, rect.width - 2 * PAD
    lines = wrap_text(text, small, False, w)
    step = layout.row - 3
    # keep the result at the bottom, under whatever the hex view drew
    y = max(y + 6, rect.bottom - PAD - layout.row - step * len(lines))
    if y + layout.row > rect.bottom:
        return
    pygame.draw.line(surface, ps.PANEL_EDGE, (rect.x + 4, y - 3), (rect.right - 5, y - 3))
    blit_text(surface, "Last combat", (x, y), small, ps.ACCENT, bold=True)
    y += layout.row
    for line in lines:
        if y + step > rect.bottom - 2:
            break
        blit_text(surface, line, (x, y), small, ps.TEXT)
        y += step


def _draw_attack(surface: pygame.Surface, layout: Layout, game: Any, attack: PendingAttack) -> None:
    rect = layout.info_panel
    small, normal, _ = ps.text_sizes(layout.row)
    row = layout.row
    x, w = rect.x + PAD, rect.width - 2 * PAD
    y = rect.y + PAD
    world = game.world
    col, r = world.coord(attack.target)
    terrain = world.terrain_at(attack.target).name
    pv = attack.preview
    blit_text(
        surface,
        f"ATTACK {col},{r} · {terrain}",
        (x, y),
        normal,
        ps.TEXT_HEAD,
        bold=True,
        max_width=w,
    )
    y += row
    if pv is not None and pv.defenders:
        names = ", ".join(d.name for d in pv.defenders)
        text = f"vs {names} ({fmt_int(sum(d.men for d in pv.defenders))} men)"
    else:
        text = "vs the units on the hex"
    blit_text(surface, text, (x, y), small + 1, ps.BAD, max_width=w)
    units = game.state.units
    strengths = {s.unit_id: s.strength for s in pv.attackers} if pv is not None else {}
    rows = attack_rows(layout, attack)
    for k, (rr, uid) in enumerate(rows):
        joined = uid in attack.attackers
        if k % 2:
            pygame.draw.rect(surface, ps.PANEL_BG_ALT, rr)
        box = pygame.Rect(rr.x + 3, rr.y + 3, rr.height - 6, rr.height - 6)
        pygame.draw.rect(surface, ps.TEXT if joined else ps.TEXT_DIM, box, 1)
        if joined:
            a, b, c = (
                (box.x + 2, box.centery),
                (box.x + box.w // 2 - 1, box.bottom - 3),
                (box.right - 2, box.y + 2),
            )
            pygame.draw.lines(surface, ps.GOOD, False, [a, b, c], 2)
        u = units.get(uid)
        name = u.name if u is not None else uid
        right = rr.right - 4
        if uid in strengths:
            right = (
                blit_text(
                    surface,
                    fmt_strength(strengths[uid]),
                    (rr.right - 4, rr.y + 1),
                    small,
                    ps.TEXT_DIM,
                    align="right",
                ).x
                - 6
            )
        colour = ps.TEXT if joined else ps.TEXT_DIM
        blit_text(
            surface,
            name,
            (box.right + 6, rr.y + 1),
            small + 1,
            colour,
            max_width=right - box.right - 10,
        )
    y = (rows[-1][0].bottom if rows else y + row) + 4
    buttons = layout.attack_buttons()
    bottom = buttons["confirm"].y - 4
    if attack.error:
        for line in wrap_text(attack.error, small, False, w):
            blit_text(surface, line, (x, y), small, ps.BAD)
            y += row - 3
    if pv is not None:
        blit_text(surface, f"odds {pv.odds_text()}", (x, y), normal + 2, ps.ACCENT, bold=True)
        blit_text(
            surface,
            f"strength {fmt_strength(pv.attack_strength)} : {fmt_strength(pv.defence_strength)}",
            (rect.right - PAD, y + 3),
            small,
            ps.TEXT_DIM,
            align="right",
        )
        y += row + 4
        y = _draw_outcomes(surface, layout, pv, y)
        y = _draw_losses(surface, layout, pv, y) + 3
        step = row - 4
        lines = factor_lines(pv)
        room = max(0, (bottom - y) // step)
        if len(lines) > room:  # the last row names what did not fit
            names = dict.fromkeys(t.split(" ×")[0].split(" (")[0] for t, _m in lines[room - 1 :])
            rest = ", ".join(names)
            lines = lines[: max(0, room - 1)] + ([(f"+ {rest}", False)] if room else [])
        for text, matters in lines:
            blit_text(
                surface, text, (x, y), small, ps.TEXT if matters else ps.TEXT_DIM, max_width=w
            )
            y += step
    draw_button(
        surface, buttons["confirm"], "Confirm ⏎", normal, "confirm" if pv is not None else "off"
    )
    draw_button(surface, buttons["cancel"], "Cancel Esc", normal, "cancel")


def _draw_losses(surface: pygame.Surface, layout: Layout, pv: Any, y: int) -> int:
    """Expected losses as a table: a row per side, men / tanks / guns with their range."""
    rect = layout.info_panel
    small, _, _ = ps.text_sizes(layout.row)
    x, w = rect.x + PAD, rect.width - 2 * PAD
    step = layout.row - 3
    # column edges: side, men (widest), tanks, guns
    cols = [x, x + int(w * 0.22), x + int(w * 0.58), x + int(w * 0.79), x + w]
    head = ["losses", "men", "tanks", "guns"]
    for k, text in enumerate(head):
        blit_text(
            surface, text, (cols[k], y), small, ps.TEXT_DIM, max_width=cols[k + 1] - cols[k] - 4
        )
    y += step
    for side in (pv.attacker_side, pv.defender_side):
        est = pv.expected_losses.get(side)
        if est is None:
            continue
        cells = [side_label(side), *loss_cells(est)]
        for k, text in enumerate(cells):
            blit_text(
                surface,
                text,
                (cols[k], y),
                small,
                ps.TEXT,
                bold=k == 0,
                max_width=cols[k + 1] - cols[k] - 4,
            )
        y += step
    return y


def _draw_outcomes(surface: pygame.Surface, layout: Layout, pv: Any, y: int) -> int:
    rect = layout.info_panel
    small, _, _ = ps.text_sizes(layout.row)
    x, w = rect.x + PAD, rect.width - 2 * PAD
    h = max(8, layout.row - 6)
    for outcome, sx, sw, p in outcome_segments(pv, w):
        if sw <= 0:
            continue
        seg = pygame.Rect(x + sx, y, sw, h)
        pygame.draw.rect(surface, ps.OUTCOME_COLOURS.get(outcome, ps.FALLBACK_OUTCOME), seg)
        if sw > 30:
            blit_text(
                surface,
                f"{p:.0%}",
                (seg.centerx, y - 1),
                small,
                ps.TEXT_HEAD,
                bold=True,
                align="center",
            )
    pygame.draw.rect(surface, ps.PANEL_EDGE, (x, y, w, h), 1)
    y += h + 3
    half = w // 2
    step = layout.row - 3
    for k, o in enumerate(pv.outcomes):
        cx = x + (k % 2) * half
        cy = y + (k // 2) * step
        sw = step - 8
        pygame.draw.rect(
            surface, ps.OUTCOME_COLOURS.get(o.outcome, ps.FALLBACK_OUTCOME), (cx, cy + 4, sw, sw)
        )
        blit_text(
            surface,
            f"{o.label} {o.probability:.0%}",
            (cx + sw + 4, cy),
            small,
            ps.TEXT,
            max_width=half - sw - 8,
        )
    return y + ((len(pv.outcomes) + 1) // 2) * step + 3
