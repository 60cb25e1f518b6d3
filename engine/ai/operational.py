"""The operational AI: carries out a side's plan from the scenario (``ai.plans``).

Each unit belongs to a plan group (an axis, a garrison, a reserve) with a stance and a route of
places. In the movement phase the AI first flies fuel to dry spearheads, then makes the
landings the plan lists, then moves its units, spearheads first: advancing units head for the
first place on their route the side does not hold (spearheads go round enemy-held fortified
places and leave them to the foot units, which turn on any enemy they see close by); delaying
units stand until the enemy is on them in strength, then fall back along their route;
withdrawing units fall back at once; counter-attacking units go for the nearest enemy seen;
holding units stand. Every unit is steered down a distance field of movement points to its
goal (:mod:`engine.ai.fields`). In the combat phase it attacks each enemy hex its units touch,
best prospects first, with every unit that can join, when the engine's own odds preview gives
at least the plan's ``attack_success`` (``spearhead_attack_success`` for spearheads alone), and
otherwise holds and masses for the next day.

It sees only what its side sees: every question it asks goes to its side's view
(:meth:`engine.game.Game.view`, :mod:`engine.view`), so it is fog-honest by construction (its
landing and drop zones excepted, which are still judged on the full state). It keeps a plan
log: per turn its groups' objectives, its attacks and holds with their odds, its landings and
air supply.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine import airborne, combat, landings, movement, supply
from engine.ai.fields import distance_from, distance_to_nearest
from engine.ai.observation import Observation
from engine.errors import IllegalOrder
from engine.events import select_units
from engine.game import Game
from engine.orders import (
    AirborneDrop,
    AirSupply,
    Attack,
    EndPhase,
    Landing,
    Move,
    Order,
    RailMove,
)
from engine.scenario.ai_model import AiGroup, AiLanding, AiPlan
from engine.state import GameState, Unit
from engine.works import in_works
from engine.zoc import enemy_of, side_index, unit_index, units_at

MOBILE_CLASSES = frozenset({"motorized", "tracked", "cavalry"})
MOP_UP_HEXES = 3
COUNTERATTACK_HEXES = 12
_DEFAULT = AiGroup(id="default", units=["-"], stance="hold")
_NO_NET = np.zeros(0, dtype=bool)


@dataclass
class PlanEntry:
    """One line of the plan log."""

    turn: int
    phase: str
    text: str

    def __str__(self) -> str:
        return f"T{self.turn} {self.phase}: {self.text}"


class OperationalAI:
    """A player that carries out one of the scenario's plans for its side."""

    def __init__(self, side: str, plan_name: str | None = None) -> None:
        self.side = side
        self.plan_name = plan_name
        self.name = f"ai:{plan_name}" if plan_name else "ai"
        self.plan_log: list[PlanEntry] = []
        self._plan: AiPlan | None = None
        self._group_of: dict[str, AiGroup] = {}
        self._key: tuple[int, str] | None = None
        self._queue: deque[Order | str | int] = deque()
        self._view: Observation | None = None
        self._seen = np.zeros(0, dtype=np.int64)
        # The seen enemy hexes with their axial coordinates, all and in the open (per phase).
        self._seen_at: dict[bool, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._nearest: dict[tuple[int, int, bool], int | None] = {}  # per phase
        self._date: tuple[int, object, dt.date] = (-1, None, dt.date.min)  # turn, of, date
        # The supply net at the movement phase's start, searched when first needed.
        self._supply_net: Callable[[], np.ndarray] = lambda: _NO_NET
        self._supply_fields: dict[tuple[int, str], np.ndarray] = {}
        self._link_ups: list[tuple[frozenset[str], frozenset[str]]] = []
        self._covering: dict[str, int] = {}

    # ------------------------------------------------------------ the player protocol

    def next_order(self, game: Game) -> Order:
        """The next order of this phase (``EndPhase`` when the AI is done)."""
        if self._plan is None:
            self._setup(game)
        key = (game.state.turn, game.state.phase)
        if key != self._key:
            self._key = key
            self._start_phase(game)
        while self._queue:
            item = self._queue.popleft()
            if isinstance(item, str):
                order = self._move_for(game, item)
            elif isinstance(item, int):
                order = self._attack_on(game, item)
            else:
                order = item
            if order is not None:
                return order
        return EndPhase()

    # ------------------------------------------------------------ set-up

    def _setup(self, game: Game) -> None:
        plans = game.scenario.ai.plans.get(self.side, {})
        name = self.plan_name or game.scenario.ai.default.get(self.side)
        if name is None or name not in plans:
            known = ", ".join(sorted(plans)) or "none"
            raise IllegalOrder(
                "player", f"no AI plan '{name}' for the {self.side} side (plans: {known})"
            )
        self.plan_name = name
        self.name = f"ai:{name}"
        self._plan = plans[name]
        parents = {f.id: f.parent for f in game.scenario.formations}
        by_unit = {uid: g for g in self._plan.groups for uid in g.units}
        by_formation = {fid: g for g in self._plan.groups for fid in g.formations}
        default = AiGroup(id="default", units=["-"], stance=self._plan.default_stance)
        if default.stance in ("advance", "withdraw"):
            default = _DEFAULT
        for u in game.state.units.values():
            if u.side != self.side:
                continue
            group = by_unit.get(u.id)
            f = u.parent
            while group is None and f is not None:
                group = by_formation.get(f)
                f = parents.get(f)
            self._group_of[u.id] = group or default

    def _log(self, game: Game, text: str) -> None:
        self.plan_log.append(PlanEntry(game.state.turn, game.state.phase, text))

    # ------------------------------------------------------------ phases

    def _known(self, game: Game) -> GameState:
        """The game as this side sees it (:meth:`engine.game.Game.view`): ask only this."""
        return game.view(self.side).state

    def _start_phase(self, game: Game) -> None:
        world, state = game.world, self._known(game)
        view = game.view(self.side)
        self._view = Observation(
            side=self.side,
            enemy=view.enemy,
            visible=view.visible,
            own_units=view.units(),
            enemy_units=view.enemy_units(),
            enemy_occupied=view.enemy_occupied(),
        )
        self._seen = np.flatnonzero(self._view.enemy_occupied)
        grid = world.grid
        open_seen = self._seen[world.fort_level[self._seen] == 0]
        self._seen_at = {
            False: (self._seen, grid.q[self._seen], grid.r[self._seen]),
            True: (open_seen, grid.q[open_seen], grid.r[open_seen]),
        }
        self._nearest = {}
        if state.phase == "movement":
            # the supply net as it stands: the hexes a unit would be in supply in (the overlay)
            self._supply_net = supply.supplied_hexes_later(world, state, self.side)
            self._link_ups = self._open_link_ups(game)
            self._log_objectives(game)
            self._covering = self._cover(game)
            self._queue = deque([*self._air_supply(game), *self._landings(game)])
            units = [u for u in state.units_of(self.side) if not u.cease_fire]
            units.sort(key=lambda u: (not self._is_spearhead(u), not self._is_main(u), u.id))
            self._queue.extend(u.id for u in units)
            # The engine batches the phase's searches for the units that may move (a hint).
            view.expect_moves([u.id for u in units if self._may_move(game, u)])
        else:
            self._queue = deque(self._attack_targets(game))

    def _may_move(self, game: Game, unit: Unit) -> bool:
        """Whether the unit may move this phase, as its stance stands at the phase's start."""
        stance = self._stance(game, self._group_of.get(unit.id, _DEFAULT))
        if stance == "hold":
            return False
        if stance == "delay":
            return self._pressed(game, unit, unit_index(game.world, unit))
        return True

    def _today(self, game: Game) -> dt.date:
        turn, scenario = game.state.turn, game.scenario
        if self._date[0] != turn or self._date[1] is not scenario:  # asked per unit
            self._date = (turn, scenario, scenario.date_of_turn(turn).date())
        return self._date[2]

    def _stance(self, game: Game, group: AiGroup) -> str:
        if group.from_date is not None and self._today(game) < group.from_date:
            return "hold"
        if group.halt_on and self._today(game) in group.halt_on:
            return "hold"
        return group.stance

    def _is_main(self, unit: Unit) -> bool:
        """Whether the unit belongs to the plan's main effort."""
        assert self._plan is not None
        main = self._plan.main_effort
        return main is not None and self._group_of.get(unit.id, _DEFAULT).id == main

    def _is_spearhead(self, unit: Unit) -> bool:
        group = self._group_of.get(unit.id, _DEFAULT)
        return group.spearhead and unit.movement_class in MOBILE_CLASSES

    def _log_objectives(self, game: Game) -> None:
        assert self._plan is not None
        parts = []
        for group in self._plan.groups:
            stance = self._stance(game, group)
            goal = self._route_goal(game, group, stance, bypass=group.spearhead)
            where = game.world.places[goal].spec.name if goal is not None else "-"
            if group.id == self._plan.main_effort:
                label = f"{group.id} ({group.name})" if group.name else group.id
                parts.insert(0, f"main effort {label}: {stance} -> {where}")
                continue
            parts.append(f"{group.id} {stance} -> {where}")
        self._log(game, "; ".join(parts) if parts else "no groups: default stance")

    # ------------------------------------------------------------ goals

    def _held(self, game: Game, place: str) -> bool:
        info = game.world.places[place]
        return game.state.control.item(info.index) == side_index(game.world, self.side)

    def _fortified_enemy(self, game: Game, place: str) -> bool:
        assert self._view is not None
        i = game.world.places[place].index
        return bool(self._view.enemy_occupied[i]) and (
            game.world.fort_level[i] > 0 or "fort" in game.world.places[place].spec.kinds
        )

    def _enemy_works(self, game: Game, place: str) -> bool:
        """Whether the enemy holds permanent works at ``place`` (seen)."""
        assert self._view is not None
        i = game.world.places[place].index
        return bool(self._view.enemy_occupied[i]) and in_works(game.world, game.state, i)

    def _route_goal(self, game: Game, group: AiGroup, stance: str, bypass: bool) -> str | None:
        """The place the group is heading for now (None: nowhere).

        Fortified places the enemy holds are passed by spearheads (``bypass``), permanent works
        by every group but those sent to besiege them (``siege``).
        """
        if stance == "advance":
            for place in group.route:
                if self._held(game, place):
                    continue
                if bypass and self._fortified_enemy(game, place):
                    continue
                if group.siege is None and self._enemy_works(game, place):
                    continue
                return place
            return None
        if stance in ("delay", "withdraw"):
            held = [p for p in group.route if self._held(game, p)]
            return held[0] if held else (group.route[-1] if group.route else None)
        return None

    def _retreat_goal(self, game: Game, group: AiGroup, here: int) -> str | None:
        """Next place back along the route: the first held one the unit is not already at."""
        world = game.world
        held = [p for p in group.route if self._held(game, p)]
        for place in held:
            if world.grid.distance(world.places[place].index, here) > 1:
                return place
        return None

    # ------------------------------------------------------------ movement

    def _move_for(self, game: Game, unit_id: str) -> Order | None:
        world, state = game.world, self._known(game)
        unit = state.units[unit_id]
        if not unit.on_map or unit.cease_fire or unit.moved or unit.mp_left <= 0:
            return None
        group = self._group_of.get(unit_id, _DEFAULT)
        stance = self._stance(game, group)
        here = unit_index(world, unit)
        target: int | None = None
        post = self._covering.get(unit_id)
        if post is not None:
            if post == here:
                return None
            if unit.mp_left >= movement.movement_points(world, state, unit) and (
                post in movement.rail_destinations(world, state, unit)
            ):
                return RailMove(unit=unit.id, to=world.coord(post))  # the day on the train
            return self._step_toward(game, unit, here, post, True)
        if stance == "advance":
            target = self._advance_target(game, unit, group, here)
            if target is None:
                return self._back_to_supply(game, unit, here)
        elif stance == "delay":
            if self._pressed(game, unit, here):
                goal = self._retreat_goal(game, group, here)
                target = world.places[goal].index if goal else None
                if target is not None and self._plan is not None and self._plan.delay_by_bounds:
                    bound = self._fall_back_a_bound(game, unit, here, target)
                    if bound is not None:
                        return bound
        elif stance == "withdraw":
            goal = self._retreat_goal(game, group, here)
            target = world.places[goal].index if goal else None
        elif stance == "counterattack":
            target = self._nearest_enemy(game, here, COUNTERATTACK_HEXES)
        if target is None or target == here:
            return None
        # A place is reached down its distance field; an enemy unit close by, by hex distance.
        by_hexes = target not in world.place_at
        return self._step_toward(game, unit, here, target, by_hexes)

    def _cover(self, game: Game) -> dict[str, int]:
        """Posts round the plan's threatened ``cover`` places: unit id -> hex to hold.

        A covered place the side holds is threatened when an enemy unit is seen within
        ``cover_threat_hexes``. Its hex and the hexes round it, those nearest the enemy first,
        are filled up to the stacking limit by units of delaying groups within
        ``cover_reach_hexes`` that are not in contact, the nearest first; units already there
        hold. The Third Area Army's delaying battle on the Hsinking-Mukden line (history.md §3.1).
        """
        assert self._plan is not None and self._view is not None
        world, state = game.world, self._known(game)
        if not self._plan.cover or self._seen.size == 0:
            return {}
        grid = world.grid
        limit = state.rules.stacking.max_points
        points: dict[int, int] = {}
        for u in self._view.own_units:
            i = unit_index(world, u)
            points[i] = points.get(i, 0) + u.stack_points
        contact = np.zeros(grid.size, dtype=bool)
        for j in self._seen:
            contact[list(grid.neighbors_of(int(j)))] = True
        posts: dict[str, int] = {}
        for pid in self._plan.cover:
            if not self._held(game, pid):
                continue
            place = world.places[pid].index
            if _gaps(world, np.array([place]), self._seen)[0] > self._plan.cover_threat_hexes:
                continue
            ring = [place, *(n for n in grid.neighbors_of(place) if n >= 0)]
            ring = [
                h for h in ring if world.passable(h, "foot") and not self._view.enemy_occupied[h]
            ]
            enemy_gap = dict(
                zip(ring, _gaps(world, np.array(ring), self._seen).tolist(), strict=True)
            )
            ring.sort(key=lambda h: (h != place, enemy_gap[h], h))
            reserves = []
            for u in self._view.own_units:
                if u.cease_fire or u.id in posts or not u.on_map:
                    continue
                if self._stance(game, self._group_of.get(u.id, _DEFAULT)) != "delay":
                    continue
                i = unit_index(world, u)
                if i in ring:
                    posts[u.id] = i  # already there: it holds
                    continue
                d = grid.distance(i, place)
                if d <= self._plan.cover_reach_hexes and not contact[i]:
                    reserves.append((d, u.id, u))
            for _d, _uid, u in sorted(reserves, key=lambda r: (r[0], r[1])):
                spot = next((h for h in ring if points.get(h, 0) + u.stack_points <= limit), None)
                if spot is None:
                    break
                points[spot] = points.get(spot, 0) + u.stack_points
                points[unit_index(world, u)] -= u.stack_points
                posts[u.id] = spot
        if posts:
            self._log(game, f"cover: {len(posts)} units close round the threatened places")
        return posts

    def _fall_back_a_bound(self, game: Game, unit: Unit, here: int, goal: int) -> Order | None:
        """A pressed delaying unit's bound back: just out of contact, toward ``goal``, or None.

        Of the hexes it can reach that are nearer its goal and not next to an enemy unit it
        sees, the one nearest the enemy (so the enemy must stop at its zone of control again
        tomorrow), then the best ground for defence, then the nearer to the goal. Trading space
        for time a bound at a time, as the delaying detachments of 1945 did (history.md §4.2).
        """
        world = game.world
        if self._seen.size == 0:
            return None
        reach = game.view(self.side).reachable(unit.id)
        ok = reach.reachable_mask & reach.may_end
        ok[reach.start] = False
        dests = np.flatnonzero(ok)
        if dests.size == 0:
            return None
        field = distance_from(world, unit.movement_class, self.side, goal, here)
        dests = dests[field[dests] < field[here] - 1e-9]
        if dests.size == 0:
            return None
        gap = _gaps(world, dests, self._seen)
        keep = gap >= 2
        if not keep.any():
            return None
        dests, gap = dests[keep], gap[keep]
        ground = world.terrain_defense[world.terrain[dests]] * (1.0 + world.fort_level[dests])
        k = np.lexsort((dests, field[dests], -ground, gap))[0]
        return Move(unit=unit.id, to=world.coord(int(dests[k])))

    def _back_to_supply(self, game: Game, unit: Unit, here: int) -> Order | None:
        """Back into the supply net, for a unit whose advance is done and that stands outside it.

        It marches down the field of the nearest supplied hex rather than wither where it is.
        """
        supplied = self._supply_net()
        if not supplied.size or supplied[here]:
            return None
        key = (game.state.turn, unit.movement_class)
        field = self._supply_fields.get(key)
        if field is None:
            field = distance_to_nearest(
                game.world, unit.movement_class, self.side, np.flatnonzero(supplied)
            )
            self._supply_fields = {key: field}
        reach = game.view(self.side).reachable(unit.id)
        dests = reach.ends()
        dests = dests[field[dests] < field[here] - 1e-9]
        if dests.size == 0:
            return None
        k = np.lexsort((dests, reach.search_dist[dests], field[dests]))[0]
        return Move(unit=unit.id, to=game.world.coord(int(dests[k])))

    def _advance_target(self, game: Game, unit: Unit, group: AiGroup, here: int) -> int | None:
        world = game.world
        spearhead = self._is_spearhead(unit)
        if not spearhead:
            # mop up what is close by, but leave fortified regions to the groups sent for them
            near = self._nearest_enemy(game, here, MOP_UP_HEXES, open_ground=True)
            if near is not None:
                return near
        goal = self._route_goal(game, group, "advance", bypass=spearhead)
        if goal is not None:
            return world.places[goal].index
        # the route is done: close an open link-up of the plan with the other arm, if any
        meet = self._link_up_target(game, unit, here)
        if meet is not None:
            return meet
        return self._nearest_enemy(game, here, COUNTERATTACK_HEXES)

    def _open_link_ups(self, game: Game) -> list[tuple[frozenset[str], frozenset[str]]]:
        """The unit ids of the two arms of each link-up objective of this side not yet met."""
        world, state = game.world, self._known(game)
        out = []
        for obj in world.scenario.victory.objectives:
            if obj.side != self.side or obj.kind != "link_up" or obj.id in state.objectives:
                continue
            arms = [frozenset(u.id for u in select_units(world, state, g)) for g in obj.groups]
            out.append((arms[0], arms[1]))
        return out

    def _link_up_target(self, game: Game, unit: Unit, here: int) -> int | None:
        """The hex of the nearest unit of the other arm of an open link-up ``unit`` is in."""
        world, state = game.world, self._known(game)
        for a, b in self._link_ups:
            other = b if unit.id in a else a if unit.id in b else None
            if other is None:
                continue
            units = (state.units.get(uid) for uid in other)
            hexes = [unit_index(world, u) for u in units if u is not None and u.on_map]
            if hexes:
                return min(hexes, key=lambda h: (world.grid.distance(h, here), h))
        return None

    def _nearest_enemy(
        self, game: Game, here: int, within: int, open_ground: bool = False
    ) -> int | None:
        assert self._view is not None
        key = (here, within, open_ground)
        if key in self._nearest:  # the seen enemy stays as it was for the phase
            return self._nearest[key]
        seen, q, r = self._seen_at[open_ground]
        found = None
        if seen.size:
            grid = game.world.grid
            dq = q - grid.q[here]
            dr = r - grid.r[here]
            d = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2
            k = int(np.argmin(d))
            found = int(seen[k]) if d[k] <= within else None
        self._nearest[key] = found
        return found

    def _pressed(self, game: Game, unit: Unit, here: int) -> bool:
        """Whether the enemy next to a delaying unit outweighs it by the plan's ratio."""
        world, state = game.world, self._known(game)
        assert self._plan is not None and self._view is not None
        near = [j for j in world.grid.neighbors_of(here) if self._view.enemy_occupied[j]]
        if not near:
            return False
        enemy = sum(
            combat.raw_strength(u, state.rules.combat)
            for u in self._view.enemy_units
            if unit_index(world, u) in near
        )
        own = combat.strength_value(world, state, unit, "defender", here)
        return enemy > self._plan.delay_ratio * own

    def _step_toward(
        self, game: Game, unit: Unit, here: int, target: int, by_hexes: bool
    ) -> Order | None:
        world = game.world
        reach = game.view(self.side).reachable(unit.id)
        dests = reach.ends()
        if dests.size == 0:
            return None
        cand = np.append(dests, here)
        if by_hexes:
            grid = world.grid
            dq = grid.q[cand] - grid.q[target]
            dr = grid.r[cand] - grid.r[target]
            togo = ((np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2).astype(np.float64)
        else:
            togo = distance_from(world, unit.movement_class, self.side, target, here)[cand]
        nearer = np.isfinite(togo[:-1]) & (togo[:-1] < togo[-1] - 1e-9)
        if not nearer.any():
            return None
        dests, togo = dests[nearer], togo[:-1][nearer]
        assert self._plan is not None
        supplied = self._supply_net() if not self._is_spearhead(unit) else _NO_NET
        if supplied.size and supplied[here]:
            # out of the supply net only for a clear gain (spearheads live on the air lift)
            togo = togo + self._plan.supply_margin_mp * ~supplied[dests]
        # nearest to the goal; then the cheaper move; then the lower index
        k = np.lexsort((dests, reach.search_dist[dests], togo))[0]
        return Move(unit=unit.id, to=world.coord(int(dests[k])))

    # ------------------------------------------------------------ air supply and landings

    def _air_supply(self, game: Game) -> list[Order]:
        world, state = game.world, self._known(game)
        assert self._plan is not None
        left = supply.air_lift_left(world, state, self.side)
        if left <= 0:
            return []
        dry = [
            u
            for u in state.units_of(self.side)
            if u.fuelled
            and (not u.supply.in_supply or u.supply.ratio < 1.0)
            and u.fuel < self._plan.air_supply_below
            and supply.can_air_supply(world, state, u)
        ]
        dry.sort(key=lambda u: (not self._is_main(u), not self._is_spearhead(u), u.fuel, u.id))
        orders: list[Order] = []
        for u in dry:
            if left <= 0:
                break
            need = (1.0 - u.fuel) * supply.full_load_tons(state, u)
            tons = round(min(need, left), 3)
            if tons <= 0:
                continue
            orders.append(AirSupply(unit=u.id, tons=tons))
            left -= tons
            self._log(game, f"air supply: {tons:g} t of fuel to {u.name} (fuel {u.fuel:.2f})")
        return orders

    def _landings(self, game: Game) -> list[Order]:
        world, state = game.world, game.state
        assert self._plan is not None
        today = self._today(game)
        orders: list[Order] = []
        used: set[str] = set()
        spec = next(s for s in world.scenario.sides if s.id == self.side)
        lift = {
            "air": spec.airborne_lift - state.sides[self.side].airborne_used,
            "sea": spec.amphibious.units_per_day - state.sides[self.side].amphibious_used,
        }
        for landing in self._plan.landings:
            if landing.not_before is not None and today < landing.not_before:
                continue
            if lift[landing.by] <= 0:
                continue
            if self._held(game, landing.place):
                continue
            place = world.places[landing.place].index
            if not self._landing_ready(game, landing, place):
                continue
            near = {place, *world.grid.neighbors_of(place)}
            if any(unit_index(world, u) in near for u in state.units_of(self.side)):
                continue  # already there
            for u in sorted(state.units_of(self.side), key=lambda u: u.id):
                if u.id in used or u.cease_fire:
                    continue
                if landing.units and u.id not in landing.units:
                    continue
                seen = game.view(self.side).state  # zones as the side knows the enemy
                if landing.by == "air":
                    zones = airborne.drop_zones(world, seen, u) if u.airborne else []
                else:
                    zones = landings.landing_zones(world, seen, u)
                spot = _landing_spot(world, place, zones)
                if spot is None:
                    continue
                used.add(u.id)
                lift[landing.by] -= 1
                kind = AirborneDrop if landing.by == "air" else Landing
                orders.append(kind(unit=u.id, to=world.coord(spot)))
                how = "air landing" if landing.by == "air" else "landing from the sea"
                self._log(game, f"{how}: {u.name} at {world.places[landing.place].spec.name}")
                break
        return orders

    def _landing_ready(self, game: Game, landing: AiLanding, place: int) -> bool:
        """Whether a landing's ground condition holds (``AiLanding.ground_reach_hexes``).

        The ground forces near, or the garrison ordered to cease fire (docs/ai.md, "Landings
        and the ground war").

        Which garrisons have the order is read from the true state: the Kwantung Army made its
        cease-fire known to the Soviet command (history.md §4.4), so the side knows it without
        seeing the garrison.
        """
        if landing.ground_reach_hexes is None:
            return True
        world, state = game.world, game.state
        distance = world.grid.distances_from(place)
        for u in state.units_of(self.side):
            if not u.airborne and distance[unit_index(world, u)] <= landing.ground_reach_hexes:
                return True
        garrison = [
            u
            for u in state.units_of(enemy_of(world, self.side))
            if distance[unit_index(world, u)] <= 1
        ]
        return bool(garrison) and all(u.cease_fire for u in garrison)

    # ------------------------------------------------------------ combat

    def _attack_targets(self, game: Game) -> list[int]:
        world, state = game.world, self._known(game)
        targets: dict[int, int] = {}
        main: set[int] = set()
        for u in state.units_of(self.side):
            if u.cease_fire or u.attacked:
                continue
            if self._stance(game, self._group_of.get(u.id, _DEFAULT)) == "withdraw":
                continue
            for t in combat.attack_targets(world, state, u):
                targets[t] = targets.get(t, 0) + 1
                if self._is_main(u):
                    main.add(t)
        vp = {info.index: info.spec.vp.get(self.side, 0.0) for info in world.places.values()}
        # Objectives first, then the main effort's fights, then the hexes most units touch.
        return sorted(targets, key=lambda t: (-vp.get(t, 0.0), t not in main, -targets[t], t))

    def _attack_on(self, game: Game, target: int) -> Order | None:
        world, state = game.world, self._known(game)
        assert self._plan is not None
        attackers = []
        beside = [
            u
            for j in world.grid.neighbors_of(target)
            for u in units_at(world, state, j)
            if u.side == self.side
        ]
        for u in sorted(beside, key=lambda u: u.id):
            if u.cease_fire or u.attacked:
                continue
            if self._stance(game, self._group_of.get(u.id, _DEFAULT)) == "withdraw":
                continue
            try:
                combat.check_attack(world, state, [u], target)
            except IllegalOrder:
                continue
            attackers.append(u)
        if in_works(world, state, target):
            return self._siege_attack(game, attackers, target)
        if not attackers:
            return None
        chance = combat.attack_success(world, state, attackers, target)
        alone = all(self._is_spearhead(u) for u in attackers)
        need = self._plan.spearhead_attack_success if alone else self._plan.attack_success
        if world.fort_level[target] > 0:
            need = max(need, self._plan.fort_attack_success)
        col, row = world.coord(target)
        if chance < need and self._plan.attrition_attacks and world.fort_level[target] == 0:
            gain = self._attrition_gain(game, attackers, target)
            if gain > 0.0:
                self._log(
                    game,
                    f"attack {col},{row} with {len(attackers)} units at {chance:.0%} for "
                    f"attrition: expected +{gain:.2f} VP in losses",
                )
                return Attack(target=(col, row), attackers=sorted(u.id for u in attackers))
        if chance < need:
            self._log(
                game,
                f"hold at {col},{row}: {chance:.0%} < {need:.0%} with "
                f"{len(attackers)} units; massing",
            )
            return None
        self._log(game, f"attack {col},{row} with {len(attackers)} units at {chance:.0%}")
        return Attack(target=(col, row), attackers=sorted(u.id for u in attackers))

    def _siege_attack(self, game: Game, attackers: list[Unit], target: int) -> Order | None:
        """An assault on permanent works by the groups sent to reduce them, or None.

        The works never fall back, so the odds of a retreat say nothing: the besiegers attack
        when the preview has the garrison lose a larger share of its men than they do.
        """
        world, state = game.world, self._known(game)
        besiegers = [u for u in attackers if self._group_of.get(u.id, _DEFAULT).siege == "reduce"]
        col, row = world.coord(target)
        if not besiegers:
            return None
        p = combat.preview(world, state, besiegers, target)
        enemy = enemy_of(world, self.side)
        theirs = p.expected_losses[enemy].expected.men / max(1, sum(d.men for d in p.defenders))
        ours = p.expected_losses[self.side].expected.men / max(1, sum(a.men for a in p.attackers))
        if theirs <= ours:
            self._log(game, f"besiege {col},{row}: {theirs:.0%} of the garrison for {ours:.0%}")
            return None
        self._log(
            game,
            f"assault the works at {col},{row} with {len(besiegers)} units: expected "
            f"{theirs:.0%} of the garrison for {ours:.1%} of ours",
        )
        return Attack(target=(col, row), attackers=sorted(u.id for u in besiegers))

    def _attrition_gain(self, game: Game, attackers: list[Unit], target: int) -> float:
        """Expected VP of an attack's losses alone.

        The enemy's men lost at our rate per 1,000, less ours at the enemy's rate: the preview's
        expected losses, the figures a player sees.
        """
        world, state = game.world, self._known(game)
        enemy = enemy_of(world, self.side)
        rates = world.scenario.victory.vp_per_1000_enemy_men_lost
        losses = combat.preview(world, state, attackers, target).expected_losses
        return (
            rates.get(self.side, 0.0) * losses[enemy].expected.men
            - rates.get(enemy, 0.0) * losses[self.side].expected.men
        ) / 1000.0


def _gaps(world, hexes: np.ndarray, others: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """Hex distance from each of ``hexes`` to the nearest of ``others`` (axial coordinates)."""
    grid = world.grid
    q, r = grid.q.astype(np.int64), grid.r.astype(np.int64)
    dq = q[hexes][:, None] - q[others][None, :]
    dr = r[hexes][:, None] - r[others][None, :]
    return ((np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2).min(axis=1)


def _landing_spot(world, place: int, zones: list[int]) -> int | None:  # noqa: ANN001
    """The place itself if it is a zone, else the zone next to it with the lowest index."""
    if not zones:
        return None
    zone_set = set(zones)
    if place in zone_set:
        return place
    beside = sorted(j for j in world.grid.neighbors_of(place) if j in zone_set)
    return beside[0] if beside else None
