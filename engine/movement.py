"""Movement: where a unit can go this phase, moving it there, and strategic rail movement.

The search takes costs and knows nothing about units (Wesnoth's ``cost_calculator``): the
world's per-movement-class step costs (terrain, rivers, roads and railways, see
:attr:`engine.world.World.base_step_cost`) are combined with the rules of enemy units (occupied
hexes cannot be entered, entering an enemy zone of control ends movement) into one directed
graph, and a single Dijkstra search bounded by the unit's movement points answers the query.

Two implementations of exactly the same rules live here:

* :func:`reachable` — the fast path. Per world, movement class, side and enemy positions it
  builds once a ``scipy.sparse`` CSR graph: nodes ``0..N-1`` are ordinary hexes (a hex in
  enemy ZOC has no outgoing edges, an enemy-occupied hex no incoming ones) and after them, for
  each hex ``u`` in enemy ZOC, a start copy "starting in hex ``u``" with ``u``'s outgoing steps
  filtered by the ZOC-to-ZOC rule. A query is one ``scipy.sparse.csgraph.dijkstra`` from the
  start hex (or its start copy) with ``limit`` = movement points; the queries of a phase are
  made together, one scipy call per side and movement class (``_Batch``). When the enemy
  deployment changes (a side's view sights an enemy unit), a search the change cannot reach
  is answered from the side's last batch (``_reused_row``), with no new graph or batch.
* :func:`reachable_reference` — the plain networkx model (``nx.DiGraph`` and
  ``nx.single_source_dijkstra`` with ``cutoff``), kept for the equivalence tests and the
  benchmark.

The graph cache lives beside the :class:`~engine.world.World` (a ``WeakKeyDictionary``), never in
the :class:`~engine.state.GameState`, and is keyed on everything the graph depends on (movement
class, side, the position and ZOC flag of every enemy unit on the map, the ``zoc_to_zoc`` rule),
so it can never serve a stale graph and has no effect on saves, hashes or determinism.

Hex grid conventions follow Red Blob Games, "Hexagonal Grids"
(https://www.redblobgames.com/grids/hexagons/), via :mod:`engine.hexgrid`.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from engine.errors import IllegalOrder
from engine.log import Note
from engine.state import GameState, Unit
from engine.tiebreak import COST_TOL, SALT_MOVEMENT, tiebreak
from engine.world import World
from engine.zoc import (
    enemy_of,
    occupied,
    side_index,
    stack_points,
    unit_index,
    zone_of_control,
)

#: Tolerance on movement-point sums, so that a path costing exactly the points left (its cost
#: carries the tie-break perturbation, see engine/tiebreak.py) is never lost to rounding.
MP_EPSILON = COST_TOL

#: Scale of the tie-break perturbation of a movement step (engine/tiebreak.py); a path of a
#: thousand steps carries less than 1e-6 of it, which reported costs round away.
MOVE_TIE_EPS = 1e-9
#: Decimals of movement-point costs as reported (terrain costs in files have far fewer).
COST_DECIMALS = 6

#: Graphs kept per world (least recently used dropped first). One side's movement phase uses at
#: most one per movement class; the rest serves previews, the AI and the other side.
GRAPH_CACHE_SIZE = 16
#: Batches of searches kept per world: each holds a row of N distances per start hex.
BATCH_CACHE_SIZE = 4
#: Search a phase's start hexes in batches (see ``_Batch``); off, every query searches alone.
#: The results are identical either way; the benchmark times both.
USE_BATCHES = True
#: Answer a query from the side's last batch when the enemy deployment changed only out of the
#: unit's reach (see ``_reused_row``); off, every new deployment builds its graph and batch.
#: The results are identical either way; tests compare both and the benchmark times both.
REUSE_ROWS = True
#: Build a movement graph by closing the few steps the enemy units affect (``_graph_steps``);
#: off, by testing every step of the map (``_graph_steps_reference``). The same graph.
CLOSE_STEPS = True
#: Changes between two enemy deployments kept per world (see ``_changed_sources``).
DELTA_CACHE_SIZE = 8
#: Search a batch only from the units a player said it means to move this phase
#: (:func:`expect_moves`); off, from every unit of the side and class with points left.
#: The results are identical either way (a unit outside its batch is searched alone).
BATCH_EXPECTED_ONLY = True

NO_PREDECESSOR = -1


# ---------------------------------------------------------------- the result of a query


@dataclass(frozen=True, eq=False)
class Reach:
    """Where one unit can move this phase, at what cost and by which path.

    Attributes:
        unit_id: the unit the query was made for.
        start: flat index of the unit's hex.
        movement_points: the points the unit could spend (see :func:`movement_points`).
        dist: movement points to reach each hex (``np.inf`` where unreachable; 0 at the start).
        predecessors: the previous hex on the cheapest path to each hex (negative for none).
        enemy_zoc: hexes in the enemy's zone of control (a move ending there uses up all the
            unit's remaining movement points).
        enemy_occupied: hexes holding enemy units.
        own_stack: stacking points of the unit's side per hex.

    ``may_end`` (hexes where a move may end: not enemy-occupied, with room in the stack for this
    unit) is derived on first use, as a single move needs it for one hex only.
    """

    unit_id: str
    start: int
    movement_points: float
    search_dist: np.ndarray
    """Distances as searched, with the tie-break perturbation (below 1e-6). A row shared with a
    batch may hold hexes beyond this unit's points: :meth:`reaches` is the test."""
    predecessors: np.ndarray
    enemy_zoc: np.ndarray
    enemy_occupied: np.ndarray
    own_stack: np.ndarray
    stack_room: float
    """Stacking points that may already stand in a hex for this unit to end its move there."""

    @cached_property
    def reachable_mask(self) -> np.ndarray:
        """Hexes the unit can reach with its points (start included)."""
        return self.search_dist <= self.movement_points + MP_EPSILON

    @cached_property
    def dist(self) -> np.ndarray:
        """Movement points to reach each hex, as the rules count them (``inf`` if unreachable)."""
        return np.where(self.reachable_mask, np.round(self.search_dist, COST_DECIMALS), np.inf)

    def reaches(self, index: int) -> bool:
        """Whether the unit can reach one hex."""
        return bool(self.search_dist[index] <= self.movement_points + MP_EPSILON)

    @cached_property
    def may_end(self) -> np.ndarray:
        """Hexes where a move may end as far as units are concerned (built on first use)."""
        return (self.own_stack <= self.stack_room) & ~self.enemy_occupied

    def may_end_at(self, index: int) -> bool:
        """Whether a move may end in one hex as far as units are concerned."""
        return bool(self.own_stack[index] <= self.stack_room and not self.enemy_occupied[index])

    def destinations(self) -> list[int]:
        """Flat indices of the hexes where the unit may end a move, in index order."""
        ok = self.reachable_mask & self.may_end
        ok[self.start] = False
        return [int(i) for i in np.flatnonzero(ok)]

    def ends(self) -> np.ndarray:
        """:meth:`destinations` as an array, judged on the reachable hexes alone.

        The unit reaches a few hundred of the map's hexes: testing only those for stacking and
        enemy units spares three passes over the whole map per query.
        """
        near = np.flatnonzero(self.reachable_mask)
        near = near[(self.own_stack[near] <= self.stack_room) & ~self.enemy_occupied[near]]
        return near[near != self.start]

    def path_to(self, index: int) -> list[int]:
        """Hexes of the cheapest path from the start to ``index`` (both included).

        Returns an empty list when ``index`` is unreachable.
        """
        if not self.reaches(index):
            return []
        path = [int(index)]
        while path[-1] != self.start:
            prev = int(self.predecessors[path[-1]])
            if prev < 0:  # pragma: no cover - a reachable hex always has a path
                raise AssertionError(f"broken predecessor chain at hex {path[-1]}")
            path.append(prev)
        path.reverse()
        return path

    def cost_to(self, index: int) -> float:
        """Movement points to reach ``index`` (``inf`` when unreachable)."""
        if not self.reaches(index):
            return float("inf")
        return round(float(self.search_dist[index]), COST_DECIMALS)


