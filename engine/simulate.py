"""The result record of a finished (or stopped) game, as ``main.py simulate`` and batches write it.

:class:`SimulationResult` is the one record type of a game's outcome: ``main.py simulate`` writes
it as JSON and the batch runner (:mod:`engine.batch`) flattens it into one row per game.
:class:`AdvanceTracker` follows, turn by turn, how deep each front has gone beyond the frontier
its side held at the start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from engine.events import select_units
from engine.game import Game
from engine.graded import graded_statuses
from engine.hexgrid import HexGrid
from engine.orders import Order
from engine.players import make_player, run_game
from engine.scenario.model import Scenario, UnitSelector
from engine.state import LOSS_KINDS, GameState
from engine.victory import graded_result, objective_statuses, plans_result
from engine.world import World
from engine.zoc import side_index

# Losses the record lists per side. The engine has no air combat, so ``aircraft`` is always
# null ("not modelled"), never a zero that would read as "no aircraft lost".
RECORD_LOSS_KINDS: tuple[str, ...] = (*LOSS_KINDS, "aircraft")


class PlaceResult(BaseModel):
    """Who holds a place at the end and when it last changed hands."""

    id: str
    name: str
    lat: float
    lon: float
    controller: str | None
    captured_turn: int | None
    captured_by: str | None


class EventResult(BaseModel):
    """An event that fired, with its turn and date."""

    id: str
    turn: int
    date: str


class ObjectiveResult(BaseModel):
    """Where one dated objective stood at the end (see :mod:`engine.victory`)."""

    id: str
    side: str
    kind: str
    by: str
    status: str
    turn: int | None
    vp: float


class SchemeVerdict(BaseModel):
    """A victory scheme's verdict on the game (see :func:`engine.victory.plans_result`)."""

    winner: str | None
    level: str
    """A level's name, or ``draw``."""
    victory_points: dict[str, float]
    margin: float
    """The first side's VP less the second's."""


class BenchmarkResult(BaseModel):
    """One benchmark of the graded scheme against 1945 (see :mod:`engine.graded`)."""

    key: str
    name: str
    history: str
    game: str
    ahead: float | None = Field(
        description="Days (losses: thousands of men) the attacker beat 1945 by (+) or missed "
        "it by (-); 0 inside 1945's days; null while unsettled."
    )
    unit: str
    side: str | None
    vp: float
    line: str
    source: str


class SimulationResult(BaseModel):
    """One game's outcome."""

    scenario: str
    mods: list[str]
    seed: int
    players: dict[str, str]
    plans: dict[str, str] = Field(
        default_factory=dict,
        description="The AI plan each side's player followed (the player's name when it has none).",
    )
    turns_played: int
    game_over: bool
    winner: str | None
    victory_level: str | None
    victory_points: dict[str, float]
    places: list[PlaceResult]
    objectives: list[ObjectiveResult]
    losses: dict[str, dict[str, int | None]] = Field(
        description="Per side: men, tanks, guns lost; aircraft null (air combat is not modelled)."
    )
    advance_km: dict[str, list[float]] = Field(
        default_factory=dict,
        description="Per front: its deepest advance (km beyond its side's start frontier) at the "
        "end of day 1, day 2, ...",
    )
    sampled: dict[str, Any] = Field(
        default_factory=dict,
        description="Values drawn for the mods' uncertain paths in this game (dates as ISO text).",
    )
    events: list[EventResult]
    orders: int
    state_hash: str
    scheme: str = Field(
        "plans", description="The victory scheme that decided the game: plans or graded."
    )
    schemes: dict[str, SchemeVerdict] = Field(
        default_factory=dict,
        description="Each scheme's verdict on the same game (plans, and graded if defined).",
    )
    graded: list[BenchmarkResult] = Field(
        default_factory=list,
        description="The graded scheme's benchmarks against 1945 (empty: none defined).",
    )


