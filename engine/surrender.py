"""Surrender under the cease-fire: a unit that has the order lays down its arms on contact.

A unit under a cease-fire order (``cease_fire`` event effect) neither attacks nor moves: it
waits where it stands to be disarmed. At the end of every phase, each such unit with an enemy
unit in play next to it surrenders: it leaves the map, its men, tanks and guns count as its
side's losses (and its men as prisoners), and its hex passes to the enemy unless another unit
of its own side still stands there. So a forward detachment or an air-landed party that
reaches a garrison which has the order takes its surrender, as from 18 August 1945 (history.md
§3.6, §4.4); units that never get the order fight on.
"""

from __future__ import annotations

from engine.log import Note
from engine.losses import take_losses
from engine.state import LOSS_KINDS, GameState
from engine.world import World
from engine.zoc import enemy_of, occupied, side_index, unit_index


def surrenders(world: World, state: GameState) -> list[Note]:
    """Take the surrender of every unit under a cease-fire order in contact.

    Returns:
        One log line (kind ``surrender``) per unit: the surrendering side, the unit and the hex
        it stood on.
    """
    messages = []
    for side in world.scenario.side_order:
        waiting = [u for u in state.units_of(side) if u.cease_fire]
        if not waiting:
            continue
        enemy = enemy_of(world, side)
        enemy_here = occupied(world, state, enemy)
        for unit in sorted(waiting, key=lambda u: u.id):
            here = unit_index(world, unit)
            if not any(enemy_here[j] for j in world.grid.neighbors_of(here)):
                continue
            men = unit.men
            where = unit.hex
            take_losses(state, unit, {k: getattr(unit, k) for k in LOSS_KINDS})
            unit.status = "surrendered"
            unit.hex = None
            state.sides[side].prisoners += men
            state.version += 1
            if not occupied(world, state, side)[here]:
                state.control[here] = side_index(world, enemy)
            messages.append(
                Note(
                    f"{unit.name} surrenders: {men:,} men taken prisoner",
                    "surrender",
                    side=side,
                    units=(unit.id,),
                    hexes=(where,),
                )
            )
    return messages
