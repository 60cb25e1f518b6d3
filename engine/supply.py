"""Supply lines: the two-stage trace from supply sources, bottlenecks, daily effects and air supply.

A side traces supply in two stages (see docs/rules.md, "Supply"):

1. **Along the network.** From every usable supply source, a multi-source shortest-path search
   runs over the road and rail links of :attr:`engine.world.World.network`; a link costs the
   kind's ``supply_cost`` per hex divided by the link's ``condition``. Hexes further than
   ``rules.supply.max_line_cost`` are not reached.
2. **Overland.** From every hex reached in stage 1 (each starting this leg at cost 0), a second
   search spreads across the hex grid; entering a hex costs its terrain's ``supply_cost`` plus
   the river ``supply_cost`` of the hexside crossed. Hexes further than
   ``rules.supply.max_overland_cost`` from every network hex are out of supply.

Both stages avoid hexes held by enemy units and hexes in an uncontested enemy zone of control.
Each unit in supply loads the network links on its trace path with its daily demand; where the
load exceeds a link's capacity, every unit whose path crosses it receives only
``capacity / load`` of its needs (its supply *ratio*).

:func:`trace` is the fast version (``scipy.sparse.csgraph`` searches on cached CSR graphs, a
single pass up the shortest-path forest for the loads); :func:`trace_reference` is the plain
networkx version of the same rules, kept for the tests and the benchmark. Equal-cost paths are
broken by a tiny deterministic perturbation of every step cost (below ``1e-7`` per step), so both
versions pick the same paths.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from engine.errors import IllegalOrder
from engine.log import Note
from engine.losses import take_losses
from engine.state import NO_SIDE, GameState, Unit
from engine.tiebreak import COST_TOL, SALT_NETWORK, SALT_OVERLAND, TIE_EPS, tiebreak
from engine.weather import road_capacity_factors
from engine.works import on_magazines
from engine.world import RIVER_CLASS_CODES, World
from engine.zoc import enemy_of, occupied, side_index, unit_index, zone_of_control

#: Supply demand is summed in integer kilograms so that loads are exact and order-independent.
KG_PER_TON = 1000
#: A finite stand-in for "no range limit" (infinite edge weights mean "no edge" to the search).
UNLIMITED = 1e12


# ---------------------------------------------------------------- results


class Bottleneck(NamedTuple):
    """The most overloaded network link on a unit's trace path.

    ``a`` is the hex nearer the source, ``b`` the one nearer the unit.
    """

    a: int
    b: int
    kind: str
    load: float
    capacity: float


@dataclass
class UnitSupply:
    """Supply of one unit as traced.

    Attributes:
        unit_id: the unit.
        index: its hex.
        in_supply: whether a trace reaches it.
        ratio: fraction of its needs delivered (1 in full supply, 0 out of supply).
        path: hexes from the unit to the source, empty when out of supply.
        bottleneck: the link that limits ``ratio`` when it is below 1.
        demand: its daily demand, tons.
    """

    unit_id: str
    index: int
    in_supply: bool
    ratio: float
    path: list[int]
    bottleneck: Bottleneck | None
    demand: float


@dataclass
class SupplyTrace:
    """The supply network of one side at one moment.

    Attributes:
        side: the side traced.
        line_cost: per hex, the cost along roads and railways from the nearest usable source
            (``inf`` where stage 1 does not reach).
        overland_leg: per hex, the overland cost from the nearest network hex (``inf`` beyond
            ``max_overland_cost``).
        overland_cost: per hex, ``line_cost`` of the network hex the overland leg starts from
            plus ``overland_leg``; ``inf`` means out of supply.
        line_pred: predecessor of each hex on its network path towards the source (-1 at a
            source or where not reached).
        overland_pred: predecessor on the overland leg towards its network hex (-1 at a
            network hex or where not reached).
        origin: the network hex (or source) each hex's overland leg starts from, -1 if none.
        sources: indices of the usable sources.
        source_ids: scenario ids of the sources at each usable source hex.
        blocked: hexes closed to this side's supply (enemy units, uncontested enemy ZOC).
        units: per unit id, its supply.
        edge_load: tons per day on each loaded network link ``(a, b)``, ``a`` nearer the source.
    """

    side: str
    line_cost: np.ndarray
    overland_leg: np.ndarray
    overland_cost: np.ndarray
    line_pred: np.ndarray
    overland_pred: np.ndarray
    origin: np.ndarray
    sources: list[int]
    source_ids: dict[int, list[str]]
    blocked: np.ndarray
    units: dict[str, UnitSupply] = field(default_factory=dict)
    edge_load: dict[tuple[int, int], float] = field(default_factory=dict)

    def in_supply(self, index: int) -> bool:
        """Whether a hex is in supply for this side."""
        return bool(np.isfinite(self.overland_cost[index]))

    def path_from(self, index: int) -> list[int]:
        """The trace path from a hex to its source (empty when out of supply)."""
        if not self.in_supply(index):
            return []
        return _rebuild_path(index, self.overland_pred, self.line_pred)

    def source_of(self, index: int) -> int | None:
        """The source hex whose supply reaches a hex, or None."""
        path = self.path_from(index)
        return path[-1] if path else None


@dataclass
class SupplyExplanation:
    """Why a unit is, or is not, in supply (JSON-safe through :meth:`to_dict`).

    For a unit out of supply, ``path``, ``source`` and the costs describe the route it would
    use if nothing were blocked and there were no range limits, and ``reason`` names the first
    obstacle on it (``blocked_hex`` is that hex, when there is one).

    Attributes:
        path: ``[col, row]`` hexes from the unit to the source.
        cost: total supply cost, ``line_cost + overland_leg``.
        line_cost: cost along the network from the source to the start of the overland leg.
        overland_leg: cost of the overland leg from the network to the unit.
        bottleneck: when ``ratio`` < 1, the limiting link: ``from``/``to`` hexes, ``kind``,
            ``load`` and ``capacity`` in tons per day.
    """

    unit: str
    side: str
    in_supply: bool
    ratio: float
    days_out: int
    path: list[list[int]] = field(default_factory=list)
    source: str | None = None
    source_hex: list[int] | None = None
    cost: float | None = None
    line_cost: float | None = None
    overland_leg: float | None = None
    reason: str | None = None
    blocked_hex: list[int] | None = None
    bottleneck: dict[str, Any] | None = None
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "unit": self.unit,
            "name": self.name,
            "side": self.side,
            "in_supply": self.in_supply,
            "ratio": self.ratio,
            "days_out": self.days_out,
            "path": [list(p) for p in self.path],
            "source": self.source,
            "source_hex": self.source_hex,
            "cost": self.cost,
            "line_cost": self.line_cost,
            "overland_leg": self.overland_leg,
            "reason": self.reason,
            "blocked_hex": self.blocked_hex,
            "bottleneck": self.bottleneck,
        }

    def summary(self) -> str:
        """One line for the log or a tooltip."""
        who = self.name or self.unit
        if not self.in_supply:
            return f"{who} is out of supply: {self.reason}"
        text = f"{who} is in supply from {self.source} (cost {self.cost:.2f})"
        if self.bottleneck is not None:
            b = self.bottleneck
            text += (
                f", {self.ratio:.0%} delivered: {b['kind']} {b['from']}->{b['to']} carries "
                f"{b['capacity']:.0f} of {b['load']:.0f} t/day"
            )
        return text


# ---------------------------------------------------------------- shared rule pieces


def _network_pairs(world: World) -> dict[tuple[int, int], tuple[float, str, float]]:
    """Per unordered hex pair ``(a < b)``: the cheapest link's step cost, kind and capacity."""
    kinds = world.scenario.network.kinds
    best: dict[tuple[int, int], tuple[float, str, float]] = {}
    for a, b, kind, data in world.network.edges(keys=True, data=True):
        if a == b:
            continue
        rules = kinds.get(kind)
        if rules is None:
            continue
        cost = rules.supply_cost / data["condition"]
        key = (min(a, b), max(a, b))
        cand = (cost, kind, float(data["capacity"]))
        if key not in best or (cand[0], cand[1]) < (best[key][0], best[key][1]):
            best[key] = cand
    return {
        k: (c + TIE_EPS * tiebreak(k[0], k[1], SALT_NETWORK), kind, cap)
        for k, (c, kind, cap) in best.items()
    }


