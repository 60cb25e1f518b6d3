"""A match: a game and its players, stepped one order at a time (for a window, or a batch).

:func:`engine.players.run_game` is a loop over :meth:`Match.step`; a window calls ``step`` a
few times per frame while the active side is played by the AI, and waits for the person while
it is not (:meth:`Match.is_human`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.errors import IllegalOrder
from engine.game import Game, OrderResult
from engine.orders import EndPhase, Order

if TYPE_CHECKING:
    from engine.players import Player


@dataclass(frozen=True)
class Step:
    """What one :meth:`Match.step` did."""

    side: str
    order: Order
    result: OrderResult
    turn_before: int
    phase_before: str
    turn_after: int
    phase_after: str
    ended_phase: bool
    """The order ended a phase (an ``EndPhase``, asked for or forced)."""
    ended_turn: bool
    """A new turn began (or the game ended) after the order."""
    ended_game: bool


class Match:
    """A game and the player of each side (``None`` for a side a person plays).

    A player that keeps issuing orders past ``max_orders_per_phase`` in one phase is stopped by
    ending its phase for it.
    """

    def __init__(
        self,
        game: Game,
        players: Mapping[str, Player | None],
        max_orders_per_phase: int = 10_000,
    ) -> None:
        self.game = game
        self.players: dict[str, Player | None] = {
            side: players.get(side) for side in game.scenario.side_order
        }
        self.max_orders_per_phase = max_orders_per_phase
        self._orders_this_phase = 0

    def is_human(self, side: str | None = None) -> bool:
        """Whether a person plays ``side`` (by default the active side): it has no player."""
        return self.players.get(side or self.game.active_side) is None

    @property
    def over(self) -> bool:
        """Whether the game has ended."""
        return self.game.state.game_over

    def step(self, before_apply: Callable[[Order], None] | None = None) -> Step:
        """Ask the active side's player for one order, apply it and say what it did.

        ``before_apply`` sees the order before the game changes (a window reads the path a
        move will take, to animate it).

        Raises:
            IllegalOrder: the game is over (rule ``game_over``), a person plays the active side
                (rule ``human``), or the player's order breaks a rule.
        """
        game = self.game
        if game.state.game_over:
            raise IllegalOrder("game_over", "the game is over")
        side = game.active_side
        player = self.players.get(side)
        if player is None:
            raise IllegalOrder("human", f"the {side} side is played by a person: it has no AI")
        order = player.next_order(game)
        if self._orders_this_phase >= self.max_orders_per_phase:
            order = EndPhase()
        turn_before, phase_before = game.state.turn, game.state.phase
        if before_apply is not None:
            before_apply(order)
        result = game.apply(order)
        ended_phase = isinstance(order, EndPhase)
        self._orders_this_phase = 0 if ended_phase else self._orders_this_phase + 1
        over = game.state.game_over
        return Step(
            side=side,
            order=order,
            result=result,
            turn_before=turn_before,
            phase_before=phase_before,
            turn_after=game.state.turn,
            phase_after=game.state.phase,
            ended_phase=ended_phase,
            ended_turn=game.state.turn != turn_before or over,
            ended_game=over,
        )
