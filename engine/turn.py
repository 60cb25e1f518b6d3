"""The daily turn: phases per side, then supply, reinforcements, events and the victory check.

Sequence of one turn (one day by default, ``scenario.turn_hours``):

1. for each side in ``side_order``: its movement phase, then its combat phase;
2. end of turn: entrenchment of units that stayed put, supply for both sides, lift counters reset;
   dated objectives are judged (``engine.victory``);
3. the date advances; reinforcements due arrive; events due fire; the day's weather slows the
   units under it (``engine.weather``); victory is checked.

The game starts by running step 3 for turn 1, so events dated on the first day (surprise, a
command paralysis) act before the first move.
"""

from __future__ import annotations

import numpy as np

from engine import events, supply, weather
from engine.log import END_OF_TURN, START_OF_TURN, Note, stamp
from engine.rng import SURRENDER_STREAM, day_key
from engine.state import GameState, Unit
from engine.surrender import give_ups, surrenders
from engine.victory import check_victory, judge_objectives
from engine.world import World
from engine.zoc import enemy_of, occupied, side_index, stack_points


def begin_game(
    world: World, state: GameState, streams: dict[str, np.random.Generator]
) -> list[str]:
    """Bring a new game to the first movement phase of turn 1; returns (and logs) its lines."""
    messages = _start_turn(world, state, streams)
    # Later turns carry the status of the previous day's supply phase; the first has none.
    for side in world.scenario.side_order:
        supply.refresh_status(world, state, side)
    return _log(state, START_OF_TURN, messages)


def end_phase(world: World, state: GameState, streams: dict[str, np.random.Generator]) -> list[str]:
    """End the active side's current phase and run whatever follows it.

    Returns the lines it wrote to the game log, each step's under the turn it belongs to.
    """
    side = world.scenario.side_order[state.active]
    messages = _log(
        state,
        state.phase,
        [
            Note(f"{side} ends its {state.phase} phase", "phase", side=side),
            *surrenders(world, state),
            *record_place_changes(world, state),
        ],
    )
    if state.phase == "movement":
        state.phase = "combat"
        return messages
    state.phase = "movement"
    if state.active == 0:
        state.active = 1
        return messages
    state.active = 0
    messages += _log(state, END_OF_TURN, _end_turn(world, state))
    if state.turn >= world.scenario.turns:
        return messages + _log(state, END_OF_TURN, check_victory(world, state, final=True))
    state.turn += 1
    return messages + _log(state, START_OF_TURN, _start_turn(world, state, streams))


def _log(state: GameState, phase: str, messages: list[str]) -> list[str]:
    """Write ``messages`` to the log at the current turn and ``phase``; returns them."""
    state.log.extend(stamp(messages, state.turn, phase))
    return messages


# ---------------------------------------------------------------- turn steps


def _end_turn(world: World, state: GameState) -> list[str]:
    messages: list[str] = []
    max_level = state.rules.combat.max_entrenchment
    for u in state.on_map_units():
        if not u.moved and not u.attacked and u.entrenchment < max_level:
            u.entrenchment += 1
    for side in world.scenario.side_order:
        messages.extend(supply.supply_phase(world, state, side))
    for s in state.sides.values():
        s.air_lift_used = 0.0
        s.airborne_used = 0
        s.amphibious_used = 0
        s.rail_moves_used = 0
    state.version += 1
    messages.extend(judge_objectives(world, state))
    return messages


def _start_turn(
    world: World, state: GameState, streams: dict[str, np.random.Generator]
) -> list[str]:
    date = world.scenario.date_of_turn(state.turn)
    messages: list[str] = [Note(f"turn {state.turn} begins: {date:%d %B %Y}", "turn")]
    for u in state.units.values():
        reset_unit(u, state.turn)
    messages.extend(arrive_reinforcements(world, state))
    messages.extend(events.fire_due_events(world, state, streams["events"]))
    messages.extend(give_ups(world, state, day_key(streams[SURRENDER_STREAM])))
    messages.extend(weather.slow_units(world, state))
    messages.extend(record_place_changes(world, state))
    messages.extend(check_victory(world, state, final=False))
    return messages


def place_controllers(state: GameState) -> dict[str, int]:
    """Side index that last took each recorded place (its starting controller if nobody has)."""
    return {pid: side for pid, _turn, side in state.place_changes}


def record_place_changes(world: World, state: GameState) -> list[Note]:
    """Record every place whose controller changed since it was last recorded.

    Returns:
        One log line (kind ``capture``) per change: the side that took the place (None if
        nobody holds it now) and its hex.
    """
    messages = []
    order = world.scenario.side_order
    last = place_controllers(state)
    holders = state.control[[info.index for info in world.places.values()]].tolist()
    for (pid, info), now in zip(world.places.items(), holders, strict=True):
        if pid not in last:
            state.place_changes.append((pid, 0, now))
        elif last[pid] != now:
            state.place_changes.append((pid, state.turn, now))
            who = order[now] if now >= 0 else "nobody"
            messages.append(
                Note(
                    f"{info.spec.name} is taken by {who}",
                    "capture",
                    side=order[now] if now >= 0 else None,
                    hexes=(world.coord(info.index),),
                )
            )
    return messages


def reset_unit(unit: Unit, turn: int) -> None:
    """A unit's fresh day: full movement allowance (less any paralysis), no moves or attacks."""
    factor = unit.paralysis_factor if unit.paralysed_until >= turn else 1.0
    unit.mp_left = unit.movement_allowance * factor
    unit.moved = False
    unit.attacked = False
    unit.rail_moved = False


def arrive_reinforcements(world: World, state: GameState) -> list[Note]:
    """Place pending units whose arrival turn has come; a blocked entry waits a day.

    Returns:
        One log line (kind ``reinforcement``) per unit due: the unit and the hex where it
        arrives (or was due to, when it is delayed).
    """
    messages = []
    for u in state.units.values():
        if u.status != "pending" or u.arrives_turn is None or u.arrives_turn > state.turn:
            continue
        assert u.arrives_hex is not None
        spot = entry_hex(world, state, u, world.index(*u.arrives_hex))
        if spot is None:
            text = f"{u.name} cannot enter at {u.arrives_hex}: delayed a day"
            messages.append(
                Note(text, "reinforcement", side=u.side, units=(u.id,), hexes=(u.arrives_hex,))
            )
            continue
        place_unit(world, state, u, spot)
        messages.append(
            Note(
                f"{u.name} arrives at {world.coord(spot)}",
                "reinforcement",
                side=u.side,
                units=(u.id,),
                hexes=(world.coord(spot),),
            )
        )
    return messages


def entry_hex(world: World, state: GameState, unit: Unit, target: int) -> int | None:
    """The hex where a unit arriving at ``target`` can enter: it or the first free neighbour."""
    enemy_here = occupied(world, state, enemy_of(world, unit.side))
    stacks = stack_points(world, state, unit.side)
    limit = state.rules.stacking.max_points
    for i in (target, *sorted(world.grid.neighbors_of(target))):
        if (
            world.passable(i, unit.movement_class)
            and not enemy_here[i]
            and stacks[i] + unit.stack_points <= limit
        ):
            return i
    return None


def place_unit(world: World, state: GameState, unit: Unit, index: int) -> None:
    """Put a unit into play on a hex; the hex becomes its side's."""
    unit.hex = world.coord(index)
    unit.status = "active"
    state.control[index] = side_index(world, unit.side)
    state.version += 1
