"""Where everything sits in the window, computed from its size (nothing in absolute pixels).

The controller hit-tests clicks against these rectangles and the views draw into them, so a
button is where it is drawn by construction. At 1600x900: a 36 px top bar, the map, a right
column of panels (unit, then attack/hex/stack) above the minimap, and the log under the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ui.state import OVERLAYS

TOP_BAR_FRACTION = 0.04
SIDE_FRACTION = 0.2
LOG_FRACTION = 0.17
ROW_HEIGHT_FRACTION = 0.022

TOP_BUTTONS: tuple[str, ...] = ("undo", "speed", "help", "end_phase")
ATTACK_BUTTONS: tuple[str, ...] = ("confirm", "cancel")
LOG_FILTERS: tuple[str, ...] = ("all", "combat", "move", "capture", "event", "supply")


@dataclass
class Layout:
    """The window's rectangles for one window size."""

    size: tuple[int, int]
    top_bar: pygame.Rect
    map: pygame.Rect
    side: pygame.Rect
    unit_panel: pygame.Rect
    info_panel: pygame.Rect
    log: pygame.Rect
    minimap: pygame.Rect
    row: int
    """Height of one text row in the panels and the log."""
    buttons: dict[str, pygame.Rect] = field(default_factory=dict)
    """Top-bar buttons, overlay toggles (``overlay:NAME``), log filters (``log:KIND``)."""

    def button_at(self, pos: tuple[int, int]) -> str | None:
        """Name of the button under a pixel."""
        for name, rect in self.buttons.items():
            if rect.collidepoint(pos):
                return name
        return None

    def attack_buttons(self) -> dict[str, pygame.Rect]:
        """Confirm and cancel under the attack panel."""
        r = self.info_panel
        h = self.row + 8
        w = (r.width - 24) // 2
        y = r.bottom - h - 6
        return {
            "confirm": pygame.Rect(r.x + 8, y, w, h),
            "cancel": pygame.Rect(r.x + 16 + w, y, w, h),
        }

    def list_rows(self, rect: pygame.Rect, first_y: int, count: int) -> list[pygame.Rect]:
        """Rectangles of ``count`` clickable rows from ``first_y`` down inside ``rect``."""
        out = []
        for k in range(count):
            y = first_y + k * self.row
            if y + self.row > rect.bottom:
                break
            out.append(pygame.Rect(rect.x + 4, y, rect.width - 8, self.row))
        return out

    def log_rows(self) -> list[pygame.Rect]:
        """The log's text rows, top to bottom (under its filter buttons)."""
        r = self.log
        return self.list_rows(r, r.y + self.row + 8, 1000)

    def unit_panel_rows_top(self) -> int:
        """Where the stack list starts in the unit panel (after the unit's details).

        The details take a counter three rows high and eight rows of text; the rest is the list.
        """
        r = self.unit_panel
        return r.y + min(int(r.height * 0.78), 11 * self.row + 14)


def layout_for(width: int, height: int, scale: float = 1.0) -> Layout:
    """The layout of a window of ``width`` x ``height`` pixels.

    ``scale`` (the UI scale setting, for high-DPI screens) makes the panels' rows, text, top bar
    and side column that much larger; the map keeps what is left, never less than half the
    window's width.
    """
    width = max(width, 640)
    height = max(height, 400)
    top = max(28, int(height * TOP_BAR_FRACTION * scale))
    side_w = min(width // 2, max(260, int(width * SIDE_FRACTION * scale)))
    log_h = min(height // 3, max(90, int(height * LOG_FRACTION * scale)))
    row = max(16, int(height * ROW_HEIGHT_FRACTION * scale))
    map_rect = pygame.Rect(0, top, width - side_w, height - top - log_h)
    side = pygame.Rect(width - side_w, top, side_w, height - top)
    minimap_h = min(log_h + 60, side.height // 3)
    minimap = pygame.Rect(side.x, height - minimap_h, side_w, minimap_h)
    panels_h = side.height - minimap_h
    unit_panel = pygame.Rect(side.x, top, side_w, int(panels_h * min(0.65, 0.5 * scale)))
    info_panel = pygame.Rect(side.x, unit_panel.bottom, side_w, panels_h - unit_panel.height)
    log = pygame.Rect(0, map_rect.bottom, map_rect.width, log_h)
    lay = Layout(
        size=(width, height),
        top_bar=pygame.Rect(0, 0, width, top),
        map=map_rect,
        side=side,
        unit_panel=unit_panel,
        info_panel=info_panel,
        log=log,
        minimap=minimap,
        row=row,
    )
    # top bar, right-aligned: undo, speed, help, end phase
    bw = max(80, int(width * 0.07 * scale))
    x = width - 6
    for name in reversed(TOP_BUTTONS):
        w = int(bw * 1.5) if name == "end_phase" else bw
        x -= w
        lay.buttons[name] = pygame.Rect(x, 4, w, top - 8)
        x -= 6
    # overlay toggles along the map's top-left edge
    x, y = map_rect.x + 6, map_rect.y + 6
    ow = max(64, int(width * 0.05 * scale))
    for name in OVERLAYS:
        lay.buttons[f"overlay:{name}"] = pygame.Rect(x, y, ow, row + 6)
        x += ow + 4
    # log filters along the log's top edge
    x = log.x + 6
    fw = max(56, int(width * 0.045 * scale))
    for name in LOG_FILTERS:
        lay.buttons[f"log:{name}"] = pygame.Rect(x, log.y + 4, fw, row)
        x += fw + 4
    return lay
