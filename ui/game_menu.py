"""The game's menu: Esc when there is nothing to cancel (save, load, report, start screen, quit).

A small model (the items, which of them can be used now, the cursor) and its drawing; the game
scene opens it, routes keys and clicks to it and carries out the chosen item through the
callbacks it was given, so the menu itself neither saves nor quits anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from ui import panel_style as ps
from ui.panels.common import blit_text, draw_button, line_height


@dataclass
class MenuItem:
    """One line of the menu: its label, its key, and what it does (None: not here)."""

    label: str
    key: str
    action: Callable[[], None] | None


@dataclass
class GameMenu:
    """The menu's items and cursor."""

    items: list[MenuItem]
    cursor: int = 0
    rects: list[pygame.Rect] = field(default_factory=list)
    """Where each item was last drawn (for clicks)."""

    def usable(self, k: int) -> bool:
        """Whether item ``k`` can be chosen now."""
        return self.items[k].action is not None

    def move(self, step: int) -> None:
        """The next usable item up or down."""
        for _ in range(len(self.items)):
            self.cursor = (self.cursor + step) % len(self.items)
            if self.usable(self.cursor):
                return

    def choose(self, k: int | None = None) -> bool:
        """Carry out item ``k`` (the cursor's by default); returns whether it did anything."""
        k = self.cursor if k is None else k
        action = self.items[k].action
        if action is None:
            return False
        action()
        return True

    def item_at(self, pos: tuple[int, int]) -> int | None:
        """The item under a pixel."""
        for k, rect in enumerate(self.rects):
            if rect.collidepoint(pos):
                return k
        return None

    def draw(self, surface: pygame.Surface, row: int) -> None:
        """A panel in the middle of the window, the cursor's item highlighted."""
        w, h = surface.get_size()
        size = max(13, row - 2)
        step = row + 14
        width = max(320, w // 4)
        height = len(self.items) * step + 2 * row + 30
        panel = pygame.Rect((w - width) // 2, (h - height) // 2, width, height)
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill(ps.BANNER_BG)
        surface.blit(shade, (0, 0))
        pygame.draw.rect(surface, ps.PANEL_BG, panel, border_radius=6)
        pygame.draw.rect(surface, ps.ACCENT, panel, 1, border_radius=6)
        blit_text(
            surface,
            "Menu",
            (panel.centerx, panel.y + 10),
            size + 2,
            ps.TEXT_HEAD,
            bold=True,
            align="center",
        )
        self.rects = []
        y = panel.y + row + 24
        for k, item in enumerate(self.items):
            rect = pygame.Rect(panel.x + 16, y, panel.width - 32, row + 6)
            state = "off" if not self.usable(k) else "hot" if k == self.cursor else "normal"
            label = f"{item.label}   {item.key}" if item.key else item.label
            draw_button(surface, rect, label, size, state)
            self.rects.append(rect)
            y += step
        hint = "Up/Down and Enter, or click · Esc closes"
        blit_text(
            surface,
            hint,
            (panel.centerx, panel.bottom - line_height(size) - 6),
            size - 1,
            ps.TEXT_DIM,
            align="center",
        )
