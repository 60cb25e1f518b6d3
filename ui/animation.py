"""The AI's moves shown one after another: slides along paths, combat flashes, the skip key.

The animator takes the worker's :class:`~ui.ai_runner.AIStep` records in order and decides what
the map shows: the snapshot of the last step that finished, plus the unit sliding now. A step
the watching side cannot see (an enemy unit out of its sight at both ends of its move) is not
shown moving; it simply takes effect.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ui.ai_runner import AIStep
from ui.snapshot import Snapshot
from ui.state import MOVE_SECONDS

#: Seconds a combat's result floats over its hex, per speed (normal: about a second).
FLASH_FACTOR = 7.0


@dataclass
class Floater:
    """A combat result floating over a hex for a while."""

    hex: int
    text: str
    outcome: str
    age: float
    life: float


class Animator:
    """Plays the AI's steps at the window's pace."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.shown = snapshot
        self._queue: deque[AIStep] = deque()
        self.current: AIStep | None = None
        self.progress = 0.0
        self.floaters: list[Floater] = []
        self.steps_shown = 0

    def __len__(self) -> int:
        """Steps waiting to be shown (the one playing included)."""
        return len(self._queue) + (self.current is not None)

    @property
    def idle(self) -> bool:
        """Whether nothing is waiting to be shown."""
        return self.current is None and not self._queue

    def push(self, step: AIStep) -> None:
        """Queue a step to show."""
        self._queue.append(step)

    def skip(self) -> None:
        """Show every queued step at once (the skip key)."""
        last = self._queue[-1] if self._queue else self.current
        if last is not None:
            self.shown = last.snapshot
            self.steps_shown += len(self._queue) + (self.current is not None)
        self._queue.clear()
        self.current = None
        self.floaters.clear()

    def update(self, dt: float, speed: str, sees: Callable[[AIStep], bool]) -> bool:
        """Advance by ``dt`` seconds; returns whether the shown picture changed."""
        changed = False
        for f in self.floaters:
            f.age += dt
        before = len(self.floaters)
        self.floaters = [f for f in self.floaters if f.age < f.life]
        changed |= len(self.floaters) != before
        seconds = MOVE_SECONDS[speed]
        budget = dt
        while True:
            if self.current is None:
                if not self._queue:
                    return changed
                step = self._queue.popleft()
                if seconds <= 0 or not sees(step) or len(step.path) < 2:
                    self._finish(step, seconds, sees)
                    changed = True
                    continue
                self.current = step
                self.progress = 0.0
            if seconds <= 0:  # the speed went to instant in mid-slide: land it now
                step, self.current = self.current, None
                self._finish(step, seconds, sees)
                changed = True
                continue
            duration = seconds  # a move slides in the same time however long its path
            self.progress += budget / duration
            budget = 0.0
            changed = True
            if self.progress < 1.0:
                return changed
            step, self.current = self.current, None
            self._finish(step, seconds, sees)
            return changed

    def _finish(self, step: AIStep, seconds: float, sees: Callable[[AIStep], bool]) -> None:
        self.shown = step.snapshot
        self.steps_shown += 1
        if step.target is not None and step.outcome and seconds > 0 and sees(step):
            short = step.outcome.replace("_", " ")
            life = max(0.4, seconds * FLASH_FACTOR)
            self.floaters.append(Floater(step.target, short, step.outcome, 0.0, life))

    def mover(self) -> tuple[str, int, int, float] | None:
        """The unit sliding now: (unit id, hex it left, hex it heads for, fraction of the step)."""
        step = self.current
        if step is None or step.unit_id is None or len(step.path) < 2:
            return None
        legs = len(step.path) - 1
        at = min(self.progress, 0.999) * legs
        k = int(at)
        return step.unit_id, step.path[k], step.path[k + 1], at - k
