"""The result record of a finished (or stopped) game, as ``main.py simulate`` writes it."""

from __future__ import annotations

from pydantic import BaseModel

from engine.game import Game
from engine.victory import objective_statuses


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


class SimulationResult(BaseModel):
    """One game's outcome."""

    scenario: str
    mods: list[str]
    seed: int
    players: dict[str, str]
    turns_played: int
    game_over: bool
    winner: str | None
    victory_level: str | None
    victory_points: dict[str, float]
    places: list[PlaceResult]
    objectives: list[ObjectiveResult]
    losses: dict[str, dict[str, int]]
    events: list[EventResult]
    orders: int
    state_hash: str


def result_record(game: Game, players: dict[str, str]) -> SimulationResult:
    """The result record of a game in its present state.

    ``captured_turn`` is the last turn the place changed hands (day 1 = the scenario's first
    day), or null when it never did; ``captured_by`` the side that took it then.
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
        losses={sid: dict(s.losses) for sid, s in state.sides.items()},
        events=events,
        orders=len(game.order_log),
        state_hash=game.state_hash(),
    )
