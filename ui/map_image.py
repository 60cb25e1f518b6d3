"""Draw a scenario's map as a picture: terrain, rivers, railways and roads, forts, places, units.

Used by ``main.py map`` so a modder sees what a change did without starting the game; it draws on
a plain ``pygame.Surface`` and needs no window (``SDL_VIDEODRIVER=dummy`` is enough).
"""

from __future__ import annotations

import math
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from engine.hexgrid import SQRT3, hex_to_pixel, offset_to_axial  # noqa: E402
from engine.state import GameState  # noqa: E402
from engine.world import World  # noqa: E402
from ui import style  # noqa: E402
from ui.map_layer import MapLayer  # noqa: E402

MARGIN = 20
TITLE_HEIGHT = 30


class MapPainter:
    """Pixel geometry of one world's hexes at a given hex radius."""

    def __init__(self, world: World, hex_radius: float) -> None:
        self.world = world
        self.size = hex_radius
        self.dx = SQRT3 * hex_radius / 2.0
        self.dy = hex_radius
        self.origin = (MARGIN + self.dx, MARGIN + TITLE_HEIGHT + self.dy)

    @property
    def pixel_size(self) -> tuple[int, int]:
        """Width and height of the picture."""
        g = self.world.grid
        width = (g.width + 0.5) * SQRT3 * self.size + 2 * MARGIN
        height = (1.5 * (g.height - 1) + 2) * self.size + 2 * MARGIN + TITLE_HEIGHT
        return int(math.ceil(width)), int(math.ceil(height))

    def centre(self, index: int) -> tuple[float, float]:
        """Pixel centre of a hex (odd-r rows, row 0 at the top)."""
        col, row = self.world.coord(index)
        x, y = hex_to_pixel(offset_to_axial(col, row), self.size)
        return x + self.origin[0], y + self.origin[1]

    def corner(self, index: int, i: int) -> tuple[float, float]:
        """Corner ``i`` of a pointy-top hex (corner 0 at -30 degrees, clockwise on screen)."""
        cx, cy = self.centre(index)
        angle = math.radians(60 * i - 30)
        return cx + self.size * math.cos(angle), cy + self.size * math.sin(angle)

    def hexside(
        self, index: int, direction: int
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """The two corners of the side of ``index`` facing ``direction`` (engine order)."""
        return self.corner(index, (-direction) % 6), self.corner(index, (1 - direction) % 6)


def render(
    world: World, state: GameState | None = None, hex_radius: float = 10.0, title: str = ""
) -> pygame.Surface:
    """The map of ``world`` with ``state``'s units (if given), as a surface."""
    pygame.font.init()
    painter = MapPainter(world, hex_radius)
    surface = pygame.Surface(painter.pixel_size)
    surface.fill(style.BACKGROUND)
    # the map itself is the window's map layer drawn once at this radius (one drawing code)
    surface.blit(MapLayer(world).render_picture(hex_radius), (MARGIN, MARGIN + TITLE_HEIGHT))
    font = pygame.font.Font(None, max(12, int(hex_radius * 1.5)))
    if state is not None:
        _draw_units(surface, painter, state, font)
    if title:
        big = pygame.font.Font(None, 28)
        surface.blit(big.render(title, True, style.PLACE_TEXT), (MARGIN, MARGIN // 2))
    return surface


def _draw_units(
    surface: pygame.Surface, painter: MapPainter, state: GameState, font: pygame.font.Font
) -> None:
    stacks: dict[int, int] = {}
    side = painter.size * 1.1
    for u in state.on_map_units():
        i = painter.world.index(*u.hex)  # type: ignore[misc]
        k = stacks.get(i, 0)
        stacks[i] = k + 1
        x, y = painter.centre(i)
        rect = pygame.Rect(0, 0, side, side)
        rect.center = (int(x + 3 * k), int(y + 3 * k))
        pygame.draw.rect(surface, style.side_colour(u.side), rect)
        pygame.draw.rect(surface, style.HEX_EDGE, rect, 1)
        letter = font.render(
            style.unit_letter(u.type), True, style.SIDE_TEXT.get(u.side, style.PLACE_TEXT)
        )
        surface.blit(letter, letter.get_rect(center=rect.center))
