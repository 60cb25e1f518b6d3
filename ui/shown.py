"""The game as shown: a read-only stand-in for ``Game`` built from a snapshot, for the panels.

While the AI plays, its worker thread owns the game and the map shows an older snapshot; the top
bar and the hex panel then read this stand-in, so they say what the map shows and never read a
game another thread is changing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.scenario.model import Scenario
from engine.world import World
from ui.snapshot import Snapshot


@dataclass(frozen=True)
class ShownState:
    """The few state fields the panels read."""

    turn: int
    phase: str
    game_over: bool
    control: np.ndarray


class ShownGame:
    """``Game``'s read-only face for one snapshot: scenario, world, state, side, VP."""

    def __init__(self, scenario: Scenario, world: World, snapshot: Snapshot) -> None:
        self.scenario = scenario
        self.world = world
        self.snapshot = snapshot
        self.state = ShownState(snapshot.turn, snapshot.phase, snapshot.game_over, snapshot.control)
        self.active_side = snapshot.active

    def victory_points(self) -> dict[str, float]:
        """The VP as of the snapshot."""
        return dict(self.snapshot.vp)
