"""Baseline players the AI is measured against: random, and a naive rush to objectives.

Like every player they ask their side's view (:meth:`engine.game.Game.view`) of the game.
"""

from __future__ import annotations

import zlib

import numpy as np

from engine import combat, movement
from engine.game import Game
from engine.orders import Attack, EndPhase, Move, Order
from engine.players import ScriptedPlayer


class RandomPlayer:
    """Moves each unit to a random reachable hex and attacks at random, by the rules.

    Its choices come from its own generator, seeded from the game's seed and its side, so a
    game against it replays exactly.
    """

    def __init__(self, side: str, move_chance: float = 0.7, attack_chance: float = 0.5) -> None:
        self.name = "random"
        self.side = side
        self.move_chance = move_chance
        self.attack_chance = attack_chance
        self._rng: np.random.Generator | None = None
        self._key: tuple[int, str] | None = None
        self._queue: list[str | int] = []

    def next_order(self, game: Game) -> Order:
        """A random legal order, or the end of the phase."""
        if self._rng is None:
            salt = zlib.crc32(f"random-player:{self.side}".encode())
            self._rng = np.random.default_rng([game.seed, salt])
        key = (game.state.turn, game.state.phase)
        if key != self._key:
            self._key = key
            self._start_phase(game)
        while self._queue:
            item = self._queue.pop()
            order = self._order_for(game, item)
            if order is not None:
                return order
        return EndPhase()

    def _start_phase(self, game: Game) -> None:
        assert self._rng is not None
        units = sorted(u.id for u in game.state.units_of(self.side) if not u.cease_fire)
        if game.state.phase == "movement":
            self._queue = list(units)
        else:
            seen = game.view(self.side).state
            targets: set[int] = set()
            for u in game.state.units_of(self.side):
                targets.update(combat.attack_targets(game.world, seen, u))
            self._queue = sorted(targets)
        self._rng.shuffle(self._queue)

    def _order_for(self, game: Game, item: str | int) -> Order | None:
        assert self._rng is not None
        world, state = game.world, game.view(self.side).state
        if isinstance(item, str):
            unit = state.units[item]
            if not unit.on_map or self._rng.random() > self.move_chance:
                return None
            dests = movement.reachable(world, state, unit).destinations()
            if not dests:
                return None
            return Move(unit=item, to=world.coord(int(self._rng.choice(dests))))
        if self._rng.random() > self.attack_chance:
            return None
        attackers = [
            u.id
            for u in state.units_of(self.side)
            if world.grid.distance(world.index(*u.hex), item) == 1  # type: ignore[misc]
            and item in combat.attack_targets(world, state, u)
        ]
        if not attackers:
            return None
        return Attack(target=world.coord(item), attackers=attackers)


class RushPlayer(ScriptedPlayer):
    """The naive player: every unit rushes the nearest objective; it attacks whatever it can."""

    def __init__(self, side: str) -> None:
        super().__init__(side, min_success=0.0)
        self.name = "rush"
