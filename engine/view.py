"""A side's view of the game: every query a player makes, answered from what its side sees.

Fog of war (:mod:`engine.ai.observation`) lets a side see the enemy units within its sight
range of its own units and nothing else of the enemy's units. A :class:`SideView` answers the
player's questions (where can this unit go, what are the odds of this attack, why is this unit
out of supply) as if only those enemy units existed, so no answer reveals an unseen unit: not
through its zone of control, its stacking, nor as a defender.

The mechanism is a *seen state*: a shallow :class:`~engine.state.GameState` that shares
everything with the true state (the same unit objects, control array, rules, sides and log)
except its ``units`` dict, which holds the side's own units and only the enemy units it sees,
and its own empty ``cache``. The movement, combat and supply code then runs unchanged on it.
The world-level movement caches are keyed on the enemy deployment a state shows (every enemy
unit's hex and ZOC flag), so a seen state finds or adds its own graphs and never serves or
spoils those of the true state. A view is valid for one (state, ``version``, turn, phase,
active side); :meth:`engine.game.Game.view` rebuilds it lazily when any of them changes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine import combat, movement, supply
from engine.ai.observation import SightCover, sight_mask
from engine.errors import IllegalOrder
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import enemy_of, occupied, units_at, zone_of_control

ViewKey = tuple[int, int, str, int]


def view_key(state: GameState) -> ViewKey:
    """What a view of ``state`` depends on besides the state object itself."""
    return (state.version, state.turn, state.phase, state.active)


def seen_state(
    world: World,
    state: GameState,
    side: str,
    visible: np.ndarray,
    own: dict[str, Unit] | None = None,
) -> GameState:
    """The state as ``side`` knows it: its own units and the enemy units in ``visible`` hexes.

    A shallow copy: it shares the unit objects and every other field with ``state`` and must
    never be changed; it is valid only while ``state`` keeps its ``version``. ``own`` is the
    side's units of ``state`` by id, when the caller has them already.
    """
    if own is None:
        own = {uid: u for uid, u in state.units.items() if u.side == side}
    by_side = state.in_play()
    w = world.grid.width
    enemy = enemy_of(world, side)
    seen = [
        u
        for u in by_side.get(enemy, ())
        if visible[u.hex[1] * w + u.hex[0]]  # type: ignore[index]
    ]
    units = dict(own)
    units.update((u.id, u) for u in seen)
    ids = {u.id for u in seen}
    every = [u for u in state.on_map_units() if u.side == side or u.id in ids]
    mine = list(by_side.get(side, ()))
    in_play = {s: lst for s, lst in ((side, mine), (enemy, seen)) if lst}
    # The same lists a pass over ``units`` would give (see GameState.in_play), without it.
    ordered = {s: in_play[s] for s in state.sides if s in in_play}
    return replace(state, units=units, cache={"state.in_play": (state.version, (ordered, every))})


class SideView:
    """One side's view of the game at one moment (see the module docstring).

    Attributes:
        side: the side whose view it is.
        enemy: the other side.
        visible: hexes in which the side sees enemy units (read-only).
        state: the seen state: the side's own units and the enemy units it sees. Read it,
            never change it; pass it to engine queries to ask them as the side knows things.
        key: the true state's :func:`view_key` when the view was made.
    """

    def __init__(
        self,
        world: World,
        state: GameState,
        side: str,
        own: dict[str, Unit] | None = None,
        cover: SightCover | None = None,
        see_all: bool = False,
        visible: np.ndarray | None = None,
    ) -> None:
        if side not in state.sides:
            raise IllegalOrder("unknown_side", f"there is no side '{side}'")
        self.world = world
        self.side = side
        self.enemy = enemy_of(world, side)
        self.see_all = see_all
        """A game without fog of war: the side sees every hex."""
        # The side's sight counts, when a move just brought them up to date with ``state``.
        self._cover = cover
        if see_all:
            visible = np.ones(world.grid.size, dtype=bool)
        elif cover is not None:
            visible = cover.mask()
        elif visible is None:
            visible = sight_mask(world, state, side)
        visible.flags.writeable = False
        self.visible = visible
        self.own = (
            own if own is not None else {u: x for u, x in state.units.items() if x.side == side}
        )
        self.state = seen_state(world, state, side, visible, self.own)
        self.key = view_key(state)
        self.source = state

    def after_move(self, state: GameState, unit: Unit, start: int) -> SideView:
        """The view after one of the side's units moved from ``start`` (one version later).

        The side's sight is moved along with the unit (:class:`SightCover`: only the discs
        around its old and new hex change) rather than grown anew. When the side still sees
        exactly the same enemy units (no enemy unit stands where sight came or went), the seen
        state is carried forward rather than rebuilt, its movement scan patched as the true
        state's is (see :func:`engine.movement.advance_scan`), so the movement graph and batch of
        searches of the seen deployment keep serving the side's next moves. Otherwise it is
        built anew. :meth:`after_move_reference` is the same without the counts.
        """
        w = self.world.grid.width
        end = unit.hex[1] * w + unit.hex[0]  # type: ignore[index]
        if self.see_all or not self._follows(state):
            return SideView(
                self.world, state, self.side, self._own_for(state), see_all=self.see_all
            )
        cover, self._cover = self._cover, None  # handed on: counts follow one line of views
        if cover is None:
            cover = SightCover(self.world, state, self.side)
            visible = cover.mask()
            flipped = np.flatnonzero(visible != self.visible)
        else:
            touched, now = cover.move(start, end)
            visible = self.visible.copy()
            visible[touched] = now
            flipped = touched[self.visible[touched] != now]
        if occupied(self.world, state, self.enemy)[flipped].any():
            return SideView(self.world, state, self.side, self.own, cover)
        visible.flags.writeable = False
        return self._carried(state, unit, start, end, visible, cover)

    def after_move_reference(self, state: GameState, unit: Unit, start: int) -> SideView:
        """:meth:`after_move` with the sight mask grown anew and the seen units listed anew.

        The simple version, kept to test and time the fast one against.
        """
        visible = sight_mask(self.world, state, self.side)
        visible.flags.writeable = False
        w = self.world.grid.width
        seen = [
            u.id
            for u in state.units_of(self.enemy)
            if visible[u.hex[1] * w + u.hex[0]]  # type: ignore[index]
        ]
        if not self._follows(state) or seen != [u.id for u in self.state.units_of(self.enemy)]:
            return SideView(self.world, state, self.side, self._own_for(state))
        end = unit.hex[1] * w + unit.hex[0]  # type: ignore[index]
        return self._carried(state, unit, start, end, visible, None)

    def _follows(self, state: GameState) -> bool:
        """Whether ``state`` is this view's state one move later (so it may be carried on)."""
        return self.source is state and self.state.version == state.version - 1

    def _carried(
        self,
        state: GameState,
        unit: Unit,
        start: int,
        end: int,
        visible: np.ndarray,
        cover: SightCover | None,
    ) -> SideView:
        """This view's seen state carried one move forward (the same enemy units seen)."""
        old = self.state
        movement.advance_scan(old, unit, start, end)
        view = SideView.__new__(SideView)
        view.world, view.side, view.enemy = self.world, self.side, self.enemy
        view.visible, view.state, view.source, view.own = visible, old, state, self.own
        view.key = view_key(state)
        view._cover = cover
        view.see_all = False  # carried only under fog (a view without it is built anew)
        return view

    def renewed(self, state: GameState) -> SideView:
        """A view of ``state`` now, for a view no longer current (a new phase, a new position).

        When no unit has moved since this view was made (the same state at the same
        ``version``: a phase or the turn changed, nothing else), the side sees what it saw,
        and the sight (counts or mask) is handed on rather than grown anew.
        """
        if self.source is state and self.key[0] == state.version and not self.see_all:
            cover, self._cover = self._cover, None  # counts follow one line of views
            return SideView(self.world, state, self.side, self.own, cover, visible=self.visible)
        return SideView(self.world, state, self.side, self._own_for(state), see_all=self.see_all)

    def _own_for(self, state: GameState) -> dict[str, Unit] | None:
        """The side's units by id, if ``state`` is the one this view was made of."""
        return self.own if self.source is state else None

    def is_current(self, state: GameState) -> bool:
        """Whether the view still describes ``state`` as it is now."""
        return self.source is state and self.key == view_key(state)

    # ------------------------------------------------------------ units

    def units(self) -> list[Unit]:
        """The side's own units in play, in scenario order."""
        return self.state.units_of(self.side)

    def enemy_units(self) -> list[Unit]:
        """The enemy units the side sees, in scenario order."""
        return self.state.units_of(self.enemy)

    def seen_enemy_ids(self) -> frozenset[str]:
        """Ids of the enemy units the side sees."""
        return frozenset(u.id for u in self.enemy_units())

    def sees(self, unit_id: str) -> bool:
        """Whether the unit is one of the side's own or an enemy unit it sees."""
        u = self.state.units.get(unit_id)
        return u is not None and (u.side == self.side or u.on_map)

    def unit(self, unit_id: str) -> Unit:
        """A unit the side knows about: one of its own, or an enemy unit it sees.

        Raises:
            IllegalOrder: ``unknown_unit``, with the same message whether the unit does not
                exist or is an enemy unit the side does not see.
        """
        u = self.state.units.get(unit_id)
        if u is None:
            raise IllegalOrder("unknown_unit", f"the {self.side} side knows of no unit '{unit_id}'")
        return u

    def own_unit(self, unit_id: str) -> Unit:
        """One of the side's own units.

        Raises:
            IllegalOrder: ``unknown_unit`` (see :meth:`unit`) or ``not_your_unit``.
        """
        u = self.unit(unit_id)
        if u.side != self.side:
            raise IllegalOrder("not_your_unit", f"{u.name} is not a {self.side} unit")
        return u

    def units_at(self, where: int | tuple[int, int]) -> list[Unit]:
        """The units in one hex as the side sees them (its own, and enemy units it sees)."""
        return units_at(self.world, self.state, self._index(where))

    def enemy_zoc(self) -> np.ndarray:
        """Hexes in the zone of control of the enemy units the side sees (read-only)."""
        return zone_of_control(self.world, self.state, self.enemy)

    def own_zoc(self) -> np.ndarray:
        """Hexes in the side's own zone of control (its units are all known to it)."""
        return zone_of_control(self.world, self.state, self.side)

    def enemy_occupied(self) -> np.ndarray:
        """Hexes holding an enemy unit the side sees (read-only)."""
        return occupied(self.world, self.state, self.enemy)

    # ------------------------------------------------------------ movement

    def reachable(self, unit_id: str) -> movement.Reach:
        """Where one of the side's units can move, as if only the seen enemy units existed.

        Raises:
            IllegalOrder: not a unit of the side, or not on the map.
        """
        return movement.reachable(self.world, self.state, self.own_unit(unit_id))

    def expect_moves(self, unit_ids: list[str]) -> None:
        """Say which of the side's units the player means to move this phase.

        A hint for speed alone (:func:`engine.movement.expect_moves`): every answer is the same
        with or without it, and for a unit it did not name.
        """
        movement.expect_moves(self.world, self.state, self.side, unit_ids)

    def path(self, unit_id: str, to: tuple[int, int]) -> list[tuple[int, int]]:
        """The hexes (start and ``to`` included) of the unit's cheapest path as the side sees it.

        Empty when the unit cannot reach ``to``.
        """
        reach = self.reachable(unit_id)
        return [self.world.coord(i) for i in reach.path_to(self._index(to))]

    def path_cost(self, unit_id: str, to: tuple[int, int]) -> float:
        """Movement points of that path (``inf`` when the unit cannot reach ``to``)."""
        return self.reachable(unit_id).cost_to(self._index(to))

    # ------------------------------------------------------------ combat and supply

    def attack_targets(self, unit_id: str) -> list[tuple[int, int]]:
        """Hexes of seen enemy units one of the side's units may attack now."""
        u = self.own_unit(unit_id)
        return [self.world.coord(i) for i in combat.attack_targets(self.world, self.state, u)]

    def preview_attack(self, attackers: list[str], target: tuple[int, int]) -> combat.CombatPreview:
        """The odds of an attack against the seen defenders of ``target``.

        Raises:
            IllegalOrder: an attacker is not the side's own, or the attack breaks a rule (rule
                ``no_target`` when the hex holds no enemy unit the side sees).
        """
        units = [self.own_unit(uid) for uid in attackers]
        return combat.preview(self.world, self.state, units, self._index(target))

    def explain_supply(self, unit_id: str) -> supply.SupplyExplanation:
        """Why one of the side's units is (or is not) in supply, as far as the side can tell."""
        return supply.explain(self.world, self.state, self.own_unit(unit_id))

    # ------------------------------------------------------------ helpers

    def _index(self, where: int | tuple[int, int]) -> int:
        if isinstance(where, tuple):
            col, row = where
            if not self.world.grid.contains(col, row):
                raise IllegalOrder("off_map", f"hex {col},{row} is off the map")
            return self.world.index(col, row)
        i = int(where)
        if not 0 <= i < self.world.grid.size:
            raise IllegalOrder("off_map", f"hex index {i} is off the map")
        return i
