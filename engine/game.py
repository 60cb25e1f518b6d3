"""A game: scenario + seed + order log, and the one API to act on it (``legal_orders`` / ``apply``).

Every order is validated against the current state first; an illegal order raises
:class:`engine.errors.IllegalOrder` and leaves the state exactly as it was. Accepted orders are
appended to :attr:`Game.order_log`, so replaying the log on a new game from the same scenario and
seed reproduces the final state byte for byte (see :meth:`Game.state_hash`).

Players ask their questions of their side's view (:meth:`Game.view`, :mod:`engine.view`), which
knows only the enemy units the side sees; a move is planned on that view and walked in the true
state, where it may be stopped by contact. Moves, rail moves and air supply made with
``checkpoint=True`` can be taken back (:meth:`Game.undo`) until something irreversible happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import airborne, combat, landings, movement, supply, turn, victory
from engine.errors import IllegalOrder
from engine.log import LogEntry, stamp
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
from engine.rng import make_streams, stream_states
from engine.scenario.model import Scenario
from engine.state import NO_SIDE, GameState, SideState, Unit
from engine.view import SideView, view_key
from engine.world import World

#: Orders :meth:`Game.apply` can checkpoint, so that :meth:`Game.undo` may take them back.
UNDOABLE = (Move, RailMove, AirSupply)


@dataclass
class _Checkpoint:
    """What :meth:`Game.undo` restores: the state, random streams and order log before an order."""

    state: GameState
    streams: dict[str, Any]
    orders: int
    side: str


@dataclass
class OrderResult:
    """What an accepted order did: log lines and, for attacks, the combat record.

    ``messages`` are the lines' texts; ``entries`` the log entries the order wrote (for an
    ``EndPhase``, those of every step of the turn sequence it ran).
    """

    order: Order
    messages: list[str] = field(default_factory=list)
    combat: combat.CombatRecord | None = None
    entries: list[LogEntry] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    """Ids of the enemy units the acting side sees after the order and did not see before
    (filled for orders made with a checkpoint)."""


class Game:
    """A game in progress."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        *,
        world: World | None = None,
        fog: bool = True,
    ) -> None:
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.fog = fog
        """Fog of war: each side sees only the enemy units its own units see. Without it every
        side sees every unit (a game option, saved with the game: docs/rules.md)."""
        self.world = world or World(scenario)
        self.streams = make_streams(self.seed)
        self.order_log: list[Order] = []
        self.scenario_ref: str = scenario.id
        self.mod_refs: list[str] = []
        self.state = initial_state(scenario, self.world)
        self._views: dict[str, SideView] = {}
        self._undo: list[_Checkpoint] = []
        self._undo_reason = "nothing to undo"
        turn.begin_game(self.world, self.state, self.streams)

    @classmethod
    def restore(
        cls,
        scenario: Scenario,
        seed: int,
        state: GameState,
        streams: dict[str, np.random.Generator],
        order_log: list[Order],
        world: World | None = None,
        fog: bool = True,
    ) -> Game:
        """A game rebuilt from saved parts (see :mod:`engine.save`), without replaying it."""
        game = cls.__new__(cls)
        game.scenario = scenario
        game.seed = seed
        game.fog = fog
        game.world = world or World(scenario)
        game.streams = streams
        game.order_log = list(order_log)
        game.scenario_ref = scenario.id
        game.mod_refs = []
        game.state = state
        game._views = {}
        game._undo = []
        game._undo_reason = "nothing to undo"
        return game

    # ------------------------------------------------------------ the order API

    @property
    def active_side(self) -> str:
        """Id of the side whose phase it is."""
        return self.scenario.side_order[self.state.active]

    def apply(self, order: Order, checkpoint: bool = False) -> OrderResult:
        """Validate and carry out an order for the active side.

        With ``checkpoint`` a move, rail move or air supply can be taken back with
        :meth:`undo` (it saves a copy of the state first, so AI games and batches leave it
        off); any other order, or one made without a checkpoint, clears the undo history.

        Raises:
            IllegalOrder: the order breaks a rule; the state is unchanged.
        """
        if self.state.game_over:
            raise IllegalOrder("game_over", "the game is over")
        saved: _Checkpoint | None = None
        seen_before: frozenset[str] = frozenset()
        if checkpoint and isinstance(order, UNDOABLE):
            side = self.active_side
            seen_before = self.view(side).seen_enemy_ids()
            saved = _Checkpoint(
                self.state.copy(), stream_states(self.streams), len(self.order_log), side
            )
        logged = len(self.state.log)
        result = self._carry_out(order)
        self.order_log.append(order)
        if not isinstance(order, EndPhase):  # the turn sequence logs its own steps
            self.state.log.extend(
                stamp([m for m in result.messages if m], self.state.turn, self.state.phase)
            )
        result.entries = self.state.log[logged:]
        if saved is not None:
            result.revealed = sorted(self.view(saved.side).seen_enemy_ids() - seen_before)
            if result.revealed:
                self._forget_undo("the last move revealed enemy units")
            else:
                self._undo.append(saved)
        elif isinstance(order, Attack):
            self._forget_undo("nothing to undo: an attack cannot be taken back")
        elif isinstance(order, EndPhase):
            self._forget_undo("nothing to undo: the phase has ended")
        else:
            self._forget_undo("nothing to undo: the last order was made without a checkpoint")
        return result

    def _carry_out(self, order: Order) -> OrderResult:
        result = OrderResult(order)
        match order:
            case Move():
                unit = self._own_unit(order.unit, "movement")
                # Planned on what the side sees, walked in the true state (contact).
                view = self.view(unit.side)
                start, version = self.world.index(*unit.hex), self.state.version  # type: ignore[misc]
                report = movement.move_unit(
                    self.world, self.state, unit, self._index(order.to), plan=view.state
                )
                if self.state.version != version:
                    self._views[unit.side] = view.after_move(self.state, unit, start)
                result.messages.append(report)
            case RailMove():
                unit = self._own_unit(order.unit, "movement")
                report = movement.rail_move(
                    self.world,
                    self.state,
                    unit,
                    self._index(order.to),
                    plan=self.view(unit.side).state,
                )
                result.messages.append(report)
            case Attack():
                self._require_phase("combat")
                attackers = [self._own_unit(uid, "combat") for uid in order.attackers]
                if len(set(order.attackers)) != len(order.attackers):
                    raise IllegalOrder("attackers", "a unit is named twice among the attackers")
                record = combat.resolve(
                    self.world,
                    self.state,
                    attackers,
                    self._index(order.target),
                    self.streams["combat"],
                    advance=order.advance,
                )
                result.combat = record
                result.messages.append(record.note())
            case AirSupply():
                unit = self._own_unit(order.unit, None)
                result.messages.append(supply.air_supply(self.world, self.state, unit, order.tons))
            case AirborneDrop():
                unit = self._own_unit(order.unit, "movement")
                result.messages.append(
                    airborne.drop(
                        self.world,
                        self.state,
                        unit,
                        self._index(order.to),
                        plan=self.view(unit.side).state,
                    )
                )
            case Landing():
                unit = self._own_unit(order.unit, "movement")
                result.messages.append(
                    landings.land(
                        self.world,
                        self.state,
                        unit,
                        self._index(order.to),
                        plan=self.view(unit.side).state,
                    )
                )
            case EndPhase():
                result.messages.extend(turn.end_phase(self.world, self.state, self.streams))
            case _:  # pragma: no cover - the discriminated union is exhaustive
                raise IllegalOrder("syntax", f"unknown order {order!r}")
        return result

    # ------------------------------------------------------------ undo

    def can_undo(self) -> bool:
        """Whether :meth:`undo` can take back an order now."""
        return bool(self._undo) and not self.state.game_over

    def undo(self) -> Order:
        """Take back the active side's last checkpointed move, rail move or air supply.

        The state, the random streams and the order log return to what they were before it, so
        the game's hash equals that of a game that never made it. Orders are taken back one at
        a time, most recent first.

        Returns:
            The order taken back.

        Raises:
            IllegalOrder: rule ``undo``, with the reason nothing can be taken back (``nothing
                to undo``; ``the last move revealed enemy units``; ...).
        """
        if not self.can_undo():
            raise IllegalOrder("undo", self._undo_reason)
        cp = self._undo.pop()
        order = self.order_log[cp.orders]
        self.state = cp.state
        for name, gen in self.streams.items():
            gen.bit_generator.state = cp.streams[name]
        del self.order_log[cp.orders :]
        self._views.clear()
        if not self._undo:
            self._undo_reason = "nothing to undo"
        return order

    def _forget_undo(self, reason: str) -> None:
        self._undo.clear()
        self._undo_reason = reason

    # ------------------------------------------------------------ what a side sees

    def view(self, side: str | None = None) -> SideView:
        """What ``side`` (by default the active side) knows of the game now.

        The view is kept per side and rebuilt when the state changes (its ``version``, turn,
        phase or active side), so asking again costs nothing until the next order.

        Raises:
            IllegalOrder: no such side.
        """
        state = self.state
        if side is None:
            side = self.scenario.side_order[state.active]
        hit = self._views.get(side)
        # SideView.is_current written out: players ask for the view thousands of times a game.
        if hit is None or hit.source is not state or hit.key != view_key(state):
            if hit is not None and hit.see_all == (not self.fog):
                hit = hit.renewed(state)
            else:
                own = hit._own_for(self.state) if hit is not None else None
                hit = SideView(self.world, self.state, side, own, see_all=not self.fog)
            self._views[side] = hit
        return hit

    def legal_orders(self, unit_id: str | None = None) -> list[Order]:
        """Every legal order for the active side now (or for one of its units).

        Attacks are listed one attacker at a time; any legal attacker set on the same target is
        also legal. Air supply is listed as the largest tonnage the side can still fly. Every
        order is judged on the side's view (:meth:`view`): a listed move, rail move, drop or
        landing may still be stopped or diverted by contact with an enemy unit the side does
        not see.
        """
        side = self.active_side
        units = [u for u in self.state.units_of(side) if unit_id is None or u.id == unit_id]
        out: list[Order] = []
        if self.state.game_over:
            return out
        seen = self.view(side).state
        if self.state.phase == "movement":
            for u in units:
                if u.cease_fire:
                    continue
                reach = movement.reachable(self.world, seen, u)
                for i in reach.destinations():
                    out.append(Move(unit=u.id, to=self.world.coord(i)))
                for i in movement.rail_destinations(self.world, seen, u):
                    out.append(RailMove(unit=u.id, to=self.world.coord(i)))
                for i in airborne.drop_zones(self.world, seen, u):
                    out.append(AirborneDrop(unit=u.id, to=self.world.coord(i)))
                for i in landings.landing_zones(self.world, seen, u):
                    out.append(Landing(unit=u.id, to=self.world.coord(i)))
        else:
            for u in units:
                for i in combat.attack_targets(self.world, seen, u):
                    out.append(Attack(target=self.world.coord(i), attackers=[u.id]))
        tons = supply.air_lift_left(self.world, self.state, side)
        if tons > 0:
            for u in units:
                if supply.can_air_supply(self.world, self.state, u):
                    out.append(AirSupply(unit=u.id, tons=tons))
        if unit_id is None:
            out.append(EndPhase())
        return out

    # ------------------------------------------------------------ queries for UI and AI

    def reachable(self, unit_id: str) -> movement.Reach:
        """Where a unit can still move this phase, as its side sees the enemy (see :meth:`view`)."""
        return self.view(self._unit(unit_id).side).reachable(unit_id)

    def preview_attack(self, attackers: list[str], target: tuple[int, int]) -> combat.CombatPreview:
        """The odds of an attack against the defenders the attacking side sees.

        Raises:
            IllegalOrder: the attack could not be ordered now.
        """
        units = [self._unit(uid) for uid in attackers]
        if not units:
            raise IllegalOrder("no_attackers", "an attack needs at least one unit")
        sides = {u.side for u in units}
        if len(sides) > 1:
            u = next(u for u in units if u.side != units[0].side)
            raise IllegalOrder(
                "mixed_sides", f"{u.name} ({u.side}) cannot attack alongside {units[0].side} units"
            )
        return self.view(units[0].side).preview_attack(attackers, target)

    def supply_trace(self, side: str) -> supply.SupplyTrace:
        """The supply network of a side as it stands now, as the side sees the enemy."""
        return supply.trace(self.world, self.view(side).state, side)

    def explain_supply(self, unit_id: str) -> supply.SupplyExplanation:
        """Why a unit is (or is not) in supply, as its side can tell (see :meth:`view`)."""
        return self.view(self._unit(unit_id).side).explain_supply(unit_id)

    def victory_points(self) -> dict[str, float]:
        """Current victory points of each side, under the scheme that decides the game."""
        return victory.scheme_points(self.world, self.state)

    def state_hash(self) -> str:
        """Hash of the whole game state including the random streams."""
        return self.state.state_hash({"rng": stream_states(self.streams)})

    # ------------------------------------------------------------ helpers

    def _unit(self, unit_id: str) -> Unit:
        unit = self.state.units.get(unit_id)
        if unit is None:
            raise IllegalOrder("unknown_unit", f"there is no unit '{unit_id}'")
        return unit

    def _own_unit(self, unit_id: str, phase: str | None) -> Unit:
        unit = self._unit(unit_id)
        if unit.side != self.active_side:
            raise IllegalOrder("not_your_unit", f"{unit.name} is not a {self.active_side} unit")
        if not unit.on_map:
            raise IllegalOrder("not_on_map", f"{unit.name} is not on the map ({unit.status})")
        if phase is not None:
            self._require_phase(phase)
        if phase == "movement" and unit.cease_fire:
            raise IllegalOrder(
                "cease_fire", f"{unit.name} is under a cease-fire order and stays where it is"
            )
        return unit

    def _require_phase(self, phase: str) -> None:
        if self.state.phase != phase:
            raise IllegalOrder(
                "phase",
                f"this order belongs to the {phase} phase; it is the {self.state.phase} phase",
            )

    def _index(self, coord: tuple[int, int]) -> int:
        col, row = coord
        if not self.world.grid.contains(col, row):
            raise IllegalOrder("off_map", f"hex {col},{row} is off the map")
        return self.world.index(col, row)


