"""Scenario events: when they are due, whether they fire, and what their effects do.

An event is due from its ``turn`` or ``date`` on (or at once, when it has only a ``condition``)
while its condition holds. A due event fires with probability ``chance`` each turn, so a
cease-fire with ``chance: 0.5`` reaches the front on the due day or, more often, a day or two
later. Exactly one number is drawn from the events stream per turn, the day's key; each due
event's roll is a function of that key and its id (:func:`engine.rng.keyed_uniform`), so a mod
that adds, removes or moves an event leaves every other event's dice as they were.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ValidationError

from engine.errors import EngineError
from engine.log import Note
from engine.rng import day_key, keyed_uniform
from engine.scenario.model import (
    CeaseFireEffect,
    Condition,
    EventSpec,
    GiveUpEffect,
    MessageEffect,
    ModifyUnitsEffect,
    ParalysisEffect,
    PlaceUnitsEffect,
    SetRuleEffect,
    UnitSelector,
    VictoryPointsEffect,
    WeatherEffect,
)
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import side_index


def fire_due_events(world: World, state: GameState, rng: np.random.Generator) -> list[Note]:
    """Fire every event due this turn that passes its chance roll.

    Returns:
        Log lines: for each due event, one of kind ``event`` (with the hexes the event names:
        the place of its condition, where it puts units), then one or more per effect.
    """
    messages: list[Note] = []
    key = day_key(rng)
    for event in world.scenario.events:
        if event.id in state.fired_events and not event.repeat:
            continue
        if not is_due(world, state, event):
            continue
        roll = keyed_uniform(key, event.id)
        units, hexes = _named(world, event)
        if roll >= event.chance:
            text = f"event '{event.name or event.id}' is due but does not happen today"
            messages.append(Note(text, "event", units=units, hexes=hexes))
            continue
        if event.id not in state.fired_events:
            state.fired_events.append(event.id)
            state.event_turns[event.id] = state.turn
        messages.append(Note(f"event: {event.name or event.id}", "event", units=units, hexes=hexes))
        for effect in event.effects:
            messages.extend(apply_effect(world, state, effect))
    return messages


def _named(world: World, event: EventSpec) -> tuple[list[str], list[tuple[int, int]]]:
    """The unit ids and hexes an event names: the place of its condition, the units it puts."""
    units: list[str] = []
    hexes: list[tuple[int, int]] = []
    if event.condition is not None and event.condition.controls is not None:
        hexes.append(world.coord(world.places[event.condition.controls[1]].index))
    for effect in event.effects:
        if isinstance(effect, PlaceUnitsEffect):
            for spec in effect.units:
                units.append(spec.id)
                if spec.hex is not None:
                    hexes.append((spec.hex[0], spec.hex[1]))
    return units, hexes


def _one_side(units: list[Unit]) -> str | None:
    """The side of the units, if they are all of one side."""
    sides = {u.side for u in units}
    return sides.pop() if len(sides) == 1 else None


def is_due(world: World, state: GameState, event: EventSpec) -> bool:
    """Whether an event's trigger has come and its condition holds."""
    if event.turn is not None and state.turn < event.turn:
        return False
    if event.date is not None and world.scenario.date_of_turn(state.turn).date() < event.date:
        return False
    return event.condition is None or condition_holds(world, state, event.condition)


def condition_holds(world: World, state: GameState, condition: Condition) -> bool:
    """Whether every part of a condition holds now."""
    if condition.turn_at_least is not None and state.turn < condition.turn_at_least:
        return False
    if condition.controls is not None:
        side, place = condition.controls
        if int(state.control[world.places[place].index]) != side_index(world, side):
            return False
    return True


def select_units(world: World, state: GameState, selector: UnitSelector) -> list[Unit]:
    """Units (in play or pending) matching every field of a selector, in scenario order."""
    parents = {f.id: f.parent for f in world.scenario.formations}

    def under(formation: str | None, wanted: str) -> bool:
        seen = 0
        while formation is not None and seen <= len(parents):
            if formation == wanted:
                return True
            formation = parents.get(formation)
            seen += 1
        return False

    out = []
    for u in state.units.values():
        if u.status in ("destroyed", "surrendered"):
            continue
        if selector.side is not None and u.side != selector.side:
            continue
        if selector.ids is not None and u.id not in selector.ids:
            continue
        if u.id in selector.except_ids:
            continue
        if selector.type is not None and u.type != selector.type:
            continue
        if selector.formation is not None and not under(u.parent, selector.formation):
            continue
        out.append(u)
    return out


