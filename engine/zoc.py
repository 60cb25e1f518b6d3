"""Who is where: per-hex occupancy and zones of control as numpy layers.

Side indices are positions in the scenario's ``side_order``; ``state.control`` uses the same.
A unit that exerts a zone of control projects it into its own hex and the six neighbours,
except across river hexsides whose class ``blocks_zoc``.

The layers are remembered on the state for its ``version`` (which every change of where units
are bumps) and returned read-only: many rules ask for them between two moves.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

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


_EMPTY = np.zeros(0, dtype=np.int64)


def _hex_index(world: World, units: list[Unit]) -> np.ndarray:
    w = world.grid.width
    return np.array([u.hex[1] * w + u.hex[0] for u in units], dtype=np.int64)  # type: ignore[index]


def positions(world: World, state: GameState, side: str, zoc_only: bool = False) -> np.ndarray:
    """Flat indices of the hexes holding a side's units (with repeats), in scenario order."""
    units = state.in_play().get(side, [])
    if zoc_only:
        units = [u for u in units if u.exerts_zoc]
    return _hex_index(world, units) if units else _EMPTY.copy()


def _cached(state: GameState, key: tuple[str, str], build: Callable[[], np.ndarray]) -> np.ndarray:
    hit = state.cache.get(key)
    if hit is not None and hit[0] == state.version:
        return hit[1]
    layer = build()
    layer.flags.writeable = False
    state.cache[key] = (state.version, layer)
    return layer


def occupied(world: World, state: GameState, side: str) -> np.ndarray:
    """Boolean layer (read-only): hexes holding at least one unit of ``side``."""
    return _cached(state, ("zoc.occupied", side), lambda: _occupied(world, state, side))


def zone_of_control(world: World, state: GameState, side: str) -> np.ndarray:
    """Boolean layer (read-only): hexes in the zone of control of ``side``'s units."""
    return _cached(state, ("zoc.zoc", side), lambda: _zone_of_control(world, state, side))


def stack_points(world: World, state: GameState, side: str) -> np.ndarray:
    """Stacking points of ``side``'s units per hex (read-only)."""
    return _cached(state, ("zoc.stack", side), lambda: _stack_points(world, state, side))


def _occupied(world: World, state: GameState, side: str) -> np.ndarray:
    layer = np.zeros(world.grid.size, dtype=bool)
    layer[positions(world, state, side)] = True
    return layer


def _blocking_codes(world: World) -> list[int]:
    """River class codes whose hexsides block a zone of control."""
    return [
        RIVER_CLASS_CODES[name] for name, rules in world.scenario.rivers.items() if rules.blocks_zoc
    ]


_PROJECTS: weakref.WeakKeyDictionary[World, np.ndarray] = weakref.WeakKeyDictionary()


def _projects(world: World) -> np.ndarray:
    """Per hex and direction (read-only, per world): whether a ZOC reaches the neighbour there.

    It does when the neighbour is on the map and the hexside has no river that blocks a zone
    of control.
    """
    hit = _PROJECTS.get(world)
    if hit is None:
        hit = world.grid.neighbor_index >= 0
        blocking = _blocking_codes(world)
        if blocking:
            hit &= ~np.isin(world.river, blocking)
        hit.flags.writeable = False
        _PROJECTS[world] = hit
    return hit


def _zone_of_control(world: World, state: GameState, side: str) -> np.ndarray:
    layer = np.zeros(world.grid.size, dtype=bool)
    idx = positions(world, state, side, zoc_only=True)
    if idx.size == 0:
        return layer
    layer[idx] = True
    nb = world.grid.neighbor_index[idx]
    layer[nb[_projects(world)[idx]]] = True
    return layer


def _stack_points(world: World, state: GameState, side: str) -> np.ndarray:
    units = state.in_play().get(side, [])
    if not units:
        return np.zeros(world.grid.size, dtype=np.int32)
    points = np.array([u.stack_points for u in units], dtype=np.float64)
    layer = np.bincount(_hex_index(world, units), weights=points, minlength=world.grid.size)
    return layer.astype(np.int32)


def units_at(world: World, state: GameState, index: int) -> list[Unit]:
    """Units in play in one hex, in scenario order (a copy: the caller may change it)."""
    hit = state.cache.get("zoc.units_by_hex")
    if hit is None or hit[0] != state.version:
        by_hex: dict[int, list[Unit]] = {}
        w = world.grid.width
        for u in state.on_map_units():
            by_hex.setdefault(u.hex[1] * w + u.hex[0], []).append(u)  # type: ignore[index]
        hit = (state.version, by_hex)
        state.cache["zoc.units_by_hex"] = hit
    return list(hit[1].get(index, ()))


# ---------------------------------------------------------------- the simple versions
# One loop over the units per query, as the rules read; kept beside the indexed versions above
# for the equivalence tests and benchmarks/bench_campaign.py.


def positions_reference(
    world: World, state: GameState, side: str, zoc_only: bool = False
) -> np.ndarray:
    """:func:`positions` by a plain loop over the units."""
    w = world.grid.width
    out = [
        u.hex[1] * w + u.hex[0]  # type: ignore[index]
        for u in state.units.values()
        if u.side == side and u.on_map and (u.exerts_zoc or not zoc_only)
    ]
    return np.array(out, dtype=np.int64)


def occupied_reference(world: World, state: GameState, side: str) -> np.ndarray:
    """The :func:`occupied` layer by a plain loop over the units."""
    layer = np.zeros(world.grid.size, dtype=bool)
    layer[positions_reference(world, state, side)] = True
    return layer


def zone_of_control_reference(world: World, state: GameState, side: str) -> np.ndarray:
    """The :func:`zone_of_control` layer by a plain loop over the units."""
    layer = np.zeros(world.grid.size, dtype=bool)
    idx = positions_reference(world, state, side, zoc_only=True)
    if idx.size == 0:
        return layer
    layer[idx] = True
    nb = world.grid.neighbor_index[idx]
    ok = nb >= 0
    blocking = _blocking_codes(world)
    if blocking:
        ok &= ~np.isin(world.river[idx], blocking)
    layer[nb[ok]] = True
    return layer


def stack_points_reference(world: World, state: GameState, side: str) -> np.ndarray:
    """The :func:`stack_points` layer by a plain loop over the units."""
    layer = np.zeros(world.grid.size, dtype=np.int32)
    w = world.grid.width
    for u in state.units.values():
        if u.side == side and u.on_map:
            layer[u.hex[1] * w + u.hex[0]] += u.stack_points  # type: ignore[index]
    return layer


def units_at_reference(world: World, state: GameState, index: int) -> list[Unit]:
    """:func:`units_at` by a plain loop over the units."""
    w = world.grid.width
    return [
        u
        for u in state.units.values()
        if u.on_map and u.hex[1] * w + u.hex[0] == index  # type: ignore[index]
    ]
