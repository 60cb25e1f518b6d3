"""One font family for the whole window: DejaVu Sans from ``assets/fonts`` (or pygame's default).

``font(size, bold)`` is cached, so views ask for a font every frame without loading it again.
"""

from __future__ import annotations

from functools import lru_cache

import pygame

from ui.assets import FONTS

REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

#: The three text sizes of the window's visual language (small labels, body, headings).
SMALL, BODY, HEADING = 11, 13, 16


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The window's font at ``size`` pixels, regular or bold (pygame's default when missing)."""
    if not pygame.font.get_init():
        pygame.font.init()
    path = BOLD if bold else REGULAR
    if path.exists():
        return pygame.font.Font(str(path), size)
    f = pygame.font.Font(None, size)
    f.bold = bold
    return f