def _capacity_today(kind: str, cap: float, a: int, b: int, mud: np.ndarray | None) -> float:
    """A link's capacity today.

    A road's is cut by the weather over either end (``mud``, from
    :func:`engine.weather.road_capacity_factors`); other kinds keep theirs.
    """
    if mud is None or kind != "road":
        return cap
    return cap * float(min(mud[a], mud[b]))


def _terrain_supply(world: World) -> np.ndarray:
    """Overland supply cost to enter each hex (``inf`` where terrain blocks supply)."""
    per_type = np.array(
        [np.inf if t.supply_cost is None else t.supply_cost for t in world.terrain_types]
    )
    return per_type[world.terrain]


def _river_supply(world: World) -> np.ndarray:
    """Extra overland supply cost per hex and direction for the river on that hexside."""
    extra = np.zeros(world.river.shape, dtype=np.float64)
    for name, code in RIVER_CLASS_CODES.items():
        rules = world.scenario.rivers.get(name)  # type: ignore[call-overload]
        if rules is not None:
            extra[world.river == code] = rules.supply_cost
    return extra


def blocked_hexes(world: World, state: GameState, side: str) -> np.ndarray:
    """Hexes closed to ``side``'s supply: enemy-held, or in an enemy ZOC no friend contests."""
    enemy = enemy_of(world, side)
    return occupied(world, state, enemy) | (
        zone_of_control(world, state, enemy) & ~occupied(world, state, side)
    )