# ---------------------------------------------------------------- movement points


def movement_points(world: World, state: GameState, unit: Unit) -> float:
    """Movement points the unit can still spend this phase.

    That is ``unit.mp_left``, limited for fuelled units (motorized and tracked) by the fuel they
    carry: ``fuel / fuel_per_mp[class]``. A unit that made a strategic rail move has none.
    """
    del world  # part of the uniform signature of the movement queries
    if unit.rail_moved:
        return 0.0
    mp = max(0.0, float(unit.mp_left))
    if unit.fuelled:
        rate = state.rules.movement.fuel_per_mp.get(unit.movement_class, 0.0)  # type: ignore[call-overload]
        if rate > 0:
            mp = min(mp, max(0.0, float(unit.fuel)) / rate)
    return mp


# ---------------------------------------------------------------- the per-world cache


@dataclass
class _StepTable:
    """The finite steps of one movement class as flat arrays, sorted by source hex."""

    src: np.ndarray
    dst: np.ndarray
    cost: np.ndarray
    size: int
    """Hexes on the map."""
    dst32: np.ndarray = field(init=False)
    """``dst`` as the CSR column dtype."""
    out_of: np.ndarray = field(init=False)
    """Per hex, the positions of the steps out of it (-1 pads the rows), in table order."""
    into: np.ndarray = field(init=False)
    """Per hex, the positions of the steps into it (-1 pads the rows)."""
    open_to: dict[str, np.ndarray] = field(default_factory=dict)
    """Per side: steps into hexes the side may enter at all (not ``world.forbidden``)."""
    open_counts: dict[str, np.ndarray] = field(default_factory=dict)
    """Per side: how many of those steps lead out of each hex."""

    def __post_init__(self) -> None:
        self.dst32 = self.dst.astype(np.int32)
        self.out_of = _positions_by(self.src, self.size)
        self.into = _positions_by(self.dst, self.size)

    def allowed(self, world: World, side: str) -> np.ndarray:
        """Steps ``side`` may take whatever the units: into hexes it is not forbidden."""
        ok = self.open_to.get(side)
        if ok is None:
            ok = ~world.forbidden[side][self.dst]
            self.open_to[side] = ok
        return ok

    def allowed_counts(self, world: World, side: str) -> np.ndarray:
        """Per hex, the number of steps out of it that ``side`` may take whatever the units."""
        counts = self.open_counts.get(side)
        if counts is None:
            counts = np.bincount(self.src[self.allowed(world, side)], minlength=self.size)
            self.open_counts[side] = counts
        return counts


def _positions_by(hexes: np.ndarray, size: int) -> np.ndarray:
    """Per hex, the positions in ``hexes`` that hold it (in order; -1 pads the rows)."""
    count = np.bincount(hexes, minlength=size)
    order = np.argsort(hexes, kind="stable")
    first = np.concatenate(([0], np.cumsum(count)[:-1]))
    out = np.full((size, max(1, int(count.max(initial=0)))), -1, dtype=np.int64)
    out[hexes[order], np.arange(order.size) - first[hexes[order]]] = order
    return out


@dataclass
class _WorldCache:
    steps: dict[str, _StepTable] = field(default_factory=dict)
    enemy_layers: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=OrderedDict
    )
    graphs: OrderedDict[tuple, _Graph] = field(default_factory=OrderedDict)
    batches: OrderedDict[tuple, tuple[_Graph, _Batch]] = field(default_factory=OrderedDict)
    recent: dict[tuple, _Recent] = field(default_factory=dict)
    """Per side, movement class and ``zoc_to_zoc`` rule: the batch its last search used."""
    deltas: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = field(default_factory=OrderedDict)
    rail_adjacency: dict[int, list[int]] | None = None
    expected: dict[str, tuple[tuple[int, str], frozenset[str]]] = field(default_factory=dict)
    """Per side: the turn and phase of its last :func:`expect_moves` and the units named."""


