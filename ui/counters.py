"""NATO (APP-6 style) unit counters and army markers drawn in code, cached per look and size.

A counter is a square chip in the side's colour: the size mark (XX, X, XXX ...) at the top, the
unit frame with its branch symbol in the middle, the strength figure at the bottom (from 28 px),
small corner marks for the unit's condition. Below 10 px it is a plain square with a border.
Surfaces are cached in a bounded LRU keyed by everything that changes the picture, so the unit
layer asks for them every time it redraws. Stacks are drawn by the caller with
:func:`draw_stack`: up to three counters, each a few pixels up and right of the one below, with
a shadow, and a badge with the count when there are more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pygame

from ui import fonts, style
from ui.style import Colour, Palette

#: Below this many pixels a counter is a plain coloured square.
PLAIN_BELOW = 10
#: From this many pixels a counter shows its size mark.
SIZE_MARK_FROM = 16
#: From this many pixels a counter shows its strength figure.
STRENGTH_FROM = 28
#: The condition marks a counter can carry.
MARKS = frozenset(
    {"out_of_supply", "low_fuel", "entrenched", "disorganised", "selected", "cease_fire"}
)
#: Default offset between the counters of a stack (screen pixels: up and to the right).
STACK_OFFSET = (3, -3)


def counter_surface(
    branch: str,
    size: str,
    side: str,
    px: int,
    strength_text: str = "",
    marks: Iterable[str] = (),
    palette: Palette = style.STANDARD,
) -> pygame.Surface:
    """A unit counter ``px`` pixels square (a cached surface with alpha: do not draw on it).

    Args:
        branch: one of ``style.BRANCHES`` (unknown branches draw as infantry).
        size: the size mark, one of ``style.SIZES`` (or "" for none).
        side: the side id (its colour comes from the palette).
        px: the counter's edge in pixels.
        strength_text: the figure shown at the bottom from ``STRENGTH_FROM`` pixels (e.g. "12").
        marks: any of ``MARKS``.
        palette: the colour scheme.
    """
    return _counter(branch, size, side, int(px), strength_text, frozenset(marks), palette)


def unit_counter(
    unit_type: str,
    side: str,
    px: int,
    strength_text: str = "",
    marks: Iterable[str] = (),
    palette: Palette = style.STANDARD,
    movement_class: str | None = None,
    airborne: bool = False,
) -> pygame.Surface:
    """The counter of an engine unit type (``style.COUNTER_STYLES``, else by movement class)."""
    branch, size = style.counter_style(unit_type, movement_class, airborne)
    return counter_surface(branch, size, side, px, strength_text, marks, palette)


def army_marker_surface(
    side: str,
    label: str,
    px: int,
    palette: Palette = style.STANDARD,
    front: str | None = None,
) -> pygame.Surface:
    """An army as one marker at theatre zoom: a chip in its front's colour with XXXX and a label.

    Args:
        side: the side id (the colour when ``front`` has none).
        label: a short name printed in the frame ("6 GTA", "36", "3 AA").
        px: the marker's width in pixels (its height is 0.8 of it).
        palette: the colour scheme (``palette.fronts`` maps formation ids to colours).
        front: the formation id of the army's front or area army (see :func:`front_of`).
    """
    return _army(side, label, int(px), palette, front)


def front_of(formation: str | None, parents: dict[str, str | None], palette: Palette) -> str | None:
    """The nearest ancestor of a formation (itself included) that has a front colour."""
    seen = set()
    while formation is not None and formation not in seen:
        if formation in palette.fronts:
            return formation
        seen.add(formation)
        formation = parents.get(formation)
    return None


def draw_stack(
    surface: pygame.Surface,
    centre: tuple[float, float],
    counters: Sequence[pygame.Surface],
    offset: tuple[int, int] = STACK_OFFSET,
    palette: Palette = style.STANDARD,
) -> pygame.Rect:
    """Draw a stack centred on a hex: ``counters[0]`` on top (the caller puts the strongest first).

    Up to three counters are drawn, each ``offset`` pixels from the one below it, with a shadow;
    when the stack holds more, a badge with the count sits on the top counter's corner. Returns
    the rectangle drawn over.
    """
    if not counters:
        return pygame.Rect(round(centre[0]), round(centre[1]), 0, 0)
    shown = list(counters[:3])
    n = len(shown)
    # the top counter is centred on the hex; the ones below sit back along -offset
    drawn = pygame.Rect(0, 0, 0, 0)
    for k in reversed(range(n)):
        surf = shown[k]
        rect = surf.get_rect()
        rect.center = (
            round(centre[0] - offset[0] * k),
            round(centre[1] - offset[1] * k),
        )
        shadow = _shadow(rect.width, rect.height)
        surface.blit(shadow, rect.move(1, 2))
        surface.blit(surf, rect)
        drawn = rect.union(drawn) if drawn.width else rect.copy()
        top = rect
    if len(counters) > 3:
        badge = _badge(len(counters), max(12, round(top.width * 0.42)), palette)
        br = badge.get_rect(center=(top.right - 1, top.top + 1))
        surface.blit(badge, br)
        drawn.union_ip(br)
    return drawn


# ---------------------------------------------------------------- the cached drawings


@lru_cache(maxsize=4096)
def _counter(
    branch: str,
    size: str,
    side: str,
    px: int,
    strength_text: str,
    marks: frozenset[str],
    palette: Palette,
) -> pygame.Surface:
    px = max(4, px)
    fill = palette.side_colour(side)
    ink = palette.text_on(side)
    surf = pygame.Surface((px, px), pygame.SRCALPHA)
    chip = surf.get_rect()
    if px < PLAIN_BELOW:
        surf.fill(palette.counter_edge)
        surf.fill(fill, chip.inflate(-2, -2))
        _notch(surf, side, palette, px)
        if "selected" in marks:
            pygame.draw.rect(surf, palette.selected, chip, 1)
        return surf
    edge = 1 if px < STRENGTH_FROM else 2
    radius = max(1, px // 10)
    pygame.draw.rect(surf, fill, chip, border_radius=radius)
    pygame.draw.rect(surf, palette.counter_edge, chip, edge, border_radius=radius)
    # the unit frame
    fw = round(px * 0.64)
    fh = round(px * 0.42)
    if px < SIZE_MARK_FROM:
        fw, fh = round(px * 0.74), round(px * 0.52)
        frame = pygame.Rect(0, 0, fw, fh)
        frame.center = chip.center
    else:
        frame = pygame.Rect(0, 0, fw, fh)
        frame.midtop = (chip.centerx, round(px * (0.25 if px >= STRENGTH_FROM else 0.32)))
    line = 1 if px < 40 else 2
    _symbol(surf, branch, frame, ink, line)
    pygame.draw.rect(surf, ink, frame, line)
    if px >= SIZE_MARK_FROM and size:
        _size_mark(surf, size, chip.centerx, frame.top - max(2, px // 16), px, ink)
    if px >= STRENGTH_FROM and strength_text:
        f = fonts.font(max(8, round(px * 0.24)), bold=True)
        text = f.render(strength_text, True, ink)
        tr = text.get_rect(midtop=(chip.centerx, frame.bottom + max(1, px // 30)))
        if tr.bottom > chip.bottom - edge:
            tr.bottom = chip.bottom - edge
        surf.blit(text, tr)
    _marks(surf, marks, px, palette)
    _notch(surf, side, palette, px)
    if "selected" in marks:
        pygame.draw.rect(surf, palette.selected, chip, max(2, px // 12), border_radius=radius)
    return surf


def _notch(surf: pygame.Surface, side: str, palette: Palette, px: int) -> None:
    """Colour-blind aid: cut the top-left corner of every counter but the Soviet ones."""
    if not palette.side_notch or side == "soviet":
        return
    k = max(3, round(px * 0.26))
    pygame.draw.polygon(surf, (0, 0, 0, 0), [(0, 0), (k, 0), (0, k)])
    pygame.draw.line(surf, palette.counter_edge, (k, 0), (0, k), 1 if px < 28 else 2)


def _symbol(surf: pygame.Surface, branch: str, f: pygame.Rect, ink: Colour, w: int) -> None:
    """The branch symbol inside a unit frame."""

    def cross() -> None:
        pygame.draw.line(surf, ink, f.topleft, (f.right - 1, f.bottom - 1), w)
        pygame.draw.line(surf, ink, f.bottomleft, (f.right - 1, f.top), w)

    def oval() -> None:
        o = f.inflate(-round(f.width * 0.36), -round(f.height * 0.44))
        pygame.draw.ellipse(surf, ink, o, w)

    if branch == "armour":
        oval()
    elif branch == "mechanized":
        cross()
        oval()
    elif branch == "motorized":
        cross()
        pygame.draw.line(surf, ink, (f.centerx, f.top), (f.centerx, f.bottom - 1), w)
    elif branch == "cavalry":
        pygame.draw.line(surf, ink, f.bottomleft, (f.right - 1, f.top), w)
    elif branch == "airborne":
        cross()
        # the wings: two arcs meeting at the bottom centre
        aw = max(4, round(f.width * 0.36))
        ah = max(3, round(f.height * 0.3))
        left = pygame.Rect(f.centerx - aw, f.bottom - ah - 2, aw + 1, ah * 2)
        right = pygame.Rect(f.centerx - 1, f.bottom - ah - 2, aw + 1, ah * 2)
        pygame.draw.arc(surf, ink, left, 0, math.pi, w)
        pygame.draw.arc(surf, ink, right, 0, math.pi, w)
    elif branch == "artillery":
        pygame.draw.circle(surf, ink, f.center, max(1.5, f.height * 0.18))
    elif branch == "hq":
        # the flag staff from the frame's lower left, and a pennant inside
        staff = max(3, f.height // 2)
        pygame.draw.line(surf, ink, f.bottomleft, (f.left, f.bottom + staff), w)
        pennant = [
            (f.left + 2, f.top + 2),
            (f.left + 2 + f.width // 3, f.top + 2 + f.height // 5),
            (f.left + 2, f.top + 2 + 2 * f.height // 5),
        ]
        pygame.draw.polygon(surf, ink, pennant)
    elif branch == "fortress":
        # a crenellated wall across the frame
        n = 5
        step = f.width / n
        mid = f.centery + f.height * 0.15
        top = f.centery - f.height * 0.2
        pts = []
        for k in range(n):
            y = top if k % 2 else mid
            pts += [(f.left + k * step, y), (f.left + (k + 1) * step, y)]
        pts += [(f.right - 1, f.bottom - 1), (f.left, f.bottom - 1)]
        pygame.draw.polygon(surf, ink, pts)
    elif branch == "naval_infantry":
        cross()
        # a wave along the bottom
        amp = max(1.0, f.height * 0.1)
        y0 = f.bottom - amp * 2 - 1
        pts = [
            (f.left + t, y0 + amp * math.sin(t / max(1, f.width) * 4 * math.pi))
            for t in range(0, f.width, 1)
        ]
        if len(pts) > 1:
            pygame.draw.lines(surf, ink, False, pts, w)
    else:  # infantry and anything unknown
        cross()


def _size_mark(surf: pygame.Surface, size: str, cx: int, bottom: int, px: int, ink: Colour) -> None:
    """The size mark (X, XX, III ...) drawn with lines, centred above the frame."""
    h = max(3, round(px * 0.13))
    xw = h  # an X is as wide as high
    iw = max(1, h // 3)
    gap = max(1, px // 24)
    widths = [xw if c == "X" else iw for c in size]
    total = sum(widths) + gap * (len(size) - 1)
    x = cx - total / 2
    top = bottom - h
    w = 1 if px < 48 else 2
    for c, cw in zip(size, widths, strict=True):
        if c == "X":
            pygame.draw.line(surf, ink, (x, top), (x + cw - 1, bottom - 1), w)
            pygame.draw.line(surf, ink, (x, bottom - 1), (x + cw - 1, top), w)
        else:
            pygame.draw.line(surf, ink, (x + cw / 2, top), (x + cw / 2, bottom - 1), w)
        x += cw + gap


def _marks(surf: pygame.Surface, marks: frozenset[str], px: int, palette: Palette) -> None:
    """Small corner marks for a unit's condition."""
    m = max(4, round(px * 0.22))
    pad = max(1, px // 14)
    if "out_of_supply" in marks:  # top right: a red ring
        c = (px - pad - m / 2 - 1, pad + m / 2 + 1)
        pygame.draw.circle(surf, (255, 255, 255), c, m * 0.6 + 1)
        pygame.draw.circle(surf, palette.out_of_supply, c, m * 0.6, max(2, m // 3))
    if "low_fuel" in marks:  # bottom right: a drop
        cx, cy = px - pad - m / 2 - 1, px - pad - m / 2 - 1
        r = m * 0.4
        pygame.draw.circle(surf, palette.low_fuel, (cx, cy + r * 0.3), r)
        pygame.draw.polygon(
            surf,
            palette.low_fuel,
            [(cx - r * 0.85, cy + r * 0.1), (cx, cy - m * 0.65), (cx + r * 0.85, cy + r * 0.1)],
        )
    if "entrenched" in marks:  # bottom left: a bar
        bar = pygame.Rect(pad + 1, px - pad - max(2, m // 3) - 1, m + 2, max(2, m // 3))
        pygame.draw.rect(surf, palette.entrenched, bar)
    if "disorganised" in marks:  # a slash over the top left
        pygame.draw.line(
            surf, palette.disorganised, (pad, pad + m * 1.4), (pad + m * 1.4, pad), max(2, m // 3)
        )
    if "cease_fire" in marks:  # left middle: a white flag on a staff
        x = pad + 1
        y = px // 2 - m // 2
        pygame.draw.line(surf, palette.counter_edge, (x, y), (x, y + m + 1), 1)
        flag = pygame.Rect(x + 1, y, m, max(2, m * 2 // 3))
        pygame.draw.rect(surf, palette.cease_fire, flag)
        pygame.draw.rect(surf, palette.counter_edge, flag, 1)


@lru_cache(maxsize=256)
def _army(side: str, label: str, px: int, palette: Palette, front: str | None) -> pygame.Surface:
    px = max(8, px)
    h = max(6, round(px * 0.8))
    fill = palette.front_colour(front, side)
    ink = _ink_on(fill)
    surf = pygame.Surface((px, h), pygame.SRCALPHA)
    chip = surf.get_rect()
    pygame.draw.rect(surf, fill, chip, border_radius=max(1, px // 10))
    pygame.draw.rect(surf, palette.counter_edge, chip, 2 if px >= 20 else 1, max(1, px // 10))
    frame = pygame.Rect(0, 0, round(px * 0.78), round(h * 0.5))
    frame.midbottom = (chip.centerx, chip.bottom - max(2, h // 10))
    if px >= 16:
        _size_mark(surf, "XXXX", chip.centerx, frame.top - max(1, h // 14), round(px * 0.8), ink)
    if label and px >= 16:
        f = fonts.font(max(7, round(frame.height * 0.7)), bold=True)
        text = f.render(label, True, ink)
        if text.get_width() > frame.width - 2:
            scale = (frame.width - 2) / text.get_width()
            text = pygame.transform.smoothscale(
                text, (frame.width - 2, max(1, round(text.get_height() * scale)))
            )
        surf.blit(text, text.get_rect(center=frame.center))
    pygame.draw.rect(surf, ink, frame, 1)
    _notch(surf, side, palette, px)
    return surf


def _ink_on(fill: Colour) -> Colour:
    """Black or white, whichever reads on a fill colour."""
    lum = 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]
    return (20, 20, 20) if lum > 140 else (255, 255, 255)


@lru_cache(maxsize=64)
def _shadow(w: int, h: int) -> pygame.Surface:
    s = pygame.Surface((w, h), pygame.SRCALPHA)
    pygame.draw.rect(s, (0, 0, 0, 90), s.get_rect(), border_radius=max(1, w // 10))
    return s


@lru_cache(maxsize=64)
def _badge(n: int, d: int, palette: Palette) -> pygame.Surface:
    s = pygame.Surface((d, d), pygame.SRCALPHA)
    pygame.draw.circle(s, palette.panel_bg, (d / 2, d / 2), d / 2)
    pygame.draw.circle(s, palette.panel_text, (d / 2, d / 2), d / 2, 1)
    f = fonts.font(max(7, round(d * 0.7)), bold=True)
    t = f.render(str(n), True, palette.panel_text)
    s.blit(t, t.get_rect(center=(d / 2, d / 2 + 0.5)))
    return s


def cache_clear() -> None:
    """Forget every cached counter (after a font or palette change)."""
    _counter.cache_clear()
    _army.cache_clear()
    _shadow.cache_clear()
    _badge.cache_clear()
