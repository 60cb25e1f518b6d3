"""Tests of engine.view: a side's view, contact on the move, and undo."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine import movement
from engine.errors import IllegalOrder
from engine.game import Game
from engine.orders import Attack, EndPhase, Move
from engine.scenario.builder import make_scenario, unit
from engine.state import GameState
from engine.zoc import enemy_of, zone_of_control


def sides(soviet_sight: int = 2, japanese_sight: int = 2) -> list[dict[str, Any]]:
    return [
        {"id": "soviet", "name": "Soviet", "sight_hexes": soviet_sight},
        {"id": "japanese", "name": "Japanese", "sight_hexes": japanese_sight},
    ]


def game_of(
    width: int, height: int, units: list[dict[str, Any]], soviet_sight: int = 2, **kw: Any
) -> Game:
    scenario = make_scenario(width, height, units, sides=sides(soviet_sight), **kw)
    return Game(scenario, 1)


def at(game: Game, col: int, row: int) -> int:
    return game.world.index(col, row)


def illegal(rule: str, fn: Any, *args: Any) -> IllegalOrder:
    with pytest.raises(IllegalOrder) as info:
        fn(*args)
    assert info.value.rule == rule, str(info.value)
    return info.value


# A Soviet mechanized unit on a 12-hex strip; a Japanese rifle division 6 hexes away, beyond
# the Soviet sight of 2 hexes. Its ZOC covers 5,0 to 7,0.
def strip() -> Game:
    return game_of(
        12, 1, [unit("s", "soviet", 0, 0, type="mechanized"), unit("j", "japanese", 6, 0)]
    )


# ---------------------------------------------------------------- the view


def test_an_unseen_unit_is_not_in_the_view() -> None:
    game = strip()
    view = game.view("soviet")
    assert [u.id for u in view.units()] == ["s"]
    assert view.enemy_units() == []
    assert not view.visible[at(game, 6, 0)] and view.visible[at(game, 2, 0)]
    assert view.units_at((6, 0)) == []
    assert [u.id for u in view.units_at(at(game, 0, 0))] == ["s"]
    assert not view.enemy_zoc().any()
    assert not view.sees("j")


def test_without_fog_every_side_sees_every_unit_and_plans_on_the_true_state(tmp_path) -> None:
    from engine.game import replay
    from engine.save import load_game, save_game

    scenario = make_scenario(
        12,
        1,
        [unit("s", "soviet", 0, 0, type="mechanized"), unit("j", "japanese", 6, 0)],
        sides=sides(),
    )
    game = Game(scenario, 1, fog=False)
    view = game.view("soviet")
    assert view.visible.all() and view.sees("j")
    assert [u.id for u in view.enemy_units()] == ["j"]
    reach = view.reachable("s")
    assert not reach.reaches(at(game, 9, 0))  # the ZOC is known: no contact to run into
    with pytest.raises(IllegalOrder):
        game.apply(Move(unit="s", to=(9, 0)))
    game.apply(Move(unit="s", to=(5, 0)))
    assert game.view("soviet").visible.all()  # still, after the move
    save_game(game, tmp_path / "g.json")
    loaded = load_game(tmp_path / "g.json", scenario)
    assert loaded.fog is False and loaded.state_hash() == game.state_hash()
    again = replay(scenario, 1, game.order_log, fog=False)
    assert again.state_hash() == game.state_hash()


def test_an_unseen_units_zoc_does_not_show_in_the_views_reach() -> None:
    game = strip()
    reach = game.view("soviet").reachable("s")
    assert reach.reaches(at(game, 9, 0)) and reach.cost_to(at(game, 9, 0)) == 9
    assert not reach.enemy_zoc.any()
    # The true state's reach, asked after the view's, still sees the ZOC: no cache poisoned.
    true = movement.reachable(game.world, game.state, game.state.units["s"])
    assert true.reaches(at(game, 5, 0)) and not true.reaches(at(game, 7, 0))
    assert game.reachable("s").reaches(at(game, 9, 0))  # Game.reachable asks the view too
    assert Move(unit="s", to=(9, 0)) in game.legal_orders("s")
    assert game.view("soviet").path("s", (3, 0)) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert game.view("soviet").path_cost("s", (3, 0)) == 3


def test_asking_about_units_the_side_does_not_know_raises_without_leaking() -> None:
    game = strip()
    view = game.view("soviet")
    unseen = illegal("unknown_unit", view.unit, "j")
    missing = illegal("unknown_unit", view.unit, "nobody")
    assert str(unseen).replace("'j'", "'nobody'") == str(missing)
    illegal("unknown_unit", view.reachable, "j")
    illegal("unknown_unit", view.explain_supply, "j")
    illegal("unknown_unit", game.reachable, "nobody")
    seen = game_of(4, 1, [unit("s", "soviet", 0, 0), unit("j", "japanese", 2, 0)])
    illegal("not_your_unit", seen.view("soviet").reachable, "j")
    assert seen.view("soviet").unit("j").id == "j"


def test_preview_from_the_view_lists_only_seen_defenders() -> None:
    game = game_of(
        12,
        1,
        [
            unit("s", "soviet", 0, 0),
            unit("j1", "japanese", 1, 0),
            unit("j2", "japanese", 9, 0),
        ],
    )
    game.apply(EndPhase())  # to the Soviet combat phase
    view = game.view("soviet")
    assert view.attack_targets("s") == [(1, 0)]
    preview = view.preview_attack(["s"], (1, 0))
    assert [d.unit_id for d in preview.defenders] == ["j1"]
    err = illegal("no_target", view.preview_attack, ["s"], (9, 0))
    assert str(err) == str(illegal("no_target", view.preview_attack, ["s"], (5, 0))).replace(
        "5,0", "9,0"
    )
    illegal("no_target", game.preview_attack, ["s"], (9, 0))
    assert [o.target for o in game.legal_orders("s") if isinstance(o, Attack)] == [(1, 0)]


# ---------------------------------------------------------------- contact


def test_a_move_through_an_unseen_zoc_stops_at_its_edge_and_reveals_the_unit() -> None:
    game = strip()
    s = game.state.units["s"]
    fuel = s.fuel
    result = game.apply(Move(unit="s", to=(9, 0)))
    assert s.hex == (5, 0)
    assert s.mp_left == 0  # it stopped in enemy ZOC
    rate = game.state.rules.movement.fuel_per_mp["motorized"]
    assert s.fuel == pytest.approx(fuel - 5 * rate)
    assert "stopped by contact" in result.messages[0]
    assert "5,0" in result.messages[0]
    assert game.state.log[-1].text == result.messages[0]
    soviet = game.world.scenario.side_order.index("soviet")
    assert all(game.state.control[at(game, c, 0)] == soviet for c in range(6))
    assert game.state.control[at(game, 7, 0)] != soviet  # never entered
    assert game.view("soviet").sees("j")


def test_a_move_into_an_unseen_units_hex_is_not_refused_but_stopped() -> None:
    game = strip()
    game.apply(Move(unit="s", to=(6, 0)))  # the view knows no enemy there
    assert game.state.units["s"].hex == (5, 0)


def test_illegal_move_reasons_come_from_the_view() -> None:
    game = strip()
    err = illegal("unreachable", game.apply, Move(unit="s", to=(11, 0)))
    assert "6,0" not in str(err)


def test_contact_falls_back_to_the_last_hex_where_the_unit_may_end() -> None:
    # Soviet sight 0: three rifle divisions fill 5,0 but do not see the enemy next to them.
    units = [
        unit("s", "soviet", 0, 0, type="mechanized"),
        *(unit(f"r{k}", "soviet", 5, 0) for k in range(3)),
        unit("j", "japanese", 6, 0),
    ]
    game = game_of(12, 1, units, soviet_sight=0)
    s = game.state.units["s"]
    mp = s.mp_left
    result = game.apply(Move(unit="s", to=(9, 0)))
    assert s.hex == (4, 0)
    assert s.mp_left == pytest.approx(mp - 4)  # not in enemy ZOC: it keeps its points
    assert "stopped by contact short of 5,0" in result.messages[0]


def test_a_move_with_every_enemy_seen_is_the_true_move() -> None:
    game = game_of(
        12, 1, [unit("s", "soviet", 0, 0, type="mechanized"), unit("j", "japanese", 6, 0)], 20
    )
    illegal("unreachable", game.apply, Move(unit="s", to=(9, 0)))
    result = game.apply(Move(unit="s", to=(5, 0)))
    assert "contact" not in result.messages[0] and "stops in enemy ZOC" in result.messages[0]


def _random_state(seed: int) -> Game:
    rng = np.random.default_rng(seed)
    types = ["rifle", "tank", "mechanized", "cavalry", "hq"]
    terrain = "..fmh"
    rows = ["".join(rng.choice(list(terrain), size=10)) for _ in range(8)]
    units = []
    taken: set[tuple[int, int]] = set()
    for k in range(int(rng.integers(4, 12))):
        col, row = int(rng.integers(10)), int(rng.integers(8))
        if (col, row) in taken:
            continue
        taken.add((col, row))
        side = "soviet" if k % 2 == 0 else "japanese"
        units.append(unit(f"u{k}", side, col, row, type=str(rng.choice(types))))
    scenario = make_scenario(10, 8, units, rows, sides=sides(30, 30))
    return Game(scenario, seed)


@pytest.mark.parametrize("seed", range(12))
def test_the_views_reach_is_the_true_reach_when_every_enemy_is_seen(seed: int) -> None:
    game = _random_state(seed)
    world, state = game.world, game.state
    for u in state.on_map_units():
        view = game.view(u.side)
        assert view.enemy_units() == state.units_of(enemy_of(world, u.side))
        mine = view.reachable(u.id)
        true = movement.reachable(world, state, u)
        assert np.array_equal(mine.dist, true.dist)
        assert mine.destinations() == true.destinations()
        for i in true.destinations():
            assert mine.path_to(i) == true.path_to(i)


def test_a_view_is_rebuilt_when_the_state_changes() -> None:
    game = strip()
    first = game.view("soviet")
    assert game.view("soviet") is first
    game.apply(Move(unit="s", to=(2, 0)))
    assert game.view("soviet") is not first
    assert isinstance(game.view("soviet").state, GameState)
    assert game.view("soviet").state is not game.state


def test_the_true_states_zoc_layer_is_unchanged_by_views() -> None:
    game = strip()
    before = zone_of_control(game.world, game.state, "japanese").copy()
    game.view("soviet").reachable("s")
    game.view("japanese").reachable("j")
    assert np.array_equal(zone_of_control(game.world, game.state, "japanese"), before)


# ---------------------------------------------------------------- undo


def two_units() -> list[dict[str, Any]]:
    return [
        unit("a", "soviet", 0, 0, type="mechanized"),
        unit("b", "soviet", 0, 2, type="mechanized"),
        unit("j", "japanese", 11, 1),
    ]


def test_undo_restores_the_game_as_if_the_move_was_never_made() -> None:
    a = game_of(12, 3, two_units())
    b = game_of(12, 3, two_units())
    fresh = a.state_hash()
    m1, m2 = Move(unit="a", to=(3, 0)), Move(unit="b", to=(4, 2))
    a.apply(m1, checkpoint=True)
    a.apply(m2, checkpoint=True)
    b.apply(m1)
    assert a.can_undo()
    assert a.undo() == m2
    assert a.state_hash() == b.state_hash()
    assert a.order_log == b.order_log and a.state.log == b.state.log
    assert a.undo() == m1
    assert a.state_hash() == fresh and a.order_log == []
    assert not a.can_undo()
    assert illegal("undo", a.undo).detail == "nothing to undo"
    # The game goes on as if nothing happened.
    a.apply(m1)
    assert a.state_hash() == b.state_hash()


def test_a_move_that_reveals_enemy_units_cannot_be_undone() -> None:
    game = strip()
    game.apply(Move(unit="s", to=(2, 0)), checkpoint=True)
    result = game.apply(Move(unit="s", to=(9, 0)), checkpoint=True)
    assert result.revealed == ["j"]
    assert not game.can_undo()
    assert illegal("undo", game.undo).detail == "the last move revealed enemy units"


def test_orders_without_a_checkpoint_attacks_and_phase_ends_clear_the_history() -> None:
    game = game_of(12, 3, two_units())
    game.apply(Move(unit="a", to=(3, 0)), checkpoint=True)
    game.apply(Move(unit="b", to=(4, 2)))
    assert not game.can_undo()
    game.apply(Move(unit="a", to=(4, 0)), checkpoint=True)
    game.apply(EndPhase(), checkpoint=True)
    assert not game.can_undo()
    assert "phase" in str(illegal("undo", game.undo))


def test_a_carried_view_answers_as_a_fresh_one(test_scenario: Any) -> None:
    from engine.players import ScriptedPlayer
    from engine.view import SideView

    game = Game(test_scenario, 5)
    players = {s: ScriptedPlayer(s) for s in test_scenario.side_order}
    checked = 0
    while game.state.turn <= 2 and not game.state.game_over:
        game.apply(players[game.active_side].next_order(game))
        side = game.active_side
        if game.state.phase != "movement":
            continue
        carried, fresh = game.view(side), SideView(game.world, game.state, side)
        assert carried.seen_enemy_ids() == fresh.seen_enemy_ids()
        assert np.array_equal(carried.visible, fresh.visible)
        for u in fresh.units():
            assert np.array_equal(carried.reachable(u.id).dist, fresh.reachable(u.id).dist)
            checked += 1
    assert checked > 0


def test_a_drop_on_an_unseen_unit_comes_down_beside_it(test_scenario) -> None:
    from engine.orders import AirborneDrop

    game = Game(test_scenario, 7)
    assert not game.view("soviet").sees("j_inf3")  # on 15,10, out of the Soviet sight
    legal = {o.to for o in game.legal_orders("s_ab1") if isinstance(o, AirborneDrop)}
    assert (15, 10) in legal  # listed as the side knows the enemy
    result = game.apply(AirborneDrop(unit="s_ab1", to=(15, 10)))
    ab = game.state.units["s_ab1"]
    near = {game.world.coord(j) for j in game.world.grid.neighbors_of(at(game, 15, 10))}
    assert ab.hex in near
    assert "scattered by contact off (15, 10)" in result.messages[0]
    assert game.view("soviet").sees("j_inf3")
    assert game.state.units["j_inf3"].hex == (15, 10)
    assert game.state.sides["soviet"].airborne_used == 1
    again = Game(test_scenario, 7)
    again.apply(AirborneDrop(unit="s_ab1", to=(15, 10)))
    assert again.state_hash() == game.state_hash()  # contact is deterministic


def test_a_drop_or_landing_with_no_open_hex_near_its_target_is_aborted() -> None:
    from engine.insertion import come_down, contact_target

    game = game_of(
        3,
        1,
        [unit("s", "soviet", 0, 0), unit("j1", "japanese", 1, 0), unit("j2", "japanese", 2, 0)],
        soviet_sight=0,
    )
    s = game.state.units["s"]
    assert contact_target(game.world, game.state, s, at(game, 1, 0)) is None
    words = ("drop", "zone", "drops from {start} on {end}", ", scattered by contact off {target}")
    note = come_down(game.world, game.state, s, at(game, 1, 0), "airborne", words)
    assert s.hex == (0, 0) and s.moved and s.mp_left == 0
    assert note == "s's drop on (1, 0) is aborted: the enemy holds the zone"
    assert note.kind == "airborne" and note.units == ("s",)
