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

That is the plans' scheme (``victory.scheme: plans``). A scenario may define a second one,
``victory.graded``, measured against what happened in 1945 (:mod:`engine.graded`); its
``victory.scheme`` says which of the two decides the game. Either scheme's result can be worked
out from any state (:func:`plans_result`, :func:`graded_result`), whichever decided it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from engine import graded
from engine.events import select_units
from engine.log import Note
from engine.scenario.model import Objective, VictoryLevel
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


@dataclass(frozen=True)
class SchemeResult:
    """A scheme's verdict on a state: each side's VP, the winner (None: draw) and the level.

    ``level`` is a level's name or ``draw``; ``margin`` the first side's VP less the second's.
    At the end of a game it is the result; before, what the VP so far would give.
    """

    scheme: str
    vp: dict[str, float]
    winner: str | None
    level: str
    margin: float
    levels: tuple[VictoryLevel, ...]


def level_of(
    levels: list[VictoryLevel], side_order: tuple[str, str], vp: dict[str, float]
) -> tuple[str | None, str, float]:
    """The winner (None: a draw), the level's name (or ``draw``) and the margin of ``vp``."""
    a, b = side_order
    margin = round(vp[a] - vp[b], 3)
    for level in sorted(levels, key=lambda lv: -lv.margin):
        if abs(margin) >= level.margin and margin != 0:
            return (a if margin > 0 else b), level.name, margin
    return None, "draw", margin


def plans_result(world: World, state: GameState) -> SchemeResult:
    """The verdict of the plans' scheme (places, dated objectives, losses, forces preserved)."""
    spec = world.scenario.victory
    vp = victory_points(world, state)
    winner, level, margin = level_of(spec.levels, world.scenario.side_order, vp)
    return SchemeResult("plans", vp, winner, level, margin, tuple(spec.levels))


def graded_result(world: World, state: GameState) -> SchemeResult | None:
    """The verdict of the graded scheme, against 1945 (None: the scenario defines none)."""
    spec = world.scenario.victory.graded
    if spec is None:
        return None
    vp = graded.graded_points(world, state)
    winner, level, margin = level_of(spec.levels, world.scenario.side_order, vp)
    return SchemeResult("graded", vp, winner, level, margin, tuple(spec.levels))


def scheme_result(world: World, state: GameState) -> SchemeResult:
    """The verdict of the scheme that decides the game (``victory.scheme``)."""
    if world.scenario.victory.scheme == "graded":
        result = graded_result(world, state)
        if result is not None:
            return result
    return plans_result(world, state)


def scheme_points(world: World, state: GameState) -> dict[str, float]:
    """Each side's VP under the scheme that decides the game (the graded ones: settled so far)."""
    if world.scenario.victory.scheme == "graded" and world.scenario.victory.graded is not None:
        return graded.graded_points(world, state)
    return victory_points(world, state)


def check_victory(world: World, state: GameState, final: bool) -> list[Note]:
    """Apply sudden death now, or the final result when ``final``.

    Sudden death belongs to the plans' scheme: under the graded scheme the benchmarks are only
    settled at the end. At the end, when the scenario defines a graded scheme, one line per
    benchmark follows the result: what the game did against 1945, whichever scheme decided.

    Returns:
        The log line of the result, if the game ends (kind ``victory``; the winner's side).
    """
    spec = world.scenario.victory
    if spec.scheme == "plans":
        vp = victory_points(world, state)
        for sd in spec.sudden_death:
            if vp[sd.side] >= sd.vp:
                state.game_over = True
                state.winner = sd.side
                state.victory_level = "sudden death"
                text = f"{sd.side} reaches {vp[sd.side]:g} VP: sudden-death victory"
                return [Note(text, "victory", side=sd.side)]
    if not final:
        return []
    state.game_over = True
    result = scheme_result(world, state)
    a, b = world.scenario.side_order
    state.winner = result.winner
    state.victory_level = result.level
    score = f"VP {result.vp[a]:g} : {result.vp[b]:g}"
    if result.scheme == "graded":
        score += " against 1945"
    if result.winner is None:
        notes = [Note(f"game over: draw, {score}", "victory")]
    else:
        text = f"game over: {result.winner} {result.level} victory, {score}"
        notes = [Note(text, "victory", side=result.winner)]
    other = plans_result(world, state) if result.scheme == "graded" else graded_result(world, state)
    if other is not None:
        verdict = "a draw" if other.winner is None else f"{other.winner} {other.level}"
        name = "the plans' objectives" if other.scheme == "plans" else "the record of 1945"
        notes.append(
            Note(
                f"measured by {name} instead: {verdict}, VP {other.vp[a]:g} : {other.vp[b]:g}",
                "victory",
                side=other.winner,
            )
        )
    return notes + graded.graded_notes(world, state)