def source_hexes(world: World) -> list[tuple[str, str, int, bool]]:
    """Every supply source as ``(id, side, hex index, capturable)``."""
    out = []
    for src in world.scenario.supply_sources:
        if src.place is not None:
            idx = world.places[src.place].index
        else:
            assert src.hex is not None  # the schema requires a place or a hex
            idx = world.index(*src.hex)
        out.append((src.id, src.side, idx, src.capturable))
    return out


def _usable_source_ids(world: World, state: GameState, side: str) -> dict[int, list[str]]:
    me = side_index(world, side)
    enemy = enemy_of(world, side)
    enemy_held = occupied(world, state, enemy)
    out: dict[int, list[str]] = {}
    for sid, owner, idx, capturable in source_hexes(world):
        if enemy_held[idx]:
            continue
        holder = int(state.control[idx])
        if owner == side:
            ok = holder in (me, NO_SIDE)
        else:
            ok = capturable and holder == me and owner == enemy
        if ok:
            out.setdefault(idx, []).append(sid)
    return out


def usable_sources(world: World, state: GameState, side: str) -> list[int]:
    """Hex indices of the supply sources ``side`` can draw from now.

    A side's own source is usable unless the enemy controls its hex (it is lost then) or an
    enemy unit stands on it; a hex nobody controls still serves its owner. A *capturable*
    source of the enemy serves ``side`` once ``side`` controls its hex.
    """
    return sorted(_usable_source_ids(world, state, side))


def unit_demand(state: GameState, unit: Unit) -> float:
    """Daily supply demand of a unit, tons."""
    r = state.rules.supply
    return r.demand_tons_per_1000_men * unit.men / 1000.0 + r.demand_tons_per_tank * unit.tanks


def _demand_kg(state: GameState, unit: Unit) -> int:
    return int(round(unit_demand(state, unit) * KG_PER_TON))


def _rebuild_path(
    index: int, overland_pred: Sequence[int] | np.ndarray, line_pred: Sequence[int] | np.ndarray
) -> list[int]:
    path = [index]
    v = index
    while overland_pred[v] >= 0:
        v = int(overland_pred[v])
        path.append(v)
    while line_pred[v] >= 0:
        v = int(line_pred[v])
        path.append(v)
    return path


# ---------------------------------------------------------------- the fast trace


class _Tables:
    """CSR-ready edge lists of the network and of the overland grid; depend only on the World."""

    def __init__(self, world: World) -> None:
        n = world.grid.size
        self.n = n
        pairs = _network_pairs(world)
        self.pair_info: dict[tuple[int, int], tuple[str, float]] = {
            k: (kind, cap) for k, (_w, kind, cap) in pairs.items()
        }
        if pairs:
            keys = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
            w = np.array([v[0] for v in pairs.values()])
        else:
            keys = np.zeros((0, 2), dtype=np.int64)
            w = np.zeros(0)
        rows = np.concatenate([keys[:, 0], keys[:, 1]])
        cols = np.concatenate([keys[:, 1], keys[:, 0]])
        data = np.concatenate([w, w])
        order = np.lexsort((cols, rows))
        self.net = _EdgeList(n, rows[order], cols[order], data[order])
        # Overland: step i -> j costs the terrain of j plus the river on the hexside.
        nb = world.grid.neighbor_index
        terrain = _terrain_supply(world)
        river = _river_supply(world)
        i = np.repeat(np.arange(n, dtype=np.int64), 6)
        j = nb.reshape(-1)
        step = np.where(j >= 0, terrain[np.where(j >= 0, j, 0)], np.inf) + river.reshape(-1)
        ok = np.isfinite(step)
        i, j, step = i[ok], j[ok], step[ok]
        self.overland = _EdgeList(n, i, j, step + TIE_EPS * tiebreak(i, j, SALT_OVERLAND))


_TABLES: weakref.WeakKeyDictionary[World, _Tables] = weakref.WeakKeyDictionary()


def _tables(world: World) -> _Tables:
    t = _TABLES.get(world)
    if t is None:
        t = _Tables(world)
        _TABLES[world] = t
    return t


