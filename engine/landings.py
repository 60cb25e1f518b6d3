"""Amphibious landings: a unit sails from a friendly port and lands on a coast within range.

The side's limits are scenario data (``sides[].amphibious``): how many units it can land a day,
how far (in hexes sailed over navigable water from the port of embarkation), from which day,
and which unit types may land (any foot unit when none are listed). The unit must stand on or
next to a port its side controls and must not have moved this turn. It may land on any coastal
hex within range that it can enter, that no enemy unit holds and that has room in the stack;
enemy zones of control do not stop a landing, as they do not stop a drop. The landing is the
unit's move for the day, and the unit takes control of the hex. A defended port is taken by
landing beside it and attacking, as at Chongjin on 13-16 August 1945.
"""

from __future__ import annotations

import numpy as np

from engine.errors import IllegalOrder
from engine.insertion import come_down, open_hexes
from engine.log import Note
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import side_index, unit_index


def _lift(world: World, side: str):  # noqa: ANN202 - a scenario AmphibiousLift
    return next(s for s in world.scenario.sides if s.id == side).amphibious


def embarkation_ports(world: World, state: GameState, unit: Unit) -> list[int]:
    """Ports its side controls on or next to the unit's hex."""
    here = unit_index(world, unit)
    near = {here, *world.grid.neighbors_of(here)}
    mine = side_index(world, unit.side)
    return sorted(
        info.index
        for info in world.places.values()
        if "port" in info.spec.kinds
        and info.index in near
        and int(state.control[info.index]) == mine
    )


def may_land(world: World, unit: Unit) -> bool:
    """Whether the unit's type is one its side's landing craft carry."""
    lift = _lift(world, unit.side)
    if lift.unit_types:
        return unit.type in lift.unit_types
    return unit.movement_class == "foot"


def _land_reason(world: World, state: GameState, unit: Unit) -> str | None:
    lift = _lift(world, unit.side)
    if lift.units_per_day == 0:
        return "no_lift"
    if not may_land(world, unit):
        return "not_amphibious"
    today = world.scenario.date_of_turn(state.turn).date()
    if lift.from_date is not None and today < lift.from_date:
        return "too_early"
    if unit.moved or unit.attacked or unit.rail_moved:
        return "already_moved"
    if state.sides[unit.side].amphibious_used >= lift.units_per_day:
        return "amphibious_lift"
    if not embarkation_ports(world, state, unit):
        return "no_port"
    return None


def landing_zones(world: World, state: GameState, unit: Unit) -> list[int]:
    """Every hex the unit may land on now (empty when it cannot land)."""
    if _land_reason(world, state, unit) is not None:
        return []
    lift = _lift(world, unit.side)
    sailed = np.full(world.grid.size, np.inf)
    for port in embarkation_ports(world, state, unit):
        sailed = np.minimum(sailed, world.sea_distances_from(port))
    passable = np.isfinite(world.terrain_move[unit.movement_class][world.terrain])
    coast = passable & ~world.navigable & (sailed <= lift.range_hexes)
    ok = coast & open_hexes(world, state, unit)
    return [int(i) for i in np.nonzero(ok)[0]]


_MESSAGES = {
    "no_lift": "the {side} side has no landing craft",
    "not_amphibious": "{name} cannot make an amphibious landing (not a unit type the lift carries)",
    "too_early": "no landings before {date}",
    "already_moved": "{name} has already moved or fought this turn",
    "amphibious_lift": "no amphibious lift left today",
    "no_port": "{name} is not on or next to a friendly port",
}


def land(
    world: World, state: GameState, unit: Unit, target: int, plan: GameState | None = None
) -> Note:
    """Land a unit from the sea on ``target``.

    With ``plan`` (the side's seen state, :mod:`engine.view`) the landing is judged as the side
    knows the enemy, then carried out in ``state``: on a beach held by an enemy unit it did not
    see, the unit lands on the nearest open neighbour, or the landing is aborted
    (:func:`engine.insertion.contact_target`).

    Returns:
        The log line (kind ``landing``; the unit; the hexes it sailed from and landed on).

    Raises:
        IllegalOrder: the landing breaks a rule; the state is unchanged.
    """
    known = plan if plan is not None else state
    reason = _land_reason(world, known, unit)
    if reason is not None:
        lift = _lift(world, unit.side)
        raise IllegalOrder(
            reason,
            _MESSAGES[reason].format(name=unit.name, side=unit.side, date=lift.from_date),
        )
    if target not in landing_zones(world, known, unit):
        col, row = world.coord(target)
        raise IllegalOrder(
            "landing_zone",
            f"{unit.name} cannot land on {col},{row}: not a coast within range by sea, "
            "impassable, enemy-held or full",
        )
    state.sides[unit.side].amphibious_used += 1
    words = (
        "landing",
        "beach",
        "sails from {start} and lands on {end}",
        ", pushed off {target} by contact",
    )
    return come_down(world, state, unit, target, "landing", words)
