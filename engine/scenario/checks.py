"""Cross-reference checks of a schema-valid scenario: ids, references, hexes, terrain, network."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.hexgrid import AXIAL_DIRECTIONS, offset_to_axial
from engine.scenario.geometry import straight_hexes, waypoint_hex
from engine.scenario.model import Rules, Scenario, UnitSelector, UnitSpec, Waypoint
from engine.scenario.projection import projection_of
from engine.scenario.yamlsource import FieldPath, SourceMap

Coord = tuple[int, int]
# The movement classes a road or railway hex must admit one of (else it is in the sea or a lake).
_LINE_CLASSES = ("foot", "cavalry", "motorized", "tracked")
_AXIAL_STEPS = frozenset((d.q, d.r) for d in AXIAL_DIRECTIONS)


class _Checker:
    def __init__(self, scenario: Scenario, smap: SourceMap) -> None:
        self.s = scenario
        self.smap = smap
        self.problems: list[Problem] = []
        self.grid: list[str] | None = None
        self.codes = {t.code: t for t in scenario.terrain}
        self.projection = projection_of(scenario.map)
        self.width, self.height = scenario.map.width, scenario.map.height
        self.places_by_id = {p.id: p for p in scenario.places}
        self.formations_by_id = {f.id: f for f in scenario.formations}
        self.hex_of_waypoint: dict[Waypoint, Coord] = {}
        # Terrain codes some movement class can enter: where a road or railway may run.
        self.line_codes = {
            code
            for code, terrain in self.codes.items()
            if any(terrain.move.get(mc) is not None for mc in _LINE_CLASSES)
        }

    def report(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.smap.problem(path, message))

    def unknown(self, path: FieldPath, what: str, name: str, known: Iterable[str]) -> None:
        message = f"unknown {what} '{name}'"
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        self.report(path, message)

    def duplicates(self, section: str, ids: list[str], what: str = "id") -> None:
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                self.report((section, i, what), f"duplicate {what} '{value}'")
            seen.add(value)

    def on_map(self, path: FieldPath, coord: tuple[int, int]) -> bool:
        col, row = coord
        if 0 <= col < self.width and 0 <= row < self.height:
            return True
        size = f"{self.s.map.width}x{self.s.map.height}"
        self.report(path, f"hex {col},{row} is off the {size} map")
        return False

    def terrain_at(self, coord: tuple[int, int]) -> str | None:
        if self.grid is None:
            return None
        col, row = coord
        return self.codes[self.grid[row][col]].id

    def waypoint_hex(self, waypoint: Waypoint) -> Coord:
        """The hex of a known place or a ``(lat, lon)`` pair, projected once per checker."""
        coord = self.hex_of_waypoint.get(waypoint)
        if coord is None:
            coord = waypoint_hex(waypoint, self.places_by_id, self.projection)
            self.hex_of_waypoint[waypoint] = coord
        return coord

    def passable(self, coord: tuple[int, int], movement_class: str) -> bool:
        if self.grid is None:
            return True
        col, row = coord
        return self.codes[self.grid[row][col]].move.get(movement_class) is not None

    # ------------------------------------------------------------ sections

    def run(self) -> list[Problem]:
        s = self.s
        self.duplicates("terrain", [t.id for t in s.terrain])
        self.duplicates("terrain", [t.code for t in s.terrain], "code")
        self.check_terrain_grid()
        side_ids = [side.id for side in s.sides]
        self.duplicates("sides", side_ids)
        for i, sid in enumerate(s.side_order):
            if sid not in side_ids:
                self.unknown(("side_order", i), "side", sid, side_ids)
        if len(set(s.side_order)) != 2:
            self.report(("side_order",), "side_order must name both sides once each")
        region_ids = [r.id for r in s.regions]
        for i, side in enumerate(s.sides):
            for j, rid in enumerate(side.forbidden_regions):
                if rid not in region_ids:
                    self.unknown(("sides", i, "forbidden_regions", j), "region", rid, region_ids)
            for j, utype in enumerate(side.amphibious.unit_types):
                if utype not in s.unit_types:
                    path = ("sides", i, "amphibious", "unit_types", j)
                    self.unknown(path, "unit type", utype, s.unit_types)
            for j, coord in enumerate(side.controls):
                self.on_map(("sides", i, "controls", j), coord)
        self.duplicates("regions", [r.id for r in s.regions])
        for i, region in enumerate(s.regions):
            if region.owner is not None and region.owner not in side_ids:
                self.unknown(("regions", i, "owner"), "side", region.owner, side_ids)
        self.check_rivers_and_forts()
        self.check_network()
        self.check_places(side_ids)
        self.check_formations(side_ids)
        self.check_units(side_ids)
        self.check_supply_sources(side_ids)
        self.check_events(side_ids)
        for i, sd in enumerate(s.victory.sudden_death):
            if sd.side not in side_ids:
                self.unknown(("victory", "sudden_death", i, "side"), "side", sd.side, side_ids)
        for sid in s.victory.vp_per_1000_enemy_men_lost:
            if sid not in side_ids:
                path = ("victory", "vp_per_1000_enemy_men_lost", sid)
                self.unknown(path, "side", sid, side_ids)
        self.check_objectives(side_ids)
        self.check_graded(side_ids)
        self.check_ai(side_ids)
        for i, fp in enumerate(s.victory.forces_preserved):
            if fp.side not in side_ids:
                self.unknown(("victory", "forces_preserved", i, "side"), "side", fp.side, side_ids)
        return self.problems

    def check_ai(self, side_ids: list[str]) -> None:
        ai = self.s.ai
        places = [p.id for p in self.s.places]
        formations = [f.id for f in self.s.formations]
        unit_ids = [u.id for u in self.s.units]
        for sid, name in ai.default.items():
            if sid not in side_ids:
                self.unknown(("ai", "default", sid), "side", sid, side_ids)
            elif name not in ai.plans.get(sid, {}):
                self.unknown(("ai", "default", sid), "plan", name, ai.plans.get(sid, {}))
        for sid, plans in ai.plans.items():
            if sid not in side_ids:
                self.unknown(("ai", "plans", sid), "side", sid, side_ids)
                continue
            for pname, plan in plans.items():
                base: FieldPath = ("ai", "plans", sid, pname)
                self.duplicates_in((*base, "groups"), [g.id for g in plan.groups])
                for i, group in enumerate(plan.groups):
                    path: FieldPath = (*base, "groups", i)
                    for j, fid in enumerate(group.formations):
                        if fid not in formations:
                            self.unknown((*path, "formations", j), "formation", fid, formations)
                    for j, uid in enumerate(group.units):
                        if uid not in unit_ids:
                            self.unknown((*path, "units", j), "unit", uid, unit_ids)
                    for j, pid in enumerate(group.route):
                        if pid not in places:
                            self.unknown((*path, "route", j), "place", pid, places)
                for j, pid in enumerate(plan.cover):
                    if pid not in places:
                        self.unknown((*base, "cover", j), "place", pid, places)
                group_ids = [g.id for g in plan.groups]
                if plan.main_effort is not None and plan.main_effort not in group_ids:
                    self.unknown((*base, "main_effort"), "group", plan.main_effort, group_ids)
                for i, landing in enumerate(plan.landings):
                    if landing.place not in places:
                        path = (*base, "landings", i, "place")
                        self.unknown(path, "place", landing.place, places)
                    for j, uid in enumerate(landing.units):
                        if uid not in unit_ids:
                            self.unknown((*base, "landings", i, "units", j), "unit", uid, unit_ids)

    def check_objectives(self, side_ids: list[str]) -> None:
        objectives = self.s.victory.objectives
        self.duplicates_in(("victory", "objectives"), [o.id for o in objectives])
        places = [p.id for p in self.s.places]
        start = self.s.start.date()
        for i, obj in enumerate(objectives):
            path: FieldPath = ("victory", "objectives", i)
            if obj.side not in side_ids:
                self.unknown((*path, "side"), "side", obj.side, side_ids)
            for j, pid in enumerate(obj.places):
                if pid not in places:
                    self.unknown((*path, "places", j), "place", pid, places)
            for j, group in enumerate(obj.groups):
                self.check_selector((*path, "groups", j), group, side_ids)
            if obj.by < start:
                self.report((*path, "by"), f"{obj.by} is before the scenario starts ({start})")

    def check_graded(self, side_ids: list[str]) -> None:
        graded = self.s.victory.graded
        if graded is None:
            return
        base: FieldPath = ("victory", "graded")
        if graded.attacker not in side_ids:
            self.unknown((*base, "attacker"), "side", graded.attacker, side_ids)
        places = [p.id for p in self.s.places]
        start = self.s.start.date()
        for key in ("timetable", "hold"):
            entries = getattr(graded, key)
            seen: set[str] = set()
            for i, entry in enumerate(entries):
                path: FieldPath = (*base, key, i)
                if entry.place not in places:
                    self.unknown((*path, "place"), "place", entry.place, places)
                elif entry.place in seen:
                    self.report((*path, "place"), f"place '{entry.place}' is benchmarked twice")
                seen.add(entry.place)
                if key == "timetable" and entry.first is None and entry.last is None:
                    message = "a timetable place needs 'first' and 'last' (its days of 1945); "
                    self.report(path, message + "one not taken in 1945 belongs under 'hold'")
                self.check_window(path, entry.first, entry.last, start)
        link = graded.link_up
        if link is not None:
            self.check_window((*base, "link_up"), link.first, link.last, start)
            kinds = {o.id: o.kind for o in self.s.victory.objectives}
            path = (*base, "link_up", "objective")
            if link.objective not in kinds:
                self.unknown(path, "objective", link.objective, kinds)
            elif kinds[link.objective] != "link_up":
                kind = kinds[link.objective]
                self.report(path, f"objective '{link.objective}' is a {kind}, not a link_up")
        losses = graded.losses
        if losses is not None:
            if losses.side not in side_ids:
                self.unknown((*base, "losses", "side"), "side", losses.side, side_ids)
            if losses.high < losses.low:
                message = f"'high' ({losses.high}) is below 'low' ({losses.low})"
                self.report((*base, "losses", "high"), message)

    def check_window(
        self, path: FieldPath, first: dt.date | None, last: dt.date | None, start: dt.date
    ) -> None:
        """A benchmark's days of 1945: both or neither, in order, not before the start."""
        if (first is None) != (last is None):
            missing = "last" if last is None else "first"
            self.report((*path, missing), "give both 'first' and 'last', or neither")
        elif first is not None and last is not None:
            if first < start:
                self.report((*path, "first"), f"{first} is before the scenario starts ({start})")
            if last < first:
                self.report((*path, "last"), f"'last' ({last}) is before 'first' ({first})")

    def check_terrain_grid(self) -> None:
        rows = self.s.map.terrain_rows()
        m = self.s.map
        ok = True
        if len(rows) != m.height:
            msg = f"the grid has {len(rows)} rows; map.height is {m.height}"
            self.report(("map", "terrain"), msg)
            ok = False
        base = self.smap.find(("map", "terrain", "__value__"))
        # The grid is a block scalar ("terrain: |"): its k-th text line is k + 1 lines below the
        # indicator. Blank lines are skipped by terrain_rows(), so count them here.
        raw_lines = [k for k, raw in enumerate(m.terrain.splitlines()) if raw.strip(" \t")]
        for r, row in enumerate(rows):
            line = base.line + raw_lines[r] + 1 if r < len(raw_lines) else base.line
            if len(row) != m.width:
                msg = f"row {r} has {len(row)} hexes; map.width is {m.width}"
                self.problems.append(Problem(base.file, line, base.column, "map.terrain", msg))
                ok = False
            for c, code in enumerate(row):
                if code not in self.codes:
                    known = "".join(self.codes)
                    msg = f"row {r}, column {c}: unknown terrain code '{code}' (known: {known})"
                    self.problems.append(Problem(base.file, line, base.column, "map.terrain", msg))
                    ok = False
                    break
        if ok:
            self.grid = rows

    def check_adjacent(self, path: FieldPath, a: tuple[int, int], b: tuple[int, int]) -> bool:
        # direction_to(offset_to_axial(*a), offset_to_axial(*b)) is None, without the Hex objects.
        (ac, ar), (bc, br) = a, b
        step = (bc - (br - (br & 1)) // 2 - (ac - (ar - (ar & 1)) // 2), br - ar)
        if step not in _AXIAL_STEPS:
            self.report(path, f"hexes {a[0]},{a[1]} and {b[0]},{b[1]} are not adjacent")
            return False
        return True

    def check_rivers_and_forts(self) -> None:
        for i, river in enumerate(self.s.map.rivers):
            if river.river_class not in self.s.rivers:
                msg = f"no rules for river class '{river.river_class}'"
                self.report(("map", "rivers", i, "class"), msg)
            for j, (a, b) in enumerate(river.hexsides):
                path = ("map", "rivers", i, "hexsides", j)
                if self.on_map(path, a) and self.on_map(path, b):
                    self.check_adjacent(path, a, b)
        max_level = len(self.s.rules.combat.fortification) - 1
        for i, region in enumerate(self.s.fortified_regions):
            if region.level > max_level:
                msg = f"level {region.level} but rules.combat.fortification goes to {max_level}"
                self.report(("fortified_regions", i, "level"), msg)
        for i, fort in enumerate(self.s.map.fortifications):
            self.on_map(("map", "fortifications", i, "hex"), fort.hex)
            if fort.level > max_level:
                msg = f"level {fort.level} but rules.combat.fortification goes to {max_level}"
                self.report(("map", "fortifications", i, "level"), msg)

    def check_network(self) -> None:
        net = self.s.network
        self.duplicates_in(("network", "lines"), [line.id for line in net.lines])
        for i, line in enumerate(net.lines):
            if line.kind not in net.kinds:
                self.report(("network", "lines", i, "kind"), f"no rules for '{line.kind}' links")
            if line.hexes is not None:
                for j, coord in enumerate(line.hexes):
                    path = ("network", "lines", i, "hexes", j)
                    if not self.on_map(path, coord):
                        continue
                    if j > 0:
                        self.check_adjacent(path, line.hexes[j - 1], coord)
                    self.check_line_hex(path, line.id, line.kind, coord)
            else:
                self.check_route(i)

    def check_line_hex(self, path: FieldPath, line_id: str, kind: str, coord: Coord) -> bool:
        """Report a road or railway hex no unit could enter (sea, lake); True when passable."""
        if self.grid is None:
            return True
        col, row = coord
        if self.grid[row][col] in self.line_codes:  # passable to one of _LINE_CLASSES
            return True
        what = "railway" if kind == "rail" else "road"
        terrain = self.terrain_at(coord)
        self.report(
            path, f"{what} '{line_id}' runs through impassable {terrain} at {coord[0]},{coord[1]}"
        )
        return False

    def check_route(self, i: int) -> None:
        """Check a line given by waypoints: known places, on the map, over passable hexes."""
        line = self.s.network.lines[i]
        assert line.route is not None
        places = self.places_by_id
        ok = True
        for j, waypoint in enumerate(line.route):
            path: FieldPath = ("network", "lines", i, "route", j)
            if isinstance(waypoint, str) and waypoint not in places:
                self.unknown(path, "place", waypoint, places)
                ok = False
            elif not self.on_map(path, self.waypoint_hex(waypoint)):
                ok = False
        if not ok:
            return
        # The legs of geometry.route_segments, from the hexes of the waypoints found above.
        ends = [self.waypoint_hex(w) for w in line.route]
        for k, (a, b) in enumerate(zip(ends, ends[1:], strict=False)):
            for coord in straight_hexes(a, b):
                if not self.check_line_hex(
                    ("network", "lines", i, "route", k + 1), line.id, line.kind, coord
                ):
                    break

    def duplicates_in(self, section: FieldPath, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                self.report((*section, i, "id"), f"duplicate id '{value}'")
            seen.add(value)

    def check_places(self, side_ids: list[str]) -> None:
        self.duplicates("places", [p.id for p in self.s.places])
        projection = self.projection
        for i, place in enumerate(self.s.places):
            if place.owner is not None and place.owner not in side_ids:
                self.unknown(("places", i, "owner"), "side", place.owner, side_ids)
            for sid in place.vp:
                if sid not in side_ids:
                    self.unknown(("places", i, "vp", sid), "side", sid, side_ids)
            projected = projection.latlon_to_offset(place.lat, place.lon)
            coord = place.hex or (projected.col, projected.row)
            path: FieldPath = ("places", i, "hex") if place.hex else ("places", i, "lat")
            if self.on_map(path, coord) and place.hex is not None:
                proj = projection.latlon_to_offset(place.lat, place.lon)
                dist = _hex_distance(proj, place.hex)
                if dist > 1:
                    msg = (
                        f"hex {place.hex[0]},{place.hex[1]} is {dist} hexes from the projected "
                        f"position {proj[0]},{proj[1]} of {place.lat},{place.lon}"
                    )
                    self.report(("places", i, "hex"), msg)

    def check_formations(self, side_ids: list[str]) -> None:
        formations = {f.id: f for f in self.s.formations}
        self.duplicates("formations", [f.id for f in self.s.formations])
        for i, f in enumerate(self.s.formations):
            if f.side not in side_ids:
                self.unknown(("formations", i, "side"), "side", f.side, side_ids)
            if f.parent is None:
                continue
            parent = formations.get(f.parent)
            if parent is None:
                self.unknown(("formations", i, "parent"), "formation", f.parent, formations)
            elif parent.side != f.side:
                self.report(("formations", i, "parent"), f"parent '{f.parent}' is on another side")
            seen = {f.id}
            cursor = parent
            while cursor is not None and cursor.parent is not None:
                if cursor.parent in seen or cursor.id in seen:
                    self.report(("formations", i, "parent"), "formation parents form a loop")
                    break
                seen.add(cursor.id)
                cursor = formations.get(cursor.parent)

    def check_unit(self, path: FieldPath, unit: UnitSpec, side_ids: list[str]) -> None:
        s = self.s
        formations = self.formations_by_id
        if unit.side not in side_ids:
            self.unknown((*path, "side"), "side", unit.side, side_ids)
        if unit.type not in s.unit_types:
            self.unknown((*path, "type"), "unit type", unit.type, s.unit_types)
        if unit.parent is not None:
            parent = formations.get(unit.parent)
            if parent is None:
                self.unknown((*path, "parent"), "formation", unit.parent, formations)
            elif parent.side != unit.side:
                self.report((*path, "parent"), f"formation '{unit.parent}' is on another side")
        if unit.arrives is None:
            coord = unit.hex
            where: FieldPath = (*path, "at" if unit.at is not None else "hex")
        else:
            coord = unit.arrives.hex
            where = (*path, "arrives", "at" if unit.arrives.at is not None else "hex")
        if coord is not None and self.on_map(where, coord) and unit.type in s.unit_types:
            mclass = s.unit_types[unit.type].movement_class
            if not self.passable(coord, mclass):
                terrain = self.terrain_at(coord)
                msg = f"unit '{unit.id}' stands on {terrain} at {coord[0]},{coord[1]}, "
                msg += f"impassable to {mclass} units"
                self.report(where, msg)

    def check_units(self, side_ids: list[str]) -> None:
        ids = [u.id for u in self.s.units]
        self.duplicates("units", ids)
        for i, unit in enumerate(self.s.units):
            self.check_unit(("units", i), unit, side_ids)
        stack: Counter[tuple[tuple[int, int], str]] = Counter()
        for i, unit in enumerate(self.s.units):
            if unit.hex is None or unit.type not in self.s.unit_types:
                continue
            stack[(unit.hex, unit.side)] += self.s.unit_types[unit.type].stack_points
            limit = self.s.rules.stacking.max_points
            if stack[(unit.hex, unit.side)] > limit:
                msg = f"hex {unit.hex[0]},{unit.hex[1]} is stacked over the limit of {limit}"
                self.report(("units", i, "hex"), msg)
        occupants: dict[tuple[int, int], str] = {}
        for i, unit in enumerate(self.s.units):
            if unit.hex is None:
                continue
            other = occupants.setdefault(unit.hex, unit.side)
            if other != unit.side:
                msg = f"hex {unit.hex[0]},{unit.hex[1]} holds units of both sides"
                self.report(("units", i, "hex"), msg)

    def check_supply_sources(self, side_ids: list[str]) -> None:
        self.duplicates("supply_sources", [s.id for s in self.s.supply_sources])
        places = {p.id for p in self.s.places}
        for i, src in enumerate(self.s.supply_sources):
            if src.side not in side_ids:
                self.unknown(("supply_sources", i, "side"), "side", src.side, side_ids)
            if src.place is not None and src.place not in places:
                self.unknown(("supply_sources", i, "place"), "place", src.place, places)
            if src.hex is not None:
                self.on_map(("supply_sources", i, "hex"), src.hex)

    def check_selector(self, path: FieldPath, sel: UnitSelector, side_ids: list[str]) -> None:
        if sel.side is not None and sel.side not in side_ids:
            self.unknown((*path, "side"), "side", sel.side, side_ids)
        formations = [f.id for f in self.s.formations]
        if sel.formation is not None and sel.formation not in formations:
            self.unknown((*path, "formation"), "formation", sel.formation, formations)
        if sel.type is not None and sel.type not in self.s.unit_types:
            self.unknown((*path, "type"), "unit type", sel.type, self.s.unit_types)
        unit_ids = [u.id for u in self.s.units]
        for j, uid in enumerate(sel.ids or []):
            if uid not in unit_ids:
                self.unknown((*path, "ids", j), "unit", uid, unit_ids)
        for j, uid in enumerate(sel.except_ids):
            if uid not in unit_ids:
                self.unknown((*path, "except_ids", j), "unit", uid, unit_ids)

    def check_events(self, side_ids: list[str]) -> None:
        self.duplicates("events", [e.id for e in self.s.events])
        places = [p.id for p in self.s.places]
        for i, event in enumerate(self.s.events):
            if event.condition is not None and event.condition.controls is not None:
                sid, pid = event.condition.controls
                if sid not in side_ids:
                    self.unknown(("events", i, "condition", "controls", 0), "side", sid, side_ids)
                if pid not in places:
                    self.unknown(("events", i, "condition", "controls", 1), "place", pid, places)
            for j, effect in enumerate(event.effects):
                path: FieldPath = ("events", i, "effects", j)
                if effect.type in ("modify_units", "command_paralysis", "cease_fire"):
                    self.check_selector((*path, "select"), effect.select, side_ids)
                elif effect.type == "set_rule":
                    error = rule_path_error(self.s.rules, effect.path)
                    if error:
                        self.report((*path, "path"), error)
                    else:
                        error = rule_value_error(self.s.rules, effect.path, effect.value)
                        if error:
                            self.report((*path, "value"), error)
                elif effect.type == "victory_points" and effect.side not in side_ids:
                    self.unknown((*path, "side"), "side", effect.side, side_ids)
                elif effect.type == "place_units":
                    for k, unit in enumerate(effect.units):
                        self.check_unit((*path, "units", k), unit, side_ids)


def rule_path_error(rules: Rules, path: str) -> str | None:
    """Why a dotted rules path does not name a constant, or None when it does."""
    obj: object = rules
    for part in path.split("."):
        fields = getattr(type(obj), "model_fields", None)
        if fields is None or part not in fields:
            known = list(fields) if fields else []
            close = difflib.get_close_matches(part, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"'{path}' names no rules constant: unknown '{part}'{hint}"
        obj = getattr(obj, part)
    if isinstance(obj, BaseModel):
        return f"'{path}' names a section of the rules, not a constant"
    return None


def rule_value_error(rules: Rules, path: str, value: object) -> str | None:
    """Why ``value`` cannot be given to the rules constant at ``path`` (a valid path), or None."""
    *parents, last = path.split(".")
    owner: BaseModel = rules
    for part in parents:
        owner = getattr(owner, part)
    try:
        type(owner).model_validate({**owner.model_dump(), last: value})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return f"{value!r} is not a valid value for rules.{path}: {first['msg']}"
    return None


def _hex_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    ha = offset_to_axial(*a)
    hb = offset_to_axial(*b)
    dq, dr = ha.q - hb.q, ha.r - hb.r
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


def check_scenario(scenario: Scenario, smap: SourceMap) -> list[Problem]:
    """Every cross-reference problem of a schema-valid scenario."""
    return _Checker(scenario, smap).run()
