"""The unit layer: counters in their hexes, stacks offset, armies as single markers when zoomed out.

It draws a snapshot's units (``ui.snapshot.UnitMark``) through the counter cache of
``ui.counters``; only the hexes in view are drawn, and the stack order (strongest on top) is
worked out once per snapshot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pygame

from engine.scenario.model import Scenario
from ui import counters, style
from ui.camera import Camera, HexLayout
from ui.snapshot import UnitMark

#: Counter side in pixels per hex radius.
COUNTER_SCALE = 1.25
#: The smallest counter drawn (pixels): at operational zoom a counter may overlap its hex's
#: edges a little, as board-game counters do, so that its symbol stays legible.
MIN_COUNTER_PX = 13


def counter_px(radius: float) -> int:
    """Counter side in pixels at a hex radius."""
    return max(MIN_COUNTER_PX, int(radius * COUNTER_SCALE))


#: Screen offset between the counters of a stack, per counter side.
STACK_OFFSET = 0.12
#: How many counters of a stack are drawn (the rest show as a count).
STACK_SHOWN = 3
#: Formation kinds that make an army marker at theatre zoom (else the unit's own parent).
ARMY_KINDS = frozenset({"army", "group", "corps", "flotilla"})
FRONT_KINDS = frozenset({"front", "area_army", "command"})


@dataclass(frozen=True)
class ArmyMarker:
    """One army drawn as a single marker: where its units are on average, and how strong."""

    formation: str
    side: str
    label: str
    world: tuple[float, float]
    men: int
    units: int


def short_name(name: str) -> str:
    """A marker label from a formation name: '6th Guards Tank Army (Kravchenko)' -> '6 GTA'."""
    name = name.split("(")[0].split(" - ")[0].strip()
    parts = re.split(r"[\s\-]+", name)
    digits = "".join(re.sub(r"(st|nd|rd|th)$", "", p) for p in parts if p[:1].isdigit())
    letters = "".join(p[0].upper() for p in parts if p and not p[:1].isdigit())
    return f"{digits} {letters}".strip() if digits else letters


class Hierarchy:
    """Each formation's army and front, walked once from the scenario's command tree."""

    def __init__(self, scenario: Scenario) -> None:
        self.formations = {f.id: f for f in scenario.formations}
        self.army: dict[str, str] = {}
        self.front: dict[str, str] = {}
        for fid in self.formations:
            self.army[fid] = self._up(fid, ARMY_KINDS) or fid
            self.front[fid] = self._up(fid, FRONT_KINDS) or fid

    def _up(self, fid: str | None, kinds: frozenset[str]) -> str | None:
        seen = set()
        while fid is not None and fid in self.formations and fid not in seen:
            seen.add(fid)
            f = self.formations[fid]
            if f.kind in kinds:
                return fid
            fid = f.parent
        return None

    def army_of(self, unit: UnitMark) -> str:
        """The formation a unit's theatre marker belongs to."""
        return self.army.get(unit.parent or "", unit.parent or unit.id)

    def front_of(self, formation: str) -> str:
        """The front (or area army) above a formation."""
        return self.front.get(formation, formation)

    def name(self, formation: str) -> str:
        """A formation's name (its id when unknown)."""
        f = self.formations.get(formation)
        return f.name if f is not None else formation