def result_record(
    game: Game,
    players: dict[str, str],
    *,
    plans: dict[str, str] | None = None,
    advance: AdvanceTracker | None = None,
    sampled: dict[str, Any] | None = None,
) -> SimulationResult:
    """The result record of a game in its present state.

    ``captured_turn`` is the last turn the place changed hands (day 1 = the scenario's first
    day), or null when it never did; ``captured_by`` the side that took it then. ``plans``
    defaults to the player names; ``advance`` is the tracker that followed the game, if any;
    ``sampled`` the values drawn for uncertain paths (see :mod:`engine.batch.sampling`).
    """
    order = game.scenario.side_order
    state = game.state
    changes: dict[str, tuple[int, int]] = {}
    for pid, turn_no, side in state.place_changes:
        if turn_no > 0:
            changes[pid] = (turn_no, side)
    places = []
    for pid, info in game.world.places.items():
        holder = int(state.control[info.index])
        change = changes.get(pid)
        places.append(
            PlaceResult(
                id=pid,
                name=info.spec.name,
                lat=info.spec.lat,
                lon=info.spec.lon,
                controller=order[holder] if holder >= 0 else None,
                captured_turn=change[0] if change else None,
                captured_by=(order[change[1]] if change and change[1] >= 0 else None),
            )
        )
    events = [
        EventResult(
            id=eid,
            turn=t,
            date=game.scenario.date_of_turn(t).date().isoformat(),
        )
        for eid, t in state.event_turns.items()
    ]
    return SimulationResult(
        scenario=game.scenario_ref,
        mods=list(game.mod_refs),
        seed=game.seed,
        players=players,
        plans=dict(plans) if plans is not None else dict(players),
        turns_played=state.turn,
        game_over=state.game_over,
        winner=state.winner,
        victory_level=state.victory_level,
        victory_points=game.victory_points(),
        places=places,
        objectives=[
            ObjectiveResult(
                id=o.id,
                side=o.side,
                kind=o.kind,
                by=o.by.isoformat(),
                status=o.status,
                turn=o.turn,
                vp=o.vp,
            )
            for o in objective_statuses(game.world, state)
        ],
        losses={sid: _losses(s.losses) for sid, s in state.sides.items()},
        advance_km=advance.km if advance is not None else {},
        sampled={k: _jsonable(v) for k, v in (sampled or {}).items()},
        events=events,
        orders=len(game.order_log),
        state_hash=game.state_hash(),
        scheme=game.scenario.victory.scheme,
        schemes=scheme_verdicts(game.world, state),
        graded=[
            BenchmarkResult(
                key=b.key,
                name=b.name,
                history=b.history,
                game=b.game,
                ahead=b.ahead,
                unit=b.unit,
                side=b.side,
                vp=b.vp,
                line=b.line(),
                source=b.source,
            )
            for b in graded_statuses(game.world, state)
        ],
    )


def scheme_verdicts(world: World, state: GameState) -> dict[str, SchemeVerdict]:
    """Each victory scheme's verdict on the state: plans, and graded if the scenario has it."""
    out = {}
    for result in (plans_result(world, state), graded_result(world, state)):
        if result is not None:
            out[result.scheme] = SchemeVerdict(
                winner=result.winner,
                level=result.level,
                victory_points=result.vp,
                margin=result.margin,
            )
    return out


def _losses(tally: dict[str, int]) -> dict[str, int | None]:
    out: dict[str, int | None] = {k: int(tally.get(k, 0)) for k in LOSS_KINDS}
    out["aircraft"] = None
    return out


