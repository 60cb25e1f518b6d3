"""Shared drawing for the panels: cached text, ellipsis, wrapping, buttons, bars and formats.

Rendered text surfaces are kept in an LRU keyed by (text, size, bold, colour), so a panel drawn
every frame renders each string once. Characters the current font lacks (the default pygame
font has no ``⏎`` or ``✓``) are replaced by plain ones rather than drawn as boxes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pygame

from ui import panel_style as ps
from ui.fonts import font
from ui.style import Colour

ELLIPSIS = "…"
#: Plain stand-ins for symbols a font may not have.
FALLBACK_GLYPHS: dict[str, str] = {
    "⏎": "Enter",
    "✓": "+",
    "✔": "+",
    "×": "x",
    "—": "-",
    "–": "-",
    "…": "...",
    "·": "|",
    "→": "->",
    "▲": "^",
    "▼": "v",
}
_PROBE = "\ue000"  # a private-use character no font maps: its metrics are the missing glyph's


@lru_cache(maxsize=512)
def _has_glyph(size: int, bold: bool, ch: str) -> bool:
    f = font(size, bold)
    missing = f.metrics(_PROBE)
    got = f.metrics(ch)
    return not (got and got[0] is None) and got != missing


@lru_cache(maxsize=4096)
def safe_text(text: str, size: int, bold: bool = False) -> str:
    """``text`` with the characters the font lacks replaced by plain stand-ins."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii() or _has_glyph(size, bold, ch):
            out.append(ch)
        else:
            out.append(FALLBACK_GLYPHS.get(ch, "?"))
    return "".join(out)


@lru_cache(maxsize=2048)
def render_text(text: str, size: int, colour: Colour, bold: bool = False) -> pygame.Surface:
    """The rendered text (antialiased, transparent background), cached."""
    return font(size, bold).render(safe_text(text, size, bold), True, colour)


@lru_cache(maxsize=4096)
def text_width(text: str, size: int, bold: bool = False) -> int:
    """Pixel width of ``text`` at a size."""
    return int(font(size, bold).size(safe_text(text, size, bold))[0])


def line_height(size: int, bold: bool = False) -> int:
    """Pixel height of one line at a size."""
    return int(font(size, bold).get_linesize())


@lru_cache(maxsize=4096)
def fit_text(text: str, size: int, bold: bool, max_width: int) -> str:
    """``text`` shortened with an ellipsis so it is at most ``max_width`` pixels wide."""
    if max_width <= 0:
        return ""
    if text_width(text, size, bold) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS if lo else ""


@lru_cache(maxsize=1024)
def wrap_text(text: str, size: int, bold: bool, max_width: int) -> tuple[str, ...]:
    """``text`` broken into lines at spaces, each at most ``max_width`` pixels wide."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, bold) > max_width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return tuple(fit_text(s, size, bold, max_width) for s in lines)


def blit_text(
    surface: pygame.Surface,
    text: str,
    pos: tuple[int, int],
    size: int,
    colour: Colour,
    *,
    bold: bool = False,
    max_width: int | None = None,
    align: str = "left",
) -> pygame.Rect:
    """Draw one line of text at ``pos`` (its left, centre or right edge by ``align``, top).

    Returns the rectangle drawn (empty when nothing fitted).
    """
    if max_width is not None:
        text = fit_text(text, size, bold, max(0, int(max_width)))
    if not text:
        return pygame.Rect(pos, (0, 0))
    img = render_text(text, size, colour, bold)
    rect = img.get_rect()
    if align == "center":
        rect.midtop = pos
    elif align == "right":
        rect.topright = pos
    else:
        rect.topleft = pos
    surface.blit(img, rect)
    return rect


def blit_centred(
    surface: pygame.Surface, text: str, rect: pygame.Rect, size: int, colour: Colour, bold: bool
) -> None:
    """Draw ``text`` centred in ``rect``, shortened to fit it."""
    text = fit_text(text, size, bold, rect.width - 6)
    if text:
        img = render_text(text, size, colour, bold)
        surface.blit(img, img.get_rect(center=rect.center))


def draw_button(
    surface: pygame.Surface, rect: pygame.Rect, label: str, size: int, state: str = "normal"
) -> None:
    """A button: ``state`` is ``normal``, ``off`` (greyed), ``hot`` (highlighted) or ``on``."""
    bg, fg, edge = {
        "off": (ps.BUTTON_OFF_BG, ps.BUTTON_OFF_TEXT, ps.BUTTON_OFF_BG),
        "hot": (ps.BUTTON_HOT_BG, ps.BUTTON_HOT_TEXT, ps.ACCENT),
        "on": (ps.BUTTON_ON_BG, ps.TEXT_HEAD, ps.ACCENT),
        "confirm": (ps.CONFIRM_BG, ps.TEXT_HEAD, ps.BUTTON_EDGE),
        "cancel": (ps.CANCEL_BG, ps.TEXT_HEAD, ps.BUTTON_EDGE),
    }.get(state, (ps.BUTTON_BG, ps.BUTTON_TEXT, ps.BUTTON_EDGE))
    pygame.draw.rect(surface, bg, rect, border_radius=4)
    pygame.draw.rect(surface, edge, rect, 1, border_radius=4)
    blit_centred(surface, label, rect, size, fg, state in ("hot", "on"))


def draw_bar(
    surface: pygame.Surface, rect: pygame.Rect, fraction: float, colour: Colour | None = None
) -> None:
    """A horizontal gauge filled to ``fraction`` (0-1); red-amber-green by value if no colour."""
    f = min(1.0, max(0.0, fraction))
    if colour is None:
        colour = ps.BAR_GOOD if f >= 0.66 else ps.BAR_MID if f >= 0.33 else ps.BAR_BAD
    pygame.draw.rect(surface, ps.BAR_BACK, rect)
    if f > 0:
        pygame.draw.rect(surface, colour, (rect.x, rect.y, max(1, round(rect.width * f)), rect.h))


def fill_panel(surface: pygame.Surface, rect: pygame.Rect, colour: Colour = ps.PANEL_BG) -> None:
    """The panel's background and its edge."""
    pygame.draw.rect(surface, colour, rect)
    pygame.draw.rect(surface, ps.PANEL_EDGE, rect, 1)


def fmt_int(value: float) -> str:
    """A count with thousands separators: ``12,400``."""
    return f"{round(value):,}"


def fmt_date(when: dt.date | dt.datetime) -> str:
    """``11 Aug 1945``."""
    return f"{when.day} {when:%b %Y}"


def fmt_long_date(when: dt.date | dt.datetime) -> str:
    """``11 August 1945``."""
    return f"{when.day} {when:%B %Y}"


def fmt_day_month(when: dt.date | dt.datetime) -> str:
    """``11 Aug``."""
    return f"{when.day} {when:%b}"


def fmt_vp(value: float) -> str:
    """Victory points as shown: whole numbers, one decimal when it matters."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def side_label(side: str) -> str:
    """A side id as a short name: ``soviet`` -> ``Soviet``."""
    return side.replace("_", " ").capitalize()
