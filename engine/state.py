"""The changing state of a game: units, hex control, the turn and phase, losses and the log.

A :class:`GameState` is plain data: it round-trips through :meth:`GameState.to_dict` /
:meth:`GameState.from_dict` (JSON-safe, no pickle) and hashes canonically, so a saved game and a
replayed one can be compared byte for byte. Rules that change it live in the mechanism modules.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar

import numpy as np

from engine.log import LogEntry, load_entries
from engine.scenario.model import FUELLED_CLASSES, Rules, Scenario, UnitSpec

UnitStatus = Literal["active", "pending", "destroyed", "surrendered"]
Phase = Literal["movement", "combat"]
PHASES: tuple[Phase, ...] = ("movement", "combat")
_T = TypeVar("_T")

LOSS_KINDS = ("men", "tanks", "guns")
NO_SIDE = -1


@dataclass
class SupplyStatus:
    """A unit's supply state as of the last supply phase (or last query)."""

    in_supply: bool = True
    ratio: float = 1.0
    days_out: int = 0


@dataclass
class Unit:
    """One unit on (or due to arrive on) the map."""

    id: str
    name: str
    side: str
    type: str
    parent: str | None
    hex: tuple[int, int] | None
    men: int
    tanks: int
    guns: int
    full_men: int
    full_tanks: int
    full_guns: int
    quality: float
    readiness: float
    fuel: float
    entrenchment: int
    movement_class: str
    movement_allowance: float
    exerts_zoc: bool = True
    can_retreat: bool = True
    stack_points: int = 1
    airborne: bool = False
    status: UnitStatus = "active"
    arrives_turn: int | None = None
    arrives_hex: tuple[int, int] | None = None
    mp_left: float = 0.0
    moved: bool = False
    attacked: bool = False
    rail_moved: bool = False
    supply: SupplyStatus = field(default_factory=SupplyStatus)
    paralysed_until: int = 0
    paralysis_factor: float = 1.0
    paralysis_can_attack: bool = True
    cease_fire: bool = False

    @property
    def on_map(self) -> bool:
        """Whether the unit is in play on the map."""
        return self.status == "active" and self.hex is not None

    @property
    def fuelled(self) -> bool:
        """Whether the unit's movement burns fuel."""
        return self.movement_class in FUELLED_CLASSES

    @classmethod
    def from_spec(cls, spec: UnitSpec, scenario: Scenario) -> Unit:
        """A unit as a scenario file describes it."""
        utype = scenario.unit_types[spec.type]
        allowance = (
            spec.movement_allowance
            if spec.movement_allowance is not None
            else utype.movement_allowance
        )
        pending = spec.hex is None
        return cls(
            id=spec.id,
            name=spec.name,
            side=spec.side,
            type=spec.type,
            parent=spec.parent,
            hex=None if pending else (spec.hex[0], spec.hex[1]),  # type: ignore[index]
            men=spec.men,
            tanks=spec.tanks,
            guns=spec.guns,
            full_men=spec.men,
            full_tanks=spec.tanks,
            full_guns=spec.guns,
            quality=spec.quality,
            readiness=spec.readiness,
            fuel=spec.fuel if utype.movement_class in FUELLED_CLASSES else 1.0,
            entrenchment=spec.entrenchment,
            movement_class=utype.movement_class,
            movement_allowance=allowance,
            exerts_zoc=utype.exerts_zoc,
            can_retreat=utype.can_retreat,
            stack_points=utype.stack_points,
            airborne=utype.airborne,
            status="pending" if pending else "active",
            arrives_turn=spec.arrives.turn if spec.arrives else None,
            arrives_hex=(spec.arrives.hex[0], spec.arrives.hex[1]) if spec.arrives else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form.

        What ``dataclasses.asdict`` gives, built directly (every field but ``supply`` is a
        scalar or a pair), as state hashes read every unit.
        """
        d = {name: getattr(self, name) for name in _UNIT_FIELDS}
        d["supply"] = {name: getattr(self.supply, name) for name in _SUPPLY_FIELDS}
        d["hex"] = list(self.hex) if self.hex is not None else None
        d["arrives_hex"] = list(self.arrives_hex) if self.arrives_hex is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Unit:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown unit fields {sorted(unknown)}")
        d["supply"] = exactly(SupplyStatus, d["supply"])
        d["hex"] = tuple(d["hex"]) if d["hex"] is not None else None
        d["arrives_hex"] = tuple(d["arrives_hex"]) if d["arrives_hex"] is not None else None
        return cls(**d)


_UNIT_FIELDS = tuple(f.name for f in fields(Unit))
_SUPPLY_FIELDS = tuple(f.name for f in fields(SupplyStatus))


@dataclass
class SideState:
    """Per-side counters: losses, victory points from events and this turn's use of lift."""

    losses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LOSS_KINDS, 0))
    event_vp: float = 0.0
    air_lift_used: float = 0.0
    airborne_used: int = 0
    amphibious_used: int = 0
    prisoners: int = 0
    """Men of this side who surrendered under a cease-fire (also counted in ``losses``)."""
    rail_moves_used: int = 0


