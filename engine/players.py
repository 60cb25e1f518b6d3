"""Players: anything that looks at a game and returns the active side's next order.

Humans (through the UI), AIs and replays all play through :class:`Player`; the runner
:func:`run_game` asks the player of the active side for one order at a time and applies it
through the game's order API, so every player obeys the same rules.

Players ask their questions of their side's view (:meth:`engine.game.Game.view`), never of
the true state, so they know only the enemy units their side sees.

Three simple players live here: :class:`RecordedPlayer` plays an order log back,
:class:`PassivePlayer` only ends its phases, and
:class:`ScriptedPlayer` follows a fixed, deterministic script (advance each unit toward the
nearest objective it does not hold; attack where the odds preview favours it) for demos,
smoke tests and benchmarks. It is not the operational AI.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable
from typing import Protocol

import numpy as np

from engine import combat
from engine.errors import IllegalOrder
from engine.game import Game
from engine.orders import Attack, EndPhase, Move, Order
from engine.scenario.model import Scenario
from engine.zoc import enemy_of, occupied, side_index, unit_index


class Player(Protocol):
    """Something that chooses orders for one side."""

    name: str
    side: str

    def next_order(self, game: Game) -> Order:
        """The next order for the active side (``EndPhase`` when it is done with the phase)."""
        ...


class PassivePlayer:
    """Ends every phase without acting."""

    def __init__(self, side: str) -> None:
        self.name = "passive"
        self.side = side

    def next_order(self, game: Game) -> Order:
        """Always end the phase."""
        return EndPhase()


class RecordedPlayer:
    """Plays a recorded order log back: the order at the game's place in the log.

    One log serves both sides (each order is the active side's at its place), so a replay is
    a match of two recorded players over the same list; the caller stops asking at its end.
    """

    def __init__(self, side: str, orders: list[Order]) -> None:
        self.name = "replay"
        self.side = side
        self.orders = orders

    def next_order(self, game: Game) -> Order:
        """The next recorded order.

        Raises:
            IllegalOrder: the log is played out (rule ``replay_end``).
        """
        k = len(game.order_log)
        if k >= len(self.orders):
            raise IllegalOrder("replay_end", f"the recorded game has only {k} orders")
        return self.orders[k]


class ScriptedPlayer:
    """A deterministic script: advance on objectives, attack at favourable odds.

    Movement: each unit in id order moves to the reachable hex nearest (in hexes) to the
    closest place worth victory points to its side that it does not hold, when that brings it
    closer. Combat: each enemy-held hex next to its units is attacked by every eligible
    neighbour when the preview gives at least ``min_success`` chance that the defender retreats
    or routs.
    """

    def __init__(self, side: str, min_success: float = 0.5) -> None:
        self.name = "scripted"
        self.side = side
        self.min_success = min_success
        self._key: tuple[int, str] | None = None
        self._queue: deque[str | int] = deque()
        self._goal: np.ndarray | None = None

    def next_order(self, game: Game) -> Order:
        """The next scripted order of this phase."""
        key = (game.state.turn, game.state.phase)
        if key != self._key:
            self._key = key
            self._start_phase(game)
        while self._queue:
            item = self._queue.popleft()
            order = (
                self._move_for(game, str(item))
                if game.state.phase == "movement"
                else self._attack_on(game, int(item))
            )
            if order is not None:
                return order
        return EndPhase()

    def _start_phase(self, game: Game) -> None:
        units = sorted(u.id for u in game.state.units_of(self.side))
        if game.state.phase == "movement":
            self._goal = _goal_distance(game, self.side)
            self._queue = deque(units)
        else:
            seen = game.view(self.side).state
            targets: set[int] = set()
            for u in game.state.units_of(self.side):
                targets.update(combat.attack_targets(game.world, seen, u))
            self._queue = deque(sorted(targets))

    def _move_for(self, game: Game, unit_id: str) -> Order | None:
        unit = game.state.units[unit_id]
        if not unit.on_map or unit.cease_fire or self._goal is None:
            return None
        reach = game.view(self.side).reachable(unit_id)
        dests = reach.destinations()
        if not dests:
            return None
        here = unit_index(game.world, unit)
        goal = self._goal
        best = min(dests, key=lambda i: (goal[i], reach.cost_to(i), i))
        if goal[best] >= goal[here]:
            return None
        return Move(unit=unit_id, to=game.world.coord(best))

    def _attack_on(self, game: Game, target: int) -> Order | None:
        seen = game.view(self.side).state
        attackers = [
            u.id
            for u in game.state.units_of(self.side)
            if target in combat.attack_targets(game.world, seen, u)
        ]
        if not attackers:
            return None
        try:
            preview = game.preview_attack(attackers, game.world.coord(target))
        except IllegalOrder:
            return None
        success = preview.probability("defender_retreats") + preview.probability("defender_routs")
        if success < self.min_success:
            return None
        return Attack(target=game.world.coord(target), attackers=attackers)


def _goal_distance(game: Game, side: str) -> np.ndarray:
    """Hex distance from every hex to the nearest objective the side does not hold.

    Objectives are places worth VP to the side; with none left, the enemy's units it sees are.
    """
    world, state = game.world, game.view(side).state
    mine = side_index(world, side)
    goals = [
        info.index
        for info in world.places.values()
        if info.spec.vp.get(side, 0) > 0 and int(state.control[info.index]) != mine
    ]
    if not goals:
        goals = [int(i) for i in np.nonzero(occupied(world, state, enemy_of(world, side)))[0]]
    dist = np.full(world.grid.size, np.iinfo(np.int64).max // 2, dtype=np.int64)
    for g in goals:
        np.minimum(dist, world.grid.distances_from(g), out=dist)
    return dist


def _random(side: str) -> Player:
    from engine.ai.baselines import RandomPlayer

    return RandomPlayer(side)


def _rush(side: str) -> Player:
    from engine.ai.baselines import RushPlayer

    return RushPlayer(side)


def _ai(side: str) -> Player:
    from engine.ai.operational import OperationalAI

    return OperationalAI(side)


PLAYERS: dict[str, Callable[[str], Player]] = {
    "passive": PassivePlayer,
    "scripted": ScriptedPlayer,
    "random": _random,
    "rush": _rush,
    "ai": _ai,
}
"""Players by name; ``ai`` plays the scenario's default plan for its side. Any name of a plan
in the scenario's ``ai.plans.<side>`` (e.g. ``historical``) is the AI on that plan."""


def player_names(scenario: Scenario | None = None, side: str | None = None) -> list[str]:
    """The names :func:`make_player` knows (with the scenario's AI plans for a side)."""
    names = list(PLAYERS)
    if scenario is not None:
        sides = [side] if side else list(scenario.ai.plans)
        for sid in sides:
            names += [p for p in scenario.ai.plans.get(sid, {}) if p not in names]
    return names


def make_player(name: str, side: str, scenario: Scenario | None = None) -> Player:
    """A player by name: a built-in one, or the AI on the scenario's plan of that name.

    Raises:
        IllegalOrder: no player or plan of that name (rule ``player``).
    """
    factory = PLAYERS.get(name)
    if factory is not None:
        return factory(side)
    plans = scenario.ai.plans.get(side, {}) if scenario is not None else {}
    if name in plans:
        from engine.ai.operational import OperationalAI

        return OperationalAI(side, name)
    known = ", ".join(player_names(scenario, side))
    raise IllegalOrder("player", f"unknown player '{name}' for {side} (known: {known})")


def run_game(
    game: Game,
    players: dict[str, Player],
    max_turns: int | None = None,
    on_turn: Callable[[Game], None] | None = None,
    max_orders_per_phase: int = 10_000,
) -> Game:
    """Play until the game ends (or ``max_turns`` more turns have begun).

    ``on_turn`` is called after each completed turn. A player that keeps issuing orders past
    ``max_orders_per_phase`` in one phase is stopped by ending its phase for it. A loop over
    :meth:`engine.match.Match.step`, which a window uses to play one order at a time.
    """
    from engine.match import Match

    match = Match(game, players, max_orders_per_phase)
    start_turn = game.state.turn
    # The scenario, world and state live through the whole game: the garbage collector need
    # not walk them on every full collection of the run (about 5 % of a campaign's time,
    # benchmarks/bench_campaign.py). Unfrozen after, so nothing of the run is kept for ever.
    gc.freeze()
    try:
        while not game.state.game_over:
            if max_turns is not None and game.state.turn - start_turn >= max_turns:
                break
            step = match.step()
            if on_turn is not None and step.ended_turn:
                on_turn(game)
    finally:
        gc.unfreeze()
    return game