def apply_effect(world: World, state: GameState, effect: BaseModel) -> list[Note]:
    """Carry out one effect.

    Returns:
        Its log lines: kind ``event`` (naming the units it changes, and their side when they
        are all of one), ``landing`` for each unit it puts on the map (or fails to), ``weather``
        for a weather effect.
    """
    match effect:
        case MessageEffect():
            return [Note(effect.text, "event")]
        case SetRuleEffect():
            set_rule(state, effect.path, effect.value)
            return [Note(f"rule {effect.path} is now {effect.value}", "event")]
        case ModifyUnitsEffect():
            units = select_units(world, state, effect.select)
            for u in units:
                for name, factor in effect.multiply.items():
                    value = getattr(u, name) * factor
                    if name in ("men", "tanks", "guns"):
                        setattr(u, name, int(round(value)))
                    else:
                        setattr(u, name, min(1.0, value))
                for field_name, level in effect.set.items():
                    if field_name == "entrenchment":
                        u.entrenchment = max(0, int(level))
                    else:
                        setattr(u, field_name, min(1.0, max(0.0, float(level))))
            ids = [u.id for u in units]
            return [Note(f"{len(units)} units modified", "event", side=_one_side(units), units=ids)]
        case ParalysisEffect():
            units = select_units(world, state, effect.select)
            until = state.turn + effect.turns - 1
            for u in units:
                u.paralysed_until = until
                u.paralysis_factor = effect.movement_factor
                u.paralysis_can_attack = effect.can_attack
                u.mp_left = min(u.mp_left, u.movement_allowance * effect.movement_factor)
            text = f"command paralysis: {len(units)} units until turn {until}"
            return [Note(text, "event", side=_one_side(units), units=[u.id for u in units])]
        case CeaseFireEffect():
            units = select_units(world, state, effect.select)
            for u in units:
                u.cease_fire = True
            text = f"cease-fire order reaches {len(units)} units"
            return [Note(text, "event", side=_one_side(units), units=[u.id for u in units])]
        case GiveUpEffect():
            # carried out each day from now on by engine.surrender.give_ups
            units = select_units(world, state, effect.select)
            text = (
                f"from now on {len(units)} units give up when cut off or beaten "
                f"({effect.daily_chance:.0%} a day)"
            )
            return [Note(text, "event", side=_one_side(units))]
        case PlaceUnitsEffect():
            return _place_units(world, state, effect)
        case VictoryPointsEffect():
            state.sides[effect.side].event_vp += effect.points
            return [Note(f"{effect.side} gains {effect.points:g} VP", "event", side=effect.side)]
        case WeatherEffect():
            # carried out each day it lasts by engine.weather, from the turn the event fired
            return [Note(f"weather: {effect.name} for {effect.turns} days", "weather")]
    raise EngineError(f"unknown effect {effect!r}")  # pragma: no cover


def set_rule(state: GameState, path: str, value: object) -> None:
    """Set a rules constant by dotted path, validated against the rules schema."""
    parts = path.split(".")
    chain: list[BaseModel] = [state.rules]
    for part in parts[:-1]:
        chain.append(getattr(chain[-1], part))
    try:
        updated: BaseModel = type(chain[-1]).model_validate(
            {**chain[-1].model_dump(), parts[-1]: value}
        )
    except ValidationError as exc:
        raise EngineError(f"set_rule {path}={value!r}: {exc}") from None
    for parent, part in zip(reversed(chain[:-1]), reversed(parts[:-1]), strict=True):
        parent = parent.model_copy(update={part: updated})
        updated = parent
    state.rules = updated  # type: ignore[assignment]


def _place_units(world: World, state: GameState, effect: PlaceUnitsEffect) -> list[Note]:
    from engine.turn import entry_hex, place_unit

    messages = []
    for spec in effect.units:
        unit = Unit.from_spec(spec, world.scenario)
        if unit.id in state.units:
            text = f"unit {unit.id} already exists: not placed again"
            messages.append(Note(text, "event", side=unit.side, units=(unit.id,)))
            continue
        state.units[unit.id] = unit
        if unit.hex is None:
            continue  # arrives later as a reinforcement
        unit.status = "pending"
        spot = entry_hex(world, state, unit, world.index(*unit.hex))
        if spot is None:
            unit.hex = None
            text = f"{unit.name} cannot land at {spec.hex}: the landing fails"
            messages.append(
                Note(text, "landing", side=unit.side, units=(unit.id,), hexes=(spec.hex,))
            )
            unit.status = "destroyed"
            continue
        place_unit(world, state, unit, spot)
        unit.mp_left = 0.0
        messages.append(
            Note(
                f"{unit.name} lands at {world.coord(spot)}",
                "landing",
                side=unit.side,
                units=(unit.id,),
                hexes=(world.coord(spot),),
            )
        )
    state.version += 1
    return messages
