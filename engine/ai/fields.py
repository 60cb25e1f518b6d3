"""Distance fields: movement points from every hex to a target over the open map.

The AI steers each unit down the field of its objective: the cost in movement points of the
cheapest way there by road, rail or across country, ignoring where the units are (the rules
engine's own search handles those each move). One Dijkstra search on the reversed step graph
gives the whole field; fields are kept per world, movement class, side and target.

A unit steering down a field compares only the hexes nearer its goal than its own, so
:func:`distance_from` searches a field only as far out from the target as the unit stands (the
search stops at a limit, widened when a unit further out asks): a unit is mostly a day or two
from the place it heads for, and a whole-map search costs ten times one that far. The
distances a bounded search finds are bit for bit those of the whole one (switch
``BOUNDED_FIELDS``; tests compare the two, the benchmark times both).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from engine.world import World

#: Search a unit's field only as far out from the target as the unit (:func:`distance_from`);
#: off, every field is searched over the whole map. The decisions are identical either way.
BOUNDED_FIELDS = True
#: The first limit of a bounded field, in movement points per hex between unit and target
#: (a hex costs 1-3 points off the road); each search that falls short doubles the limit.
FIRST_LIMIT_PER_HEX = 1.0
#: Beyond this limit the field is searched whole (the unit may have no way to the target).
WHOLE_FIELD_BEYOND = 96.0


def _cache(world: World) -> tuple[dict, dict]:
    """The world's fields and graphs (kept on the world, so they go with it)."""
    cache = world.__dict__.setdefault("_ai_fields", ({}, {}))
    return cache


def _same_costs(world: World, movement_class: str) -> str:
    """The first movement class with exactly the step costs of ``movement_class``.

    Classes that cost the same everywhere (foot and cavalry, often) share their graphs and
    fields: the search would give bit for bit the same field for each.
    """
    same: dict[str, str] = world.__dict__.setdefault("_ai_fields_same", {})
    hit = same.get(movement_class)
    if hit is None:
        cost = world.base_step_cost[movement_class]
        hit = next(
            c
            for c, other in world.base_step_cost.items()
            if c == movement_class or np.array_equal(other, cost)
        )
        same[movement_class] = hit
    return hit


def _reversed_graph(world: World, movement_class: str, side: str) -> csr_matrix:
    _fields, graphs = _cache(world)
    key = (movement_class, side)
    if key not in graphs:
        cost = world.base_step_cost[movement_class]
        nb = world.grid.neighbor_index
        ok = np.isfinite(cost) & (nb >= 0)
        src, d = np.nonzero(ok)
        dst = nb[src, d]
        keep = ~world.forbidden[side][dst]
        n = world.grid.size
        # reversed: an edge dst -> src carrying the cost of stepping src -> dst
        graphs[key] = csr_matrix((cost[src, d][keep], (dst[keep], src[keep])), shape=(n, n))
    return graphs[key]


def distance_to(
    world: World, movement_class: str, side: str, target: int, limit: float | None = None
) -> np.ndarray:
    """Movement points from every hex to ``target`` for a unit of that class and side.

    With ``limit``, hexes further than that are ``inf``: a cheaper search for near targets.
    """
    fields, _graphs = _cache(world)
    movement_class = _same_costs(world, movement_class)
    key = (movement_class, side, target, limit)
    field = fields.get(key)
    if field is None:
        graph = _reversed_graph(world, movement_class, side)
        field = dijkstra(graph, directed=True, indices=target, limit=limit or np.inf)
        field.flags.writeable = False
        fields[key] = field
    return field


def distance_from(
    world: World, movement_class: str, side: str, target: int, start: int
) -> np.ndarray:
    """Movement points to ``target``, exact for every hex at most as far from it as ``start``.

    Hexes further out than ``start`` may read ``inf`` (they lie beyond the search's limit);
    where ``start`` has no way to ``target`` the field is the whole one of :func:`distance_to`.
    That is all a unit at ``start`` steering toward ``target`` needs: which hexes are nearer
    than its own, and how near. With ``BOUNDED_FIELDS`` off, the whole field.
    """
    if not BOUNDED_FIELDS:
        return distance_to(world, movement_class, side, target)
    movement_class = _same_costs(world, movement_class)
    fields, _graphs = _cache(world)
    whole = fields.get((movement_class, side, target, None))
    if whole is not None:
        return whole
    bounded: dict = world.__dict__.setdefault("_ai_fields_bounded", {})
    key = (movement_class, side, target)
    kept = bounded.get(key)
    if kept is not None and kept[1][start] <= kept[0]:
        return kept[1]
    if kept is not None:
        limit = 2.0 * kept[0]
    else:
        limit = FIRST_LIMIT_PER_HEX * max(1, world.grid.distance(start, target))
    graph = _reversed_graph(world, movement_class, side)
    while limit <= WHOLE_FIELD_BEYOND:
        # Values at most ``limit`` are final whatever the limit: a hex further out never
        # gives a nearer one a shorter way (the costs are positive).
        field = dijkstra(graph, directed=True, indices=target, limit=limit)
        if field[start] <= limit:
            field.flags.writeable = False
            bounded[key] = (limit, field)
            return field
        limit *= 2.0
    bounded.pop(key, None)
    return distance_to(world, movement_class, side, target)


def distance_to_nearest(
    world: World, movement_class: str, side: str, targets: np.ndarray
) -> np.ndarray:
    """Movement points from every hex to the nearest of ``targets`` (hex indices).

    Not kept: the targets (e.g. the supply net) change from day to day.
    """
    graph = _reversed_graph(world, _same_costs(world, movement_class), side)
    if targets.size == 0:
        return np.full(world.grid.size, np.inf)
    return dijkstra(graph, directed=True, indices=targets, min_only=True)


def forget(world: World) -> None:
    """Drop the fields kept for a world (benchmarks, tests)."""
    world.__dict__.pop("_ai_fields", None)
    world.__dict__.pop("_ai_fields_same", None)
    world.__dict__.pop("_ai_fields_bounded", None)
