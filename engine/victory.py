"""Victory: points for places, dated objectives, the pincer's link-up, losses and forces preserved.

A side's victory points (VP) are the sum of

* the VP of every place it controls (``places[].vp``);
* the points its dated objectives have scored (``victory.objectives``), kept once scored;
* the points events awarded it;
* ``vp_per_1000_enemy_men_lost`` for every thousand men the enemy has lost fighting (not
  counting those who surrendered under the cease-fire order);
* ``forces_preserved``: for every thousand of its own men in units in play inside an area.

Objectives are judged at the end of each turn, after the supply phase, against that turn's
date (see :class:`engine.scenario.model.Objective`). At the last turn, or when a side reaches a
sudden-death total, the margin between the two sides decides the victory level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from engine.events import select_units
from engine.log import Note
from engine.scenario.model import Objective
from engine.state import GameState
from engine.world import World
from engine.zoc import enemy_of, side_index


def victory_points(world: World, state: GameState) -> dict[str, float]:
    """Current victory points of each side."""
    order = world.scenario.side_order
    vp = {sid: state.sides[sid].event_vp for sid in order}
    for info in world.places.values():
        holder = int(state.control[info.index])
        if holder >= 0:
            sid = order[holder]
            vp[sid] += info.spec.vp.get(sid, 0.0)
    by_id = {o.id: o for o in world.scenario.victory.objectives}
    for oid, (_turn, points) in state.objectives.items():
        vp[by_id[oid].side] += points
    rates = world.scenario.victory.vp_per_1000_enemy_men_lost
    for sid in order:
        vp[sid] += rates.get(sid, 0.0) * men_lost_fighting(state, enemy_of(world, sid)) / 1000.0
    for k, fp in enumerate(world.scenario.victory.forces_preserved):
        vp[fp.side] += fp.vp_per_1000_men * men_preserved(world, state, k) / 1000.0
    return {sid: round(v, 3) for sid, v in vp.items()}


#: The terms of a side's VP, in :func:`vp_breakdown`'s order.
VP_SOURCES: tuple[str, ...] = ("places", "objectives", "events", "enemy_losses", "preserved")


def vp_breakdown(world: World, state: GameState) -> dict[str, dict[str, float]]:
    """Each side's victory points by source (:data:`VP_SOURCES`), unrounded.

    The terms of :func:`victory_points`, kept apart so a report can say where the points came
    from; their sum per side equals it up to the rounding to three decimals.
    """
    order = world.scenario.side_order
    out = {sid: dict.fromkeys(VP_SOURCES, 0.0) for sid in order}
    for sid in order:
        out[sid]["events"] = state.sides[sid].event_vp
    for info in world.places.values():
        holder = int(state.control[info.index])
        if holder >= 0:
            sid = order[holder]
            out[sid]["places"] += info.spec.vp.get(sid, 0.0)
    by_id = {o.id: o for o in world.scenario.victory.objectives}
    for oid, (_turn, points) in state.objectives.items():
        out[by_id[oid].side]["objectives"] += points
    rates = world.scenario.victory.vp_per_1000_enemy_men_lost
    for sid in order:
        lost = men_lost_fighting(state, enemy_of(world, sid))
        out[sid]["enemy_losses"] = rates.get(sid, 0.0) * lost / 1000.0
    for k, fp in enumerate(world.scenario.victory.forces_preserved):
        out[fp.side]["preserved"] += fp.vp_per_1000_men * men_preserved(world, state, k) / 1000.0
    return out


def men_lost_fighting(state: GameState, side: str) -> int:
    """Men a side has lost, less those who surrendered under the cease-fire order.

    Laying down arms when the Emperor's order arrived was obeying it, not a defeat the side's
    play could have avoided; the surrendered places still score for the enemy.
    """
    s = state.sides[side]
    return s.losses["men"] - s.prisoners


def men_preserved(world: World, state: GameState, k: int) -> int:
    """Men of the side of ``forces_preserved[k]`` in units in play inside its area.

    Units under a cease-fire order count: they stand intact, and what the side's play decides is
    how many it loses before the order comes.
    """
    spec = world.scenario.victory.forces_preserved[k]
    area = world.preserved_area[k]
    total = 0
    for u in state.units_of(spec.side):
        if area is None or area[world.index(*u.hex)]:  # type: ignore[misc]
            total += u.men
    return total


# ---------------------------------------------------------------- objectives


def _holds_all(world: World, state: GameState, obj: Objective) -> bool:
    mine = side_index(world, obj.side)
    return all(int(state.control[world.places[pid].index]) == mine for pid in obj.places)


def link_distance(world: World, state: GameState, obj: Objective) -> int | None:
    """Hexes between the nearest units of a link-up's two groups (None if a group is gone)."""
    cubes = []
    for group in obj.groups:
        units = [u for u in select_units(world, state, group) if u.on_map]
        if not units:
            return None
        axial = np.array([world.grid.axial(world.index(*u.hex)) for u in units])  # type: ignore[misc]
        q, r = axial[:, 0], axial[:, 1]
        cubes.append(np.column_stack([q, r, -q - r]))
    a, b = cubes
    gaps = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)
    return int(gaps.min())


