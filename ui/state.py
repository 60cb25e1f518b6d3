"""The window's own state in small dataclasses: selection, hover, mode, overlays, attack, messages.

The controller (``ui.controller``) owns one :class:`UIState` and changes it from input events;
views only read it. Nothing here decides a rule: reach, paths, odds and supply come from the
engine's side view and are only cached here for the frame that shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["orders", "attack", "ai_turn", "paused", "handover", "game_over"]
OVERLAYS: tuple[str, ...] = ("supply", "zoc", "control", "objectives", "fog")
Speed = Literal["slow", "normal", "fast", "instant"]
SPEEDS: tuple[Speed, ...] = ("slow", "normal", "fast", "instant")
#: Seconds an AI move takes to slide along its path at each speed.
MOVE_SECONDS: dict[str, float] = {"slow": 0.45, "normal": 0.15, "fast": 0.05, "instant": 0.0}


@dataclass
class Selection:
    """The selected unit and the hex whose stack it was picked from."""

    unit_id: str | None = None
    hex: int | None = None
    stack_pick: int = 0
    """Index into the hex's stack: clicking the same hex again cycles through it."""


@dataclass
class PathPreview:
    """The hovered move for the selected unit, as the side's view plans it."""

    unit_id: str
    to: int
    path: list[int]
    cost: float
    ends_in_zoc: bool
    legal: bool
    why: str = ""


@dataclass
class PendingAttack:
    """An attack being put together: target, attackers, and the engine's preview of it."""

    target: int
    attackers: list[str]
    candidates: list[str]
    """Units of the side that may join this attack (adjacent, able to attack now)."""
    preview: Any = None
    """``engine.combat.CombatPreview`` for the current attackers, or None when there are none."""
    error: str = ""


@dataclass
class Toast:
    """A short message near the cursor (an illegal order's reason) or in the top bar."""

    text: str
    pos: tuple[int, int] | None
    until: float
    kind: Literal["error", "info", "result"] = "info"


@dataclass
class ContextMenu:
    """A menu listing only the legal special orders for a unit on a hex."""

    pos: tuple[int, int]
    hex: int
    items: list[tuple[str, Any]]
    """(label, engine order) pairs."""
    hovered: int = -1


@dataclass
class UIState:
    """Everything the window shows besides the game itself."""

    mode: Mode = "orders"
    hovered: int | None = None
    mouse: tuple[int, int] = (0, 0)
    selection: Selection = field(default_factory=Selection)
    path: PathPreview | None = None
    attack: PendingAttack | None = None
    overlays: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(OVERLAYS, False))
    show_all: bool = False
    """Debug and watch mode: show every unit, not only what the side sees."""
    help: bool = False
    help_page: int = 0
    """0: keys and mouse; 1: how to play (Tab or the arrows turn the page)."""
    toasts: list[Toast] = field(default_factory=list)
    menu: ContextMenu | None = None
    speed: Speed = "normal"
    log_scroll: int = 0
    log_kinds: set[str] | None = None
    """Kinds of log entries shown (None: all)."""
    last_result: str = ""
    """The last combat's result and why, for the attack panel."""
    handover_to: str | None = None
    warned_moves_left: bool = False
    result_sheet: bool = True
    """Whether the game-over sheet covers the map (Esc puts it away, F1 shows keys)."""
    revision: int = 0
    """Bumped whenever something drawn from this state changes."""

    def touch(self) -> None:
        """Mark the state changed (highlights and panels redraw)."""
        self.revision += 1
