"""The game log: structured entries (turn, phase, kind, side, units, hexes) that render as text.

Every line of :attr:`engine.state.GameState.log` is a :class:`LogEntry`. Its ``text`` is what
the engine has always written, and ``str(entry)`` is the familiar ``"T3 ..."`` line; beside it
the entry says what kind of thing happened, to which side, which unit ids it concerns and on
which hexes, so a viewer can filter the log and jump from a line to the map.

Entries are made in two steps. The code that does a thing (a move, a combat, a surrender, the
supply phase...) returns a :class:`Note`: its log line, a ``str``, that also carries the kind,
side, unit ids and hexes it knows first-hand. The code that writes the log (``Game.apply`` for
orders, :mod:`engine.turn` for the turn sequence) knows the turn and phase and stamps them on
(:func:`stamp`). Because a note is a string, every caller that only wants the text (order
results, the AI, the tools) reads it as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KINDS: tuple[str, ...] = (
    "turn",
    "phase",
    "move",
    "rail",
    "combat",
    "capture",
    "surrender",
    "supply",
    "airsupply",
    "airborne",
    "landing",
    "reinforcement",
    "event",
    "weather",
    "objective",
    "victory",
    "other",
)
"""Every kind of entry (see docs/rules.md, "Game log")."""

ENTRY_PHASES: tuple[str, ...] = (
    "movement",
    "combat",
    "end_of_turn",
    "start_of_turn",
    "unknown",
)
"""When in the turn an entry was written: during a side's movement or combat phase (orders and
the end of the phase), in the end-of-turn steps (supply, objectives, the final result) or in the
start-of-turn steps (reinforcements, events, weather). ``unknown``: read from an old save."""

END_OF_TURN = "end_of_turn"
START_OF_TURN = "start_of_turn"

Hex = tuple[int, int]

_LEGACY = re.compile(r"T(\d+) (.*)", re.DOTALL)


@dataclass(frozen=True)
class LogEntry:
    """One line of the game log.

    Attributes:
        turn: The turn it was written in.
        phase: One of :data:`ENTRY_PHASES`.
        kind: One of :data:`KINDS`.
        side: The side that acted or is concerned (None: no side, e.g. a new turn or weather).
        text: The line without its turn prefix.
        units: Ids of the units it concerns, in a kind-specific order (a combat lists the
            attackers, then the defenders).
        hexes: ``(col, row)`` hexes it concerns, in a kind-specific order (a move: from, to).
    """

    turn: int
    phase: str
    kind: str
    side: str | None
    text: str
    units: tuple[str, ...] = ()
    hexes: tuple[Hex, ...] = ()

    def render(self) -> str:
        """The line as the log has always printed it: ``"T{turn} {text}"``."""
        return f"T{self.turn} {self.text}"

    def __str__(self) -> str:
        return self.render()

    def __deepcopy__(self, memo: dict[int, Any]) -> LogEntry:
        # Immutable all the way down (ints, strings, tuples): copies of a state share entries.
        return self

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (hexes as ``[col, row]`` lists)."""
        return {
            "turn": self.turn,
            "phase": self.phase,
            "kind": self.kind,
            "side": self.side,
            "text": self.text,
            "units": list(self.units),
            "hexes": [[c, r] for c, r in self.hexes],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LogEntry:
        """Inverse of :meth:`to_dict`.

        Raises:
            ValueError: unknown or missing fields, or an unknown kind or phase.
            TypeError: a field of the wrong type.
        """
        if not isinstance(d, dict):
            raise TypeError(f"a log entry is a mapping, got {type(d).__name__}")
        unknown = set(d) - _FIELDS
        if unknown:
            raise ValueError(f"unknown log entry fields {sorted(unknown)}")
        missing = _REQUIRED - set(d)
        if missing:
            raise ValueError(f"log entry without {sorted(missing)}")
        if d["kind"] not in KINDS:
            raise ValueError(f"unknown log entry kind {d['kind']!r}")
        if d["phase"] not in ENTRY_PHASES:
            raise ValueError(f"unknown log entry phase {d['phase']!r}")
        side = d["side"]
        return cls(
            turn=int(d["turn"]),
            phase=d["phase"],
            kind=d["kind"],
            side=None if side is None else str(side),
            text=str(d["text"]),
            units=tuple(str(u) for u in d.get("units", ())),
            hexes=tuple((int(c), int(r)) for c, r in d.get("hexes", ())),
        )

    @classmethod
    def from_line(cls, line: str) -> LogEntry:
        """An entry of kind ``other`` from a plain ``"T3 ..."`` line (the log of old saves)."""
        m = _LEGACY.fullmatch(line)
        if m is None:
            return cls(turn=0, phase="unknown", kind="other", side=None, text=line)
        return cls(turn=int(m[1]), phase="unknown", kind="other", side=None, text=m[2])


_FIELDS = {"turn", "phase", "kind", "side", "text", "units", "hexes"}
_REQUIRED = {"turn", "phase", "kind", "side", "text"}


def load_entries(items: Iterable[dict[str, Any] | str]) -> list[LogEntry]:
    """Entries from their saved form: dicts, or plain lines as saves before format 2 hold."""
    return [LogEntry.from_line(x) if isinstance(x, str) else LogEntry.from_dict(x) for x in items]


class Note(str):
    """A log line as the code that did the thing writes it: the text plus what it is about.

    A ``str`` (the text), so callers that only want the line use it as one; :func:`stamp` turns
    it into a :class:`LogEntry` once the turn and phase are known. Slicing or concatenating a
    note gives a plain string: the structure belongs to the whole line.
    """

    kind: str
    side: str | None
    units: tuple[str, ...]
    hexes: tuple[Hex, ...]

    def __new__(
        cls,
        text: str,
        kind: str = "other",
        *,
        side: str | None = None,
        units: Iterable[str] = (),
        hexes: Iterable[Hex | None] = (),
    ) -> Note:
        """A note of ``kind`` (one of :data:`KINDS`); hexes that are None are left out."""
        if kind not in KINDS:
            raise ValueError(f"unknown log entry kind {kind!r}")
        self = super().__new__(cls, text)
        self.kind = kind
        self.side = side
        self.units = tuple(units)
        self.hexes = tuple((int(h[0]), int(h[1])) for h in hexes if h is not None)
        return self

    def entry(self, turn: int, phase: str) -> LogEntry:
        """The log entry of this note, written at ``turn`` in ``phase``."""
        return LogEntry(turn, phase, self.kind, self.side, str(self), self.units, self.hexes)


def stamp(messages: Iterable[str], turn: int, phase: str) -> list[LogEntry]:
    """Log entries of the given lines at ``turn`` and ``phase``.

    A :class:`Note` keeps its kind, side, units and hexes; a plain string becomes kind ``other``.
    """
    out = []
    for m in messages:
        if isinstance(m, Note):
            out.append(m.entry(turn, phase))
        else:
            out.append(LogEntry(turn, phase, "other", None, str(m)))
    return out


def filter_log(
    entries: Iterable[LogEntry],
    *,
    kinds: str | Iterable[str] | None = None,
    side: str | None = None,
    unit: str | None = None,
    turn: int | None = None,
    phase: str | None = None,
    hex: Hex | None = None,
) -> list[LogEntry]:
    """The entries that match every criterion given (None: any), in log order.

    Args:
        entries: The log, or any part of it.
        kinds: A kind or several (one of them must match).
        side: The entry's side.
        unit: A unit id among the entry's units.
        turn: The entry's turn.
        phase: The entry's phase.
        hex: A ``(col, row)`` among the entry's hexes.
    """
    wanted = None if kinds is None else {kinds} if isinstance(kinds, str) else set(kinds)
    where = None if hex is None else (int(hex[0]), int(hex[1]))
    return [
        e
        for e in entries
        if (wanted is None or e.kind in wanted)
        and (side is None or e.side == side)
        and (unit is None or unit in e.units)
        and (turn is None or e.turn == turn)
        and (phase is None or e.phase == phase)
        and (where is None or where in e.hexes)
    ]
