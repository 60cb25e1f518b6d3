"""The AI's plans as scenario data: who goes where, in what stance, from which day.

A scenario lists, per side, named plans (``ai.plans.<side>.<plan>``). A plan splits the side's
units into groups by formation (or by unit id); each group has a stance and a route of places.
The operational AI (:mod:`engine.ai`) carries the plan out; nothing in the code knows August
Storm. Difficulty is never a hidden bonus: the AI plays by the same rules and sees only what its
side sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class Strict(BaseModel):
    """Unknown keys are errors (as everywhere in the scenario schema)."""

    model_config = ConfigDict(extra="forbid")


Stance = Literal["advance", "hold", "delay", "withdraw", "counterattack"]


class AiGroup(Strict):
    """Units that share a task: a front's or army's axis, a garrison, a reserve.

    A unit belongs to the group that names it in ``units``; otherwise to the group whose
    ``formations`` holds its nearest formation (walking up from its parent); otherwise to the
    plan's default stance.
    """

    id: str
    name: str = ""
    formations: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list, description="Unit ids, ahead of formations.")
    stance: Stance = Field(
        description="advance: take the route's places in order; hold: stand and fight; "
        "delay: stand until the enemy is in contact in strength, then fall back along the "
        "route; withdraw: fall back along the route at once; counterattack: go for the "
        "nearest enemy seen."
    )
    route: list[str] = Field(
        default_factory=list,
        description="Place ids in order: the axis of advance, or the line of retreat.",
    )
    from_date: dt.date | None = Field(None, description="Before this day the group holds.")
    halt_on: list[dt.date] = Field(
        default_factory=list,
        description="Days the group stands where it is: operational pauses the plan ordered "
        "(for the rear to close up).",
    )
    spearhead: bool = Field(
        False,
        description="advance: its mobile units (motorized, tracked, cavalry) drive deep and "
        "bypass fortified places held by the enemy, leaving them to the foot units.",
    )
    siege: Literal["reduce", "blockade"] | None = Field(
        None,
        description="A group sent against fortified places on its route: it does not bypass "
        "them. reduce: assault permanent works whenever the exchange favours it; blockade: "
        "ring them and wait. Groups without it bypass permanent works the enemy holds.",
    )
    source: str = ""

    @model_validator(mode="after")
    def _has_members(self) -> AiGroup:
        if not self.formations and not self.units:
            raise ValueError("a group needs 'formations' or 'units'")
        if self.stance in ("advance", "withdraw") and not self.route:
            raise ValueError(f"a group that must {self.stance} needs a 'route'")
        return self


class AiLanding(Strict):
    """A place to seize by an airborne drop or an amphibious landing, from a given day."""

    place: str
    by: Literal["air", "sea"]
    not_before: dt.date | None = None
    units: list[str] = Field(
        default_factory=list, description="Units that may make it (empty: any able unit)."
    )
    ground_reach_hexes: Annotated[int, Field(ge=0, le=500)] | None = Field(
        None,
        description="Go in only when a ground unit of the side (not airborne) stands within "
        "this many hexes of the place, or when the garrison has been ordered to cease fire "
        "(every enemy unit on and next to the place is under a cease-fire order, and there is "
        "one). None: from not_before on, whatever the ground war.",
    )
    source: str = ""


class AiPlan(Strict):
    """One side's plan and its temper."""

    description: str = ""
    default_stance: Literal["hold", "advance", "counterattack"] = "hold"
    attack_success: Fraction = Field(
        0.6, description="Attack when the preview gives at least this chance of success."
    )
    spearhead_attack_success: Fraction = Field(
        0.8, description="Spearheads attack only at these odds; else they go round."
    )
    fort_attack_success: Fraction = Field(
        0.8,
        description="Attack a fortified hex (fortification level above 0) only at these odds; "
        "else blockade it and wait for the guns, or its surrender.",
    )
    delay_ratio: Annotated[float, Field(gt=0)] = Field(
        1.5,
        description="delay: fall back when the enemy's strength next to a unit exceeds its "
        "own defence strength by this factor.",
    )
    cover: list[str] = Field(
        default_factory=list,
        description="Places the side's reserves close round when the enemy comes near: units "
        "of delaying groups out of contact within cover_reach_hexes move into the place and "
        "the hexes round it, and hold there.",
    )
    cover_threat_hexes: Annotated[int, Field(ge=1)] = Field(
        8, description="A covered place is threatened when an enemy unit is seen this close."
    )
    cover_reach_hexes: Annotated[int, Field(ge=1)] = Field(
        8, description="How far from a threatened place the reserves are called in from."
    )
    delay_by_bounds: bool = Field(
        False,
        description="delay: a pressed unit falls back a bound at a time, to the hex just out "
        "of the enemy's contact toward its next place, instead of all the way to that place.",
    )
    attrition_attacks: bool = Field(
        False,
        description="Also attack below attack_success when the preview's expected losses "
        "favour the side in victory points (the enemy's men lost at the side's VP rate against "
        "its own at the enemy's rate): the war of attrition a side that cannot win ground wages.",
    )
    supply_margin_mp: NonNegative = Field(
        2.0,
        description="Units other than spearheads end their moves inside the side's supply net "
        "unless a hex outside it brings them this many movement points nearer their goal.",
    )
    air_supply_below: Fraction = Field(
        0.5,
        description="Fly fuel to units whose fuel is below this and whose supply line cannot "
        "refill them in full (out of supply, or held back by a bottleneck).",
    )
    groups: list[AiGroup] = Field(default_factory=list)
    main_effort: str | None = Field(
        None,
        description="Id of the group that makes the plan's main effort: it moves first, gets the "
        "air lift first and its fights come first; the plan log names it every day.",
    )
    landings: list[AiLanding] = Field(default_factory=list)
    source: str = ""


class AiSpec(Strict):
    """Every side's AI plans and which one plays by default."""

    plans: dict[str, dict[str, AiPlan]] = Field(
        default_factory=dict, description="side id -> plan name -> plan."
    )
    default: dict[str, str] = Field(
        default_factory=dict, description="side id -> the plan name the 'ai' player uses."
    )
