"""Who plays which side in the window, and whose eyes the map is seen through.

Modes: ``vs_ai`` (one human side against the AI), ``hotseat`` (both sides human, a hand-over
screen between them) and ``watch`` (AI against AI). A human sees only what their side sees;
watching shows every unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.game import Game
from engine.players import Player, make_player

SessionMode = Literal["vs_ai", "hotseat", "watch"]


@dataclass
class Session:
    """A game and its players; a side whose player is None is played in the window."""

    game: Game
    players: dict[str, Player | None]
    mode: SessionMode
    names: dict[str, str] = field(default_factory=dict)
    """What plays each side, for the top bar (``you``, ``player 2``, ``AI (historical)``)."""
    stop_turn: int | None = None
    """The AI stops when this turn begins (``main.py play --turns``); None: never."""
    stop_at_order: int | None = None
    """The players stop when the order log is this long (a replay's pause point); None: never."""
    absent: frozenset[str] = frozenset()
    """Sides played elsewhere (by e-mail): the game pauses when it is their turn."""
    watcher: str | None = None
    """Watching through one side's eyes (its fog of war); None: every unit."""
    plans: dict[str, str] = field(default_factory=dict)
    """The AI plan of each side the AI plays (a loaded save gets the same players)."""

    @property
    def ai_may_play(self) -> bool:
        """Whether the AI may go on (not over; ``stop_turn`` and ``stop_at_order`` not reached)."""
        state = self.game.state
        if state.game_over:
            return False
        if self.stop_at_order is not None and len(self.game.order_log) >= self.stop_at_order:
            return False
        if self.game.active_side in self.absent:
            return False
        return self.stop_turn is None or state.turn < self.stop_turn

    @classmethod
    def create(
        cls, game: Game, humans: list[str], ai_plans: dict[str, str] | None = None
    ) -> Session:
        """A session with ``humans`` played in the window and the other sides by the AI.

        Raises:
            IllegalOrder: an unknown side or AI plan.
        """
        ai_plans = ai_plans or {}
        players: dict[str, Player | None] = {}
        names: dict[str, str] = {}
        plans: dict[str, str] = {}
        for side in game.scenario.side_order:
            if side in humans:
                players[side] = None
                names[side] = "you" if len(humans) == 1 else f"player {len(names) + 1}"
            else:
                plan = plans[side] = ai_plans.get(side, "ai")
                players[side] = make_player(plan, side, game.scenario)
                names[side] = f"AI ({plan})"
        mode: SessionMode = "watch" if not humans else "hotseat" if len(humans) > 1 else "vs_ai"
        return cls(game=game, players=players, mode=mode, names=names, plans=plans)

    def is_human(self, side: str) -> bool:
        """Whether a side is played in the window."""
        return self.players.get(side) is None

    @property
    def human_turn(self) -> bool:
        """Whether the side to act now is played in the window."""
        return not self.game.state.game_over and self.is_human(self.game.active_side)

    @property
    def viewer(self) -> str | None:
        """The side whose view the map shows (None: every unit, when watching)."""
        if self.mode == "watch":
            return self.watcher
        if self.mode == "hotseat":
            return self.game.active_side
        return next(side for side, p in self.players.items() if p is None)

    def players_text(self) -> str:
        """Who plays, for the top bar."""
        if self.mode == "watch":
            if self.names and set(self.names.values()) == {"replay"}:
                return "replay of a saved game"
            return "watching: AI against AI"
        if self.mode == "hotseat":
            return "hot-seat"
        human = self.viewer
        other = next(s for s in self.players if s != human)
        return f"you: {human.title() if human else '-'} vs {self.names[other]}"
