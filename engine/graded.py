"""Graded victory: each benchmark of ``victory.graded`` against what happened in 1945.

The scheme scores how far a game beat or missed the record of 1945 (docs/rules.md, "Graded
victory"): the day each key place first fell against the day it fell then, the day the pincer
closed, the attacker's losses against its losses then, a redoubt never fought for. A game
played exactly as 1945 scores nothing on any benchmark.

Everything here is read from the state as it is, whichever scheme decides the game: the day a
place fell from ``state.place_changes`` (the first turn at whose end the attacker held it), the
link-up's day from the judged ``link_up`` objective (``state.objectives``). So a saved game, a
replay or a batch record can be graded after the fact, and nothing is added to the state.

While the game goes on only what is already certain scores: days a place has been held past its
1945 days (it can only be held longer), a place taken ahead of 1945, losses already above 1945's.
Days ahead a place not yet taken might still gain, and losses below 1945's, score at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine import victory
from engine.history import turn_of_date
from engine.log import Note
from engine.scenario.model import GradedVictory, PlaceBenchmark, Scenario
from engine.state import GameState
from engine.world import World
from engine.zoc import side_index


@dataclass(frozen=True)
class Benchmark:
    """Where one benchmark of the graded scheme stands against 1945.

    ``ahead`` is from the attacker's side: days (or thousands of men, for losses) by which it
    beat the record of 1945 (positive) or missed it (negative; the defender held out longer or
    the attacker lost more); zero inside 1945's window; None when nothing is settled yet.
    """

    key: str
    """``timetable:<place>``, ``hold:<place>``, ``link_up`` or ``losses``."""
    kind: str
    name: str
    history: str
    """What happened in 1945, in a few words: ``days 10-12``, ``34,000-36,500 men``."""
    game: str
    """What happened in the game: ``day 9``, ``held``, ``28,100 men``."""
    ahead: float | None
    unit: str
    """``day`` or ``1,000 men``."""
    side: str | None
    """The side that scores (None: nobody)."""
    vp: float
    source: str
    final: bool
    """Whether the figure is settled (the game is over, or nothing can change it)."""
    place: str | None = None

    def verdict(self) -> str:
        """By how much it was beaten or missed: ``1 day ahead``, ``as in 1945``."""
        if self.ahead is None:
            return "not settled yet"
        if self.ahead == 0:
            return "as in 1945"
        n = abs(self.ahead)
        if self.unit == "day":
            what = f"{n:g} day{'s' if n != 1 else ''}"
        else:
            what = f"{n:,.1f} thousand men".replace(".0 ", " ")
        if self.kind == "losses":
            return f"{what} {'fewer' if self.ahead > 0 else 'more'} than 1945"
        return f"{what} {'ahead of' if self.ahead > 0 else 'behind'} 1945"

    def line(self) -> str:
        """One line: ``Harbin: day 9, 1945 days 10-12: 1 day ahead of 1945, soviet +3 VP``."""
        score = f"{self.side} +{_vp(self.vp)} VP" if self.side and self.vp else "no VP"
        tail = "" if self.final else " (so far)"
        return f"{self.name}: {self.game}, 1945 {self.history}: {self.verdict()}, {score}{tail}"


def _vp(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def ended_turn(scenario: Scenario, state: GameState) -> int:
    """The last turn whose end has been played (0 before the first ends)."""
    if state.game_over and state.turn >= scenario.turns:
        return scenario.turns
    return state.turn - 1


def first_held(world: World, state: GameState, side: str) -> dict[str, int]:
    """Each place ``side`` held at the end of an ended turn: the first such turn.

    The holder at the end of turn ``t`` is the last change of ``state.place_changes`` recorded
    on a turn up to ``t`` (changes at the start of turn ``t + 1`` carry ``t + 1``).
    """
    mine = side_index(world, side)
    upto = ended_turn(world.scenario, state)
    holder: dict[str, int] = {}
    first: dict[str, int] = {}
    changes = sorted(
        ((turn_no, k, pid, who) for k, (pid, turn_no, who) in enumerate(state.place_changes)),
    )
    # Walk the turns in order; a place's holder at a turn's end is its last change so far.
    by_turn: dict[int, list[tuple[str, int]]] = {}
    for turn_no, _k, pid, who in changes:
        by_turn.setdefault(max(turn_no, 0), []).append((pid, who))
    for pid, who in by_turn.pop(0, []):
        holder[pid] = who
    for turn_no in range(1, upto + 1):
        for pid, who in by_turn.get(turn_no, []):
            holder[pid] = who
        for pid, who in holder.items():
            if who == mine and pid not in first:
                first[pid] = turn_no
    return first


def _days(scenario: Scenario, date: dt.date) -> int:
    return turn_of_date(scenario, date)


def _span(first: int, last: int) -> str:
    return f"day {first}" if first == last else f"days {first}-{last}"


def _place_row(
    world: World,
    state: GameState,
    graded: GradedVictory,
    entry: PlaceBenchmark,
    kind: str,
    taken: int | None,
) -> Benchmark:
    scenario = world.scenario
    attacker = graded.attacker
    defender = next(s for s in scenario.side_order if s != attacker)
    upto = ended_turn(scenario, state)
    over = state.game_over
    name = world.places[entry.place].spec.name if entry.place in world.places else entry.place
    after_end = scenario.turns + 1
    if entry.first is None or entry.last is None:
        first_day = last_day = after_end
        history = "not taken by force"
    else:
        first_day, last_day = _days(scenario, entry.first), _days(scenario, entry.last)
        history = _span(first_day, last_day)
    side: str | None = None
    vp = 0.0
    if taken is not None:
        game = f"taken day {taken}"
        final = True
        day = taken
    else:
        game = "held" if over else f"held to day {upto}"
        final = over
        day = upto + 1  # held through every turn ended so far
    if taken is not None and day < first_day:
        ahead: float | None = float(first_day - day)
        side = attacker
        vp = entry.vp_per_day * min(first_day - day, entry.max_days)
    elif day > last_day:
        ahead = float(last_day - day)
        side = defender
        vp = entry.vp_per_day * min(day - last_day, entry.max_days)
    elif final:
        ahead = 0.0
    else:
        ahead = None  # not taken yet and still within (or before) 1945's days
    return Benchmark(
        key=f"{kind}:{entry.place}",
        kind=kind,
        name=name,
        history=history,
        game=game,
        ahead=ahead,
        unit="day",
        side=side if vp else None,
        vp=round(vp, 3),
        source=entry.source,
        final=final,
        place=entry.place,
    )


def graded_statuses(world: World, state: GameState) -> list[Benchmark]:
    """One row per benchmark of ``victory.graded`` (none when the scenario has no such block)."""
    scenario = world.scenario
    graded = scenario.victory.graded
    if graded is None:
        return []
    taken = first_held(world, state, graded.attacker)
    rows = [
        _place_row(world, state, graded, entry, "timetable", taken.get(entry.place))
        for entry in graded.timetable
    ]
    link = graded.link_up
    if link is not None:
        done = state.objectives.get(link.objective)
        obj = next(o for o in scenario.victory.objectives if o.id == link.objective)
        spec = PlaceBenchmark(
            place=link.objective,
            first=link.first,
            last=link.last,
            vp_per_day=link.vp_per_day,
            max_days=link.max_days,
            source=link.source,
        )
        row = _place_row(world, state, graded, spec, "link_up", done[0] if done else None)
        if done is not None:
            game = f"closed day {done[0]}"
        else:
            game = "never closed" if state.game_over else "not closed yet"
        rows.append(
            Benchmark(
                key="link_up",
                kind="link_up",
                name=obj.name.split(":")[0],
                history=row.history,
                game=game,
                ahead=row.ahead,
                unit="day",
                side=row.side,
                vp=row.vp,
                source=link.source,
                final=row.final,
            )
        )
    losses = graded.losses
    if losses is not None:
        lost = victory.men_lost_fighting(state, losses.side)
        enemy = next(s for s in scenario.side_order if s != losses.side)
        side: str | None = None
        vp = 0.0
        ahead: float | None = None
        if lost > losses.high:
            ahead = -(lost - losses.high) / 1000.0
            side = enemy
            vp = min(losses.vp_per_1000 * (lost - losses.high) / 1000.0, losses.max_vp)
        elif state.game_over:
            ahead = max(0, losses.low - lost) / 1000.0
            if lost < losses.low:
                side = losses.side
                vp = min(losses.vp_per_1000 * (losses.low - lost) / 1000.0, losses.max_vp)
        rows.append(
            Benchmark(
                key="losses",
                kind="losses",
                name=f"{losses.side.capitalize()} losses",
                history=f"{losses.low:,}-{losses.high:,} men",
                game=f"{lost:,} men",
                ahead=None if ahead is None else round(ahead, 1),
                unit="1,000 men",
                side=side if vp else None,
                vp=round(vp, 3),
                source=losses.source,
                final=state.game_over or lost > losses.high,
            )
        )
    rows.extend(
        _place_row(world, state, graded, entry, "hold", taken.get(entry.place))
        for entry in graded.hold
    )
    return rows


def graded_points(world: World, state: GameState) -> dict[str, float]:
    """Each side's graded VP: the sum of its benchmarks' (so far: what is settled)."""
    vp = dict.fromkeys(world.scenario.side_order, 0.0)
    for row in graded_statuses(world, state):
        if row.side is not None:
            vp[row.side] += row.vp
    return {sid: round(v, 3) for sid, v in vp.items()}


def graded_notes(world: World, state: GameState) -> list[Note]:
    """The log lines of the benchmarks at the end: each against 1945 (kind ``objective``)."""
    notes = []
    for row in graded_statuses(world, state):
        hexes = (world.coord(world.places[row.place].index),) if row.place in world.places else ()
        notes.append(Note(f"against 1945: {row.line()}", "objective", side=row.side, hexes=hexes))
    return notes
