"""The AI's turns in a worker thread, so the window never waits for them.

While the AI plays, the worker thread owns the game: it steps the match (``engine.match``), one
AI order at a time, and hands the window an :class:`AIStep` with what happened and a snapshot of the
game after it. The window animates the steps at its own pace and touches the game again only
when the worker has stopped (a human side's turn, or the end of the game).
"""

from __future__ import annotations

import queue
import sys
import threading
from dataclasses import dataclass

from engine.errors import EngineError
from engine.game import Game
from engine.match import Match, Step
from engine.orders import Attack, Move, Order, RailMove
from ui.session import Session
from ui.snapshot import Snapshot, take_snapshot

#: The worker gives the window the interpreter this often (seconds) while the AI thinks.
SWITCH_INTERVAL = 0.001
#: The worker waits while this many of its steps are not yet shown: it need not run far ahead
#: of the animation, and while it waits the window has the interpreter to itself.
MAX_AHEAD = 48


@dataclass(frozen=True)
class AIStep:
    """One AI order and what it did, as the window shows it."""

    side: str
    order: Order
    text: str
    unit_id: str | None
    path: tuple[int, ...]
    """Hexes the unit went through (a move or a rail move), start first."""
    target: int | None
    """The attacked hex, for an attack."""
    outcome: str | None
    snapshot: Snapshot


class AIRunner:
    """Plays the AI's sides of a session in a worker thread."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.steps: queue.Queue[AIStep | None] = queue.Queue()
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._version = 0
        self.produced = 0
        self.shown = 0
        """Steps the window has shown (it sets this); the worker keeps within MAX_AHEAD."""

    @property
    def busy(self) -> bool:
        """Whether the worker is playing (the window must not touch the game)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def version(self) -> int:
        """The version of the last snapshot the worker took."""
        return self._version

    @property
    def active(self) -> bool:
        """Whether the worker plays, or has played steps the window has not taken yet."""
        return self.busy or not self.steps.empty()

    def start(self, first_version: int) -> bool:
        """Start playing if the side to act is an AI's; returns whether it started."""
        if self.busy or self.session.human_turn or not self.session.ai_may_play:
            return False
        self._stop.clear()
        self._version = first_version
        self.produced = self.shown = 0
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._thread = threading.Thread(target=self._run, name="ai-turn", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        """Ask the worker to stop after its current order, and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def poll(self) -> list[AIStep | None]:
        """The steps played since the last poll (None marks the worker's end)."""
        out: list[AIStep | None] = []
        while True:
            try:
                out.append(self.steps.get_nowait())
            except queue.Empty:
                return out

    # ------------------------------------------------------------ the worker

    def _run(self) -> None:
        game = self.session.game
        match = Match(game, self.session.players)
        try:
            while not self._stop.is_set() and self.session.ai_may_play:
                if match.is_human():
                    break
                while self.produced - self.shown > MAX_AHEAD and not self._stop.is_set():
                    self._stop.wait(0.005)
                if self._stop.is_set():
                    break
                plan: dict[str, object] = {}
                step = match.step(lambda order, plan=plan: plan.update(self._plan(game, order)))
                self.steps.put(self._record(game, step, plan))
                self.produced += 1
        except EngineError as exc:  # an AI asking for an illegal order is a bug: say so
            self.error = f"the AI stopped: {exc}"
        except Exception as exc:  # noqa: BLE001 - the window must survive a broken player
            self.error = f"the AI failed: {type(exc).__name__}: {exc}"
        finally:
            self.steps.put(None)

    @staticmethod
    def _plan(game: Game, order: Order) -> dict[str, object]:
        """What the window needs to know of an order before it is applied: the path it takes."""
        if not isinstance(order, Move | RailMove):
            return {}
        world = game.world
        unit = game.state.units[order.unit]
        start = world.index(*unit.hex) if unit.hex is not None else None
        dest = world.index(*order.to)
        path: tuple[int, ...] = ()
        if isinstance(order, Move):
            path = tuple(game.view(unit.side).reachable(order.unit).path_to(dest))
        if not path and start is not None:
            path = (start, dest)
        return {"unit": order.unit, "path": path}

    def _record(self, game: Game, step: Step, plan: dict[str, object]) -> AIStep:
        world = game.world
        order = step.order
        unit_id = plan.get("unit")
        path: tuple[int, ...] = plan.get("path", ())  # type: ignore[assignment]
        if unit_id is not None and path:
            unit = game.state.units[str(unit_id)]
            end = world.index(*unit.hex) if unit.hex is not None else path[-1]
            if end in path:  # stopped short by contact: the slide ends where the unit did
                path = path[: path.index(end) + 1]
        target = world.index(*order.target) if isinstance(order, Attack) else None
        self._version += 1
        combat = step.result.combat
        return AIStep(
            side=step.side,
            order=order,
            text="; ".join(m for m in step.result.messages if m),
            unit_id=None if unit_id is None else str(unit_id),
            path=path,
            target=target,
            outcome=combat.outcome if combat is not None else None,
            snapshot=take_snapshot(game, self._version),
        )
