"""What airborne drops and amphibious landings share: where a unit may be put down, and how.

Both put a unit on a hex it did not walk to: one that no enemy unit holds, with room in the
stack, outside the regions forbidden to its side; enemy zones of control do not matter. Being
put down is the unit's move for the day, and it takes the hex.
"""

from __future__ import annotations

import numpy as np

from engine.log import Note
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import enemy_of, occupied, side_index, stack_points, unit_index


def open_hexes(world: World, state: GameState, unit: Unit) -> np.ndarray:
    """Hexes where the unit may be put down, terrain and range aside."""
    free = ~occupied(world, state, enemy_of(world, unit.side))
    room = stack_points(world, state, unit.side) + unit.stack_points <= (
        state.rules.stacking.max_points
    )
    ok = free & room & ~world.forbidden[unit.side]
    ok[unit_index(world, unit)] = False
    return ok


def put_down(world: World, state: GameState, unit: Unit, target: int) -> tuple[int, int] | None:
    """Put the unit on ``target`` as its move for the day; returns the hex it came from."""
    start = unit.hex
    unit.hex = world.coord(target)
    unit.mp_left = 0.0
    unit.moved = True
    unit.entrenchment = 0
    state.control[target] = side_index(world, unit.side)
    state.version += 1
    return start


def contact_target(world: World, state: GameState, unit: Unit, target: int) -> int | None:
    """Where a drop or landing planned on ``target`` (on its side's view) comes down for real.

    On ``target`` when it is open in the true ``state``; when an enemy unit the side did not
    see holds it, on the open neighbour of ``target`` (passable for the unit) nearest the unit's
    own hex, lowest index first on ties; None when every one of them is closed too (the
    operation is aborted). See docs/rules.md, "Fog of war and contact".
    """
    ok = open_hexes(world, state, unit)
    if ok[target]:
        return target
    here = unit_index(world, unit)
    around = [
        j
        for j in world.grid.neighbors_of(target)
        if ok[j] and world.passable(j, unit.movement_class)
    ]
    if not around:
        return None
    return min(around, key=lambda j: (world.grid.distance(here, j), j))


def come_down(
    world: World,
    state: GameState,
    unit: Unit,
    target: int,
    kind: str,
    words: tuple[str, str, str, str],
) -> Note:
    """Carry out a drop or landing planned on ``target`` (see :func:`contact_target`).

    ``words`` are the operation's name, its ground, its line with ``{start}`` and ``{end}``,
    and the note when contact diverted it, e.g. ``("drop", "zone", "drops from {start} on
    {end}", ", scattered by contact off {target}")``. Aborted, the unit stays, its day spent.
    """
    name, ground, line, diverted = words
    actual = contact_target(world, state, unit, target)
    if actual is None:
        unit.mp_left = 0.0
        unit.moved = True
        where = world.coord(target)
        text = f"{unit.name}'s {name} on {where} is aborted: the enemy holds the {ground}"
        return Note(text, kind, side=unit.side, units=(unit.id,), hexes=(unit.hex, unit.hex))
    start = put_down(world, state, unit, actual)
    text = f"{unit.name} " + line.format(start=start, end=unit.hex)
    if actual != target:
        text += diverted.format(target=world.coord(target))
    return Note(text, kind, side=unit.side, units=(unit.id,), hexes=(start, unit.hex))
