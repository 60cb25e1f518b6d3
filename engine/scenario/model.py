"""The scenario schema: pydantic models for every section of a scenario file.

Everything historical or tunable is here as data: the map and its terrain table, the road and
rail network, places, sides, formations, units, supply sources, events, victory conditions and
the rules constants. Code in ``engine/`` holds mechanisms only. Coordinates in files are odd-r
offset ``[col, row]`` pairs, the same columns and rows as the text terrain grid.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engine.scenario.ai_model import AiSpec

MovementClass = Literal["foot", "cavalry", "motorized", "tracked"]
MOVEMENT_CLASSES: tuple[MovementClass, ...] = ("foot", "cavalry", "motorized", "tracked")
NetworkKind = Literal["road", "rail", "ferry"]
RiverClass = Literal["minor", "major"]
FUELLED_CLASSES: frozenset[str] = frozenset({"motorized", "tracked"})

Coord = tuple[int, int]
#: A place id or a ``[lat, lon]`` pair: where a route passes or a unit stands.
Waypoint = str | tuple[float, float]
# Plausible ranges: generous design bounds on every strength, capacity, lift and count. A value
# beyond one is a typo or an absurd counterfactual (10^24 tanks, a year of turns ten times over)
# and is refused with its file, line and field, like any schema error (docs/MODDING.md).
MAX_UNIT_MEN = 100_000
"""Men in one unit: an army's worth; the largest unit in August Storm has about 25,000."""
MAX_UNIT_TANKS = 2_500
"""Tanks in one unit: a tank army and a half (the 6th Guards Tank Army had 1,019)."""
MAX_UNIT_GUNS = 5_000
"""Guns and mortars in one unit (the largest in August Storm has 997)."""
MAX_TURNS = 366
"""Turns of a scenario: a year of days."""
MAX_LINE_TONS = 100_000.0
"""Tons a day on one road or railway (a double-track railway carried a few ten thousand)."""
MAX_AIR_LIFT_TONS = 5_000.0
"""Tons of fuel a side can fly in a day (August Storm's Soviet lift: 200)."""
MAX_LIFT_UNITS = 50
"""Units a side can drop or land in a day."""
MAX_RANGE_HEXES = 500
"""Any range in hexes (sight, lift, rail ride)."""
MAX_AIRCRAFT = 20_000
"""Aircraft of one formation."""
MAX_MULTIPLIER = 10.0
"""An event's multiplier on men, tanks, guns or fuel."""

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Hexes = Annotated[int, Field(ge=0, le=MAX_RANGE_HEXES)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class ClassCosts(Strict):
    """A cost per movement class; ``null`` means the class cannot enter at all."""

    foot: NonNegative | None
    cavalry: NonNegative | None
    motorized: NonNegative | None
    tracked: NonNegative | None

    def get(self, movement_class: str) -> float | None:
        """The cost for one movement class."""
        return getattr(self, movement_class)


# ---------------------------------------------------------------- map and terrain


class TerrainType(Strict):
    """One terrain type of the terrain table."""

    id: str
    code: Annotated[str, Field(min_length=1, max_length=1)]
    name: str
    move: ClassCosts = Field(description="Movement points to enter a hex of this terrain.")
    defense: Positive = Field(1.0, description="Multiplier on the defender's combat strength.")
    supply_cost: NonNegative | None = Field(
        1.0, description="Supply-trace cost to cross the hex overland; null blocks supply."
    )
    navigable: bool = Field(
        False, description="Ships sail it (the sea): amphibious landings cross these hexes."
    )


class RiverClassRules(Strict):
    """Effects of a river hexside of one class."""

    move: ClassCosts = Field(description="Extra movement points to cross, unless by road or rail.")
    attack: Positive = Field(description="Multiplier on the strength of a unit attacking across.")
    supply_cost: NonNegative = Field(0.0, description="Extra supply-trace cost to cross overland.")
    blocks_zoc: bool = Field(False, description="Zones of control do not extend across it.")


class ProjectionSpec(Strict):
    """Parameters of the geographic projection of the map."""

    center_lat: Annotated[float, Field(ge=-90, le=90)]
    center_lon: Annotated[float, Field(ge=-180, le=180)]
    hex_km: Positive = Field(description="Distance between the centres of adjacent hexes, km.")
    center_col: int | None = Field(None, description="Column of the centre hex (default: middle).")
    center_row: int | None = Field(None, description="Row of the centre hex (default: middle).")


class River(Strict):
    """A river as a chain of hexsides, each given by the two hexes it separates.

    ``hexsides`` is a list of ``[[col, row], [col, row]]`` pairs, or the same in a compact text
    form, ``"col,row col,row; col,row col,row; ..."``, which loads far faster for a big map.
    """

    name: str
    river_class: RiverClass = Field(alias="class")
    hexsides: list[tuple[Coord, Coord]]

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("hexsides", mode="before")
    @classmethod
    def _compact(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        out = []
        for k, item in enumerate(p for p in value.split(";") if p.strip()):
            try:
                a, b = item.split()
                (ac, ar), (bc, br) = a.split(","), b.split(",")
                out.append([[int(ac), int(ar)], [int(bc), int(br)]])
            except ValueError:
                raise ValueError(f"hexside {k} {item.strip()!r} is not 'col,row col,row'") from None
        return out


class Fortification(Strict):
    """A fortified hex (part of a fortified region)."""

    hex: Coord
    level: Annotated[int, Field(ge=1)]
    name: str = ""


class MapSpec(Strict):
    """The hex map: size, projection, the terrain text grid, rivers and fortifications."""

    width: Annotated[int, Field(ge=1, le=1000)]
    height: Annotated[int, Field(ge=1, le=1000)]
    projection: ProjectionSpec
    terrain: str = Field(
        description="One line per row, one terrain code per column (spaces between codes allowed)."
    )
    rivers: list[River] = Field(default_factory=list)
    fortifications: list[Fortification] = Field(default_factory=list)

    def terrain_rows(self) -> list[str]:
        """The terrain grid as rows of codes, with blank lines and spacing removed."""
        rows = []
        for raw in self.terrain.splitlines():
            stripped = raw.replace(" ", "").replace("\t", "")
            if stripped:
                rows.append(stripped)
        return rows


# ---------------------------------------------------------------- network


class NetworkKindRules(Strict):
    """Effects of one kind of network link (road, railway or river ferry)."""

    move: ClassCosts = Field(
        description="Movement points per hex moved along the link; null: the class does not "
        "move along it (a ferry carries supply, not troops)."
    )
    supply_cost: NonNegative = Field(description="Supply-trace cost per hex along the link.")


class NetworkLine(Strict):
    """A road or railway: a chain of adjacent hexes, or a route through geographic waypoints.

    ``route`` lists waypoints, each a place id or a ``[lat, lon]`` pair; between two waypoints
    the line runs straight across the hexes (Red Blob line drawing), so a modder can move a
    railway by editing coordinates, without the map build script.
    """

    id: str
    name: str = ""
    kind: NetworkKind
    hexes: Annotated[list[Coord], Field(min_length=2)] | None = None
    route: Annotated[list[Waypoint], Field(min_length=2)] | None = None
    source: str = ""
    condition: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        1.0, description="1 = good; movement cost along it is divided by the condition."
    )
    capacity: Annotated[float, Field(gt=0.0, le=MAX_LINE_TONS)] = Field(
        description="Supply tonnage per day the line carries."
    )

    @model_validator(mode="after")
    def _hexes_or_route(self) -> NetworkLine:
        if (self.hexes is None) == (self.route is None):
            raise ValueError("give exactly one of 'hexes' or 'route'")
        return self


class NetworkSpec(Strict):
    """The road and rail network."""

    kinds: dict[NetworkKind, NetworkKindRules]
    lines: list[NetworkLine] = Field(default_factory=list)


# ---------------------------------------------------------------- places, sides, units

PlaceKind = Literal["city", "town", "junction", "airfield", "port", "pass", "fort", "village"]


class Place(Strict):
    """A named place with its real coordinates."""

    id: str
    name: str
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    hex: Coord | None = Field(None, description="Override of the projected hex.")
    kinds: list[PlaceKind] = Field(default_factory=list)
    vp: dict[str, NonNegative] = Field(
        default_factory=dict, description="Victory points to each side that holds it."
    )
    owner: str | None = Field(None, description="Side controlling it at the start.")
    source: str = ""


class FortifiedRegion(Strict):
    """A fortified region placed by geography: fortified hexes around places or coordinates.

    On loading, every hex within ``radius`` hexes of each centre in ``at`` becomes a
    fortification of ``level`` in ``map.fortifications`` (a stronger level already there stays).
    """

    id: str
    name: str
    level: Annotated[int, Field(ge=1)]
    at: Annotated[list[Waypoint], Field(min_length=1)]
    radius: Annotated[int, Field(ge=0, le=5)] = 0
    source: str = ""


class Region(Strict):
    """A territory (a country in 1945): a polygon of ``[lat, lon]`` points and who holds it.

    Every hex whose centre lies inside the polygon belongs to the region; where regions overlap,
    the later one in the list wins. The region's owner controls its hexes at the start.
    """

    id: str
    name: str
    owner: str | None = Field(None, description="Side controlling it at the start, or none.")
    polygon: Annotated[list[tuple[float, float]], Field(min_length=3)]
    source: str = ""


class AmphibiousLift(Strict):
    """What a side can land from the sea: the limits of its amphibious landings."""

    units_per_day: Annotated[int, Field(ge=0, le=MAX_LIFT_UNITS)] = Field(
        0, description="Units it can land per day (0: no landings)."
    )
    range_hexes: Hexes = Field(
        0, description="How far from the port of embarkation, in hexes sailed over navigable water."
    )
    from_date: dt.date | None = Field(None, description="No landing before this day.")
    unit_types: list[str] = Field(
        default_factory=list,
        description="Unit types that may land; when empty, any foot unit.",
    )
    source: str = ""


class SideSpec(Strict):
    """One of the two sides."""

    id: str
    name: str
    air_lift_tons: Annotated[float, Field(ge=0.0, le=MAX_AIR_LIFT_TONS)] = Field(
        0.0, description="Fuel tonnage it can fly per day."
    )
    airborne_lift: Annotated[int, Field(ge=0, le=MAX_LIFT_UNITS)] = Field(
        0, description="Airborne units it can drop per day."
    )
    airborne_range_hexes: Hexes = 0
    amphibious: AmphibiousLift = Field(default_factory=AmphibiousLift)
    sight_hexes: Hexes = Field(
        2,
        description="Fog of war: it sees enemy units within this many hexes of its own units "
        "(ground and air reconnaissance together).",
    )
    air_supply_range_hexes: Hexes = 0
    rail_moves_per_turn: Annotated[int, Field(ge=0, le=MAX_LIFT_UNITS)] = 0
    forbidden_regions: list[str] = Field(
        default_factory=list,
        description="Regions its units may never enter (e.g. Korea south of the 38th parallel).",
    )
    controls: list[Coord] = Field(
        default_factory=list, description="Hexes this side controls at the start."
    )
    control_boxes: list[tuple[int, int, int, int]] = Field(
        default_factory=list,
        description="Rectangles [col0, row0, col1, row1] (inclusive) it controls at the start.",
    )


FormationKind = Literal["command", "front", "area_army", "army", "corps", "group", "flotilla"]


class Formation(Strict):
    """A headquarters above the units: front, army, corps, area army."""

    id: str
    name: str
    side: str
    kind: FormationKind
    parent: str | None = None
    aircraft: Annotated[int, Field(ge=0, le=MAX_AIRCRAFT)] = 0
    source: str = ""


class UnitType(Strict):
    """Defaults for one type of unit."""

    movement_class: MovementClass
    movement_allowance: NonNegative
    exerts_zoc: bool = True
    can_retreat: bool = True
    stack_points: Annotated[int, Field(ge=0)] = 1
    airborne: bool = False


class Arrival(Strict):
    """When and where a reinforcement enters the map (``hex``, or ``at`` a place or lat/lon)."""

    turn: Annotated[int, Field(ge=1)]
    hex: Coord | None = None
    at: Waypoint | None = None

    @model_validator(mode="after")
    def _located(self) -> Arrival:
        if self.hex is None and self.at is None:
            raise ValueError("give 'hex' or 'at' (a place id or [lat, lon])")
        return self


class UnitSpec(Strict):
    """One unit at the start of the scenario (or arriving later)."""

    id: str
    name: str
    side: str
    type: str
    parent: str | None = None
    hex: Coord | None = None
    at: Waypoint | None = Field(
        None, description="Start position as a place id or [lat, lon]; sets 'hex' when loaded."
    )
    arrives: Arrival | None = None
    men: Annotated[int, Field(ge=0, le=MAX_UNIT_MEN)]
    tanks: Annotated[int, Field(ge=0, le=MAX_UNIT_TANKS)] = 0
    guns: Annotated[int, Field(ge=0, le=MAX_UNIT_GUNS)] = 0
    quality: Fraction = 0.7
    readiness: Fraction = 1.0
    fuel: Fraction = 1.0
    entrenchment: Annotated[int, Field(ge=0)] = 0
    movement_allowance: NonNegative | None = None
    source: str = ""

    @model_validator(mode="after")
    def _placed_or_arriving(self) -> UnitSpec:
        if self.hex is not None and self.at is not None:
            # Only one can be followed (``hex`` would win): refuse rather than ignore ``at``.
            raise ValueError("give 'hex' or 'at', not both")
        placed = self.hex is not None or self.at is not None
        if placed == (self.arrives is not None):
            raise ValueError(
                "give exactly one of 'hex' or 'at' (on the map at the start) or 'arrives'"
            )
        return self


SupplyKind = Literal["railhead", "depot", "city", "port"]


class SupplySource(Strict):
    """A place a side draws supply from."""

    id: str
    side: str
    hex: Coord | None = None
    place: str | None = None
    kind: SupplyKind = "depot"
    capturable: bool = True

    @model_validator(mode="after")
    def _located(self) -> SupplySource:
        if (self.hex is None) == (self.place is None):
            raise ValueError("give exactly one of 'hex' or 'place'")
        return self


# ---------------------------------------------------------------- events


class UnitSelector(Strict):
    """Which units an effect applies to; every given field must match."""

    side: str | None = None
    ids: list[str] | None = None
    formation: str | None = Field(None, description="Units under this formation, at any depth.")
    type: str | None = None
    except_ids: list[str] = Field(
        default_factory=list, description="Units left out even when the other fields match."
    )


class MessageEffect(Strict):
    """A line in the game log."""

    type: Literal["message"]
    text: str


class SetRuleEffect(Strict):
    """Change a rules constant: ``path`` is dotted into ``rules`` (e.g. ``combat.luck_sigma``)."""

    type: Literal["set_rule"]
    path: str
    value: float | int | bool | str


class ModifyUnitsEffect(Strict):
    """Multiply or set numeric unit fields of the selected units."""

    type: Literal["modify_units"]
    select: UnitSelector
    multiply: dict[
        Literal["men", "tanks", "guns", "quality", "readiness", "fuel"],
        Annotated[float, Field(ge=0.0, le=MAX_MULTIPLIER)],
    ] = Field(default_factory=dict)
    set: dict[Literal["quality", "readiness", "fuel", "entrenchment"], float] = Field(
        default_factory=dict
    )


class ParalysisEffect(Strict):
    """Command paralysis: the selected units move at a fraction of their allowance for a while."""

    type: Literal["command_paralysis"]
    select: UnitSelector
    turns: Annotated[int, Field(ge=1)]
    movement_factor: Fraction = 0.0
    can_attack: bool = False


class CeaseFireEffect(Strict):
    """The selected units receive a cease-fire order: they no longer attack."""

    type: Literal["cease_fire"]
    select: UnitSelector


class GiveUpEffect(Strict):
    """From the day its event fires, cut-off or beaten units of the selection may give up.

    Every day after, each selected unit in contact with the enemy that has been out of supply
    for ``cut_off_days`` days or more, or is down to less than ``beaten_below`` of its full
    men, takes a cease-fire order on its own with ``daily_chance`` (then surrenders on contact,
    like any unit under the order). See docs/rules.md, "Surrender".
    """

    type: Literal["give_up"]
    select: UnitSelector
    daily_chance: Fraction
    cut_off_days: Annotated[int, Field(ge=1, le=MAX_TURNS)] = 2
    beaten_below: Fraction = 0.5


class PlaceUnitsEffect(Strict):
    """Units listed with ``arrives`` elsewhere, or new ones, enter at a hex (landings)."""

    type: Literal["place_units"]
    units: list[UnitSpec]


class VictoryPointsEffect(Strict):
    """Award victory points to a side."""

    type: Literal["victory_points"]
    side: str
    points: float


class WeatherEffect(Strict):
    """Rain and mud over an area for some days: units there move at a fraction of their allowance.

    From the day the event fires, for ``turns`` days, a unit whose hex centre lies inside
    ``area`` (a polygon of ``[lat, lon]`` points; omit it for the whole map) starts each day with
    ``movement_factor`` of its movement allowance; rail moves are not affected; the roads there
    carry ``road_capacity_factor`` of their supply. See ``engine/weather.py``.
    """

    type: Literal["weather"]
    name: str
    turns: Annotated[int, Field(ge=1)]
    movement_factor: Fraction
    road_capacity_factor: Fraction = Field(
        1.0,
        description="Multiplier on the daily capacity of every road link with an end in the "
        "area while the spell lasts (mud: the supply columns fall behind); railways keep theirs.",
    )
    area: list[tuple[float, float]] | None = Field(None, min_length=3)
    classes: list[MovementClass] | None = Field(
        None, description="Movement classes it slows (default: all)."
    )


Effect = Annotated[
    MessageEffect
    | SetRuleEffect
    | ModifyUnitsEffect
    | ParalysisEffect
    | CeaseFireEffect
    | GiveUpEffect
    | PlaceUnitsEffect
    | VictoryPointsEffect
    | WeatherEffect,
    Field(discriminator="type"),
]


class Condition(Strict):
    """A condition on the state; every given field must hold."""

    controls: tuple[str, str] | None = Field(
        None, description="[side, place id]: the side controls the place."
    )
    turn_at_least: int | None = None


class EventSpec(Strict):
    """A scheduled or conditional event."""

    id: str
    name: str = ""
    turn: Annotated[int, Field(ge=1)] | None = None
    date: dt.date | None = None
    condition: Condition | None = None
    chance: Fraction = Field(1.0, description="Chance per turn that a due event fires.")
    repeat: bool = False
    effects: list[Effect]

    @model_validator(mode="after")
    def _has_trigger(self) -> EventSpec:
        if self.turn is None and self.date is None and self.condition is None:
            raise ValueError("an event needs a 'turn', a 'date' or a 'condition'")
        if self.turn is not None and self.date is not None:
            raise ValueError("give 'turn' or 'date', not both")
        return self


# ---------------------------------------------------------------- victory and rules


class VictoryLevel(Strict):
    """A victory level reached when the VP margin is at least ``margin``."""

    name: str
    margin: NonNegative


class SuddenDeath(Strict):
    """The game ends at once when a side reaches this many VP."""

    side: str
    vp: NonNegative


class Objective(Strict):
    """A dated objective: take places, hold them, or join two groups of units (a link-up).

    ``take``: the side scores ``vp`` at the end of the first turn on which it controls every
    place in ``places``, if that turn's date is on or before ``by``; later it scores
    ``late_vp``. ``hold``: at the end of the turn dated ``by`` (or the last turn, if the game
    ends first) the side scores ``vp`` if it still controls every place, nothing if not.
    ``link_up``: like ``take``, achieved when a unit of each of the two ``groups`` stands within
    ``within_hexes`` of the other (the pincer closes). Points once scored are kept.
    """

    id: str
    name: str
    side: str
    kind: Literal["take", "hold", "link_up"] = "take"
    places: list[str] = Field(default_factory=list, description="take/hold: every one of them.")
    groups: list[UnitSelector] = Field(
        default_factory=list, description="link_up: exactly two groups of units."
    )
    within_hexes: Annotated[int, Field(ge=0)] = Field(
        1, description="link_up: the two groups' nearest units at most this far apart."
    )
    by: dt.date = Field(description="The objective's date: on or before it for full points.")
    vp: NonNegative
    late_vp: NonNegative = Field(0.0, description="take/link_up achieved after ``by``.")
    source: str = ""

    @model_validator(mode="after")
    def _fits_kind(self) -> Objective:
        if self.kind == "link_up":
            if len(self.groups) != 2:
                raise ValueError("a link_up objective needs exactly two 'groups'")
            if self.places:
                raise ValueError("a link_up objective takes 'groups', not 'places'")
        else:
            if not self.places:
                raise ValueError(f"a {self.kind} objective needs 'places'")
            if self.groups:
                raise ValueError(f"a {self.kind} objective takes 'places', not 'groups'")
        if self.kind == "hold" and self.late_vp:
            raise ValueError("a hold objective has no 'late_vp'")
        return self


class ForcesPreserved(Strict):
    """A side scores for its own men still in play (and fighting) inside an area."""

    side: str
    vp_per_1000_men: NonNegative
    area: list[tuple[float, float]] | None = Field(
        None,
        min_length=3,
        description="Polygon of [lat, lon] points; units whose hex centre is inside count. "
        "Omit for the whole map.",
    )
    name: str = ""
    source: str = ""


class PlaceBenchmark(Strict):
    """Graded victory: a place against the day (or days) it fell in 1945.

    The attacker scores ``vp_per_day`` for each day before ``first`` that it took the place
    (held it at the end of a turn for the first time), the defender for each day after
    ``last``; a day from ``first`` to ``last`` scores nothing, and neither side scores more
    than ``max_days`` days' worth. A place never taken counts as held through the last turn
    (taken the day after it). Without ``first`` and ``last`` the place was not taken by force
    in 1945 (a redoubt never fought for): the attacker scores for each day before the day
    after the last turn, and the defender scores nothing for holding it.
    """

    place: str
    first: dt.date | None = Field(None, description="The first day it may have fallen in 1945.")
    last: dt.date | None = Field(None, description="The last day it may have fallen in 1945.")
    vp_per_day: NonNegative
    max_days: Annotated[int, Field(ge=0)] = Field(description="Days scored at most.")
    source: str = Field(min_length=1)


class LinkUpBenchmark(Strict):
    """Graded victory: a ``link_up`` objective's groups against the days they met in 1945.

    Scored like a place of the timetable: the day the objective was achieved (the groups
    within its ``within_hexes`` at the end of a turn) against ``first``-``last``.
    """

    objective: str = Field(description="The id of a link_up objective of victory.objectives.")
    first: dt.date
    last: dt.date
    vp_per_day: NonNegative
    max_days: Annotated[int, Field(ge=0)]
    source: str = Field(min_length=1)


class LossesBenchmark(Strict):
    """Graded victory: a side's men lost fighting against its losses of 1945 (low-high).

    The enemy of ``side`` scores ``vp_per_1000`` per 1,000 men it lost above ``high``; ``side``
    scores as much per 1,000 below ``low``; each at most ``max_vp``.
    """

    side: str
    low: Annotated[int, Field(ge=0)]
    high: Annotated[int, Field(ge=0)]
    vp_per_1000: NonNegative
    max_vp: NonNegative
    source: str = Field(min_length=1)


class GradedVictory(Strict):
    """The graded scheme: victory measured against what happened in 1945 (engine/graded.py).

    Each benchmark scores for the side that beat the record of 1945 by how much it beat it; a
    game played exactly as 1945 scores nothing. The margin between the two sides' graded points
    picks the level, as in the plans' scheme.
    """

    attacker: str = Field(description="The side that takes the places (scores for speed).")
    levels: list[VictoryLevel] = Field(min_length=1)
    timetable: list[PlaceBenchmark] = Field(default_factory=list)
    link_up: LinkUpBenchmark | None = None
    losses: LossesBenchmark | None = None
    hold: list[PlaceBenchmark] = Field(
        default_factory=list,
        description="Places held in 1945 past the game's end (no first/last): a redoubt.",
    )
    source: str = ""


VictoryScheme = Literal["plans", "graded"]
VICTORY_SCHEMES: tuple[VictoryScheme, ...] = ("plans", "graded")


class VictorySpec(Strict):
    """How the game is won."""

    scheme: VictoryScheme = Field(
        "plans",
        description="Which scheme decides the game: 'plans' (the VP of places, the plans' "
        "dated objectives, losses, forces preserved) or 'graded' (against 1945: 'graded').",
    )
    graded: GradedVictory | None = None
    levels: list[VictoryLevel] = Field(
        default_factory=lambda: [VictoryLevel(name="decisive", margin=50)]
    )
    sudden_death: list[SuddenDeath] = Field(default_factory=list)
    vp_per_1000_enemy_men_lost: dict[str, NonNegative] = Field(default_factory=dict)
    objectives: list[Objective] = Field(default_factory=list)
    forces_preserved: list[ForcesPreserved] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scheme_defined(self) -> VictorySpec:
        if self.scheme == "graded" and self.graded is None:
            raise ValueError("scheme 'graded' needs a 'graded' block")
        return self


class StackingRules(Strict):
    """How many units may share a hex."""

    max_points: Annotated[int, Field(ge=1)] = 3


class MovementRules(Strict):
    """Constants of movement, zones of control and rail movement."""

    zoc_to_zoc: bool = Field(False, description="May a unit move from one enemy ZOC to another?")
    minimum_move: bool = Field(
        False,
        description="A unit that has not moved this turn may always step into one adjacent "
        "hex it could enter, whatever the cost, spending all its movement points.",
    )
    rail_move_hexes: Hexes = Field(
        40, description="How far a strategic rail move may go in one day."
    )
    fuel_per_mp: dict[MovementClass, NonNegative] = Field(
        default_factory=lambda: {"motorized": 0.02, "tracked": 0.03},
        description="Fraction of a full fuel load burnt per movement point.",
    )


class SupplyRules(Strict):
    """Constants of the supply trace and its effects."""

    max_line_cost: NonNegative = Field(
        40.0, description="Supply-trace cost a source reaches along roads and railways."
    )
    max_overland_cost: NonNegative = Field(
        4.0, description="Supply-trace cost from the network to the unit across open country."
    )
    fuel_refill: Fraction = Field(0.5, description="Fraction of a full load refilled per day.")
    replacement_rate: Fraction = Field(
        0.02, description="Fraction of lost men/tanks/guns replaced per day in full supply."
    )
    readiness_recovery: Fraction = 0.05
    out_of_supply_combat: Fraction = Field(
        0.6, description="Combat strength multiplier of a unit out of supply."
    )
    attrition_after_days: Annotated[int, Field(ge=0)] = 3
    attrition_rate: Fraction = Field(0.03, description="Men/tanks lost per day once attriting.")
    attrition_readiness: Fraction = 0.05
    demand_tons_per_1000_men: NonNegative = 15.0
    demand_tons_per_tank: NonNegative = 1.0
    fuel_tons_per_tank: NonNegative = Field(
        1.5, description="Tons of fuel in a full load, per tank (air supply)."
    )
    fuel_tons_per_1000_men: NonNegative = Field(
        10.0, description="Tons of fuel in a full load, per 1000 men of a fuelled unit."
    )


class CombatRules(Strict):
    """Constants of the combat model; see docs/rules.md for how each is used."""

    men_weight: NonNegative = Field(1.0, description="Strength per 1000 men.")
    tank_weight: NonNegative = Field(0.05, description="Strength per tank.")
    gun_weight: NonNegative = Field(0.02, description="Strength per gun.")
    readiness_floor: Fraction = Field(
        0.3, description="Strength multiplier at readiness 0 (1 at readiness 1)."
    )
    no_fuel_factor: Fraction = Field(0.5, description="Multiplier of a fuelled unit with no fuel.")
    entrenchment_step: NonNegative = Field(
        0.15, description="Defence bonus per entrenchment level."
    )
    max_entrenchment: Annotated[int, Field(ge=0)] = 2
    fortification: list[Positive] = Field(
        default_factory=lambda: [1.0, 1.5, 2.0, 3.0],
        description="Defence multiplier by fortification level (index = level).",
    )
    luck_sigma: Positive = Field(0.35, description="Std. dev. of the log-odds luck draw.")
    thresholds: tuple[float, float, float] = Field(
        (-0.1, 0.35, 0.9),
        description="Effective log-odds bounds: repulsed | defender holds | retreats | routs.",
    )
    attacker_loss_base: Fraction = 0.04
    defender_loss_base: Fraction = 0.04
    loss_slope: NonNegative = Field(1.0, description="How fast losses change with log-odds.")
    max_loss: Fraction = 0.5
    tank_loss_multiplier: NonNegative = 1.5
    gun_loss_multiplier: NonNegative = 0.8
    rout_readiness_loss: Fraction = 0.3
    retreat_readiness_loss: Fraction = 0.1
    blocked_retreat_loss: Fraction = Field(
        0.25, description="Extra loss fraction per hex of retreat that cannot be made."
    )
    attacker_readiness_cost: Fraction = 0.05
    break_up_below: Fraction = Field(
        0.1,
        description="A unit left with fewer than this fraction of its starting men breaks up "
        "(combat or attrition); the remnant counts as lost.",
    )
    min_strength: Positive = Field(
        0.01, description="Floor on each side's total strength in the odds ratio (keeps ln finite)."
    )

    @field_validator("thresholds")
    @classmethod
    def _ascending(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise ValueError("combat thresholds must be in ascending order")
        return v


class WorksRules(Strict):
    """Permanent works: the fortified regions' concrete, fought bunker by bunker.

    A hex whose fortification level is at least ``level`` is permanent works (0: none are). Its
    defenders do not retreat, the attack engages at most ``max_odds`` times their strength (the
    frontage), and they live on the works' magazines when cut off. See docs/rules.md.
    """

    level: Annotated[int, Field(ge=0)] = Field(
        0, description="Fortification level from which a hex is permanent works (0: none)."
    )
    max_odds: Positive = Field(
        3.0, description="Largest odds an attack on permanent works can bring to bear."
    )
    step_loss: Fraction = Field(
        0.05,
        description="Loss fraction of a works garrison per retreat step it stands instead.",
    )
    magazines: bool = Field(
        True, description="Units in permanent works suffer no attrition or penalty out of supply."
    )


class Rules(Strict):
    """All rules constants of a scenario."""

    stacking: StackingRules = Field(default_factory=StackingRules)
    movement: MovementRules = Field(default_factory=MovementRules)
    supply: SupplyRules = Field(default_factory=SupplyRules)
    combat: CombatRules = Field(default_factory=CombatRules)
    works: WorksRules = Field(default_factory=WorksRules)


# ---------------------------------------------------------------- the scenario


class Scenario(Strict):
    """A whole scenario."""

    format_version: Literal[1] = 1
    id: str
    name: str
    description: str = ""
    start: dt.datetime
    turn_hours: Annotated[int, Field(ge=1, le=24 * 7)] = 24
    turns: Annotated[int, Field(ge=1, le=MAX_TURNS)]
    seed: int = 0
    side_order: tuple[str, str]
    map: MapSpec
    terrain: list[TerrainType]
    rivers: dict[RiverClass, RiverClassRules]
    network: NetworkSpec
    places: list[Place] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    fortified_regions: list[FortifiedRegion] = Field(default_factory=list)
    sides: list[SideSpec]
    formations: list[Formation] = Field(default_factory=list)
    unit_types: dict[str, UnitType]
    units: list[UnitSpec]
    supply_sources: list[SupplySource] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    victory: VictorySpec = Field(default_factory=VictorySpec)
    ai: AiSpec = Field(default_factory=AiSpec)
    rules: Rules = Field(default_factory=Rules)

    @field_validator("sides")
    @classmethod
    def _two_sides(cls, v: list[SideSpec]) -> list[SideSpec]:
        if len(v) != 2:
            raise ValueError("a scenario has exactly two sides")
        return v

    def date_of_turn(self, turn: int) -> dt.datetime:
        """Calendar date and time at the start of a turn (turn 1 is the scenario start)."""
        return self.start + dt.timedelta(hours=self.turn_hours * (turn - 1))
