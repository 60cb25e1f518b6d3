"""A frozen picture of what the window draws of a game, safe to read while the AI plays on.

The AI's turn runs in a worker thread that owns the game while it plays; after each order it
takes a :class:`Snapshot`, and the window draws (and animates) snapshots only. Between AI turns
the window takes one after each order it applies. A snapshot holds no engine object that the
game goes on changing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.game import Game
from engine.state import Unit

#: A fuelled unit with less fuel than this shows the low-fuel mark (a display threshold only).
LOW_FUEL = 0.25
#: A unit with less readiness than this shows the disorganised mark (a display threshold only).
DISORGANISED = 0.35


@dataclass(frozen=True)
class UnitMark:
    """One unit as the map draws it."""

    id: str
    name: str
    side: str
    type: str
    parent: str | None
    hex: int
    strength: int
    """Men, for the size of markers and the order in a stack."""
    label: str
    """The strength figure printed on the counter (thousands of men, tanks)."""
    marks: frozenset[str]
    moves_left: bool


@dataclass(frozen=True)
class Snapshot:
    """The game as the window shows it at one moment."""

    version: int
    turn: int
    phase: str
    active: str
    units: tuple[UnitMark, ...]
    control: np.ndarray
    sight: dict[str, np.ndarray]
    """Per side, the hexes in which it sees enemy units."""
    vp: dict[str, float]
    game_over: bool
    winner: str | None
    victory_level: str | None
    log_length: int

    def units_seen_by(self, side: str | None) -> list[UnitMark]:
        """The units a side sees (all of its own, the enemy's in its sight); None: every unit."""
        if side is None:
            return list(self.units)
        seen = self.sight.get(side)
        return [u for u in self.units if u.side == side or (seen is not None and seen[u.hex])]


def strength_label(unit: Unit) -> str:
    """The counter's strength figure: thousands of men, and tanks when it has them."""
    men = f"{unit.men / 1000:.1f}" if unit.men < 10_000 else f"{unit.men // 1000}"
    return f"{men}k/{unit.tanks}" if unit.tanks else f"{men}k"


def unit_marks(unit: Unit) -> frozenset[str]:
    """The small marks a counter carries."""
    marks = set()
    if not unit.supply.in_supply:
        marks.add("out_of_supply")
    if unit.fuelled and unit.fuel < LOW_FUEL:
        marks.add("low_fuel")
    if unit.entrenchment > 0:
        marks.add("entrenched")
    if unit.readiness < DISORGANISED:
        marks.add("disorganised")
    if unit.cease_fire:
        marks.add("cease_fire")
    return frozenset(marks)


def take_snapshot(game: Game, version: int) -> Snapshot:
    """The snapshot of ``game`` now (call it from the thread that owns the game)."""
    state, world = game.state, game.world
    width = world.grid.width
    units = []
    active = game.active_side
    for u in state.on_map_units():
        col, row = u.hex  # type: ignore[misc]
        units.append(
            UnitMark(
                id=u.id,
                name=u.name,
                side=u.side,
                type=u.type,
                parent=u.parent,
                hex=row * width + col,
                strength=u.men,
                label=strength_label(u),
                marks=unit_marks(u),
                moves_left=(
                    u.side == active
                    and state.phase == "movement"
                    and not u.moved
                    and not u.rail_moved
                    and u.mp_left > 0
                    and not u.cease_fire
                ),
            )
        )
    sight = {side: game.view(side).visible.copy() for side in game.scenario.side_order}
    return Snapshot(
        version=version,
        turn=state.turn,
        phase=state.phase,
        active=active,
        units=tuple(units),
        control=state.control.copy(),
        sight=sight,
        vp=game.victory_points(),
        game_over=state.game_over,
        winner=state.winner,
        victory_level=state.victory_level,
        log_length=len(state.log),
    )