@dataclass(frozen=True)
class _Batch:
    """Searches from every start hex of one side's units of one class, in one scipy call.

    A scipy search costs about 0.1 ms before it explores a single hex; a phase in which a
    hundred units move would pay that a hundred times. Shortest paths are unique (every step
    carries its tie-break perturbation), so a row searched to a larger limit holds exactly the
    distances and predecessors a single search to the unit's own limit would find.
    """

    limit: float
    rows: dict[int, int]
    dist: np.ndarray
    pred: np.ndarray


@dataclass(frozen=True, eq=False)
class _Recent:
    """A batch of searches and the enemy deployment (key and layers) its graph was built for."""

    enemy_key: bytes
    occ: np.ndarray
    zoc: np.ndarray
    batch: _Batch


_CACHES: weakref.WeakKeyDictionary[World, _WorldCache] = weakref.WeakKeyDictionary()


def _cache(world: World) -> _WorldCache:
    c = _CACHES.get(world)
    if c is None:
        c = _WorldCache()
        _CACHES[world] = c
    return c


def forget_batches(world: World) -> None:
    """Drop one world's batches of searches (the graphs stay): for benchmarks and tests."""
    c = _cache(world)
    c.batches.clear()
    c.recent.clear()
    c.deltas.clear()


def expect_moves(world: World, state: GameState, side: str, unit_ids: list[str]) -> None:
    """Say which of ``side``'s units a player means to move this phase (a hint, nothing more).

    A batch of searches (``_Batch``) then starts only from those units' hexes rather than from
    every unit of the side with points left: a side that holds most of its units still pays
    for none of their searches. Any other unit that asks is searched alone, with the same
    answer; the hint lapses when the phase ends.
    """
    c = _cache(world)
    c.expected[side] = ((state.turn, state.phase), frozenset(unit_ids))


def clear_cache(world: World | None = None) -> None:
    """Drop the cached movement graphs of one world (or of all worlds)."""
    if world is None:
        _CACHES.clear()
    else:
        _CACHES.pop(world, None)


def _lru_put(store: OrderedDict, key: tuple, value: object, size: int = GRAPH_CACHE_SIZE) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > size:
        store.popitem(last=False)


def _step_table(world: World, movement_class: str) -> _StepTable:
    c = _cache(world)
    table = c.steps.get(movement_class)
    if table is None:
        cost = world.base_step_cost[movement_class]
        nb = world.grid.neighbor_index
        src, d = np.nonzero(np.isfinite(cost) & (nb >= 0))
        table = _StepTable(
            src=src.astype(np.int64),
            dst=nb[src, d].astype(np.int64),
            # Canonical paths: see engine/tiebreak.py.
            cost=cost[src, d] + MOVE_TIE_EPS * tiebreak(src, nb[src, d], SALT_MOVEMENT),
            size=world.grid.size,
        )
        c.steps[movement_class] = table
    return table


@dataclass(frozen=True)
class _Scan:
    """One pass over the units: the enemy fingerprint and the own side's stacking layer."""

    enemy_side: str
    enemy_key: bytes
    """Every enemy unit's hex and ZOC flag, packed: bytes hash once and keep the hash, so the
    graph and layer caches look it up in O(1) however many units there are."""
    own_stack: np.ndarray


def _scan(world: World, state: GameState, side: str) -> _Scan:
    """The scan of ``side``'s view of the units, cached on the state for its ``version``."""
    key = ("movement.scan", side)
    hit = state.cache.get(key)
    if hit is not None and hit[0] == state.version:
        return hit[1]
    scan = _scan_units(world, state, side)
    state.cache[key] = (state.version, scan)
    return scan


#: Layers of one side (see engine/zoc.py) that another side's move leaves as they are.
_OTHER_SIDE_LAYERS = ("zoc.occupied", "zoc.zoc", "zoc.stack")


def advance_scan(state: GameState, unit: Unit, start: int, dest: int) -> None:
    """Bump the state version after ``unit`` moved, carrying its side's scan forward.

    Only the mover's stacking points changed hexes, so its side's scan is patched rather than
    rebuilt (a full rescan per move would dominate a turn); the other side's scan, in which the
    mover is an enemy, is dropped. The other side's own layers (occupancy, zone of control,
    stacking: :mod:`engine.zoc`) do not depend on the mover and are carried forward as they are.
    """
    key = ("movement.scan", unit.side)
    hit = state.cache.get(key)
    version = state.version
    others = {
        k: v[1]
        for k, v in state.cache.items()
        if isinstance(k, tuple)
        and len(k) == 2
        and k[0] in _OTHER_SIDE_LAYERS
        and k[1] != unit.side
        and v[0] == version
    }
    state.cache = {k: v for k, v in state.cache.items() if k in (key, "state.in_play")}
    state.moved()
    for k, layer in others.items():
        state.cache[k] = (state.version, layer)
    if hit is None or hit[0] != state.version - 1:
        state.cache.pop(key, None)
        return
    old: _Scan = hit[1]
    stack = old.own_stack.copy()
    stack[start] -= unit.stack_points
    stack[dest] += unit.stack_points
    state.cache[key] = (state.version, _Scan(old.enemy_side, old.enemy_key, stack))


def _scan_units(world: World, state: GameState, side: str) -> _Scan:
    w = world.grid.width
    enemy: list[int] = []
    own_idx: list[int] = []
    own_pts: list[int] = []
    for u in state.units.values():
        h = u.hex
        if h is None or u.status != "active":
            continue
        i = h[1] * w + h[0]
        if u.side == side:
            own_idx.append(i)
            own_pts.append(u.stack_points)
        else:
            enemy.append(2 * i + int(bool(u.exerts_zoc)))
    own_stack = np.bincount(
        np.asarray(own_idx, dtype=np.int64),
        weights=np.asarray(own_pts, dtype=np.float64),
        minlength=world.grid.size,
    )
    key = np.asarray(enemy, dtype=np.int64).tobytes()
    return _Scan(enemy_of(world, side), key, own_stack)


