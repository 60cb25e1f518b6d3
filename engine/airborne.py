"""Airborne drops: an airborne unit flies from a friendly airfield to a hex within range.

The unit must stand on or next to an airfield its side controls, must not have moved this turn,
and its side must have airborne lift left today (``sides[].airborne_lift``). It may land on any
hex within ``airborne_range_hexes`` of that airfield that foot units can enter, that no enemy
unit holds and that has room in the stack — enemy zones of control do not stop a drop, which is
the point of seizing airfields and city centres from the air. The drop is the unit's move for
the day.
"""

from __future__ import annotations

import numpy as np

from engine.errors import IllegalOrder
from engine.insertion import come_down, open_hexes
from engine.log import Note
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import side_index, unit_index


def _side_spec(world: World, side: str):  # noqa: ANN202 - a scenario SideSpec
    return next(s for s in world.scenario.sides if s.id == side)


def departure_airfields(world: World, state: GameState, unit: Unit) -> list[int]:
    """Friendly airfields on or next to the unit's hex."""
    here = unit_index(world, unit)
    near = {here, *world.grid.neighbors_of(here)}
    mine = side_index(world, unit.side)
    return sorted(
        info.index
        for info in world.places.values()
        if "airfield" in info.spec.kinds
        and info.index in near
        and int(state.control[info.index]) == mine
    )


def _drop_reason(world: World, state: GameState, unit: Unit) -> str | None:
    if not unit.airborne:
        return "not_airborne"
    if unit.moved or unit.attacked or unit.rail_moved:
        return "already_moved"
    spec = _side_spec(world, unit.side)
    if state.sides[unit.side].airborne_used >= spec.airborne_lift:
        return "airborne_lift"
    if not departure_airfields(world, state, unit):
        return "no_airfield"
    return None


def drop_zones(world: World, state: GameState, unit: Unit) -> list[int]:
    """Every hex the unit may drop on now (empty when it cannot drop)."""
    if _drop_reason(world, state, unit) is not None:
        return []
    spec = _side_spec(world, unit.side)
    in_range = np.zeros(world.grid.size, dtype=bool)
    for airfield in departure_airfields(world, state, unit):
        in_range |= world.grid.distances_from(airfield) <= spec.airborne_range_hexes
    passable = np.isfinite(world.terrain_move["foot"][world.terrain])
    ok = in_range & passable & open_hexes(world, state, unit)
    return [int(i) for i in np.nonzero(ok)[0]]


_MESSAGES = {
    "not_airborne": "{name} is not an airborne unit",
    "already_moved": "{name} has already moved or fought this turn",
    "airborne_lift": "no airborne lift left today",
    "no_airfield": "{name} is not on or next to a friendly airfield",
}


def drop(
    world: World, state: GameState, unit: Unit, target: int, plan: GameState | None = None
) -> Note:
    """Drop an airborne unit on ``target``.

    With ``plan`` (the side's seen state, :mod:`engine.view`) the drop is judged as the side
    knows the enemy, then carried out in ``state``: on a zone held by an enemy unit it did not
    see, the unit comes down on the nearest open neighbour, or the drop is aborted
    (:func:`engine.insertion.contact_target`).

    Returns:
        The log line (kind ``airborne``; the unit; the hexes it flew from and dropped on).

    Raises:
        IllegalOrder: the drop breaks a rule; the state is unchanged.
    """
    known = plan if plan is not None else state
    reason = _drop_reason(world, known, unit)
    if reason is not None:
        raise IllegalOrder(reason, _MESSAGES[reason].format(name=unit.name))
    if target not in drop_zones(world, known, unit):
        col, row = world.coord(target)
        raise IllegalOrder(
            "drop_zone",
            f"{unit.name} cannot drop on {col},{row}: out of range, impassable, enemy-held or full",
        )
    state.sides[unit.side].airborne_used += 1
    words = ("drop", "zone", "drops from {start} on {end}", ", scattered by contact off {target}")
    return come_down(world, state, unit, target, "airborne", words)