def _achieved(world: World, state: GameState, obj: Objective) -> bool:
    if obj.kind == "link_up":
        gap = link_distance(world, state, obj)
        return gap is not None and gap <= obj.within_hexes
    return _holds_all(world, state, obj)


def judge_objectives(world: World, state: GameState) -> list[Note]:
    """Score the objectives met at the end of the current turn.

    Returns:
        One log line (kind ``objective``) per objective judged: its side and its places' hexes.
    """
    today = world.scenario.date_of_turn(state.turn).date()
    last = state.turn >= world.scenario.turns
    messages = []
    for obj in world.scenario.victory.objectives:
        if obj.id in state.objectives:
            continue
        if obj.kind == "hold":
            if today < obj.by and not last:
                continue
            points = obj.vp if _holds_all(world, state, obj) else 0.0
            state.objectives[obj.id] = (state.turn, points)
            verdict = "held" if points else "lost"
            text = f"objective {obj.name}: {verdict} ({obj.side} {points:g} VP)"
        elif _achieved(world, state, obj):
            points = obj.vp if today <= obj.by else obj.late_vp
            state.objectives[obj.id] = (state.turn, points)
            when = "on time" if today <= obj.by else "late"
            text = f"objective {obj.name}: achieved {when} ({obj.side} {points:g} VP)"
        else:
            continue
        where = [world.coord(world.places[p].index) for p in obj.places]
        messages.append(Note(text, "objective", side=obj.side, hexes=where))
    return messages


@dataclass(frozen=True)
class ObjectiveStatus:
    """Where an objective stands, for the player's panel and the batch reports."""

    id: str
    name: str
    side: str
    kind: str
    by: dt.date
    status: str  # "achieved", "late", "held", "lost", "open" or "overdue"
    turn: int | None
    vp: float


def objective_statuses(world: World, state: GameState) -> list[ObjectiveStatus]:
    """Every objective of the scenario and its status now."""
    today = world.scenario.date_of_turn(state.turn).date()
    out = []
    for obj in world.scenario.victory.objectives:
        if obj.id in state.objectives:
            turn, points = state.objectives[obj.id]
            date = world.scenario.date_of_turn(turn).date()
            if obj.kind == "hold":
                status = "held" if points else "lost"
            else:
                status = "achieved" if date <= obj.by else "late"
            out.append(
                ObjectiveStatus(obj.id, obj.name, obj.side, obj.kind, obj.by, status, turn, points)
            )
        else:
            missed = today > obj.by or state.game_over  # the last day has been played
            status = "overdue" if missed and obj.kind != "hold" else "open"
            out.append(
                ObjectiveStatus(obj.id, obj.name, obj.side, obj.kind, obj.by, status, None, 0.0)
            )
    return out


# ---------------------------------------------------------------- the result


def check_victory(world: World, state: GameState, final: bool) -> list[Note]:
    """Apply sudden death now, or the final result when ``final``.

    Returns:
        The log line of the result, if the game ends (kind ``victory``; the winner's side).
    """
    vp = victory_points(world, state)
    for sd in world.scenario.victory.sudden_death:
        if vp[sd.side] >= sd.vp:
            state.game_over = True
            state.winner = sd.side
            state.victory_level = "sudden death"
            text = f"{sd.side} reaches {vp[sd.side]:g} VP: sudden-death victory"
            return [Note(text, "victory", side=sd.side)]
    if not final:
        return []
    a, b = world.scenario.side_order
    margin = vp[a] - vp[b]
    state.game_over = True
    for level in sorted(world.scenario.victory.levels, key=lambda lv: -lv.margin):
        if abs(margin) >= level.margin and margin != 0:
            state.winner = a if margin > 0 else b
            state.victory_level = level.name
            text = f"game over: {state.winner} {level.name} victory, VP {vp[a]:g} : {vp[b]:g}"
            return [Note(text, "victory", side=state.winner)]
    state.winner = None
    state.victory_level = "draw"
    return [Note(f"game over: draw, VP {vp[a]:g} : {vp[b]:g}", "victory")]
