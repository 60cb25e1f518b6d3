"""Orders: the one API through which players, the AI, the UI and replays act on a game.

Each order is a pydantic model with a ``kind`` tag and a compact text form for logs and tests:

=================  ================================================
``move U C,R``      move unit U to hex C,R along its cheapest path
``rail U C,R``      strategic rail move of unit U to hex C,R
``attack C,R U..``  attack hex C,R with units U.. (``attack! ..`` = no advance)
``airsupply U T``   fly T tons of fuel to unit U
``drop U C,R``      airborne drop of unit U on hex C,R
``land U C,R``      amphibious landing of unit U on hex C,R
``end``             end the active side's current phase
=================  ================================================
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from engine.errors import IllegalOrder

Coord = tuple[int, int]


class _Order(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Move(_Order):
    """Move a unit to a hex along its cheapest legal path this phase."""

    kind: Literal["move"] = "move"
    unit: str
    to: Coord

    def to_text(self) -> str:
        """Compact text form."""
        return f"move {self.unit} {self.to[0]},{self.to[1]}"


class RailMove(_Order):
    """Strategic rail move: the unit's whole day spent riding friendly, unbroken railway."""

    kind: Literal["rail"] = "rail"
    unit: str
    to: Coord

    def to_text(self) -> str:
        """Compact text form."""
        return f"rail {self.unit} {self.to[0]},{self.to[1]}"


class Attack(_Order):
    """Attack an adjacent enemy-held hex with one or more units."""

    kind: Literal["attack"] = "attack"
    target: Coord
    attackers: Annotated[list[str], Field(min_length=1)]
    advance: bool = True

    def to_text(self) -> str:
        """Compact text form."""
        verb = "attack" if self.advance else "attack!"
        return f"{verb} {self.target[0]},{self.target[1]} " + " ".join(self.attackers)


class AirSupply(_Order):
    """Fly fuel to a unit within range of a friendly airfield."""

    kind: Literal["airsupply"] = "airsupply"
    unit: str
    tons: Annotated[float, Field(gt=0)]

    def to_text(self) -> str:
        """Compact text form."""
        return f"airsupply {self.unit} {self.tons:g}"


class AirborneDrop(_Order):
    """Drop an airborne unit on a hex within range of a friendly airfield."""

    kind: Literal["drop"] = "drop"
    unit: str
    to: Coord

    def to_text(self) -> str:
        """Compact text form."""
        return f"drop {self.unit} {self.to[0]},{self.to[1]}"


class Landing(_Order):
    """Land a unit from the sea on a coastal hex within range of a friendly port."""

    kind: Literal["land"] = "land"
    unit: str
    to: Coord

    def to_text(self) -> str:
        """Compact text form."""
        return f"land {self.unit} {self.to[0]},{self.to[1]}"


class EndPhase(_Order):
    """End the active side's current phase."""

    kind: Literal["end"] = "end"

    def to_text(self) -> str:
        """Compact text form."""
        return "end"


Order = Annotated[
    Move | RailMove | Attack | AirSupply | AirborneDrop | Landing | EndPhase,
    Field(discriminator="kind"),
]
ORDER_ADAPTER: TypeAdapter[Order] = TypeAdapter(Order)

_COORD = r"(-?\d+),(-?\d+)"
_ID = r"([A-Za-z0-9_.\-]+)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^move {_ID} {_COORD}$"), "move"),
    (re.compile(rf"^rail {_ID} {_COORD}$"), "rail"),
    (re.compile(rf"^(attack!?) {_COORD}((?: {_ID})+)$"), "attack"),
    (re.compile(rf"^airsupply {_ID} ([0-9.eE+]+)$"), "airsupply"),
    (re.compile(rf"^drop {_ID} {_COORD}$"), "drop"),
    (re.compile(rf"^land {_ID} {_COORD}$"), "land"),
    (re.compile(r"^end$"), "end"),
]


def parse_order(text: str) -> Order:
    """Parse the compact text form of an order.

    Raises:
        IllegalOrder: the text is not an order (rule ``syntax``).
    """
    line = " ".join(text.split())
    try:
        for pattern, kind in _PATTERNS:
            m = pattern.match(line)
            if not m:
                continue
            g = m.groups()
            if kind in ("move", "rail", "drop", "land"):
                coord = (int(g[1]), int(g[2]))
                return ORDER_ADAPTER.validate_python({"kind": kind, "unit": g[0], "to": coord})
            if kind == "attack":
                return Attack(
                    target=(int(g[1]), int(g[2])),
                    attackers=g[3].split(),
                    advance=g[0] == "attack",
                )
            if kind == "airsupply":
                return AirSupply(unit=g[0], tons=float(g[1]))
            return EndPhase()
    except (ValidationError, ValueError) as exc:
        raise IllegalOrder("syntax", f"cannot read order {text!r}: {exc}") from None
    raise IllegalOrder("syntax", f"cannot read order {text!r}")


def order_from_json(data: object) -> Order:
    """Validate an order given as JSON-like data (``{"kind": "move", ...}``).

    Raises:
        IllegalOrder: the data is not a valid order (rule ``syntax``).
    """
    try:
        return ORDER_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise IllegalOrder("syntax", f"not an order: {exc}") from None
