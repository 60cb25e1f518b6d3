"""Fog of war: what one side can see of the other.

A side sees every enemy unit within ``sides[].sight_hexes`` of one of its own units in play
(ground contact and air reconnaissance together), and nothing else of the enemy's units. The
map, the terrain, the network and who controls each hex and place are known to both sides (the
front line was no secret; the controller of a hex is what the map shows). The AI decides from
an :class:`Observation` only; the rules engine it gives orders to knows everything, as it does
for a human player, so a move the AI asks for can still be stopped by a zone of control it did
not see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import enemy_of, occupied, unit_index


@dataclass(frozen=True)
class Observation:
    """One side's view of the game at one moment."""

    side: str
    enemy: str
    visible: np.ndarray
    """Hexes in which the side sees enemy units."""
    own_units: list[Unit]
    enemy_units: list[Unit]
    """The enemy units it sees (only these)."""
    enemy_occupied: np.ndarray
    """Hexes holding an enemy unit it sees."""


def sight_mask(world: World, state: GameState, side: str) -> np.ndarray:
    """Hexes within the side's sight range of one of its units in play.

    The sight spreads one ring of neighbours at a time from the hexes seen so far, outward only
    from the ring added last (neighbourhood is symmetric, so that is the same set as growing the
    whole mask ``sight_hexes`` times; :func:`sight_mask_reference` does the latter).
    """
    spec = next(s for s in world.scenario.sides if s.id == side)
    seen = occupied(world, state, side).copy()
    nb = world.grid.neighbor_index
    ring = np.flatnonzero(seen)
    for _ in range(spec.sight_hexes):
        if ring.size == 0:
            break
        near = nb[ring].ravel()
        near = near[near >= 0]
        near = near[~seen[near]]
        seen[near] = True
        ring = near  # repeats only repeat work
    return seen


def sight_mask_reference(world: World, state: GameState, side: str) -> np.ndarray:
    """:func:`sight_mask` by growing the whole mask one neighbour at a time (kept to test it)."""
    spec = next(s for s in world.scenario.sides if s.id == side)
    seen = occupied(world, state, side).copy()
    nb = world.grid.neighbor_index
    valid = nb >= 0
    for _ in range(spec.sight_hexes):
        spread = (seen[np.where(valid, nb, 0)] & valid).any(axis=1)
        seen |= spread
    return seen


def observe(world: World, state: GameState, side: str) -> Observation:
    """What ``side`` sees now."""
    enemy = enemy_of(world, side)
    visible = sight_mask(world, state, side)
    enemy_units = [u for u in state.units_of(enemy) if visible[unit_index(world, u)]]
    enemy_occupied = occupied(world, state, enemy) & visible
    return Observation(
        side=side,
        enemy=enemy,
        visible=visible,
        own_units=state.units_of(side),
        enemy_units=enemy_units,
        enemy_occupied=enemy_occupied,
    )
