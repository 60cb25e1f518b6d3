"""Surrender: a unit under a cease-fire order lays down its arms on contact.

A unit under a cease-fire order (``cease_fire`` event effect) neither attacks nor moves: it
waits where it stands to be disarmed. At the end of every phase, each such unit with an enemy
unit in play next to it surrenders: it leaves the map, its men, tanks and guns count as its
side's losses (and its men as prisoners), and its hex passes to the enemy unless another unit
of its own side still stands there. So a forward detachment or an air-landed party that
reaches a garrison which has the order takes its surrender, as from 18 August 1945 (history.md
§3.6, §4.4); units that never get the order fight on.

A unit may also take the order on its own (:func:`give_ups`): once an event with a ``give_up``
effect has fired (August Storm's: the Emperor's broadcast), a selected unit in contact that is
cut off (out of supply for some days) or beaten (below a share of its men) gives up with a daily
chance, as the Hailar garrison did on 18 August 1945. So the ground war decides which garrisons
give up before their army's order reaches them.
"""

from __future__ import annotations

from engine.events import select_units
from engine.log import Note
from engine.losses import take_losses
from engine.rng import keyed_uniform
from engine.scenario.model import GiveUpEffect
from engine.state import LOSS_KINDS, GameState, Unit
from engine.world import World
from engine.zoc import enemy_of, occupied, side_index, unit_index, zone_of_control


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


def give_up_terms(world: World, state: GameState) -> list[GiveUpEffect]:
    """The ``give_up`` effects of the events that have fired, in scenario order."""
    fired = set(state.fired_events)
    return [
        effect
        for event in world.scenario.events
        if event.id in fired
        for effect in event.effects
        if isinstance(effect, GiveUpEffect)
    ]


def encircled(world: World, state: GameState, unit: Unit) -> bool:
    """Whether the enemy has closed round the unit.

    Every hex next to it is the enemy's (held, in its zone of control or under its control) or
    impassable. A garrison on its own depot is never out of supply, but it is cut off all the
    same when the enemy has closed round it.
    """
    enemy = enemy_of(world, unit.side)
    closed = occupied(world, state, enemy) | zone_of_control(world, state, enemy)
    theirs = side_index(world, enemy)
    for j in world.grid.neighbors_of(unit_index(world, unit)):
        if world.passable(j, "foot") and not closed[j] and int(state.control[j]) != theirs:
            return False
    return True


def why_giving_up(world: World, state: GameState, unit: Unit, terms: GiveUpEffect) -> str | None:
    """Why ``unit`` may give up under ``terms`` today (cut off, encircled, beaten), or None."""
    if unit.supply.days_out >= terms.cut_off_days:
        return f"cut off for {unit.supply.days_out} days"
    if encircled(world, state, unit):
        return "encircled"
    if unit.full_men > 0 and unit.men < terms.beaten_below * unit.full_men:
        return f"down to {unit.men / unit.full_men:.0%} of its men"
    return None


def give_ups(world: World, state: GameState, day_key: int) -> list[Note]:
    """Units that take the cease-fire order on their own today (see the module docstring).

    A selected unit not yet under the order gives up when an enemy unit stands next to it, it
    is cut off (out of supply for ``cut_off_days`` or more, or encircled) or beaten (under
    ``beaten_below`` of its full men), and its roll of the day (:func:`engine.rng.keyed_uniform`
    of the day's key and its id) is under the
    ``daily_chance``.

    Returns:
        One log line (kind ``surrender``) per unit that gives up: its side, the unit, its hex.
    """
    messages: list[Note] = []
    for terms in give_up_terms(world, state):
        for unit in select_units(world, state, terms.select):
            if unit.cease_fire or not unit.on_map or unit.hex is None:
                continue
            why = why_giving_up(world, state, unit, terms)
            if why is None:
                continue
            enemy_here = occupied(world, state, enemy_of(world, unit.side))
            if not any(enemy_here[j] for j in world.grid.neighbors_of(unit_index(world, unit))):
                continue
            if keyed_uniform(day_key, unit.id) >= terms.daily_chance:
                continue
            unit.cease_fire = True
            state.version += 1
            messages.append(
                Note(
                    f"{unit.name}, {why}, gives up the fight",
                    "surrender",
                    side=unit.side,
                    units=(unit.id,),
                    hexes=(unit.hex,),
                )
            )
    return messages
