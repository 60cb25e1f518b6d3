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

import weakref
from dataclasses import dataclass

import numpy as np

from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import enemy_of, occupied, positions, unit_index


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


def sight_radius(world: World, side: str) -> int:
    """The side's sight range in hexes (``sides[].sight_hexes``)."""
    return next(s for s in world.scenario.sides if s.id == side).sight_hexes


_DISCS: weakref.WeakKeyDictionary[World, dict[tuple[int, int], np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def sight_disc(world: World, index: int, radius: int) -> np.ndarray:
    """Hexes within ``radius`` neighbour steps of hex ``index`` (read-only, kept per world).

    The disc a unit in that hex sees: grown ring by ring over the map's neighbours exactly as
    :func:`sight_mask` grows, so a side's mask is the union of the discs of its units' hexes.
    """
    discs = _DISCS.get(world)
    if discs is None:
        discs = {}
        _DISCS[world] = discs
    key = (index, radius)
    hit = discs.get(key)
    if hit is None:
        rows = world.grid.neighbor_rows
        seen = {index}
        ring = [index]
        for _ in range(radius):
            near = []
            for h in ring:
                for j in rows[h]:
                    if j >= 0 and j not in seen:
                        seen.add(j)
                        near.append(j)
            ring = near
        hit = np.fromiter(seen, dtype=np.int64, count=len(seen))
        hit.sort()
        hit.flags.writeable = False
        discs[key] = hit
    return hit


class SightCover:
    """How many of a side's units see each hex, moved along one unit at a time.

    Sight is a union of discs (:func:`sight_disc`), so a move changes it only inside the discs
    of the mover's old and new hex: keeping a count per hex of the units whose disc covers it,
    a move takes one from the old disc and adds one to the new, and the mask is where the count
    is positive. :func:`sight_mask` gives the same mask from scratch (tests compare the two).
    """

    def __init__(self, world: World, state: GameState, side: str) -> None:
        self.world = world
        self.radius = sight_radius(world, side)
        where = positions(world, state, side)  # one entry per unit in play
        size = world.grid.size
        if where.size:
            every = np.concatenate([sight_disc(world, int(i), self.radius) for i in where])
            self.count = np.bincount(every, minlength=size).astype(np.int32)
        else:
            self.count = np.zeros(size, dtype=np.int32)

    def mask(self) -> np.ndarray:
        """Hexes the side sees now (a new array)."""
        return self.count > 0

    def move(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """Move one unit's sight from hex ``start`` to hex ``end``.

        Returns:
            The hexes whose sight may have changed (the two discs) and whether each is seen now.
        """
        old = sight_disc(self.world, start, self.radius)
        new = sight_disc(self.world, end, self.radius)
        self.count[old] -= 1
        self.count[new] += 1
        touched = np.concatenate((old, new))
        return touched, self.count[touched] > 0


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