def _jsonable(value: Any) -> Any:
    """Sampled values as JSON: dates as ISO text, numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def plan_name(player: Any) -> str:
    """The AI plan a player followed (its ``plan_name``), or its name when it has no plan."""
    plan = getattr(player, "plan_name", None)
    return str(plan) if plan else str(player.name)


# ---------------------------------------------------------------- advance per front


def depth_field(grid: HexGrid, sources: np.ndarray) -> np.ndarray:
    """Hex steps from every hex to the nearest source hex (a breadth-first distance transform).

    ``sources`` is a boolean mask over the grid. Hexes with no source at all get -1. Steps go to
    the six neighbours regardless of terrain: this measures depth on the map, not a route.
    """
    dist = np.full(grid.size, -1, dtype=np.int64)
    frontier = np.flatnonzero(sources)
    dist[frontier] = 0
    step = 0
    while frontier.size:
        step += 1
        nb = grid.neighbor_index[frontier].ravel()
        nb = np.unique(nb[nb >= 0])
        nb = nb[dist[nb] < 0]
        dist[nb] = step
        frontier = nb
    return dist


class AdvanceTracker:
    """The deepest advance of each front, day by day, for :func:`engine.players.run_game`.

    For every formation of kind ``front`` (or every formation named in ``formations``), after
    each turn: the greatest distance in km from any of its units on the map (at any depth below
    it) to the nearest hex its side controlled when the tracker was made (the start frontier), as
    hex steps times the map's ``hex_km``. Make it right after the game starts and pass it as
    ``on_turn``; :attr:`km` holds one value per completed turn.
    """

    def __init__(self, game: Game, formations: Iterable[str] | None = None) -> None:
        world = game.world
        self.hex_km = float(game.scenario.map.projection.hex_km)
        wanted = set(formations) if formations is not None else None
        self.fronts = [
            f
            for f in game.scenario.formations
            if (f.kind == "front" if wanted is None else f.id in wanted)
        ]
        self._depth: dict[str, np.ndarray] = {}
        for side in {f.side for f in self.fronts}:
            held = game.state.control == side_index(world, side)
            self._depth[side] = depth_field(world.grid, held)
        self._selectors = {f.id: UnitSelector(formation=f.id) for f in self.fronts}
        self.km: dict[str, list[float]] = {f.id: [] for f in self.fronts}
        self.mean_km: dict[str, list[float]] = {f.id: [] for f in self.fronts}
        """The mean depth of the formation's units on the map (the main bodies, where ``km``
        follows the spearhead)."""

    def __call__(self, game: Game) -> None:
        """Record the depth of every front at the end of the turn just played."""
        world, state = game.world, game.state
        for front in self.fronts:
            depth = self._depth[front.side]
            steps = [
                max(0, int(depth[world.index(*unit.hex)]))
                for unit in select_units(world, state, self._selectors[front.id])
                if unit.on_map and unit.hex is not None
            ]
            deepest = max(steps, default=0)
            self.km[front.id].append(round(deepest * self.hex_km, 3))
            mean = sum(steps) / len(steps) if steps else 0.0
            self.mean_km[front.id].append(round(mean * self.hex_km, 3))


# ---------------------------------------------------------------- one headless game


@dataclass
class GameRun:
    """A game played to its end: the game, its record and its hex control on chosen days."""

    game: Game
    record: SimulationResult
    control: dict[int, np.ndarray] = field(default_factory=dict)
    """Copies of the control array at the end of the chosen days, and of the last day played."""
    plan_logs: dict[str, list[str]] = field(default_factory=dict)
    """Each AI player's plan log, one line per decision (empty for players that keep none)."""


def simulate_game(
    scenario: Scenario,
    seed: int,
    players: Mapping[str, str],
    *,
    world: World | None = None,
    scenario_ref: str | None = None,
    mod_refs: Sequence[str] = (),
    sampled: Mapping[str, Any] | None = None,
    control_days: Iterable[int] = (),
    orders: Sequence[Order] = (),
    progress: Callable[[Game], None] | None = None,
) -> GameRun:
    """Play a headless game to its end with the named players; what simulate and batches run.

    ``progress`` is called after each turn (``main.py simulate`` prints the day on a long game).

    ``players`` maps each side to a player name: a registered one (:data:`engine.players.PLAYERS`)
    or the name of one of the scenario's AI plans for that side.
    ``orders`` are replayed first (the game then goes on from there). The record carries the
    advance per front and ``sampled``; ``control_days`` are the days whose hex control is kept.

    Raises:
        IllegalOrder: an unknown player name, or an order of ``orders`` that breaks a rule.
    """
    made = {side: make_player(players[side], side, scenario) for side in scenario.side_order}
    game = Game(scenario, seed, world=world)
    if scenario_ref is not None:
        game.scenario_ref = scenario_ref
    game.mod_refs = list(mod_refs)
    tracker = AdvanceTracker(game)
    wanted = set(control_days)
    control: dict[int, np.ndarray] = {}
    days = 0

    def on_turn(g: Game) -> None:
        nonlocal days
        days += 1
        tracker(g)
        if days in wanted:
            control[days] = g.state.control.copy()
        if progress is not None:
            progress(g)

    for order in orders:  # as run_game would have played them, turn hooks included
        turn_before = game.state.turn
        game.apply(order)
        if game.state.turn != turn_before or game.state.game_over:
            on_turn(game)
    run_game(game, made, on_turn=on_turn)
    control[days] = game.state.control.copy()
    record = result_record(
        game,
        {side: p.name for side, p in made.items()},
        plans={side: plan_name(p) for side, p in made.items()},
        advance=tracker,
        sampled=sampled,
    )
    logs = {side: [str(e) for e in getattr(p, "plan_log", [])] for side, p in made.items()}
    return GameRun(game, record, control, logs)
