"""Weather: rain and mud over an area slow the units standing in it and the supply on its roads.

A scenario event's ``weather`` effect covers an area (a ``[lat, lon]`` polygon, or the whole
map) for ``turns`` days from the day the event first fires. On each of those days a unit whose
hex lies inside starts with at most ``movement_factor`` of its movement allowance (where it is
also under a command paralysis or another spell, the lowest figure counts); rail moves are not
affected. A road link with an end inside carries ``road_capacity_factor`` of its daily
capacity in the supply trace (the lowest figure counts; railways keep theirs). Which spells are
on is read from the events that have fired (``state.event_turns``), so weather has no state of
its own: it saves, replays and hashes with the events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.log import Note
from engine.scenario.model import WeatherEffect
from engine.state import GameState
from engine.world import World


@dataclass(frozen=True)
class Spell:
    """One weather effect that is on today."""

    event_id: str
    effect: WeatherEffect
    area: np.ndarray | None
    """Hexes inside its area (None: the whole map)."""
    last_turn: int


def _area(world: World, key: tuple[str, int], effect: WeatherEffect) -> np.ndarray | None:
    cache = world.__dict__.setdefault("_weather_areas", {})
    if key not in cache:
        cache[key] = None if effect.area is None else world.area_mask(effect.area)
    return cache[key]


def spells_today(world: World, state: GameState) -> list[Spell]:
    """The weather effects on at the current turn, in scenario order."""
    spells = []
    for event in world.scenario.events:
        first = state.event_turns.get(event.id)
        if first is None:
            continue
        for k, effect in enumerate(event.effects):
            if not isinstance(effect, WeatherEffect):
                continue
            last = first + effect.turns - 1
            if first <= state.turn <= last:
                area = _area(world, (event.id, k), effect)
                spells.append(Spell(event.id, effect, area, last))
    return spells


def slow_units(world: World, state: GameState) -> list[Note]:
    """Cut the movement points of the units under today's weather.

    Returns:
        One log line (kind ``weather``) per spell, naming the units it slows.
    """
    messages = []
    for spell in spells_today(world, state):
        e = spell.effect
        slowed: list[str] = []
        for u in state.on_map_units():
            if e.classes is not None and u.movement_class not in e.classes:
                continue
            if spell.area is not None and not spell.area[world.index(*u.hex)]:  # type: ignore[misc]
                continue
            u.mp_left = min(u.mp_left, u.movement_allowance * e.movement_factor)
            slowed.append(u.id)
        messages.append(
            Note(
                f"{e.name}: {len(slowed)} units move at {e.movement_factor:.0%} "
                f"(until turn {spell.last_turn})",
                "weather",
                units=slowed,
            )
        )
    return messages


def road_capacity_factors(world: World, state: GameState) -> np.ndarray | None:
    """Per hex, the lowest ``road_capacity_factor`` of today's spells over it.

    None when no spell today cuts the roads (the common case: the supply trace skips the lookup).
    """
    factors: np.ndarray | None = None
    for spell in spells_today(world, state):
        f = spell.effect.road_capacity_factor
        if f >= 1.0:
            continue
        if factors is None:
            factors = np.ones(world.grid.size)
        if spell.area is None:
            np.minimum(factors, f, out=factors)
        else:
            factors[spell.area] = np.minimum(factors[spell.area], f)
    return factors
