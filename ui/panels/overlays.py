"""What is drawn over the window: help, toasts, context menu, tooltip, banner, hand-over, game over.

Hit tests use the same geometry as the drawing: :func:`menu_item_rects` is what
:func:`draw_menu` draws into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import pygame

from ui import panel_style as ps
from ui.layout import Layout
from ui.panels.common import (
    blit_text,
    fit_text,
    fmt_int,
    fmt_vp,
    line_height,
    render_text,
    side_label,
    text_width,
    wrap_text,
)
from ui.state import ContextMenu, UIState
from ui.style import side_colour

MENU_TEXT = 15
TOOLTIP_TEXT = 13
TOAST_TEXT = 14
TOAST_FADE = 0.4
"""Seconds over which a toast fades out before its end."""


@lru_cache(maxsize=8)
def _sheet(size: tuple[int, int], colour: tuple[int, int, int, int]) -> pygame.Surface:
    sheet = pygame.Surface(size, pygame.SRCALPHA)
    sheet.fill(colour)
    return sheet


# ---------------------------------------------------------------- help


def help_columns(
    hotkeys: Sequence[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The hotkeys split into two columns, the first never shorter."""
    half = (len(hotkeys) + 1) // 2
    return list(hotkeys[:half]), list(hotkeys[half:])