def _enemy_layers(world: World, state: GameState, scan: _Scan) -> tuple[np.ndarray, np.ndarray]:
    """Enemy-occupied hexes and the enemy zone of control (read-only, cached)."""
    c = _cache(world)
    key = (scan.enemy_side, scan.enemy_key)
    layers = c.enemy_layers.get(key)
    if layers is None:
        occ = occupied(world, state, scan.enemy_side)
        zoc = zone_of_control(world, state, scan.enemy_side)
        occ.flags.writeable = False
        zoc.flags.writeable = False
        layers = (occ, zoc)
        _lru_put(c.enemy_layers, key, layers)
    else:
        c.enemy_layers.move_to_end(key)
    return layers


@dataclass(frozen=True, eq=False)
class _Graph:
    """A movement graph and where its start copies are."""

    csr: csr_matrix
    source: np.ndarray
    """Per hex, the node a search from it starts at: the hex itself, or its start copy when the
    hex is in enemy ZOC."""


def _movement_graph(
    world: World,
    movement_class: str,
    scan: _Scan,
    occ: np.ndarray,
    zoc: np.ndarray,
    zoc_to_zoc: bool,
) -> _Graph:
    """The movement graph of one movement class against one enemy deployment.

    Nodes ``0..N-1`` are the ordinary hexes; after them come the start copies of the hexes in
    enemy ZOC (whose ordinary node has no way out), in hex order, each with the steps a unit
    starting there may take. Nothing leads into a start copy, so a search from an ordinary hex
    never meets one: the same graph serves every start.
    """
    c = _cache(world)
    key = (movement_class, zoc_to_zoc, scan.enemy_side, scan.enemy_key)
    graph = c.graphs.get(key)
    if graph is not None:
        c.graphs.move_to_end(key)
        return graph  # type: ignore[return-value]
    build = _graph_steps if CLOSE_STEPS else _graph_steps_reference
    counts, indices, data = build(world, movement_class, scan.enemy_side, occ, zoc, zoc_to_zoc)
    n = world.grid.size
    in_zoc = np.flatnonzero(zoc)
    source = np.arange(n, dtype=np.int64)
    source[in_zoc] = n + np.arange(in_zoc.size)
    size = counts.size
    indptr = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(counts, out=indptr[1:])
    source.flags.writeable = False
    graph = _Graph(csr_matrix((data, indices, indptr), shape=(size, size)), source)
    _lru_put(c.graphs, key, graph)
    return graph