def initial_state(scenario: Scenario, world: World) -> GameState:
    """The state at the start of the scenario, before the first turn's events."""
    control = np.full(world.grid.size, NO_SIDE, dtype=np.int8)
    order = list(scenario.side_order)
    for k, region in enumerate(scenario.regions):
        if region.owner is not None:
            control[world.region == k] = order.index(region.owner)
    for side in scenario.sides:
        s = order.index(side.id)
        for c0, r0, c1, r1 in side.control_boxes:
            for row in range(max(0, r0), min(world.grid.height - 1, r1) + 1):
                start = row * world.grid.width
                control[start + max(0, c0) : start + min(world.grid.width - 1, c1) + 1] = s
        for col, row in side.controls:
            control[world.index(col, row)] = s
    for info in world.places.values():
        if info.spec.owner is not None:
            control[info.index] = order.index(info.spec.owner)
    units = {spec.id: Unit.from_spec(spec, scenario) for spec in scenario.units}
    for u in units.values():
        if u.hex is not None:
            control[world.index(*u.hex)] = order.index(u.side)
    return GameState(
        scenario_id=scenario.id,
        turn=1,
        active=0,
        phase="movement",
        units=units,
        control=control,
        sides={sid: SideState() for sid in order},
        rules=scenario.rules.model_copy(deep=True),
    )


def replay(
    scenario: Scenario,
    seed: int,
    orders: list[Order],
    world: World | None = None,
    fog: bool = True,
) -> Game:
    """A new game with ``orders`` applied in turn (raises IllegalOrder at the first bad one)."""
    game = Game(scenario, seed, world=world, fog=fog)
    for order in orders:
        game.apply(order)
    return game


def game_summary(game: Game) -> dict[str, Any]:
    """A short JSON-safe summary of a game's position."""
    return {
        "turn": game.state.turn,
        "date": game.scenario.date_of_turn(game.state.turn).date().isoformat(),
        "active": game.active_side,
        "phase": game.state.phase,
        "vp": game.victory_points(),
        "game_over": game.state.game_over,
        "winner": game.state.winner,
        "victory_level": game.state.victory_level,
    }