class UnitsLayer:
    """Draws the units of a snapshot."""

    def __init__(
        self, scenario: Scenario, layout: HexLayout, palette: style.Palette = style.STANDARD
    ) -> None:
        self.scenario = scenario
        self.layout = layout
        self.palette = palette
        self.hierarchy = Hierarchy(scenario)
        self._types = scenario.unit_types
        self._key: tuple | None = None
        self._stacks: dict[int, list[UnitMark]] = {}
        self._armies: list[ArmyMarker] = []

    def _prepare(self, units: list[UnitMark], key: tuple) -> None:
        if key == self._key:
            return
        self._key = key
        stacks: dict[int, list[UnitMark]] = defaultdict(list)
        for u in units:
            stacks[u.hex].append(u)
        for stack in stacks.values():
            stack.sort(key=lambda u: -u.strength)
        self._stacks = dict(stacks)
        groups: dict[str, list[UnitMark]] = defaultdict(list)
        for u in units:
            groups[self.hierarchy.army_of(u)].append(u)
        armies = []
        c = self.layout.centres
        for fid, members in groups.items():
            idx = np.array([u.hex for u in members])
            men = np.array([max(1, u.strength) for u in members], dtype=np.float64)
            wx = float(np.average(c[idx, 0], weights=men))
            wy = float(np.average(c[idx, 1], weights=men))
            label = short_name(self.hierarchy.name(fid))
            armies.append(
                ArmyMarker(fid, members[0].side, label, (wx, wy), int(men.sum()), len(members))
            )
        armies.sort(key=lambda a: a.men)
        self._armies = armies

    def branch_size(self, unit: UnitMark) -> tuple[str, str]:
        """The counter's branch and size mark for a unit."""
        utype = self._types.get(unit.type)
        cls = utype.movement_class if utype is not None else None
        airborne = bool(utype.airborne) if utype is not None else False
        return style.counter_style(unit.type, cls, airborne)

    def counter(self, unit: UnitMark, px: int, selected: bool = False) -> pygame.Surface:
        """A unit's counter at ``px`` pixels."""
        branch, size = self.branch_size(unit)
        marks = unit.marks | {"selected"} if selected else unit.marks
        return counters.counter_surface(
            branch, size, unit.side, px, unit.label, frozenset(marks), self.palette
        )

    def draw(
        self,
        surface: pygame.Surface,
        camera: Camera,
        units: list[UnitMark],
        key: tuple,
        selected: str | None = None,
        hidden: str | None = None,
    ) -> int:
        """Draw ``units`` (``key`` names the list, for the stack cache); returns counters drawn.

        ``hidden`` is a unit not to draw in its hex (it is sliding along its path).
        """
        self._prepare(units, key)
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(camera.view))
        try:
            if camera.level == "theatre":
                return self._draw_armies(surface, camera)
            return self._draw_stacks(surface, camera, selected, hidden)
        finally:
            surface.set_clip(clip)

    def _draw_stacks(
        self, surface: pygame.Surface, camera: Camera, selected: str | None, hidden: str | None
    ) -> int:
        px = counter_px(camera.radius)
        step = max(2, int(px * STACK_OFFSET))
        left, top, right, bottom = camera.world_rect()
        c = self.layout.centres
        drawn = 0
        for index, stack in self._stacks.items():
            x, y = c[index]
            if x < left - 1.5 or x > right + 1.5 or y < top - 1.5 or y > bottom + 1.5:
                continue
            shown = [u for u in stack if u.id != hidden]
            if not shown:
                continue
            # the selected unit is drawn on top of its stack
            if selected is not None and any(u.id == selected for u in shown):
                shown = [u for u in shown if u.id != selected] + [
                    u for u in shown if u.id == selected
                ]
            else:
                shown = shown[::-1]  # strongest last, on top
            sx, sy = camera.to_screen(x, y)
            layers = shown[-STACK_SHOWN:]
            n = len(layers)
            for k, u in enumerate(layers):
                off = (n - 1 - k) * step
                img = self.counter(u, px, u.id == selected)
                surface.blit(img, (sx - px / 2 - off, sy - px / 2 - off))
                drawn += 1
            if len(shown) > STACK_SHOWN and px >= 14:
                self._badge(surface, (sx + px / 2, sy - px / 2), len(shown))
        return drawn

    def draw_moving(
        self, surface: pygame.Surface, camera: Camera, unit: UnitMark, world: tuple[float, float]
    ) -> None:
        """A unit sliding between hexes."""
        if camera.level == "theatre":
            px = max(6, int(camera.radius * 1.6))
        else:
            px = counter_px(camera.radius)
        sx, sy = camera.to_screen(*world)
        surface.blit(self.counter(unit, px), (sx - px / 2, sy - px / 2))

    def _draw_armies(self, surface: pygame.Surface, camera: Camera) -> int:
        px = max(14, int(camera.radius * 5))
        left, top, right, bottom = camera.world_rect()
        drawn = 0
        for a in self._armies:
            x, y = a.world
            if x < left - 3 or x > right + 3 or y < top - 3 or y > bottom + 3:
                continue
            front = self.hierarchy.front_of(a.formation)
            img = counters.army_marker_surface(a.side, a.label, px, self.palette, front=front)
            sx, sy = camera.to_screen(x, y)
            surface.blit(img, (sx - img.get_width() / 2, sy - img.get_height() / 2))
            drawn += 1
        return drawn

    def army_at(self, camera: Camera, pos: tuple[int, int]) -> ArmyMarker | None:
        """The army marker under a screen pixel at theatre zoom."""
        best, dist = None, float("inf")
        for a in self._armies:
            sx, sy = camera.to_screen(*a.world)
            d = (sx - pos[0]) ** 2 + (sy - pos[1]) ** 2
            if d < dist:
                best, dist = a, d
        return best if dist <= (camera.radius * 4) ** 2 else None

    @staticmethod
    def _badge(surface: pygame.Surface, pos: tuple[float, float], count: int) -> None:
        from ui.fonts import font

        img = font(11, bold=True).render(str(count), True, (255, 255, 255))
        r = pygame.Rect(0, 0, img.get_width() + 6, img.get_height() + 2)
        r.center = (int(pos[0]), int(pos[1]))
        pygame.draw.rect(surface, (30, 30, 30), r, border_radius=6)
        surface.blit(img, img.get_rect(center=r.center))