class _EdgeList:
    """A fixed CSR structure of directed edges; each search masks it by hexes allowed."""

    def __init__(self, n: int, rows: np.ndarray, cols: np.ndarray, w: np.ndarray) -> None:
        self.n = n
        self.cols = cols.astype(np.int32)
        self.indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n), out=self.indptr[1:])
        self.w = w.astype(np.float64)
        # Per hex, the positions of the edges into it (-1 pads the rows): a search closes the
        # few hundred blocked hexes rather than testing every edge.
        into = np.bincount(self.cols, minlength=n)
        by_dst = np.argsort(self.cols, kind="stable")
        start = np.concatenate(([0], np.cumsum(into)[:-1]))
        self.into = np.full((n, max(1, int(into.max(initial=0)))), -1, dtype=np.int64)
        self.into[self.cols[by_dst], np.arange(by_dst.size) - start[self.cols[by_dst]]] = by_dst

    def graph(self, allowed: np.ndarray) -> sp.csr_matrix:
        """The graph without the edges into hexes not allowed (an infinite weight is no edge)."""
        if self.cols.size < self.n:  # the network's few links: testing each is cheaper
            return self.graph_reference(allowed)
        closed = self.into[~allowed].ravel()
        data = self.w.copy()
        data[closed[closed >= 0]] = np.inf
        return sp.csr_matrix((data, self.cols, self.indptr), shape=(self.n, self.n), copy=False)

    def graph_reference(self, allowed: np.ndarray) -> sp.csr_matrix:
        """:meth:`graph` by testing every edge (kept to test and time it)."""
        data = np.where(allowed[self.cols], self.w, np.inf)
        return sp.csr_matrix((data, self.cols, self.indptr), shape=(self.n, self.n), copy=False)