@dataclass
class GameState:
    """Everything that changes during a game."""

    scenario_id: str
    turn: int
    active: int
    phase: Phase
    units: dict[str, Unit]
    control: np.ndarray
    sides: dict[str, SideState]
    rules: Rules
    fired_events: list[str] = field(default_factory=list)
    event_turns: dict[str, int] = field(default_factory=dict)
    place_changes: list[tuple[str, int, int]] = field(default_factory=list)
    objectives: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Scored objectives: id -> (turn judged, VP scored); see :mod:`engine.victory`."""
    log: list[LogEntry] = field(default_factory=list)
    """The game log (see :mod:`engine.log`)."""
    game_over: bool = False
    winner: str | None = None
    victory_level: str | None = None
    version: int = 0
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Layers derived from the units (occupancy, stacking), keyed on ``version``; never saved.

    Contract: every change to where units are or whether they are in play bumps ``version``,
    so nothing derived from an older version is ever served.
    """

    def copy(self) -> GameState:
        """A deep, independent copy (for previews and search)."""
        clone = copy.deepcopy(self)
        clone.cache = {}
        return clone

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form of the whole state."""
        return {
            "scenario_id": self.scenario_id,
            "turn": self.turn,
            "active": self.active,
            "phase": self.phase,
            "units": [u.to_dict() for u in self.units.values()],
            "control": self.control.astype(int).tolist(),
            "sides": {sid: asdict(s) for sid, s in self.sides.items()},
            "rules": self.rules.model_dump(mode="json"),
            "fired_events": list(self.fired_events),
            "event_turns": dict(self.event_turns),
            "place_changes": [list(c) for c in self.place_changes],
            "objectives": {k: [t, v] for k, (t, v) in self.objectives.items()},
            "log": [e.to_dict() for e in self.log],
            "game_over": self.game_over,
            "winner": self.winner,
            "victory_level": self.victory_level,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GameState:
        """Inverse of :meth:`to_dict` (raises KeyError/ValueError/TypeError on bad data)."""
        units = [Unit.from_dict(u) for u in d["units"]]
        return cls(
            scenario_id=d["scenario_id"],
            turn=int(d["turn"]),
            active=int(d["active"]),
            phase=d["phase"],
            units={u.id: u for u in units},
            control=np.array(d["control"], dtype=np.int8),
            sides={sid: exactly(SideState, s) for sid, s in d["sides"].items()},
            rules=Rules.model_validate(d["rules"]),
            fired_events=list(d["fired_events"]),
            event_turns={k: int(v) for k, v in d["event_turns"].items()},
            place_changes=[(str(p), int(t), int(s)) for p, t, s in d["place_changes"]],
            objectives={str(k): (int(t), float(v)) for k, (t, v) in d["objectives"].items()},
            log=load_entries(d["log"]),
            game_over=bool(d["game_over"]),
            winner=d["winner"],
            victory_level=d["victory_level"],
        )

    def state_hash(self, extra: dict[str, Any] | None = None) -> str:
        """SHA-256 of the canonical JSON of the state (plus ``extra``, e.g. random streams)."""
        payload = self.to_dict()
        if extra:
            payload = {"state": payload, **extra}
        return canonical_hash(payload)

    # ------------------------------------------------------------ queries

    def units_of(self, side: str) -> list[Unit]:
        """Units of a side in play on the map, in scenario order (a fresh list)."""
        return list(self.in_play().get(side, ()))

    def on_map_units(self) -> list[Unit]:
        """All units in play on the map, in scenario order (a fresh list)."""
        return list(self._in_play()[1])

    def moved(self) -> None:
        """Bump ``version`` after units changed hexes with none entering or leaving play.

        The units in play stay listed (a move changes where a unit is, never whether it is in
        play); every other derived layer is rebuilt on its next use, as after any bump.
        """
        hit = self.cache.get("state.in_play")
        self.version += 1
        if hit is not None and hit[0] == self.version - 1:
            self.cache["state.in_play"] = (self.version, hit[1])

    def in_play(self) -> dict[str, list[Unit]]:
        """Units in play per side, in scenario order: shared lists, read but never change them.

        Kept in :attr:`cache` for the state's ``version`` (whoever takes a unit off the map or
        puts one on bumps it); one pass over the units serves every query until then.
        """
        return self._in_play()[0]

    def _in_play(self) -> tuple[dict[str, list[Unit]], list[Unit]]:
        hit = self.cache.get("state.in_play")
        if hit is not None and hit[0] == self.version:
            return hit[1]  # type: ignore[no-any-return]
        every = [u for u in self.units.values() if u.status == "active" and u.hex is not None]
        by_side: dict[str, list[Unit]] = {}
        for u in every:
            by_side.setdefault(u.side, []).append(u)
        self.cache["state.in_play"] = (self.version, (by_side, every))
        return by_side, every


def canonical_hash(payload: Any) -> str:
    """SHA-256 of the canonical JSON of a JSON-safe value (sorted keys, no spaces)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exactly(cls: type[_T], d: dict[str, Any]) -> _T:
    """A dataclass from a dict that has every one of its fields and no other (saved data)."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    if not isinstance(d, dict) or set(d) != names:
        got = sorted(d) if isinstance(d, dict) else type(d).__name__
        raise ValueError(f"{cls.__name__} needs the fields {sorted(names)}, got {got}")
    return cls(**d)