def _help_page(
    surface: pygame.Surface, layout: Layout, title: str, footer: str, title_y: int
) -> tuple[int, int]:
    """A help sheet's frame: the translucent sheet, its title and its footer.

    Returns the normal and large text sizes of the layout.
    """
    w, h = surface.get_size()
    surface.blit(_sheet((w, h), ps.SHEET_BG), (0, 0))
    _, normal, large = ps.text_sizes(layout.row)
    blit_text(surface, title, (w // 2, title_y), large + 6, ps.TEXT_HEAD, bold=True, align="center")
    blit_text(surface, footer, (w // 2, h - 40), normal, ps.TEXT_DIM, align="center")
    return normal, large


def draw_help(surface: pygame.Surface, layout: Layout, hotkeys: Sequence[tuple[str, str]]) -> None:
    """A translucent full-window sheet listing every hotkey with its meaning, in two columns.

    Args:
        surface: the window.
        layout: the window's layout.
        hotkeys: ``(key, meaning)`` pairs, in the order to show them.
    """
    w, h = surface.get_size()
    title_y = max(20, h // 12)
    footer = "Tab: how to play · F1 or Esc closes this sheet"
    normal, large = _help_page(surface, layout, "Keys and mouse", footer, title_y)
    cols = help_columns(hotkeys)
    top = title_y + large + 30
    bottom = h - 60
    rows = max(1, len(cols[0]))
    size = normal + 1
    while size > 10 and rows * (line_height(size) + 6) > bottom - top:
        size -= 1
    step = min(line_height(size) + 6, (bottom - top) // rows)
    margin = max(40, w // 12)
    col_w = (w - 2 * margin - 40) // 2
    for c, entries in enumerate(cols):
        x = margin + c * (col_w + 40)
        key_w = min(
            col_w // 3, max((text_width(k, size, True) for k, _ in entries), default=0) + 16
        )
        for k, (key, meaning) in enumerate(entries):
            y = top + k * step
            blit_text(surface, key, (x, y), size, ps.ACCENT, bold=True, max_width=key_w - 8)
            blit_text(surface, meaning, (x + key_w, y), size, ps.TEXT, max_width=col_w - key_w)


def draw_how_to_play(surface: pygame.Surface, layout: Layout) -> None:
    """The help sheet's second page: the game in a few paragraphs (``ui.how_to_play``)."""
    from ui.how_to_play import HOW_TO_PLAY

    w, h = surface.get_size()
    title_y = max(20, h // 14)
    footer = "Tab: keys and mouse · F1 or Esc closes this sheet"
    normal, large = _help_page(surface, layout, "How to play", footer, title_y)
    margin = max(40, w // 8)
    width = w - 2 * margin
    bottom = h - 60
    size = normal + 1
    while True:  # the largest size at which every paragraph fits
        lines = sum(len(wrap_text(t, size, False, width)) + 1 for _, t in HOW_TO_PLAY)
        if size <= 10 or title_y + large + 30 + lines * (line_height(size) + 2) <= bottom:
            break
        size -= 1
    y = title_y + large + 30
    for heading, text in HOW_TO_PLAY:
        blit_text(surface, heading, (margin, y), size, ps.ACCENT, bold=True)
        y += line_height(size, True) + 2
        for line in wrap_text(text, size, False, width):
            blit_text(surface, line, (margin, y), size, ps.TEXT)
            y += line_height(size) + 2
        y += line_height(size) // 2


# ---------------------------------------------------------------- toasts


def _box(
    lines: Sequence[str], size: int, fg: Any, bg: Any, edge: Any, width: int = 1, max_w: int = 520
) -> pygame.Surface:
    lines = [fit_text(s, size, False, max_w) for s in lines]
    lh = line_height(size)
    w = max((text_width(s, size) for s in lines), default=0) + 16
    h = lh * len(lines) + 10
    box = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(box, bg, box.get_rect(), border_radius=4)
    pygame.draw.rect(box, edge, box.get_rect(), width, border_radius=4)
    for k, s in enumerate(lines):
        box.blit(render_text(s, size, fg), (8, 5 + k * lh))
    return box


def _place(box: pygame.Surface, pos: tuple[int, int], bounds: pygame.Rect) -> pygame.Rect:
    """The box's rectangle near ``pos`` (below right, flipped to stay inside ``bounds``)."""
    r = box.get_rect(topleft=(pos[0] + 16, pos[1] + 18))
    if r.right > bounds.right:
        r.right = pos[0] - 8
    if r.bottom > bounds.bottom:
        r.bottom = pos[1] - 8
    return r.clamp(bounds)


def draw_toasts(surface: pygame.Surface, ui: UIState, now: float) -> None:
    """The live toasts: near their position (the cursor), else stacked at the top centre.

    Errors are framed in red, results in amber, the rest neutral; each fades out at its end.
    """
    bounds = surface.get_rect()
    y_free = 44
    for toast in ui.toasts:
        left = toast.until - now
        if left <= 0:
            continue
        edge = {
            "error": ps.TOAST_ERROR_EDGE,
            "result": ps.TOAST_RESULT_EDGE,
        }.get(toast.kind, ps.TOAST_INFO_EDGE)
        lines = wrap_text(toast.text, TOAST_TEXT, False, 480)
        box = _box(lines, TOAST_TEXT, ps.TEXT, ps.TOAST_BG, edge, 2)
        if left < TOAST_FADE:
            box.set_alpha(int(255 * left / TOAST_FADE))
        if toast.pos is not None:
            rect = _place(box, toast.pos, bounds)
        else:
            rect = box.get_rect(midtop=(bounds.centerx, y_free))
            y_free = rect.bottom + 6
        surface.blit(box, rect)


# ---------------------------------------------------------------- context menu


def menu_item_rects(menu: ContextMenu, bounds: pygame.Rect | None = None) -> list[pygame.Rect]:
    """The rectangles of the menu's items, top to bottom (kept inside ``bounds`` if given).

    :func:`draw_menu` passes the window's rectangle as ``bounds``; pass the same for hit tests.
    """
    h = line_height(MENU_TEXT) + 8
    w = max((text_width(label, MENU_TEXT) for label, _ in menu.items), default=60) + 28
    w = min(w, 460)
    box = pygame.Rect(menu.pos[0] + 2, menu.pos[1] + 2, w, h * len(menu.items))
    if bounds is not None:
        if box.right > bounds.right:
            box.right = menu.pos[0] - 2
        if box.bottom > bounds.bottom:
            box.bottom = menu.pos[1] - 2
        box = box.clamp(bounds)
    return [pygame.Rect(box.x, box.y + k * h, w, h) for k in range(len(menu.items))]


def draw_menu(surface: pygame.Surface, menu: ContextMenu | None) -> None:
    """A context menu of the unit's legal special orders; the hovered item highlighted."""
    if menu is None or not menu.items:
        return
    rects = menu_item_rects(menu, surface.get_rect())
    outer = rects[0].unionall(rects).inflate(2, 2)
    shadow = outer.move(3, 3)
    surface.blit(_sheet(shadow.size, (0, 0, 0, 90)), shadow)
    pygame.draw.rect(surface, ps.PANEL_BG, outer)
    for k, (r, (label, _order)) in enumerate(zip(rects, menu.items, strict=False)):
        if k == menu.hovered:
            pygame.draw.rect(surface, ps.SELECTED_BG, r)
        blit_text(
            surface,
            label,
            (r.x + 12, r.y + 4),
            MENU_TEXT,
            ps.TEXT_HEAD if k == menu.hovered else ps.TEXT,
            max_width=r.width - 20,
        )
    pygame.draw.rect(surface, ps.PANEL_EDGE, outer, 1)


# ---------------------------------------------------------------- tooltip


def draw_tooltip(surface: pygame.Surface, pos: tuple[int, int], lines: Sequence[str]) -> None:
    """A small light box of ``lines`` beside the cursor (flipped to stay in the window)."""
    if not lines:
        return
    box = _box(list(lines), TOOLTIP_TEXT, ps.TOOLTIP_TEXT, ps.TOOLTIP_BG, ps.TOOLTIP_EDGE, 1, 420)
    surface.blit(box, _place(box, pos, surface.get_rect()))


# ---------------------------------------------------------------- banner, hand-over, game over


def draw_banner(surface: pygame.Surface, layout: Layout, text: str, alpha: int) -> None:
    """A big centred banner over the map (``Day 7 — 15 August 1945``), ``alpha`` 0-255."""
    alpha = max(0, min(255, int(alpha)))
    if alpha == 0 or not text:
        return
    size = max(24, layout.row * 2)
    text = fit_text(text, size, True, layout.map.width - 60)
    img = render_text(text, size, ps.TEXT_HEAD, True)
    band = pygame.Surface((layout.map.width, img.get_height() + 28), pygame.SRCALPHA)
    band.fill(ps.BANNER_BG)
    band.blit(img, img.get_rect(center=band.get_rect().center))
    band.set_alpha(alpha)
    surface.blit(band, band.get_rect(center=layout.map.center))


def draw_handover(
    surface: pygame.Surface, side_name: str, hint: str = "press Enter or click"
) -> None:
    """An opaque full-window sheet hiding the map until the next hot-seat player is ready."""
    w, h = surface.get_size()
    surface.fill(ps.HANDOVER_BG)
    colour = side_colour(side_name.lower())
    pygame.draw.rect(surface, colour, (w // 2 - 80, h // 2 - 70, 160, 8))
    blit_text(
        surface,
        f"{side_label(side_name)} player: your turn",
        (w // 2, h // 2 - 40),
        40,
        ps.TEXT_HEAD,
        bold=True,
        align="center",
        max_width=w - 40,
    )
    blit_text(
        surface, hint, (w // 2, h // 2 + 20), 20, ps.TEXT_DIM, align="center", max_width=w - 40
    )


def game_over_lines(
    winner: str | None,
    level: str | None,
    vp: Mapping[str, float],
    losses: Mapping[str, Mapping[str, int]],
) -> list[str]:
    """The game-over sheet's text: the verdict, victory points and each side's losses."""
    if winner:
        head = f"{side_label(winner)} victory" + (f" — {level}" if level else "")
    else:
        head = "Draw" + (f" — {level}" if level else "")
    out = [head, "VP " + " : ".join(f"{side_label(s)} {fmt_vp(v)}" for s, v in vp.items())]
    for side, loss in losses.items():
        parts = ", ".join(f"{fmt_int(loss.get(k, 0))} {k}" for k in ("men", "tanks", "guns"))
        out.append(f"{side_label(side)} lost {parts}")
    return out


def draw_game_over(
    surface: pygame.Surface,
    layout: Layout,
    winner: str | None,
    level: str | None,
    vp: Mapping[str, float],
    losses: Mapping[str, Mapping[str, int]],
    hint: str = "",
) -> None:
    """A translucent sheet over the map with the verdict, the VP and both sides' losses.

    Args:
        surface: the window.
        layout: the window's layout.
        winner: the winning side id (None for a draw).
        level: the victory level (``decisive``, ``marginal``...).
        vp: victory points per side.
        losses: per side, ``{"men": .., "tanks": .., "guns": ..}`` (``SideState.losses``).
        hint: what to do next, e.g. ``Esc: back to the map``.
    """
    area = layout.map
    surface.blit(_sheet(area.size, ps.SHEET_BG), area)
    lines = game_over_lines(winner, level, vp, losses)
    _, normal, large = ps.text_sizes(layout.row)
    y = area.y + area.height // 4
    colour = side_colour(winner) if winner else ps.TEXT_HEAD
    blit_text(
        surface,
        lines[0],
        (area.centerx, y),
        large * 2,
        colour,
        bold=True,
        align="center",
        max_width=area.width - 40,
    )
    y += line_height(large * 2, True) + 16
    blit_text(surface, lines[1], (area.centerx, y), large, ps.ACCENT, bold=True, align="center")
    y += line_height(large) + 16
    for line in lines[2:]:
        blit_text(
            surface,
            line,
            (area.centerx, y),
            normal + 2,
            ps.TEXT,
            align="center",
            max_width=area.width - 40,
        )
        y += line_height(normal + 2) + 6
    if hint:
        blit_text(surface, hint, (area.centerx, y + 20), normal, ps.TEXT_DIM, align="center")
