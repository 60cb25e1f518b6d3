"""Who is where: per-hex occupancy and zones of control as numpy layers.

Side indices are positions in the scenario's ``side_order``; ``state.control`` uses the same.
A unit that exerts a zone of control projects it into its own hex and the six neighbours,
except across river hexsides whose class ``blocks_zoc``.
"""

from __future__ import annotations

import numpy as np

from engine.state import GameState, Unit
from engine.world import RIVER_CLASS_CODES, World


def unit_index(world: World, unit: Unit) -> int:
    """Flat hex index of a unit on the map."""
    assert unit.hex is not None, f"unit {unit.id} is not on the map"
    return unit.hex[1] * world.grid.width + unit.hex[0]


def side_index(world: World, side: str) -> int:
    """Index of a side in the scenario's side order."""
    return world.scenario.side_order.index(side)


def enemy_of(world: World, side: str) -> str:
    """The other side."""
    a, b = world.scenario.side_order
    return b if side == a else a


def positions(world: World, state: GameState, side: str, zoc_only: bool = False) -> np.ndarray:
    """Flat indices of the hexes holding a side's units (with repeats)."""
    w = world.grid.width
    out = [
        u.hex[1] * w + u.hex[0]  # type: ignore[index]
        for u in state.units.values()
        if u.side == side and u.on_map and (u.exerts_zoc or not zoc_only)
    ]
    return np.array(out, dtype=np.int64)


def occupied(world: World, state: GameState, side: str) -> np.ndarray:
    """Boolean layer: hexes holding at least one unit of ``side``."""
    layer = np.zeros(world.grid.size, dtype=bool)
    layer[positions(world, state, side)] = True
    return layer


def zone_of_control(world: World, state: GameState, side: str) -> np.ndarray:
    """Boolean layer: hexes in the zone of control of ``side``'s units."""
    layer = np.zeros(world.grid.size, dtype=bool)
    idx = positions(world, state, side, zoc_only=True)
    if idx.size == 0:
        return layer
    layer[idx] = True
    nb = world.grid.neighbor_index[idx]
    ok = nb >= 0
    blocking = [
        RIVER_CLASS_CODES[name] for name, rules in world.scenario.rivers.items() if rules.blocks_zoc
    ]
    if blocking:
        ok &= ~np.isin(world.river[idx], blocking)
    layer[nb[ok]] = True
    return layer


def stack_points(world: World, state: GameState, side: str) -> np.ndarray:
    """Stacking points of ``side``'s units per hex."""
    layer = np.zeros(world.grid.size, dtype=np.int32)
    w = world.grid.width
    for u in state.units.values():
        if u.side == side and u.on_map:
            layer[u.hex[1] * w + u.hex[0]] += u.stack_points  # type: ignore[index]
    return layer


def units_at(world: World, state: GameState, index: int) -> list[Unit]:
    """Units in play in one hex."""
    coord = world.coord(index)
    return [u for u in state.units.values() if u.on_map and u.hex == coord]