def _search(
    graph: sp.csr_matrix, starts: list[int], limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = graph.shape[0]
    if not starts:
        return np.full(n, np.inf), np.full(n, -1, np.int64), np.full(n, -1, np.int64)
    dist, pred, src = dijkstra(
        graph,
        directed=True,
        indices=starts,
        return_predecessors=True,
        min_only=True,
        limit=min(limit + COST_TOL, UNLIMITED),
    )
    pred = pred.astype(np.int64)
    src = src.astype(np.int64)
    far = ~np.isfinite(dist) | (dist > limit + COST_TOL)
    dist[far] = np.inf
    pred[far | (pred < 0)] = -1
    src[far | (src < 0)] = -1
    return dist, pred, src


def _core(
    world: World, blocked: np.ndarray, starts: list[int], max_line: float, max_overland: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The two searches: (line_cost, line_pred, overland_leg, overland_pred, origin)."""
    t = _tables(world)
    allowed = ~blocked
    allowed[starts] = True
    line_cost, line_pred, _ = _search(t.net.graph(allowed), starts, max_line)
    reached = np.flatnonzero(np.isfinite(line_cost)).tolist()
    leg, ov_pred, origin = _search(t.overland.graph(allowed), reached, max_overland)
    return line_cost, line_pred, leg, ov_pred, origin


def _loads_and_ratios(
    world: World,
    state: GameState,
    fed: list[tuple[int, int]],
    line_cost: np.ndarray,
    line_pred: np.ndarray,
) -> tuple[dict[int, tuple[float, Bottleneck | None]], dict[tuple[int, int], float]]:
    """Ratio and bottleneck per origin hex, and the load of every link, in one forest pass.

    ``fed``: per unit in supply, the network hex its overland leg starts from and its demand
    in kilograms.
    """
    info = _tables(world).pair_info
    mud = road_capacity_factors(world, state)
    load: dict[int, int] = {}
    for o, kg in fed:
        load[o] = load.get(o, 0) + kg
    # Only the fed network hexes and the hexes up their paths carry anything: walk those alone,
    # nearest the source first (ties by hex index, as a stable sort of the whole network).
    pred: dict[int, int] = {}
    for o in load:
        v = o
        while v >= 0 and v not in pred:
            p = line_pred.item(v)
            pred[v] = p
            v = p
    carrying = np.fromiter(pred, dtype=np.int64, count=len(pred))
    order = carrying[np.lexsort((carrying, line_cost[carrying]))].tolist()
    # Sum demand up the forest: the link (pred[v], v) carries everything below v.
    for v in reversed(order):
        kg = load.get(v, 0)
        p = pred[v]
        if kg and p >= 0:
            load[p] = load.get(p, 0) + kg
    best: dict[int, tuple[float, Bottleneck | None]] = {}
    edge_load: dict[tuple[int, int], float] = {}
    for v in order:
        p = pred[v]
        if p < 0:
            best[v] = (1.0, None)
            continue
        parent = best[p]
        kg = load.get(v, 0)
        if not kg:
            best[v] = parent
            continue
        kind, cap = info[(p, v) if p < v else (v, p)]
        if mud is not None and kind == "road":
            cap = cap * float(min(mud[p], mud[v]))  # _capacity_today, written out
        edge_load[(p, v)] = kg / KG_PER_TON
        r = cap * KG_PER_TON / kg if kg > cap * KG_PER_TON else 1.0
        if r < parent[0]:
            best[v] = (r, Bottleneck(p, v, kind, kg / KG_PER_TON, cap))
        else:
            best[v] = parent
    return best, edge_load


def supplied_hexes(world: World, state: GameState, side: str) -> np.ndarray:
    """The hexes a unit of ``side`` would be in supply in now: the net of :func:`trace`.

    The same two searches, without the loads, ratios and paths of the units (what the AI and a
    supply overlay need); equal to ``trace(world, state, side).origin >= 0``.
    """
    rules = state.rules.supply
    blocked = blocked_hexes(world, state, side)
    starts = sorted(_usable_source_ids(world, state, side))
    *_, origin = _core(world, blocked, starts, rules.max_line_cost, rules.max_overland_cost)
    return origin >= 0


def supplied_hexes_later(world: World, state: GameState, side: str) -> Callable[[], np.ndarray]:
    """:func:`supplied_hexes` as things stand now, searched only if and when it is asked for.

    What the net depends on (the blocked hexes, the usable sources, the ranges) is taken now;
    the two searches wait for the first call, so a player that never asks (a side that holds
    everywhere) pays for none of them. Every call returns the same array.
    """
    rules = state.rules.supply
    blocked = blocked_hexes(world, state, side)  # a new array: later moves leave it alone
    starts = sorted(_usable_source_ids(world, state, side))
    limits = (rules.max_line_cost, rules.max_overland_cost)
    net: list[np.ndarray] = []

    def supplied() -> np.ndarray:
        if not net:
            *_, origin = _core(world, blocked, starts, *limits)
            net.append(origin >= 0)
        return net[0]

    return supplied


def trace(world: World, state: GameState, side: str) -> SupplyTrace:
    """Trace the supply of every hex and every on-map unit of ``side`` (fast version)."""
    rules = state.rules.supply
    blocked = blocked_hexes(world, state, side)
    source_ids = _usable_source_ids(world, state, side)
    starts = sorted(source_ids)
    line_cost, line_pred, leg, ov_pred, origin = _core(
        world, blocked, starts, rules.max_line_cost, rules.max_overland_cost
    )
    safe_origin = np.where(origin >= 0, origin, 0)
    overland_cost = np.where(np.isfinite(leg), line_cost[safe_origin] + leg, np.inf)
    result = SupplyTrace(
        side,
        line_cost,
        leg,
        overland_cost,
        line_pred,
        ov_pred,
        origin,
        starts,
        source_ids,
        blocked,
    )
    units = state.units_of(side)
    w = world.grid.width
    where = [u.hex[1] * w + u.hex[0] for u in units]  # type: ignore[index]
    orig = origin[where].tolist() if units else []
    r = state.rules.supply
    per_men, per_tank = r.demand_tons_per_1000_men, r.demand_tons_per_tank
    # unit_demand and _demand_kg, written out (the same sums): a trace asks for every unit.
    demand = [per_men * u.men / 1000.0 + per_tank * u.tanks for u in units]
    fed = [(o, int(round(d * KG_PER_TON))) for o, d in zip(orig, demand, strict=True) if o >= 0]
    best, result.edge_load = _loads_and_ratios(world, state, fed, line_cost, line_pred)
    # Units fed from the same network hex share the rest of the path to the source.
    line_rest: dict[int, list[int]] = {}
    for u, i, o, d in zip(units, where, orig, demand, strict=True):
        if o >= 0:
            ratio, neck = best[o]
            path = [i]
            v = i
            while (p := ov_pred.item(v)) >= 0:
                v = p
                path.append(v)
            rest = line_rest.get(v)
            if rest is None:
                rest = []
                x = line_pred.item(v)
                while x >= 0:
                    rest.append(x)
                    x = line_pred.item(x)
                line_rest[v] = rest
            path += rest
            result.units[u.id] = UnitSupply(u.id, i, True, ratio, path, neck, d)
        else:
            result.units[u.id] = UnitSupply(u.id, i, False, 0.0, [], None, d)
    return result


# ---------------------------------------------------------------- the reference trace


def trace_reference(world: World, state: GameState, side: str) -> SupplyTrace:
    """The same rules as :func:`trace`, written plainly with networkx (for tests and benchmarks)."""
    rules = state.rules.supply
    n = world.grid.size
    blocked = blocked_hexes(world, state, side)
    source_ids = _usable_source_ids(world, state, side)
    starts = sorted(source_ids)
    open_hex = {i for i in range(n) if not blocked[i]} | set(starts)
    pairs = _network_pairs(world)

    g = nx.Graph()
    g.add_nodes_from(open_hex)
    for (a, b), (w, _kind, _cap) in pairs.items():
        if a in open_hex and b in open_hex:
            g.add_edge(a, b, weight=w)
    line_cost = np.full(n, np.inf)
    line_pred = np.full(n, -1, dtype=np.int64)
    if starts:
        dist, paths = nx.multi_source_dijkstra(
            g, set(starts), cutoff=rules.max_line_cost + COST_TOL, weight="weight"
        )
        for v, d in dist.items():
            line_cost[v] = d
            if len(paths[v]) > 1:
                line_pred[v] = paths[v][-2]

    terrain = _terrain_supply(world)
    river = _river_supply(world)
    h = nx.DiGraph()
    h.add_nodes_from(open_hex)
    for i in open_hex:
        for d in range(6):
            j = int(world.grid.neighbor_index[i, d])
            if j >= 0 and j in open_hex and np.isfinite(terrain[j]):
                w = terrain[j] + river[i, d] + TIE_EPS * tiebreak(i, j, SALT_OVERLAND)
                h.add_edge(i, j, weight=float(w))
    leg = np.full(n, np.inf)
    ov_pred = np.full(n, -1, dtype=np.int64)
    origin = np.full(n, -1, dtype=np.int64)
    reached = {int(v) for v in np.flatnonzero(np.isfinite(line_cost))}
    if reached:
        dist, paths = nx.multi_source_dijkstra(
            h, reached, cutoff=rules.max_overland_cost + COST_TOL, weight="weight"
        )
        for v, d in dist.items():
            leg[v] = d
            origin[v] = paths[v][0]
            if len(paths[v]) > 1:
                ov_pred[v] = paths[v][-2]
    overland_cost = np.where(origin >= 0, line_cost[np.maximum(origin, 0)] + leg, np.inf)
    result = SupplyTrace(
        side,
        line_cost,
        leg,
        overland_cost,
        line_pred,
        ov_pred,
        origin,
        starts,
        source_ids,
        blocked,
    )

    fed: list[tuple[Unit, list[int], list[tuple[int, int]]]] = []
    for u in state.units_of(side):
        i = unit_index(world, u)
        if origin[i] < 0:
            result.units[u.id] = UnitSupply(u.id, i, False, 0.0, [], None, unit_demand(state, u))
            continue
        path = [i]
        while ov_pred[path[-1]] >= 0:
            path.append(int(ov_pred[path[-1]]))
        line = [path[-1]]
        while line_pred[line[-1]] >= 0:
            line.append(int(line_pred[line[-1]]))
        path.extend(line[1:])
        # Links from the source towards the unit.
        links = list(zip(line[::-1][:-1], line[::-1][1:], strict=True))
        fed.append((u, path, links))
    load: dict[tuple[int, int], int] = {}
    for u, _path, links in fed:
        for link in links:
            load[link] = load.get(link, 0) + _demand_kg(state, u)
    result.edge_load = {k: v / KG_PER_TON for k, v in load.items() if v}
    mud = road_capacity_factors(world, state)
    for u, path, links in fed:
        ratio, neck = 1.0, None
        for a, b in links:
            kind, cap = pairs[(min(a, b), max(a, b))][1:]
            cap = _capacity_today(kind, cap, a, b, mud)
            kg = load[(a, b)]
            if kg > cap * KG_PER_TON and cap * KG_PER_TON / kg < ratio:
                ratio = cap * KG_PER_TON / kg
                neck = Bottleneck(a, b, kind, kg / KG_PER_TON, cap)
        result.units[u.id] = UnitSupply(
            u.id, path[0], True, ratio, path, neck, unit_demand(state, u)
        )
    return result


# ---------------------------------------------------------------- daily effects


def refresh_status(world: World, state: GameState, side: str) -> None:
    """Record the current supply state of ``side``'s units without any daily effect."""
    t = trace(world, state, side)
    for u in state.units_of(side):
        s = t.units[u.id]
        u.supply.in_supply = s.in_supply
        u.supply.ratio = s.ratio


def _replacements(rate: float, current: int, full: int) -> int:
    """Men, tanks or guns replaced in a day: ``rate`` of the shortfall, rounded."""
    short = max(0, full - current)
    return min(short, round(rate * short))


def supply_phase(world: World, state: GameState, side: str) -> list[Note]:
    """Apply one day's supply to ``side``'s units: refill and replace, or attrition.

    Returns:
        Log lines (kind ``supply``) for units that lose or regain supply or suffer attrition
        (the unit and its hex), and one line summing up the units held back by bottlenecks
        (those units and the bottleneck's two hexes).
    """
    r = state.rules.supply
    t = trace(world, state, side)
    messages: list[Note] = []
    short: list[tuple[float, str, Bottleneck, str]] = []

    def note(text: str, u: Unit, where: tuple[int, int] | None) -> None:
        messages.append(Note(text, "supply", side=side, units=(u.id,), hexes=(where,)))

    for u in state.units_of(side):
        s = t.units[u.id]
        was_out = u.supply.days_out > 0
        u.supply.in_supply = s.in_supply
        u.supply.ratio = s.ratio
        if s.in_supply:
            u.supply.days_out = 0
            if was_out:
                note(f"{u.name} is back in supply", u, u.hex)
            ratio = s.ratio
            if s.bottleneck is not None and ratio < 1.0:
                short.append((ratio, u.name, s.bottleneck, u.id))
            if u.fuelled:
                u.fuel = min(1.0, u.fuel + r.fuel_refill * ratio)
            u.men += _replacements(r.replacement_rate * ratio, u.men, u.full_men)
            u.tanks += _replacements(r.replacement_rate * ratio, u.tanks, u.full_tanks)
            u.guns += _replacements(r.replacement_rate * ratio, u.guns, u.full_guns)
            u.readiness = min(1.0, u.readiness + r.readiness_recovery * ratio)
            continue
        u.supply.days_out += 1
        if not was_out:
            note(f"{u.name} is out of supply", u, u.hex)
        if on_magazines(world, state, unit_index(world, u)):
            continue  # cut off, it lives on the works' magazines (engine.works)
        if u.supply.days_out > r.attrition_after_days:
            wanted = {
                "men": round(r.attrition_rate * u.men),
                "tanks": round(r.attrition_rate * u.tanks),
            }
            u.readiness = max(0.0, u.readiness - r.attrition_readiness)
            where = u.hex
            taken = take_losses(state, u, wanted)
            note(
                f"{u.name} loses {taken['men']} men and {taken['tanks']} tanks to attrition "
                f"({u.supply.days_out} days out of supply)"
                + ("; it breaks up" if u.status == "destroyed" else ""),
                u,
                where,
            )
    if short:
        ratio, name, neck, _ = min(short, key=lambda x: x[0])
        a, b = world.coord(neck.a), world.coord(neck.b)
        messages.append(
            Note(
                f"{len(short)} {side} units get reduced supply; worst {name} at {ratio:.0%} "
                f"({neck.kind} {a[0]},{a[1]}-{b[0]},{b[1]} carries {neck.capacity:.0f} of "
                f"{neck.load:.0f} t/day)",
                "supply",
                side=side,
                units=[uid for *_, uid in short],
                hexes=(a, b),
            )
        )
    return messages


# ---------------------------------------------------------------- explanation


def _source_name(world: World, sid: str) -> str:
    for src in world.scenario.supply_sources:
        if src.id == sid:
            if src.place is not None:
                return world.places[src.place].spec.name
            return sid
    return sid


def _coord(world: World, index: int) -> list[int]:
    return list(world.coord(index))


def _projects_zoc(world: World, unit: Unit, index: int) -> bool:
    """Whether ``unit`` projects its zone of control into hex ``index``."""
    if not unit.exerts_zoc:
        return False
    at = unit_index(world, unit)
    if at == index:
        return True
    d = world.grid.direction(at, index)
    if d is None:
        return False
    river = int(world.river[at, d])
    for name, code in RIVER_CLASS_CODES.items():
        rules = world.scenario.rivers.get(name)  # type: ignore[call-overload]
        if river == code and rules is not None and rules.blocks_zoc:
            return False
    return True


def explain(world: World, state: GameState, unit: Unit) -> SupplyExplanation:
    """Why ``unit`` is in supply (path, source, cost, bottleneck) or not (the break)."""
    rules = state.rules.supply
    if not unit.on_map:
        return SupplyExplanation(
            unit.id,
            unit.side,
            False,
            0.0,
            unit.supply.days_out,
            reason=f"not on the map ({unit.status})",
            name=unit.name,
        )
    side = unit.side
    t = trace(world, state, side)
    s = t.units[unit.id]
    i = s.index
    if s.in_supply:
        src = s.path[-1]
        neck = None
        if s.bottleneck is not None:
            b = s.bottleneck
            neck = {
                "from": _coord(world, b.a),
                "to": _coord(world, b.b),
                "kind": b.kind,
                "load": b.load,
                "capacity": b.capacity,
            }
        return SupplyExplanation(
            unit.id,
            side,
            True,
            s.ratio,
            unit.supply.days_out,
            path=[_coord(world, h) for h in s.path],
            source=", ".join(_source_name(world, sid) for sid in t.source_ids[src]),
            source_hex=_coord(world, src),
            cost=float(t.overland_cost[i]),
            line_cost=float(t.line_cost[int(t.origin[i])]),
            overland_leg=float(t.overland_leg[i]),
            bottleneck=neck,
            name=unit.name,
        )
    # Out of supply: trace again with nothing blocked, every own source and no range limit.
    starts_ids: dict[int, list[str]] = {}
    me = side_index(world, side)
    for sid, owner, idx, capturable in source_hexes(world):
        if owner == side or (capturable and int(state.control[idx]) == me):
            starts_ids.setdefault(idx, []).append(sid)
    starts = sorted(starts_ids)
    nothing = np.zeros(world.grid.size, dtype=bool)
    line_cost, line_pred, leg, ov_pred, origin = _core(world, nothing, starts, np.inf, np.inf)
    base = SupplyExplanation(unit.id, side, False, 0.0, unit.supply.days_out, name=unit.name)
    if origin[i] < 0:
        base.reason = "no supply source can be reached at all (impassable terrain or no sources)"
        return base
    path = _rebuild_path(i, ov_pred, line_pred)
    src = path[-1]
    base.path = [_coord(world, h) for h in path]
    base.source = ", ".join(_source_name(world, sid) for sid in starts_ids[src])
    base.source_hex = _coord(world, src)
    base.line_cost = float(line_cost[int(origin[i])])
    base.overland_leg = float(leg[i])
    base.cost = base.line_cost + base.overland_leg
    enemy = enemy_of(world, side)
    enemy_units = state.units_of(enemy)
    for h in path[1:]:
        if h == src and src not in t.source_ids:
            break
        if not t.blocked[h] or h in t.source_ids:
            continue
        c, r = world.coord(h)
        here = [u for u in enemy_units if u.hex == (c, r)]
        if here:
            base.reason = f"enemy unit {here[0].name} at {c},{r}"
        else:
            near = [u.name for u in enemy_units if _projects_zoc(world, u, h)]
            base.reason = f"enemy zone of control at {c},{r}" + (
                f" ({', '.join(near)})" if near else ""
            )
        base.blocked_hex = [c, r]
        return base
    if src not in t.source_ids:
        c, r = world.coord(src)
        holder = int(state.control[src])
        name = base.source
        here = [u for u in enemy_units if u.hex == (c, r)]
        if here:
            base.reason = f"source {name} occupied by enemy unit {here[0].name}"
        elif holder >= 0 and holder != me:
            base.reason = f"source {name} captured"
        else:
            base.reason = f"source {name} not usable"
        base.blocked_hex = [c, r]
        return base
    if base.line_cost > rules.max_line_cost + COST_TOL:
        base.reason = f"beyond line range: {base.line_cost:.1f} > {rules.max_line_cost:.1f}"
    else:
        base.reason = (
            f"beyond overland range: {base.overland_leg:.1f} > {rules.max_overland_cost:.1f}"
        )
    return base


# ---------------------------------------------------------------- air supply


def air_lift_left(world: World, state: GameState, side: str) -> float:
    """Tons of fuel ``side`` can still fly this turn."""
    spec = next(s for s in world.scenario.sides if s.id == side)
    return max(0.0, spec.air_lift_tons - state.sides[side].air_lift_used)


def full_load_tons(state: GameState, unit: Unit) -> float:
    """Tons of fuel in a full load of a unit (at least one ton)."""
    r = state.rules.supply
    return max(1.0, r.fuel_tons_per_tank * unit.tanks + r.fuel_tons_per_1000_men * unit.men / 1000)


def air_bases(world: World, state: GameState, side: str) -> list[int]:
    """Hexes ``side`` flies supply from: airfields it controls, else its usable sources."""
    me = side_index(world, side)
    fields = [
        info.index
        for info in world.places.values()
        if "airfield" in info.spec.kinds and int(state.control[info.index]) == me
    ]
    return sorted(fields) if fields else usable_sources(world, state, side)


def _in_air_range(world: World, state: GameState, unit: Unit) -> bool:
    spec = next(s for s in world.scenario.sides if s.id == unit.side)
    i = unit_index(world, unit)
    return any(
        world.grid.distance(i, b) <= spec.air_supply_range_hexes
        for b in air_bases(world, state, unit.side)
    )


def can_air_supply(world: World, state: GameState, unit: Unit) -> bool:
    """Whether fuel can be flown to ``unit`` now (fuelled, on the map, short of fuel, in range)."""
    return unit.fuelled and unit.on_map and unit.fuel < 1.0 and _in_air_range(world, state, unit)


def air_supply(world: World, state: GameState, unit: Unit, tons: float) -> Note:
    """Fly up to ``tons`` of fuel to ``unit`` (only what fills its tanks is used).

    Returns:
        The log line (kind ``airsupply``; the unit and its hex).

    Raises:
        IllegalOrder: ``not_fuelled``, ``not_on_map``, ``fuel_full``, ``air_supply_range`` or
            ``air_lift_capacity``; the state is then unchanged.
    """
    if not unit.fuelled:
        raise IllegalOrder("not_fuelled", f"{unit.name} does not use fuel")
    if not unit.on_map:
        raise IllegalOrder("not_on_map", f"{unit.name} is not on the map")
    if tons <= 0:
        raise IllegalOrder("air_lift_capacity", "air supply needs a positive tonnage")
    full = full_load_tons(state, unit)
    needed = (1.0 - unit.fuel) * full
    if needed <= 1e-9:
        raise IllegalOrder("fuel_full", f"{unit.name} already has full fuel")
    if not _in_air_range(world, state, unit):
        spec = next(s for s in world.scenario.sides if s.id == unit.side)
        raise IllegalOrder(
            "air_supply_range",
            f"{unit.name} is more than {spec.air_supply_range_hexes} hexes from a friendly "
            "airfield",
        )
    used = min(tons, needed)
    left = air_lift_left(world, state, unit.side)
    if used > left + 1e-9:
        raise IllegalOrder(
            "air_lift_capacity",
            f"{used:.1f} t asked but only {left:.1f} t of air lift is left this turn",
        )
    unit.fuel = min(1.0, unit.fuel + used / full)
    state.sides[unit.side].air_lift_used += used
    state.version += 1
    return Note(
        f"{used:.1f} t of fuel flown to {unit.name} (fuel {unit.fuel:.0%})",
        "airsupply",
        side=unit.side,
        units=(unit.id,),
        hexes=(unit.hex,),
    )
