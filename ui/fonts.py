"""The window's one font family in two weights, loaded once per size.

DejaVu Sans from ``assets/fonts`` (shipped with its licence) when present, else pygame's own
default font, so a clone without the font files still draws text.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

from ui.assets import FONTS

REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The font at ``size`` pixels (``bold`` for the heavier weight)."""
    if not pygame.font.get_init():
        pygame.font.init()
    path = BOLD if bold else REGULAR
    if path.exists():
        return pygame.font.Font(str(path), max(6, size))
    f = pygame.font.Font(None, max(8, int(size * 1.3)))  # the default font runs small
    f.set_bold(bold)
    return f