def _graph_steps(
    world: World,
    movement_class: str,
    enemy_side: str,
    occ: np.ndarray,
    zoc: np.ndarray,
    zoc_to_zoc: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The graph's steps per node (counts, columns and costs) against one enemy deployment.

    The ordinary hexes take every step the side may take, less the few into enemy-held hexes
    and out of hexes in the enemy zone of control, closed by position; the start copies take
    the steps out of those hexes, as the rules allow. The same arrays as
    :func:`_graph_steps_reference`, which tests every step of the map against the units.
    """
    n = world.grid.size
    t = _step_table(world, movement_class)
    allowed = t.allowed(world, enemy_of(world, enemy_side))
    in_zoc = np.flatnonzero(zoc)
    into = t.into[occ].ravel()
    out = t.out_of[in_zoc].ravel()
    into, out = into[into >= 0], out[out >= 0]
    ok_a = allowed.copy()
    ok_a[into] = False
    ok_a[out] = False
    # The rows of hexes in the zone of control are emptied whole; elsewhere each step into an
    # enemy-held hex (listed once: a step has one end) is one fewer.
    src = t.src[into]
    closed = src[allowed[into] & ~zoc[src]]
    counts_a = t.allowed_counts(world, enemy_of(world, enemy_side)).copy()
    np.subtract.at(counts_a, closed, 1)
    counts_a[in_zoc] = 0
    dst = t.dst[out]
    ok_b = allowed[out] & ~occ[dst]
    if not zoc_to_zoc:
        ok_b &= ~zoc[dst]
    out_b = out[ok_b]
    counts = np.concatenate((counts_a, np.bincount(t.src[out_b], minlength=n)[in_zoc]))
    indices = np.concatenate((t.dst32[ok_a], t.dst32[out_b]))
    data = np.concatenate((t.cost[ok_a], t.cost[out_b]))
    return counts, indices, data


def _graph_steps_reference(
    world: World,
    movement_class: str,
    enemy_side: str,
    occ: np.ndarray,
    zoc: np.ndarray,
    zoc_to_zoc: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_graph_steps` by testing every step of the map (kept to test and time it)."""
    n = world.grid.size
    t = _step_table(world, movement_class)
    enterable = ~occ[t.dst] & t.allowed(world, enemy_of(world, enemy_side))
    zoc_src = zoc[t.src]
    ok_a = enterable & ~zoc_src
    ok_b = enterable & zoc_src
    if not zoc_to_zoc:
        ok_b &= ~zoc[t.dst]
    in_zoc = np.flatnonzero(zoc)
    counts = np.concatenate(
        [np.bincount(t.src[ok_a], minlength=n), np.bincount(t.src[ok_b], minlength=n)[in_zoc]]
    )
    indices = np.concatenate([t.dst32[ok_a], t.dst32[ok_b]])
    data = np.concatenate([t.cost[ok_a], t.cost[ok_b]])
    return counts, indices, data


def _may_end(state: GameState, unit: Unit, occ: np.ndarray, own_stack: np.ndarray) -> np.ndarray:
    limit = state.rules.stacking.max_points
    return (own_stack + unit.stack_points <= limit) & ~occ


def _require_on_map(unit: Unit) -> None:
    if not unit.on_map:
        raise IllegalOrder("not_on_map", f"{unit.name} is not on the map ({unit.status})")


# ---------------------------------------------------------------- reachability


def reachable(world: World, state: GameState, unit: Unit) -> Reach:
    """Where ``unit`` can move with the movement points it has left (fast scipy search).

    The answer is remembered for the state's current ``version``, so the order that follows a
    query (a player looks, then moves) is validated without searching again.

    Raises:
        IllegalOrder: the unit is not on the map.
    """
    _require_on_map(unit)
    key = (
        unit.id,
        unit.hex,
        movement_points(world, state, unit),
        unit.movement_class,
        unit.stack_points,
        state.rules.stacking.max_points,
        state.rules.movement.zoc_to_zoc,
    )
    memo: tuple[int, dict[tuple[object, ...], Reach]] | None = state.cache.get("movement.reach")
    if memo is None or memo[0] != state.version:
        memo = (state.version, {})
        state.cache["movement.reach"] = memo
    hit = memo[1].get(key)
    if hit is None:
        hit = _search(world, state, unit)
        memo[1][key] = hit
    return hit


def _search(world: World, state: GameState, unit: Unit) -> Reach:
    n = world.grid.size
    start = unit_index(world, unit)
    scan = _scan(world, state, unit.side)
    occ, zoc = _enemy_layers(world, state, scan)
    room = state.rules.stacking.max_points - unit.stack_points
    mp = movement_points(world, state, unit)
    if mp <= 0:
        dist = np.full(n, np.inf)
        dist[start] = 0.0
        pred = np.full(n, NO_PREDECESSOR, dtype=np.int64)
        return Reach(unit.id, start, mp, dist, pred, zoc, occ, scan.own_stack, room)
    zoc_to_zoc = bool(state.rules.movement.zoc_to_zoc)
    batch: _Batch | None = None
    row: int | None = None
    if USE_BATCHES and REUSE_ROWS and not _batch_ready(world, unit, scan, zoc_to_zoc):
        reused = _reused_row(world, unit, scan, occ, zoc, zoc_to_zoc, start, mp)
        if reused is not None:
            batch, row = reused
    if row is None:
        graph = _movement_graph(world, unit.movement_class, scan, occ, zoc, zoc_to_zoc)
        batch = _batch(world, state, unit, graph) if USE_BATCHES else None
        row = batch.rows.get(start) if batch is not None and mp <= batch.limit else None
        if batch is not None:
            recent = _Recent(scan.enemy_key, occ, zoc, batch)
            _cache(world).recent[(unit.side, unit.movement_class, zoc_to_zoc)] = recent
    if batch is not None and row is not None:
        dist, pred = batch.dist[row, :n], batch.pred[row, :n]
    else:
        dist, pred = dijkstra(
            graph.csr,
            directed=True,
            indices=int(graph.source[start]),
            limit=mp + MP_EPSILON,
            return_predecessors=True,
        )
        dist, pred = dist[:n], pred[:n]
    if zoc[start]:
        # From a start copy: fold it back onto the start hex, which the unit has not left.
        if row is not None:
            dist, pred = dist.copy(), pred.copy()
        dist[start] = 0.0
        pred[pred >= n] = start
        pred[start] = NO_PREDECESSOR
    elif row is None:
        dist[start] = 0.0
        pred[start] = NO_PREDECESSOR  # scipy marks "no predecessor" with a negative number
    # A batch row is shared and read-only: hexes beyond this unit's points fail Reach.reaches.
    return _with_minimum_move(
        world, state, unit, Reach(unit.id, start, mp, dist, pred, zoc, occ, scan.own_stack, room)
    )


def _batch_ready(world: World, unit: Unit, scan: _Scan, zoc_to_zoc: bool) -> bool:
    """Whether the graph of this deployment and its batch for the unit's side are both kept."""
    c = _cache(world)
    graph = c.graphs.get((unit.movement_class, zoc_to_zoc, scan.enemy_side, scan.enemy_key))
    if graph is None:
        return False
    hit = c.batches.get((id(graph), unit.side))
    return hit is not None and hit[0] is graph


def _reused_row(
    world: World,
    unit: Unit,
    scan: _Scan,
    occ: np.ndarray,
    zoc: np.ndarray,
    zoc_to_zoc: bool,
    start: int,
    mp: float,
) -> tuple[_Batch, int] | None:
    """The row of the side's last batch that answers this search, if the answer is the same.

    The graph depends on the units only through the enemy deployment; between the deployment
    of the last batch and this one, only the steps out of the hexes :func:`_changed_sources`
    lists can differ. A search bounded by ``mp`` uses a step only from a hex it reaches within
    ``mp``, so when the row reaches none of those hexes (and its start has not changed), every
    distance and path within ``mp`` is the same in the new graph as in the old, and nothing
    beyond ``mp`` comes within it: the row is the answer, as a batch row always is (its hexes
    beyond the unit's points fail :meth:`Reach.reaches`). Tests compare with ``REUSE_ROWS``
    off and with :func:`reachable_reference`.
    """
    c = _cache(world)
    recent = c.recent.get((unit.side, unit.movement_class, zoc_to_zoc))
    if recent is None or mp > recent.batch.limit:
        return None
    row = recent.batch.rows.get(start)
    if row is None:
        return None
    changed, idx = _changed_sources(world, recent, scan, occ, zoc)
    if changed[start]:
        return None
    if zoc[start] and any(changed[j] for j in world.grid.neighbor_rows[start] if j >= 0):
        # The start copy's steps avoid hexes in the zone of control, which changed next to it.
        return None
    if (recent.batch.dist[row, idx] <= mp + MP_EPSILON).any():
        return None
    return recent.batch, row


def _changed_sources(
    world: World, recent: _Recent, scan: _Scan, occ: np.ndarray, zoc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Hexes whose steps out may differ between the graphs of two enemy deployments.

    A hex in the zone of control has no steps out, and no step leads into an enemy-occupied
    hex: so the hexes whose ZOC changed, and the neighbours of those whose occupation changed.
    (A start copy's steps also avoid hexes in the zone of control: :func:`_reused_row` checks
    its start's neighbours.) Kept per pair of deployments (read-only), as a mask and as the
    list of their indices.
    """
    c = _cache(world)
    key = (scan.enemy_side, recent.enemy_key, scan.enemy_key)
    hit = c.deltas.get(key)
    if hit is not None:
        c.deltas.move_to_end(key)
        return hit
    nb = world.grid.neighbor_index
    moved_zoc = recent.zoc != zoc
    near = nb[np.flatnonzero(recent.occ != occ)].ravel()
    changed = moved_zoc.copy()
    changed[near[near >= 0]] = True
    changed.flags.writeable = False
    idx = np.flatnonzero(changed)
    idx.flags.writeable = False
    _lru_put(c.deltas, key, (changed, idx), DELTA_CACHE_SIZE)
    return changed, idx


def _with_minimum_move(world: World, state: GameState, unit: Unit, reach: Reach) -> Reach:
    """Add the one-hex step the minimum-move rule allows (``rules.movement.minimum_move``).

    A unit that has not moved this turn and has movement points may step into any adjacent hex
    it could enter at all (a finite step, no enemy unit, the ZOC-to-ZOC rule kept), spending all
    its points, even where the step costs more than it has.
    """
    rules = state.rules.movement
    if not rules.minimum_move or unit.moved or reach.movement_points <= 0:
        return reach
    start = reach.start
    step = world.base_step_cost[unit.movement_class][start].tolist()
    from_zoc = bool(reach.enemy_zoc[start])
    occ, zoc, forbidden = reach.enemy_occupied, reach.enemy_zoc, world.forbidden[unit.side]
    dist, within = reach.search_dist, reach.movement_points + MP_EPSILON
    extra = [
        j
        for d, j in enumerate(world.grid.neighbor_rows[start])
        if j >= 0
        and math.isfinite(step[d])
        and not occ[j]
        and not forbidden[j]
        and not (from_zoc and zoc[j] and not rules.zoc_to_zoc)
        and not dist[j] <= within  # not already reached (Reach.reaches)
    ]
    if not extra:
        return reach
    dist = reach.search_dist.copy()
    pred = reach.predecessors.copy()
    dist[extra] = reach.movement_points
    pred[extra] = start
    return Reach(
        reach.unit_id,
        start,
        reach.movement_points,
        dist,
        pred,
        reach.enemy_zoc,
        reach.enemy_occupied,
        reach.own_stack,
        reach.stack_room,
    )


def _batch(world: World, state: GameState, unit: Unit, graph: _Graph) -> _Batch | None:
    """The batch of searches on ``graph`` (built on the first query that needs it).

    It covers the hexes where units of the querying unit's side and movement class stand with
    movement points left (from the start copy of those in enemy ZOC), searched to the largest
    of their limits: of those units the player expects to move (:func:`expect_moves`), if it
    said, and the querying unit.
    """
    c = _cache(world)
    key = (id(graph), unit.side)
    hit = c.batches.get(key)
    if hit is not None and hit[0] is graph:
        c.batches.move_to_end(key)
        return hit[1]
    w = world.grid.width
    starts: set[int] = set()
    limit = 0.0
    expected = c.expected.get(unit.side) if BATCH_EXPECTED_ONLY else None
    movers = expected[1] if expected and expected[0] == (state.turn, state.phase) else None
    for u in state.units_of(unit.side):
        if u.movement_class != unit.movement_class:
            continue
        if movers is not None and u.id not in movers and u is not unit:
            continue
        mp = movement_points(world, state, u)
        if mp > 0:
            starts.add(u.hex[1] * w + u.hex[0])  # type: ignore[index]
            limit = max(limit, mp)
    if len(starts) < 2:
        return None
    order = sorted(starts)
    d, p = dijkstra(
        graph.csr,
        directed=True,
        indices=graph.source[order],
        limit=limit + MP_EPSILON,
        return_predecessors=True,
    )
    d.flags.writeable = False
    p.flags.writeable = False
    batch = _Batch(limit, {s: r for r, s in enumerate(order)}, d, p)
    _lru_put(c.batches, key, (graph, batch), BATCH_CACHE_SIZE)
    return batch


def reachable_reference(world: World, state: GameState, unit: Unit) -> Reach:
    """The same query as :func:`reachable`, by the plain networkx model of the rules.

    Slow (it builds the whole graph for each call); kept to test and benchmark the fast path.

    Raises:
        IllegalOrder: the unit is not on the map.
    """
    _require_on_map(unit)
    n = world.grid.size
    start = unit_index(world, unit)
    enemy = enemy_of(world, unit.side)
    occ = occupied(world, state, enemy)
    zoc = zone_of_control(world, state, enemy)
    own = stack_points(world, state, unit.side)
    room = state.rules.stacking.max_points - unit.stack_points
    mp = movement_points(world, state, unit)
    cost = world.base_step_cost[unit.movement_class]
    zoc_to_zoc = state.rules.movement.zoc_to_zoc
    forbidden = world.forbidden[unit.side]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u in range(n):
        if zoc[u] and u != start:
            continue  # entering an enemy ZOC ends movement
        for d, v in enumerate(world.grid.neighbor_index[u]):
            if v < 0 or not np.isfinite(cost[u, d]) or occ[v] or forbidden[v]:
                continue
            if u == start and zoc[u] and zoc[v] and not zoc_to_zoc:
                continue
            nudge = MOVE_TIE_EPS * tiebreak(u, int(v), SALT_MOVEMENT)
            g.add_edge(u, int(v), weight=float(cost[u, d]) + nudge)
    dist = np.full(n, np.inf)
    pred = np.full(n, NO_PREDECESSOR, dtype=np.int64)
    if mp > 0:
        lengths, paths = nx.single_source_dijkstra(g, start, cutoff=mp + MP_EPSILON)
        for v, length in lengths.items():
            dist[v] = length
            if v != start:
                pred[v] = paths[v][-2]
    dist[start] = 0.0
    return _with_minimum_move(
        world, state, unit, Reach(unit.id, start, mp, dist, pred, zoc, occ, own, room)
    )


# ---------------------------------------------------------------- moving


def _fmt_mp(x: float) -> str:
    return f"{round(x, 2):g}"


def move_unit(
    world: World,
    state: GameState,
    unit: Unit,
    dest_index: int,
    plan: GameState | None = None,
) -> Note:
    """Move ``unit`` to hex ``dest_index`` along its cheapest legal path.

    Spends the path's movement points (and fuel, for fuelled units), takes control of every hex
    along the path, clears entrenchment and, if the destination is in enemy ZOC, ends the unit's
    movement for the phase.

    With ``plan`` (the mover's side's seen state, see :mod:`engine.view`) the order is checked
    and the path chosen as the side knows the enemy, then walked in ``state``: the unit stops
    by contact at the first hex in the true enemy ZOC, or before a hex holding an enemy unit
    (then, if it may not end there, at the last earlier hex where it may), as
    ``docs/rules.md`` ("Fog of war and contact") says. Without ``plan`` the two are the same.

    Returns:
        The log line of the move (kind ``move``; the unit; from and to hexes).

    Raises:
        IllegalOrder: the move breaks a rule (``not_on_map``, ``rail_moved``,
            ``no_movement_points``, ``off_map``, ``same_hex``, ``enemy_occupied``,
            ``unreachable``, ``stacking``); the state is unchanged. With ``plan``, every rule
            is judged on it, so the message never tells of an enemy unit the side does not see.
    """
    known = state if plan is None else plan
    _require_on_map(unit)
    if unit.rail_moved:
        raise IllegalOrder("rail_moved", f"{unit.name} moved by rail this turn")
    if movement_points(world, known, unit) <= 0:
        why = "is out of fuel" if unit.mp_left > 0 else "has no movement points left"
        raise IllegalOrder("no_movement_points", f"{unit.name} {why}")
    n = world.grid.size
    if not 0 <= dest_index < n:
        raise IllegalOrder("off_map", f"hex index {dest_index} is off the map")
    reach = reachable(world, known, unit)
    col, row = world.coord(dest_index)
    if dest_index == reach.start:
        raise IllegalOrder("same_hex", f"{unit.name} is already in hex {col},{row}")
    if reach.enemy_occupied[dest_index]:
        raise IllegalOrder("enemy_occupied", f"hex {col},{row} is held by the enemy")
    if not reach.reaches(dest_index):
        raise IllegalOrder(
            "unreachable",
            f"{unit.name} cannot reach {col},{row} with {_fmt_mp(reach.movement_points)} MP",
        )
    if not reach.may_end_at(dest_index):
        raise IllegalOrder(
            "stacking",
            f"hex {col},{row} would exceed the stacking limit of "
            f"{state.rules.stacking.max_points} points",
        )
    # Validated: from here on the state changes.
    path = reach.path_to(dest_index)
    zoc = reach.enemy_zoc
    if plan is not None and plan is not state:
        stop = _contact_stop(world, state, unit, reach, path)
        contact = stop < len(path) - 1
        zoc = zone_of_control(world, state, enemy_of(world, unit.side))
    else:
        stop, contact = len(path) - 1, False
    c0, r0 = unit.hex  # type: ignore[misc]
    end = path[stop]
    blocked = world.coord(path[stop + 1]) if contact else None
    if end == reach.start:
        # Stopped before its first step (the next hex held an enemy unit): the unit stays.
        return Note(
            f"{unit.name} stopped by contact at {blocked[0]},{blocked[1]}; stays at {c0},{r0}",  # type: ignore[index]
            "move",
            side=unit.side,
            units=(unit.id,),
            hexes=((c0, r0), (c0, r0)),
        )
    col, row = world.coord(end)
    cost = reach.cost_to(end)
    unit.hex = (col, row)
    unit.mp_left = max(0.0, unit.mp_left - cost)
    if unit.fuelled:
        rate = state.rules.movement.fuel_per_mp.get(unit.movement_class, 0.0)  # type: ignore[call-overload]
        unit.fuel = max(0.0, unit.fuel - cost * rate)
        if unit.fuel < MP_EPSILON:
            unit.fuel = 0.0
    if unit.mp_left < MP_EPSILON:
        unit.mp_left = 0.0
    stopped = bool(zoc[end])
    if stopped:
        unit.mp_left = 0.0
    unit.moved = True
    unit.entrenchment = 0
    state.control[np.asarray(path[: stop + 1], dtype=np.int64)] = side_index(world, unit.side)
    advance_scan(state, unit, reach.start, end)
    if contact:
        note = f", stopped by contact short of {blocked[0]},{blocked[1]}"  # type: ignore[index]
    else:
        note = ", stops in enemy ZOC" if stopped else ""
    return Note(
        f"{unit.name} moves {c0},{r0} -> {col},{row} ({_fmt_mp(cost)} MP{note})",
        "move",
        side=unit.side,
        units=(unit.id,),
        hexes=((c0, r0), (col, row)),
    )


def _contact_stop(world: World, state: GameState, unit: Unit, reach: Reach, path: list[int]) -> int:
    """Where on a planned ``path`` a move stops in the true ``state`` (an index into ``path``).

    At the first hex after the start in the true enemy ZOC; else just before the first hex
    holding an enemy unit; else at the end. If the unit may not end at that hex (stacking),
    at the last earlier hex where it may (the start, at worst).
    """
    enemy = enemy_of(world, unit.side)
    occ = occupied(world, state, enemy)
    zoc = zone_of_control(world, state, enemy)
    stop = len(path) - 1
    for k in range(1, len(path)):
        h = path[k]
        if occ[h]:
            stop = k - 1
            break
        if zoc[h]:
            stop = k
            break
    while stop > 0 and not reach.own_stack[path[stop]] <= reach.stack_room:
        stop -= 1
    return stop


# ---------------------------------------------------------------- strategic rail movement


def _rail_adjacency(world: World) -> dict[int, list[int]]:
    c = _cache(world)
    if c.rail_adjacency is None:
        adj: dict[int, set[int]] = {}
        for a, b, kind in world.network.edges(keys=True):
            if kind != "rail" or a == b:
                continue
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        c.rail_adjacency = {k: sorted(v) for k, v in adj.items()}
    return c.rail_adjacency


def _rail_problem(world: World, state: GameState, unit: Unit) -> tuple[str, str] | None:
    """The first rule that forbids ``unit`` a rail move now, as ``(rule, message)``."""
    if not unit.on_map:
        return "not_on_map", f"{unit.name} is not on the map ({unit.status})"
    if unit.rail_moved:
        return "rail_moved", f"{unit.name} has already moved by rail this turn"
    if unit.moved or unit.attacked:
        return "rail_after_moving", f"{unit.name} has already moved or attacked this turn"
    if unit.mp_left <= 0:
        return "no_movement_points", f"{unit.name} has no movement points this turn"
    start = unit_index(world, unit)
    if start not in _rail_adjacency(world):
        return "rail_not_on_line", f"{unit.name} is not on a railway"
    spec = next(s for s in world.scenario.sides if s.id == unit.side)
    if state.sides[unit.side].rail_moves_used >= spec.rail_moves_per_turn:
        return (
            "rail_capacity",
            f"{unit.side} has used all {spec.rail_moves_per_turn} rail moves this turn",
        )
    scan = _scan(world, state, unit.side)
    _, zoc = _enemy_layers(world, state, scan)
    if zoc[start]:
        return "rail_zoc", f"{unit.name} is in an enemy zone of control"
    return None


def _rail_search(world: World, state: GameState, unit: Unit) -> tuple[dict[int, int], np.ndarray]:
    """Breadth-first ride along the railway: ``{hex: previous hex}`` and the may-end layer."""
    start = unit_index(world, unit)
    scan = _scan(world, state, unit.side)
    occ, zoc = _enemy_layers(world, state, scan)
    own = side_index(world, unit.side)
    open_track = (state.control == own) & ~occ & ~zoc & ~world.forbidden[unit.side]
    adj = _rail_adjacency(world)
    pred = {start: NO_PREDECESSOR}
    frontier = [start]
    for _ in range(state.rules.movement.rail_move_hexes):
        nxt = []
        for u in frontier:
            for v in adj.get(u, ()):
                if v not in pred and open_track[v]:
                    pred[v] = u
                    nxt.append(v)
        if not nxt:
            break
        frontier = nxt
    may_end = _may_end(state, unit, occ, scan.own_stack)
    return pred, may_end


def rail_destinations(world: World, state: GameState, unit: Unit) -> list[int]:
    """Hexes ``unit`` may reach by a strategic rail move now (empty when it may not rail-move)."""
    if _rail_problem(world, state, unit) is not None:
        return []
    pred, may_end = _rail_search(world, state, unit)
    start = unit_index(world, unit)
    return sorted(i for i in pred if i != start and may_end[i])


def rail_move(
    world: World, state: GameState, unit: Unit, dest_index: int, plan: GameState | None = None
) -> Note:
    """Move ``unit`` by rail to ``dest_index``; the move uses the unit's whole day.

    With ``plan`` (the side's seen state, :mod:`engine.view`) the ride is judged and its route
    chosen as the side knows the enemy, then run in ``state``: the train stops by contact at
    the last hex before the first one held by, or in the zone of control of, an enemy unit the
    side did not see (then, if it may not end there, at the last earlier hex where it may).

    Returns:
        The log line of the move (kind ``rail``; the unit; from and to hexes).

    Raises:
        IllegalOrder: the move breaks a rule (``rail_moved``, ``rail_after_moving``,
            ``no_movement_points``, ``rail_not_on_line``, ``rail_capacity``, ``rail_zoc``,
            ``off_map``, ``same_hex``, ``rail_unreachable``, ``stacking``); the state is
            unchanged.
    """
    known = plan if plan is not None else state
    problem = _rail_problem(world, known, unit)
    if problem is not None:
        raise IllegalOrder(*problem)
    if not 0 <= dest_index < world.grid.size:
        raise IllegalOrder("off_map", f"hex index {dest_index} is off the map")
    col, row = world.coord(dest_index)
    start = unit_index(world, unit)
    if dest_index == start:
        raise IllegalOrder("same_hex", f"{unit.name} is already in hex {col},{row}")
    pred, may_end = _rail_search(world, known, unit)
    if dest_index not in pred:
        raise IllegalOrder(
            "rail_unreachable",
            f"{unit.name} cannot reach {col},{row} within "
            f"{state.rules.movement.rail_move_hexes} hexes of friendly, open railway",
        )
    if not may_end[dest_index]:
        raise IllegalOrder(
            "stacking",
            f"hex {col},{row} would exceed the stacking limit of "
            f"{state.rules.stacking.max_points} points",
        )
    route = [dest_index]
    while route[-1] != start:
        route.append(pred[route[-1]])
    route.reverse()
    stop = len(route) - 1
    if plan is not None and plan is not state:
        stop = _rail_contact_stop(world, state, unit, route)
    end = route[stop]
    c0, r0 = unit.hex  # type: ignore[misc]
    col, row = world.coord(end)
    unit.hex = (col, row)
    unit.rail_moved = True
    unit.moved = True
    unit.mp_left = 0.0
    unit.entrenchment = 0
    state.sides[unit.side].rail_moves_used += 1
    state.moved()
    note = ""
    if stop < len(route) - 1:
        bc, br = world.coord(route[stop + 1])
        note = f", stopped by contact short of {bc},{br}"
    return Note(
        f"{unit.name} moves by rail {c0},{r0} -> {col},{row} ({stop} hexes{note})",
        "rail",
        side=unit.side,
        units=(unit.id,),
        hexes=((c0, r0), (col, row)),
    )


def _rail_contact_stop(world: World, state: GameState, unit: Unit, route: list[int]) -> int:
    """Where a rail ride planned along ``route`` stops in the true ``state`` (an index)."""
    scan = _scan(world, state, unit.side)
    occ, zoc = _enemy_layers(world, state, scan)
    may_end = _may_end(state, unit, occ, scan.own_stack)
    stop = len(route) - 1
    for k in range(1, len(route)):
        if occ[route[k]] or zoc[route[k]]:
            stop = k - 1
            break
    while stop > 0 and not may_end[route[stop]]:
        stop -= 1
    return stop
