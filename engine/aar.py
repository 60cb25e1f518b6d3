"""The after-action figures of a game: its days, its captures against 1945 and its verdict.

Everything here comes from replaying the game's order log on a new game of the same scenario
and seed, which the engine reproduces byte for byte (:mod:`engine.game`), and sampling the state
at the end of every day: the victory points, the losses, the control of every hex (the front
line) and the depth of each front's advance (:class:`engine.simulate.AdvanceTracker`). Days end
where :func:`engine.simulate.simulate_game` ends them (an order after which a new turn has begun
or the game is over), so the figures and the game's :class:`~engine.simulate.SimulationResult`
record agree wherever they overlap. The replay costs a fraction of the game (about 0.6 s for a
whole AI game of August Storm); no state is added to the game or its saves for it.

Nothing here draws: ``ui/aar_charts.py`` and ``ui/aar_scene.py`` show these figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import ScenarioError
from engine.game import Game
from engine.graded import Benchmark, graded_statuses
from engine.history import HistoryDate, read_history, turn_of_date
from engine.orders import Order
from engine.scenario.model import Scenario, VictoryLevel
from engine.simulate import AdvanceTracker, SimulationResult, result_record
from engine.state import LOSS_KINDS
from engine.victory import (
    ObjectiveStatus,
    graded_result,
    objective_statuses,
    plans_result,
    scheme_result,
    vp_breakdown,
)
from engine.world import World

#: At most this many places in the capture table: the historical ones, then by VP.
KEY_PLACES = 12
#: Objective statuses that count as failed in the reasons.
FAILED = frozenset({"lost", "overdue"})


@dataclass(frozen=True)
class DayFigures:
    """The game at the end of one day (or at the start, ``day`` 0; or now, mid-day)."""

    day: int
    """The turn that ended (turn 1 is the scenario's first day); 0 for the start."""
    date: dt.date
    complete: bool
    """False for the day in progress of a game stopped in the middle of a turn."""
    vp: dict[str, float]
    losses: dict[str, dict[str, int]]
    """Per side, men, tanks and guns lost since the start (cumulative)."""
    prisoners: dict[str, int]
    """Per side, men who surrendered under a cease-fire since the start (also in ``losses``)."""
    control: np.ndarray = field(repr=False)
    """The side index holding each hex (-1: nobody), a copy."""
    advance_km: dict[str, float]
    """Per front: its deepest unit's distance beyond its side's start frontier."""
    mean_km: dict[str, float]
    """Per front: the mean distance of its units on the map (the main bodies)."""


@dataclass(frozen=True)
class FrontInfo:
    """A front whose advance is followed."""

    id: str
    name: str
    side: str


@dataclass(frozen=True)
class Capture:
    """A key place: who held it, when it changed hands, and when it fell in 1945."""

    id: str
    name: str
    vp: dict[str, float]
    start_holder: str | None
    holder: str | None
    """Who holds it at the end (None: nobody)."""
    changes: tuple[tuple[int, str | None], ...]
    """Every change of hands: (day, new holder)."""
    captured_turn: int | None
    """The last day it changed hands, as the record says (None: it never did)."""
    captured_by: str | None
    taken_day: int | None
    """The day the first side took it and kept it (the record's day when the first side made
    the last change, as the batch report counts it); None if it does not hold it so."""
    first_taken_day: int | None
    """The first day the first side took it, even if it was lost again."""
    history: HistoryDate | None
    history_days: tuple[int, int] | None
    """The first and last day of the historical date (turns of this scenario)."""

    @property
    def days_vs_1945(self) -> int | None:
        """Days before (negative) or after (positive) 1945; 0 inside the historical span."""
        if self.taken_day is None or self.history_days is None:
            return None
        lo, hi = self.history_days
        if self.taken_day < lo:
            return self.taken_day - lo
        if self.taken_day > hi:
            return self.taken_day - hi
        return 0


@dataclass(frozen=True)
class Outcome:
    """The verdict: who won, at which level, and why."""

    game_over: bool
    winner: str | None
    level: str | None
    """``decisive``, ``marginal``..., ``sudden death`` or ``draw``; None while the game goes on."""
    vp: dict[str, float]
    margin: float
    """The first side's VP less the second's."""
    vp_sources: dict[str, dict[str, float]]
    """Per side, its VP by source (:data:`engine.victory.VP_SOURCES`) in the plans' scheme."""
    reasons: tuple[str, ...]
    scheme: str = "plans"
    """The victory scheme that decides the game (``plans`` or ``graded``)."""


@dataclass
class AfterAction:
    """The after-action figures of a game."""

    scenario_id: str
    scenario_name: str
    scenario_ref: str
    mods: list[str]
    seed: int
    side_order: tuple[str, str]
    turns: int
    """The scenario's length in turns."""
    start_date: dt.date
    hex_km: float
    victory_levels: list[tuple[str, float]]
    """The deciding scheme's victory levels: (name, VP margin needed), largest first."""
    start: DayFigures
    """The position before the first order (after the first day's opening events)."""
    days: list[DayFigures]
    """One entry per day played, the last possibly incomplete (see :attr:`DayFigures.complete`)."""
    fronts: list[FrontInfo]
    places: list[Capture]
    objectives: list[ObjectiveStatus]
    objective_names: dict[str, str]
    outcome: Outcome
    benchmarks: list[Benchmark]
    """The graded scheme's benchmarks against 1945 (empty when the scenario has none)."""
    record: SimulationResult
    """The record ``main.py simulate`` writes for this game (completed days only)."""
    replay_matches: bool
    """Whether the replay ended on the game's state hash (False: the figures may be wrong)."""
    notes: list[str] = field(default_factory=list)
    """Problems met on the way (an unreadable history file), said on the screen."""

    @property
    def complete_days(self) -> list[DayFigures]:
        """The days played to their end."""
        return [d for d in self.days if d.complete]

    def vp_series(self, side: str) -> list[float]:
        """A side's VP at the start and at the end of each day."""
        return [self.start.vp[side], *(d.vp[side] for d in self.days)]

    def losses_per_day(self, side: str, kind: str) -> list[int]:
        """What a side lost of ``kind`` (men, tanks, guns) in each day."""
        out, before = [], 0
        for d in self.days:
            now = d.losses[side][kind]
            out.append(now - before)
            before = now
        return out

    def prisoners_per_day(self, side: str) -> list[int]:
        """Men of a side who surrendered under a cease-fire in each day (part of its losses)."""
        out, before = [], 0
        for d in self.days:
            out.append(d.prisoners[side] - before)
            before = d.prisoners[side]
        return out

    def advance_series(self, front: str, mean: bool = False) -> list[float]:
        """A front's depth (km) at the end of each day: the deepest unit's, or the mean."""
        return [(d.mean_km if mean else d.advance_km)[front] for d in self.days]

    def advance_per_day(self, front: str) -> list[float]:
        """The km a front's spearhead gained (or lost, negative) in each day."""
        depth = [0.0, *self.advance_series(front)]
        return [round(b - a, 3) for a, b in zip(depth, depth[1:], strict=False)]

    def day(self, number: int) -> DayFigures:
        """The figures of a day (0: the start).

        Raises:
            KeyError: no such day was played.
        """
        if number == 0:
            return self.start
        for d in self.days:
            if d.day == number:
                return d
        raise KeyError(number)


# ---------------------------------------------------------------- building it


def after_action(
    game: Game,
    players: Mapping[str, str] | None = None,
    *,
    plans: Mapping[str, str] | None = None,
    sampled: Mapping[str, Any] | None = None,
    history: Mapping[str, HistoryDate] | None = None,
) -> AfterAction:
    """The after-action figures of a game, finished or not, from a replay of its order log.

    ``players`` and ``plans`` name what played each side, for the record (``human`` by
    default); ``sampled`` the values drawn for the mods' uncertain paths, if any; ``history``
    the 1945 dates (read beside the game's scenario when not given). The game itself is only
    read: its scenario, world, seed, order log and state hash.

    Raises:
        IllegalOrder: an order of the log breaks a rule on replay (the log is not this game's).
    """
    return replay_after_action(
        game.scenario,
        game.seed,
        list(game.order_log),
        world=game.world,
        scenario_ref=game.scenario_ref,
        mod_refs=game.mod_refs,
        expected_hash=game.state_hash(),
        players=players,
        plans=plans,
        sampled=sampled,
        history=history,
    )


def replay_after_action(
    scenario: Scenario,
    seed: int,
    orders: Sequence[Order],
    *,
    world: World | None = None,
    scenario_ref: str | None = None,
    mod_refs: Sequence[str] = (),
    expected_hash: str | None = None,
    players: Mapping[str, str] | None = None,
    plans: Mapping[str, str] | None = None,
    sampled: Mapping[str, Any] | None = None,
    history: Mapping[str, HistoryDate] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AfterAction:
    """The after-action figures of the game that ``orders`` make from ``scenario`` and ``seed``.

    What :func:`after_action` does, from parts a caller can copy off a game before handing the
    work to another thread. ``progress(done, total)`` is called every few hundred orders.

    Raises:
        IllegalOrder: an order breaks a rule on replay.
    """
    game = Game(scenario, seed, world=world)
    game.scenario_ref = scenario_ref or scenario.id
    game.mod_refs = list(mod_refs)
    tracker = AdvanceTracker(game)
    start = _figures(game, 0, True, tracker, sample_advance=False)
    days: list[DayFigures] = []
    since_boundary = 0
    for n, order in enumerate(orders, start=1):
        turn_before = game.state.turn
        game.apply(order)
        since_boundary += 1
        if game.state.turn != turn_before or game.state.game_over:
            days.append(_figures(game, turn_before, True, tracker))
            since_boundary = 0
        if progress is not None and n % 250 == 0:
            progress(n, len(orders))
    sides = game.scenario.side_order
    names = dict(players) if players is not None else dict.fromkeys(sides, "human")
    record = result_record(game, names, plans=plans, advance=tracker, sampled=dict(sampled or {}))
    if since_boundary and not game.state.game_over:
        days.append(_figures(game, game.state.turn, False, tracker))
    notes: list[str] = []
    if history is None:
        try:
            history = read_history(game.scenario_ref)
        except ScenarioError as exc:
            notes.append(f"the 1945 dates could not be read: {exc}")
            history = {}
    replay_matches = expected_hash is None or record.state_hash == expected_hash
    if not replay_matches:
        notes.append(
            "the replay of the order log did not end on the game's state: figures may differ"
        )
    statuses = objective_statuses(game.world, game.state)
    return AfterAction(
        scenario_id=scenario.id,
        scenario_name=scenario.name,
        scenario_ref=game.scenario_ref,
        mods=list(mod_refs),
        seed=seed,
        side_order=(sides[0], sides[1]),
        turns=scenario.turns,
        start_date=scenario.date_of_turn(1).date(),
        hex_km=float(scenario.map.projection.hex_km),
        victory_levels=[
            (lv.name, float(lv.margin))
            for lv in sorted(
                scheme_result(game.world, game.state).levels, key=lambda lv: -lv.margin
            )
        ],
        start=start,
        days=days,
        fronts=[FrontInfo(f.id, f.name, f.side) for f in tracker.fronts],
        places=captures(game, history),
        objectives=statuses,
        objective_names={o.id: o.name for o in scenario.victory.objectives},
        outcome=outcome(game, statuses),
        benchmarks=graded_statuses(game.world, game.state),
        record=record,
        replay_matches=replay_matches,
        notes=notes,
    )


def _figures(
    game: Game, day: int, complete: bool, tracker: AdvanceTracker, sample_advance: bool = True
) -> DayFigures:
    """The state now as the figures of ``day``; a complete day also extends the tracker."""
    state = game.state
    if not sample_advance:
        deep = dict.fromkeys(tracker.km, 0.0)
        mean = dict(deep)
    elif complete:
        tracker(game)
        deep = {f: km[-1] for f, km in tracker.km.items()}
        mean = {f: km[-1] for f, km in tracker.mean_km.items()}
    else:  # measured on a throw-away tracker state: the record keeps completed days only
        tracker(game)
        deep = {f: km.pop() for f, km in tracker.km.items()}
        mean = {f: km.pop() for f, km in tracker.mean_km.items()}
    return DayFigures(
        day=day,
        date=game.scenario.date_of_turn(max(1, day)).date(),
        complete=complete,
        vp=game.victory_points(),
        losses={
            sid: {k: int(s.losses.get(k, 0)) for k in LOSS_KINDS} for sid, s in state.sides.items()
        },
        prisoners={sid: int(s.prisoners) for sid, s in state.sides.items()},
        control=state.control.copy(),
        advance_km=deep,
        mean_km=mean,
    )


# ---------------------------------------------------------------- captures against 1945


def key_places(world: World, history: Mapping[str, HistoryDate], n: int = KEY_PLACES) -> list[str]:
    """The places of the capture table: those with a 1945 date, then the most VP, ``n`` at most.

    Places with a date come in historical order; the rest by VP to the first side, then name.
    """
    first = world.scenario.side_order[0]
    dated = sorted(
        (pid for pid in history if pid in world.places),
        key=lambda p: (history[p].first, history[p].last, p),
    )
    rest = sorted(
        (
            pid
            for pid, info in world.places.items()
            if pid not in history and max(info.spec.vp.values(), default=0.0) > 0
        ),
        key=lambda p: (
            -world.places[p].spec.vp.get(first, 0.0),
            -max(world.places[p].spec.vp.values()),
            p,
        ),
    )
    return (dated + rest)[: max(n, len(dated))]


def captures(game: Game, history: Mapping[str, HistoryDate]) -> list[Capture]:
    """The key places of a game (:func:`key_places`) and when each changed hands."""
    world, state = game.world, game.state
    order = game.scenario.side_order
    first = order[0]

    def name(index: int) -> str | None:
        return order[index] if index >= 0 else None

    starts: dict[str, str | None] = {}
    changes: dict[str, list[tuple[int, str | None]]] = {}
    for pid, turn_no, side in state.place_changes:
        if turn_no <= 0:
            starts[pid] = name(side)
        else:
            changes.setdefault(pid, []).append((turn_no, name(side)))
    out = []
    for pid in key_places(world, history):
        info = world.places[pid]
        moves = tuple(changes.get(pid, ()))
        last = moves[-1] if moves else None
        hist = history.get(pid)
        out.append(
            Capture(
                id=pid,
                name=info.spec.name,
                vp=dict(info.spec.vp),
                start_holder=starts.get(pid),
                holder=name(int(state.control[info.index])),
                changes=moves,
                captured_turn=last[0] if last else None,
                captured_by=last[1] if last else None,
                taken_day=last[0] if last and last[1] == first else None,
                first_taken_day=next((t for t, s in moves if s == first), None),
                history=hist,
                history_days=(
                    (
                        turn_of_date(game.scenario, hist.first),
                        turn_of_date(game.scenario, hist.last),
                    )
                    if hist is not None
                    else None
                ),
            )
        )
    return out


# ---------------------------------------------------------------- the verdict


def outcome(game: Game, statuses: Sequence[ObjectiveStatus] | None = None) -> Outcome:
    """Who won (or leads), at which level, and the reasons in a few lines.

    The verdict is the deciding scheme's (``victory.scheme``); the reasons add how the game
    went against 1945 (when the scenario has a graded scheme), the other scheme's verdict, each
    side's dated objectives and where its VP in the plans' scheme came from.
    """
    world, state, scenario = game.world, game.state, game.scenario
    a, b = scenario.side_order
    result = scheme_result(world, state)
    vp = result.vp
    margin = result.margin
    sources = vp_breakdown(world, state)
    statuses = list(statuses) if statuses is not None else objective_statuses(world, state)
    reasons = [_verdict_line(game, vp, margin, result.levels, result.scheme)]
    graded = graded_statuses(world, state)
    if graded:
        reasons.append(_graded_line(graded, (a, b)))
    other = plans_result(world, state) if result.scheme == "graded" else graded_result(world, state)
    if other is not None:
        name = "the plans' objectives" if other.scheme == "plans" else "the record of 1945"
        verdict = (
            f"{_title(other.winner)} {other.level}" if other.winner is not None else other.level
        )
        if not state.game_over:
            verdict += " so far"
        reasons.append(
            f"Measured by {name}: {verdict} (VP {_num(other.vp[a])} : {_num(other.vp[b])})"
        )
    for side in (a, b):
        line = _objectives_line(side, statuses)
        if line:
            reasons.append(line)
    plans_vp = " in the plans' scheme" if result.scheme != "plans" else ""
    for side in (a, b):
        parts = [f"{_LABELS[k]} {_num(v)}" for k, v in sources[side].items() if abs(v) >= 0.05]
        if parts:
            reasons.append(f"{_title(side)} VP{plans_vp} from " + ", ".join(parts))
    return Outcome(
        game_over=state.game_over,
        winner=state.winner,
        level=state.victory_level,
        vp=vp,
        margin=margin,
        vp_sources=sources,
        reasons=tuple(reasons),
        scheme=result.scheme,
    )


def _graded_line(rows: Sequence[Benchmark], sides: tuple[str, str]) -> str:
    """How many benchmarks each side beat 1945 on, and the rest as in 1945."""
    parts = []
    for side in sides:
        mine = [r for r in rows if r.side == side]
        if mine:
            total = sum(r.vp for r in mine)
            parts.append(f"{_title(side)} beat it on {len(mine)} ({_num(total)} VP)")
    same = sum(1 for r in rows if r.ahead == 0)
    if same:
        parts.append(f"{same} as in 1945")
    open_ = sum(1 for r in rows if r.ahead is None)
    if open_:
        parts.append(f"{open_} not settled yet")
    return f"Against 1945 ({len(rows)} benchmarks): " + ", ".join(parts)


_LABELS = {
    "places": "places",
    "objectives": "objectives",
    "events": "events",
    "enemy_losses": "enemy losses",
    "preserved": "forces preserved",
}


def _num(value: float) -> str:
    """VP as the report says them: whole numbers, one decimal when it matters."""
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def _title(side: str) -> str:
    return side.replace("_", " ").capitalize()


def _verdict_line(
    game: Game,
    vp: Mapping[str, float],
    margin: float,
    scheme_levels: Sequence[VictoryLevel],
    scheme: str,
) -> str:
    scenario, state = game.scenario, game.state
    a, b = scenario.side_order
    against = " against 1945" if scheme == "graded" else ""
    score = f"VP{against} {_title(a)} {_num(vp[a])} : {_title(b)} {_num(vp[b])}"
    levels = sorted(scheme_levels, key=lambda lv: -lv.margin)
    needs = ", ".join(f"{lv.name} {lv.margin:g}" for lv in levels)
    if state.victory_level == "sudden death" and state.winner is not None:
        total = next(
            (sd.vp for sd in scenario.victory.sudden_death if sd.side == state.winner), None
        )
        reached = f", the sudden-death total of {total:g}" if total is not None else ""
        return f"{_title(state.winner)} reached {_num(vp[state.winner])} VP{reached} ({score})"
    if state.game_over and state.winner is not None:
        level = next((lv for lv in levels if lv.name == state.victory_level), None)
        need = f" (a {level.name} victory needs {level.margin:g})" if level is not None else ""
        return f"{score}: a margin of {_num(abs(margin))} for {_title(state.winner)}{need}"
    if state.game_over:
        smallest = min((lv.margin for lv in levels), default=0.0)
        return f"{score}: a margin of {_num(abs(margin))}, under the {smallest:g} a victory needs"
    leader = a if margin > 0 else b if margin < 0 else None
    lead = f"{_title(leader)} leads by {_num(abs(margin))}" if leader else "level"
    return (
        f"In progress, day {state.turn} of {scenario.turns}: {score}, {lead} "
        f"(margins needed at the end: {needs})"
    )


def _objectives_line(side: str, statuses: Sequence[ObjectiveStatus]) -> str:
    mine = [s for s in statuses if s.side == side]
    if not mine:
        return ""
    counts: dict[str, int] = {}
    for s in mine:
        counts[s.status] = counts.get(s.status, 0) + 1
    words = {
        "achieved": "achieved on time",
        "late": "achieved late",
        "held": "held",
        "lost": "lost",
        "overdue": "failed",
        "open": "open",
    }
    parts = [f"{counts[k]} {words[k]}" for k in words if counts.get(k)]
    scored = sum(s.vp for s in mine)
    return f"{_title(side)} objectives: " + ", ".join(parts) + f" ({_num(scored)} VP)"


def export_record(aar: AfterAction, path: str | Path) -> Path:
    """Write the game's record as ``main.py simulate`` does (JSON, all or nothing)."""
    from engine.save import write_text_atomic

    path = Path(path)
    write_text_atomic(path, aar.record.model_dump_json(indent=2) + "\n")
    return path
