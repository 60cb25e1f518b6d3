"""Tests of engine.movement: step costs, ZOC, stacking, fuel, rail, and fast == reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine import movement
from engine.errors import IllegalOrder
from engine.game import initial_state
from engine.scenario.builder import NETWORK_KINDS, make_scenario, unit
from engine.state import GameState, Unit
from engine.world import World
from engine.zoc import zone_of_control

SOVIET, JAPANESE = 0, 1


# ---------------------------------------------------------------- helpers


def make_state(scenario: Any, world: World) -> GameState:
    """The start state with every unit's full movement points (no first-day events)."""
    state = initial_state(scenario, world)
    for u in state.units.values():
        u.mp_left = u.movement_allowance
    return state


def build(
    width: int = 8,
    height: int = 1,
    units: list[dict[str, Any]] | None = None,
    terrain_rows: list[str] | None = None,
    **sections: Any,
) -> tuple[World, GameState]:
    scenario = make_scenario(width, height, units or [], terrain_rows, **sections)
    world = World(scenario)
    return world, make_state(scenario, world)


def road(line_id: str, hexes: list[tuple[int, int]], kind: str = "road", **kw: Any) -> dict:
    return {"id": line_id, "kind": kind, "capacity": 1000, "hexes": [list(h) for h in hexes], **kw}


def network(*lines: dict) -> dict:
    return {"kinds": NETWORK_KINDS, "lines": list(lines)}


def river(a: tuple[int, int], b: tuple[int, int], cls: str = "minor") -> dict:
    return {"name": f"River {a}-{b}", "class": cls, "hexsides": [[list(a), list(b)]]}


def idx(world: World, col: int, row: int) -> int:
    return world.index(col, row)


def row_costs(world: World, reach: movement.Reach, row: int = 0) -> list[float]:
    return [reach.cost_to(idx(world, c, row)) for c in range(world.grid.width)]


def illegal(rule: str, fn: Any, *args: Any) -> None:
    with pytest.raises(IllegalOrder) as info:
        fn(*args)
    assert info.value.rule == rule, str(info.value)


# ---------------------------------------------------------------- step costs


@pytest.mark.parametrize(
    ("utype", "terrain", "expected"),
    [
        ("rifle", "f", [0, 2, 4, np.inf, np.inf]),  # foot 2 per forest hex, 4 MP
        ("mechanized", "f", [0, 3, 6, 9, np.inf]),  # motorized 3 per forest hex, 10 MP
        ("tank", "m", [0, 3, 6, 9, np.inf]),  # tracked 3 per mountain hex, 10 MP
        ("mechanized", "m", [0, 4, 8, np.inf, np.inf]),  # motorized 4 per mountain hex
        ("tank", "s", [0, 4, 8, np.inf, np.inf]),  # tracked 4 per marsh hex
        ("cavalry", "h", [0, 2, 4, 6, np.inf]),  # cavalry 2 per hill hex, 7 MP
    ],
)
def test_terrain_cost_per_movement_class(utype: str, terrain: str, expected: list[float]) -> None:
    world, state = build(5, 1, [unit("a", "soviet", 0, 0, type=utype)], ["." + terrain * 4])
    reach = movement.reachable(world, state, state.units["a"])
    assert row_costs(world, reach) == expected


def test_roads_are_cheaper_and_bridge_rivers() -> None:
    rows = ["ffffff"]
    world, state = build(
        6,
        1,
        [unit("a", "soviet", 0, 0, type="mechanized"), unit("b", "soviet", 0, 0)],
        rows,
        network=network(road("r", [(0, 0), (1, 0), (2, 0), (3, 0)])),
        map={"rivers": [river((2, 0), (3, 0), "major"), river((4, 0), (5, 0), "minor")]},
    )
    mech = movement.reachable(world, state, state.units["a"])
    # 0.34 per road hex, the major river bridged by the road; then forest 3 and a minor river +1.
    assert row_costs(world, mech) == pytest.approx([0, 0.34, 0.68, 1.02, 4.02, 8.02])
    foot = movement.reachable(world, state, state.units["b"])
    assert row_costs(world, foot)[:4] == pytest.approx([0, 0.5, 1.0, 1.5])


def test_river_crossing_costs_extra_off_road() -> None:
    world, state = build(
        4,
        1,
        [unit("a", "soviet", 0, 0, type="tank"), unit("b", "soviet", 0, 0)],
        map={"rivers": [river((1, 0), (2, 0), "major")]},
    )
    tank = movement.reachable(world, state, state.units["a"])
    assert row_costs(world, tank) == [0, 1, 5, 6]  # 1 + major river 3
    foot = movement.reachable(world, state, state.units["b"])
    assert row_costs(world, foot) == [0, 1, 4, np.inf]  # 1 + major river 2, then out of MP


def test_road_condition_divides_cost() -> None:
    world, state = build(
        3,
        1,
        [unit("a", "soviet", 0, 0)],
        ["fff"],
        network=network(road("r", [(0, 0), (1, 0), (2, 0)], condition=0.5)),
    )
    reach = movement.reachable(world, state, state.units["a"])
    assert row_costs(world, reach) == pytest.approx([0, 1.0, 2.0])


def test_water_and_marsh_are_impassable() -> None:
    world, state = build(
        5,
        2,
        [unit("a", "soviet", 0, 0, type="mechanized"), unit("b", "soviet", 0, 1)],
        ["..s..", "..~.."],
    )
    mech = movement.reachable(world, state, state.units["a"])
    assert np.isinf(mech.cost_to(idx(world, 2, 0)))
    assert np.isinf(mech.cost_to(idx(world, 3, 0)))  # marsh and water close the map
    foot = movement.reachable(world, state, state.units["b"])
    assert np.isinf(foot.cost_to(idx(world, 2, 1)))
    assert foot.cost_to(idx(world, 2, 0)) == 4  # foot may enter the marsh: 1 + 3


def test_path_costs_add_up_and_paths_are_adjacent() -> None:
    world, state = build(
        8, 6, [unit("a", "soviet", 1, 1, type="tank")], ["..ff.h..", ".fm...s."] + ["." * 8] * 4
    )
    reach = movement.reachable(world, state, state.units["a"])
    cost = world.base_step_cost["tracked"]
    for dest in reach.destinations():
        path = reach.path_to(dest)
        assert path[0] == reach.start and path[-1] == dest
        total = sum(
            cost[a, world.grid.direction(a, b)] for a, b in zip(path, path[1:], strict=False)
        )
        assert total == pytest.approx(reach.cost_to(dest))
    assert reach.path_to(reach.start) == [reach.start]


# ---------------------------------------------------------------- units: enemy hexes, ZOC, stacking

# A one-hex-wide corridor (row 0) above water; an enemy unit stands on the one land hex of row 1,
# so its zone of control covers corridor hexes 4,0 and 5,0.
CORRIDOR = [".........", "~~~~.~~~~"]


def corridor(*units: dict, **sections: Any) -> tuple[World, GameState]:
    return build(9, 2, [unit("j", "japanese", 4, 1), *units], CORRIDOR, **sections)


def test_corridor_zoc_layout() -> None:
    world, state = corridor()
    zoc = zone_of_control(world, state, "japanese")
    assert [c for c in range(9) if zoc[idx(world, c, 0)]] == [4, 5]


def test_entering_enemy_zoc_ends_movement() -> None:
    world, state = corridor(unit("t", "soviet", 0, 0, type="tank"))
    reach = movement.reachable(world, state, state.units["t"])
    assert row_costs(world, reach) == [0, 1, 2, 3, 4] + [np.inf] * 4
    assert idx(world, 4, 0) in reach.destinations()


def test_without_enemy_the_corridor_is_open() -> None:
    world, state = build(9, 2, [unit("t", "soviet", 0, 0, type="tank")], CORRIDOR)
    reach = movement.reachable(world, state, state.units["t"])
    assert row_costs(world, reach) == [0, 1, 2, 3, 4, 5, 6, 7, 8]


def test_zoc_to_zoc_forbidden_by_default_but_leaving_zoc_allowed() -> None:
    world, state = corridor(unit("t", "soviet", 4, 0, type="tank"))
    reach = movement.reachable(world, state, state.units["t"])
    assert row_costs(world, reach) == [4, 3, 2, 1, 0] + [np.inf] * 4
    illegal("unreachable", movement.move_unit, world, state, state.units["t"], idx(world, 5, 0))


def test_zoc_to_zoc_allowed_when_rule_is_true() -> None:
    world, state = corridor(unit("t", "soviet", 4, 0, type="tank"))
    movement.reachable(world, state, state.units["t"])  # warm the cache with the rule off
    state.rules.movement.zoc_to_zoc = True
    reach = movement.reachable(world, state, state.units["t"])
    # One step into the next ZOC hex, where movement ends again.
    assert row_costs(world, reach) == [4, 3, 2, 1, 0, 1, np.inf, np.inf, np.inf]


def test_zoc_rule_from_scenario() -> None:
    world, state = corridor(
        unit("t", "soviet", 4, 0, type="tank"), rules={"movement": {"zoc_to_zoc": True}}
    )
    assert movement.reachable(world, state, state.units["t"]).cost_to(idx(world, 5, 0)) == 1


def test_move_into_zoc_spends_all_movement_points() -> None:
    world, state = corridor(unit("t", "soviet", 0, 0, type="tank"))
    t = state.units["t"]
    msg = movement.move_unit(world, state, t, idx(world, 4, 0))
    assert t.hex == (4, 0) and t.mp_left == 0
    assert "ZOC" in msg
    illegal("no_movement_points", movement.move_unit, world, state, t, idx(world, 3, 0))


def test_enemy_hexes_cannot_be_entered_or_passed() -> None:
    world, state = build(
        6, 1, [unit("t", "soviet", 0, 0, type="tank"), unit("h", "japanese", 2, 0, type="hq")]
    )
    reach = movement.reachable(world, state, state.units["t"])
    # An HQ exerts no ZOC, but its hex still blocks the only way east.
    assert row_costs(world, reach) == [0, 1] + [np.inf] * 4
    illegal("enemy_occupied", movement.move_unit, world, state, state.units["t"], idx(world, 2, 0))


@pytest.mark.parametrize(("cls", "stops"), [("major", False), ("minor", True)])
def test_major_river_blocks_zoc(cls: str, stops: bool) -> None:
    # The enemy at 3,0 projects its ZOC into 2,0 unless a major river lies between them.
    world, state = build(
        6,
        1,
        [unit("t", "soviet", 0, 0, type="tank"), unit("j", "japanese", 3, 0)],
        map={"rivers": [river((2, 0), (3, 0), cls)]},
    )
    t = state.units["t"]
    reach = movement.reachable(world, state, t)
    assert bool(reach.enemy_zoc[idx(world, 2, 0)]) == stops
    assert row_costs(world, reach) == [0, 1, 2] + [np.inf] * 3
    movement.move_unit(world, state, t, idx(world, 2, 0))
    assert t.mp_left == (0 if stops else 8)


def test_moving_past_enemy_zoc_costs_nothing_extra() -> None:
    world, state = build(
        6, 1, [unit("t", "soviet", 0, 0, type="tank"), unit("j", "japanese", 5, 0)]
    )
    reach = movement.reachable(world, state, state.units["t"])
    assert row_costs(world, reach) == [0, 1, 2, 3, 4, np.inf]
    assert bool(reach.enemy_zoc[idx(world, 4, 0)]) and not reach.enemy_zoc[idx(world, 3, 0)]


def test_friendly_units_are_passed_and_stacking_checked_at_destination() -> None:
    friends = [unit(f"f{k}", "soviet", 2, 0) for k in range(3)]
    world, state = build(
        5,
        1,
        [unit("t", "soviet", 0, 0, type="tank"), unit("hq", "soviet", 0, 0, type="hq"), *friends],
    )
    t = state.units["t"]
    reach = movement.reachable(world, state, t)
    assert reach.cost_to(idx(world, 3, 0)) == 3  # through the full stack
    assert idx(world, 2, 0) not in reach.destinations()
    assert idx(world, 3, 0) in reach.destinations()
    illegal("stacking", movement.move_unit, world, state, t, idx(world, 2, 0))
    hq = state.units["hq"]  # 0 stacking points: may join the full stack
    assert idx(world, 2, 0) in movement.reachable(world, state, hq).destinations()
    movement.move_unit(world, state, hq, idx(world, 2, 0))
    assert hq.hex == (2, 0)


def test_stacking_limit_is_read_from_state_rules() -> None:
    world, state = build(4, 1, [unit("a", "soviet", 0, 0), unit("b", "soviet", 1, 0)])
    a = state.units["a"]
    assert idx(world, 1, 0) in movement.reachable(world, state, a).destinations()
    state.rules.stacking.max_points = 1
    assert idx(world, 1, 0) not in movement.reachable(world, state, a).destinations()


def test_start_hex_is_not_a_destination() -> None:
    world, state = build(3, 1, [unit("a", "soviet", 1, 0)])
    reach = movement.reachable(world, state, state.units["a"])
    assert reach.destinations() == [0, 2]
    illegal("same_hex", movement.move_unit, world, state, state.units["a"], 1)


# ---------------------------------------------------------------- fuel and movement points


def test_fuel_limits_movement_points() -> None:
    world, state = build(8, 1, [unit("t", "soviet", 0, 0, type="tank", fuel=0.06)])
    t = state.units["t"]
    assert movement.movement_points(world, state, t) == pytest.approx(2.0)  # 0.06 / 0.03
    reach = movement.reachable(world, state, t)
    assert reach.destinations() == [1, 2]
    movement.move_unit(world, state, t, 2)
    assert t.fuel == 0.0 and t.mp_left == 8
    illegal("no_movement_points", movement.move_unit, world, state, t, 3)


def test_fuel_burn_per_movement_point() -> None:
    world, state = build(8, 1, [unit("m", "soviet", 0, 0, type="mechanized")])
    m = state.units["m"]
    movement.move_unit(world, state, m, 3)
    assert m.fuel == pytest.approx(1.0 - 3 * 0.02)
    assert m.mp_left == 7


def test_foot_units_burn_no_fuel() -> None:
    world, state = build(8, 1, [unit("r", "soviet", 0, 0, fuel=0.0)])
    r = state.units["r"]
    assert movement.movement_points(world, state, r) == 4
    movement.move_unit(world, state, r, 3)
    assert r.fuel == 1.0


def test_fuel_rate_is_read_from_state_rules() -> None:
    world, state = build(8, 1, [unit("t", "soviet", 0, 0, type="tank", fuel=0.5)])
    state.rules.movement.fuel_per_mp["tracked"] = 0.1
    assert movement.movement_points(world, state, state.units["t"]) == pytest.approx(5.0)


def test_mp_left_limits_movement() -> None:
    world, state = build(8, 1, [unit("t", "soviet", 0, 0, type="tank")])
    t = state.units["t"]
    t.mp_left = 2.5
    assert movement.reachable(world, state, t).destinations() == [1, 2]
    t.mp_left = 0
    assert movement.reachable(world, state, t).destinations() == []


def test_move_executes_and_flips_control_along_the_path() -> None:
    world, state = build(
        8, 3, [unit("t", "soviet", 0, 1, type="tank", entrenchment=2)], ["." * 8, "." * 8, "." * 8]
    )
    state.control[:] = JAPANESE
    state.control[idx(world, 0, 1)] = SOVIET
    t = state.units["t"]
    reach = movement.reachable(world, state, t)
    path = reach.path_to(idx(world, 5, 1))
    version = state.version
    msg = movement.move_unit(world, state, t, idx(world, 5, 1))
    assert msg == "t moves 0,1 -> 5,1 (5 MP)"
    assert t.hex == (5, 1) and t.mp_left == 5 and t.moved and t.entrenchment == 0
    assert t.fuel == pytest.approx(1 - 5 * 0.03)
    assert state.version == version + 1
    assert len(path) == 6
    assert all(state.control[i] == SOVIET for i in path)
    assert int((state.control == SOVIET).sum()) == 6  # nothing off the path


def test_second_move_uses_what_is_left() -> None:
    world, state = build(8, 1, [unit("r", "soviet", 0, 0)])
    r = state.units["r"]
    movement.move_unit(world, state, r, 3)
    assert movement.reachable(world, state, r).destinations() == [2, 4]  # 1 MP left
    illegal("unreachable", movement.move_unit, world, state, r, 5)


# ---------------------------------------------------------------- illegal orders change nothing


def test_illegal_moves_leave_state_unchanged() -> None:
    world, state = corridor(
        unit("t", "soviet", 0, 0, type="tank"),
        unit("r", "soviet", 1, 0),
        unit("f1", "soviet", 2, 0),
        unit("f2", "soviet", 2, 0),
        unit("f3", "soviet", 2, 0),
    )
    cases = [
        ("t", idx(world, 7, 0), "unreachable"),
        ("t", idx(world, 4, 1), "enemy_occupied"),
        ("t", idx(world, 2, 0), "stacking"),
        ("t", idx(world, 0, 0), "same_hex"),
        ("t", 10_000, "off_map"),
        ("t", idx(world, 0, 1), "unreachable"),  # water
    ]
    before = state.state_hash()
    for uid, dest, rule in cases:
        illegal(rule, movement.move_unit, world, state, state.units[uid], dest)
        assert state.state_hash() == before
    state.units["r"].rail_moved = True
    before = state.state_hash()
    illegal("rail_moved", movement.move_unit, world, state, state.units["r"], idx(world, 0, 0))
    assert state.state_hash() == before


def test_queries_do_not_change_state() -> None:
    world, state = corridor(unit("t", "soviet", 0, 0, type="tank"))
    before = state.state_hash()
    movement.reachable(world, state, state.units["t"]).destinations()
    movement.reachable_reference(world, state, state.units["t"])
    movement.rail_destinations(world, state, state.units["t"])
    assert state.state_hash() == before


def test_cache_follows_enemy_moves() -> None:
    world, state = corridor(unit("t", "soviet", 0, 0, type="tank"))
    t = state.units["t"]
    assert np.isinf(movement.reachable(world, state, t).cost_to(idx(world, 6, 0)))
    # Whoever changes where units are bumps state.version (the GameState contract).
    state.units["j"].status = "destroyed"
    state.version += 1
    assert movement.reachable(world, state, t).cost_to(idx(world, 6, 0)) == 6
    state.units["j"].status = "active"
    state.units["j"].exerts_zoc = False
    state.version += 1
    assert movement.reachable(world, state, t).cost_to(idx(world, 6, 0)) == 6
    state.units["j"].exerts_zoc = True
    state.version += 1
    assert np.isinf(movement.reachable(world, state, t).cost_to(idx(world, 6, 0)))


def test_not_on_map_unit_is_rejected() -> None:
    world, state = build(4, 1, [unit("a", "soviet", 0, 0)])
    a = state.units["a"]
    a.status = "destroyed"
    illegal("not_on_map", movement.reachable, world, state, a)
    illegal("not_on_map", movement.move_unit, world, state, a, 1)
    assert movement.rail_destinations(world, state, a) == []


# ---------------------------------------------------------------- rail movement

RAIL = [(c, 1) for c in range(12)]


def railway(*units: dict, **sections: Any) -> tuple[World, GameState]:
    world, state = build(
        12,
        3,
        list(units),
        ["." * 12] * 3,
        network=network(road("rail", RAIL, kind="rail")),
        **sections,
    )
    state.control[:] = JAPANESE
    for c in range(8):
        for r in range(3):
            state.control[idx(world, c, r)] = SOVIET
    return world, state


def rail_cols(world: World, hexes: list[int]) -> list[int]:
    assert all(world.coord(i)[1] == 1 for i in hexes)
    return [world.coord(i)[0] for i in hexes]


def test_rail_destinations_follow_friendly_line() -> None:
    world, state = railway(unit("a", "soviet", 0, 1))
    a = state.units["a"]
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == list(range(1, 8))
    state.rules.movement.rail_move_hexes = 3
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == [1, 2, 3]


def test_rail_move_executes() -> None:
    world, state = railway(unit("a", "soviet", 0, 1, type="tank"))
    a = state.units["a"]
    version = state.version
    msg = movement.rail_move(world, state, a, idx(world, 6, 1))
    assert msg == "a moves by rail 0,1 -> 6,1 (6 hexes)"
    assert a.hex == (6, 1) and a.rail_moved and a.moved and a.mp_left == 0
    assert a.fuel == 1.0
    assert state.sides["soviet"].rail_moves_used == 1
    assert state.version == version + 1
    assert movement.movement_points(world, state, a) == 0
    assert movement.reachable(world, state, a).destinations() == []
    illegal("rail_moved", movement.move_unit, world, state, a, idx(world, 5, 1))
    illegal("rail_moved", movement.rail_move, world, state, a, idx(world, 5, 1))


def test_rail_blocked_by_enemy_zoc_on_the_line() -> None:
    world, state = railway(unit("a", "soviet", 0, 1), unit("j", "japanese", 5, 0))
    zoc = zone_of_control(world, state, "japanese")
    first_blocked = min(c for c in range(12) if zoc[idx(world, c, 1)])
    assert first_blocked == 4
    a = state.units["a"]
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == [1, 2, 3]
    illegal("rail_unreachable", movement.rail_move, world, state, a, idx(world, 6, 1))


def test_rail_blocked_by_enemy_control_and_units() -> None:
    world, state = railway(unit("a", "soviet", 0, 1), unit("h", "japanese", 3, 1, type="hq"))
    state.control[idx(world, 3, 1)] = JAPANESE
    a = state.units["a"]
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == [1, 2]
    state.units["h"].status = "destroyed"
    state.version += 1  # whoever changes where units are bumps the version
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == [1, 2]
    state.control[idx(world, 3, 1)] = SOVIET
    assert rail_cols(world, movement.rail_destinations(world, state, a)) == list(range(1, 8))


def test_rail_capacity_per_turn() -> None:
    world, state = railway(*(unit(f"u{k}", "soviet", k, 1) for k in range(3)))
    movement.rail_move(world, state, state.units["u0"], idx(world, 7, 1))
    movement.rail_move(world, state, state.units["u1"], idx(world, 6, 1))
    u2 = state.units["u2"]
    assert movement.rail_destinations(world, state, u2) == []
    before = state.state_hash()
    illegal("rail_capacity", movement.rail_move, world, state, u2, idx(world, 5, 1))
    assert state.state_hash() == before


def test_no_rail_move_after_moving_or_off_the_line_or_in_zoc() -> None:
    world, state = railway(
        unit("moved", "soviet", 0, 1),
        unit("attacked", "soviet", 1, 1),
        unit("off", "soviet", 0, 0),
        unit("zoc", "soviet", 9, 1),
        unit("j", "japanese", 10, 1),
        unit("stack", "soviet", 2, 1),
    )
    state.units["moved"].moved = True
    state.units["attacked"].attacked = True
    state.rules.stacking.max_points = 1
    before = state.state_hash()
    for uid, dest, rule in [
        ("moved", (3, 1), "rail_after_moving"),
        ("attacked", (3, 1), "rail_after_moving"),
        ("off", (3, 1), "rail_not_on_line"),
        ("zoc", (7, 1), "rail_zoc"),
    ]:
        u = state.units[uid]
        assert movement.rail_destinations(world, state, u) == []
        illegal(rule, movement.rail_move, world, state, u, idx(world, *dest))
    stack = state.units["stack"]
    state.units["moved"].hex = (4, 1)  # a full hex on the line is passed, not ended in
    state.version += 1
    assert 4 not in rail_cols(world, movement.rail_destinations(world, state, stack))
    assert 5 in rail_cols(world, movement.rail_destinations(world, state, stack))
    illegal("stacking", movement.rail_move, world, state, stack, idx(world, 4, 1))
    illegal("same_hex", movement.rail_move, world, state, stack, idx(world, 2, 1))
    state.units["moved"].hex = (0, 1)
    assert state.state_hash() == before


# ---------------------------------------------------------------- fast == reference

CODES = "..fhms~u"


def random_world(rng: np.random.Generator) -> tuple[World, GameState]:
    width, height = int(rng.integers(4, 10)), int(rng.integers(3, 9))
    rows = ["".join(rng.choice(list(CODES), size=width)) for _ in range(height)]
    land = [(c, r) for r in range(height) for c in range(width) if rows[r][c] in ".fhu"]
    probe = World(make_scenario(width, height, [], rows))
    rivers = []
    for k in range(int(rng.integers(0, 2 * width))):
        a = int(rng.integers(probe.grid.size))
        b = int(probe.grid.neighbor_index[a, int(rng.integers(6))])
        if b >= 0:
            rivers.append(
                {
                    "name": f"r{k}",
                    "class": "major" if rng.random() < 0.4 else "minor",
                    "hexsides": [[list(probe.coord(a)), list(probe.coord(b))]],
                }
            )
    lines = []
    for k in range(int(rng.integers(0, 4))):
        if not land:
            break
        at = probe.index(*land[int(rng.integers(len(land)))])
        hexes = [at]
        for _ in range(int(rng.integers(2, 10))):
            nxt = int(probe.grid.neighbor_index[at, int(rng.integers(6))])
            if nxt < 0 or nxt in hexes or rows[nxt // width][nxt % width] == "~":
                continue
            hexes.append(nxt)
            at = nxt
        if len(hexes) >= 2:
            lines.append(
                road(
                    f"l{k}",
                    [probe.coord(h) for h in hexes],
                    kind="rail" if rng.random() < 0.3 else "road",
                    condition=float(rng.choice([1.0, 0.5, 0.7])),
                )
            )
    units = []
    spots = rng.permutation(len(land))[: int(rng.integers(2, 12))] if land else []
    types = ["rifle", "tank", "mechanized", "cavalry", "hq"]
    for k, s in enumerate(spots):
        c, r = land[int(s)]
        side = "soviet" if rng.random() < 0.5 else "japanese"
        utype = types[int(rng.integers(len(types)))]
        if rows[r][c] == "s" and utype in ("mechanized", "hq"):
            utype = "rifle"
        units.append(unit(f"u{k}", side, c, r, type=utype, fuel=float(rng.choice([1.0, 0.1]))))
        if rng.random() < 0.3:  # a friend in the same hex, to exercise stacking
            units.append(unit(f"v{k}", side, c, r))
    world, state = build(
        width, height, units, rows, network=network(*lines), map={"rivers": rivers}
    )
    state.rules.stacking.max_points = int(rng.integers(1, 4))
    state.rules.movement.zoc_to_zoc = bool(rng.random() < 0.5)
    for u in state.units.values():
        u.mp_left = float(rng.choice([u.movement_allowance, u.movement_allowance / 2, 13.0]))
    return world, state


def assert_same_reach(
    world: World, state: GameState, fast: movement.Reach, ref: movement.Reach, u: Unit
) -> None:
    assert np.array_equal(np.isinf(fast.dist), np.isinf(ref.dist))
    finite = np.isfinite(ref.dist)
    assert np.allclose(fast.dist[finite], ref.dist[finite])
    assert fast.destinations() == ref.destinations()
    zoc = zone_of_control(world, state, "japanese" if u.side == "soviet" else "soviet")
    cost = world.base_step_cost[u.movement_class]
    for dest in fast.destinations():
        path = fast.path_to(dest)
        # Canonical paths (engine/tiebreak.py): both searches pick the very same route.
        assert path == ref.path_to(dest)
        steps = list(zip(path, path[1:], strict=False))
        total = sum(cost[a, world.grid.direction(a, b)] for a, b in steps)
        assert total == pytest.approx(fast.cost_to(dest))
        assert all(not zoc[a] for a, _ in steps[1:])  # only the start may be left from ZOC
        if not state.rules.movement.zoc_to_zoc and len(steps) and zoc[path[0]]:
            assert not zoc[path[1]]


@pytest.mark.parametrize("seed", range(60))
def test_fast_equals_reference_on_random_worlds(seed: int) -> None:
    world, state = random_world(np.random.default_rng(seed))
    for u in state.on_map_units():
        fast = movement.reachable(world, state, u)
        ref = movement.reachable_reference(world, state, u)
        assert_same_reach(world, state, fast, ref, u)


def test_fast_equals_reference_through_a_sequence_of_moves() -> None:
    rng = np.random.default_rng(1234)
    for _ in range(10):
        world, state = random_world(rng)
        for _ in range(15):
            units = state.on_map_units()
            u = units[int(rng.integers(len(units)))]
            fast = movement.reachable(world, state, u)
            assert_same_reach(world, state, fast, movement.reachable_reference(world, state, u), u)
            dests = fast.destinations()
            if dests:
                movement.move_unit(world, state, u, dests[int(rng.integers(len(dests)))])


def test_searches_from_the_last_batch_equal_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both sides move in turn on random worlds; each unit's search, answered from its side's
    last batch where the enemy deployment changed out of its reach, equals the plain model."""
    real = movement._reused_row
    reused = [0]

    def counted(*args: Any) -> Any:
        hit = real(*args)
        reused[0] += hit is not None
        return hit

    monkeypatch.setattr(movement, "_reused_row", counted)
    for seed in range(25):
        rng = np.random.default_rng(seed)
        world, state = random_world(rng)
        for _ in range(12):
            units = state.on_map_units()
            for u in units:
                fast = movement.reachable(world, state, u)
                ref = movement.reachable_reference(world, state, u)
                assert_same_reach(world, state, fast, ref, u)
            u = units[int(rng.integers(len(units)))]
            dests = movement.reachable(world, state, u).destinations()
            if dests:
                movement.move_unit(world, state, u, dests[int(rng.integers(len(dests)))])
                u.mp_left = u.movement_allowance  # keep every unit moving and searching
                u.moved = bool(rng.random() < 0.5)
    assert reused[0] > 20


def test_a_zone_of_control_lifted_next_to_a_start_in_zoc_opens_the_step_out() -> None:
    # s starts in A's zone of control; the hex east of it is in B's. Without ZOC-to-ZOC moves
    # it cannot step there, until B leaves: the last batch (s cannot move at all) is stale for
    # s although s reached none of the hexes whose zone changed.
    units = [
        unit("s", "soviet", 2, 0),
        unit("t", "soviet", 9, 0),
        unit("a", "japanese", 1, 0),
        unit("b", "japanese", 4, 0),
    ]
    world, state = build(10, 1, units)
    state.rules.movement.zoc_to_zoc = False
    s = state.units["s"]
    before = movement.reachable(world, state, s)
    assert before.destinations() == []
    state.units["b"].hex = (7, 0)
    state.moved()
    after = movement.reachable(world, state, s)
    assert_same_reach(world, state, after, movement.reachable_reference(world, state, s), s)
    assert idx(world, 3, 0) in after.destinations()


@pytest.mark.parametrize("seed", range(10))
def test_batched_searches_equal_searches_alone(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    world, state = random_world(np.random.default_rng(seed))
    units = state.on_map_units()
    batched = {}
    for u in units:
        state.cache.clear()
        batched[u.id] = movement.reachable(world, state, u)
    monkeypatch.setattr(movement, "USE_BATCHES", False)
    movement.forget_batches(world)
    for u in units:
        state.cache.clear()
        alone = movement.reachable(world, state, u)
        b = batched[u.id]
        assert np.array_equal(alone.reachable_mask, b.reachable_mask)
        reach = alone.reachable_mask
        # Exactly equal, not approximately: the same unique paths, summed in the same order.
        assert np.array_equal(alone.search_dist[reach], b.search_dist[reach])
        none_is_negative = np.maximum  # any negative predecessor means "none"
        assert np.array_equal(
            none_is_negative(alone.predecessors[reach], -1),
            none_is_negative(b.predecessors[reach], -1),
        )


# ---------------------------------------------------------------- the minimum move


def minimum_move_world(on: bool) -> tuple[World, GameState]:
    # A rifle unit (4 MP) next to mountains (3 MP) behind a major river (+2): 5 MP to enter.
    rows = [".mmm", "...."]
    rivers = [{"name": "R", "class": "major", "hexsides": [[[0, 0], [1, 0]], [[0, 1], [1, 0]]]}]
    return build(
        4,
        2,
        [unit("r", "soviet", 0, 0), unit("j", "japanese", 3, 1)],
        rows,
        map={"rivers": rivers},
        rules={"movement": {"minimum_move": on}},
    )


def test_minimum_move_lets_a_fresh_unit_take_one_dear_step() -> None:
    world, state = minimum_move_world(True)
    r = state.units["r"]
    reach = movement.reachable(world, state, r)
    dear = idx(world, 1, 0)
    assert reach.cost_to(dear) == r.movement_allowance
    assert reach.path_to(dear) == [idx(world, 0, 0), dear]
    assert dear in reach.destinations()
    movement.move_unit(world, state, r, dear)
    assert r.hex == (1, 0) and r.mp_left == 0


def test_minimum_move_is_off_by_default_and_only_for_units_that_have_not_moved() -> None:
    world, state = minimum_move_world(False)
    assert not movement.reachable(world, state, state.units["r"]).reaches(idx(world, 1, 0))
    world, state = minimum_move_world(True)
    r = state.units["r"]
    movement.move_unit(world, state, r, idx(world, 0, 1))  # a cheap step first
    assert not movement.reachable(world, state, r).reaches(idx(world, 1, 0))


def test_minimum_move_agrees_with_the_reference() -> None:
    world, state = minimum_move_world(True)
    r = state.units["r"]
    fast = movement.reachable(world, state, r)
    ref = movement.reachable_reference(world, state, r)
    assert fast.destinations() == ref.destinations()
    assert fast.cost_to(idx(world, 1, 0)) == ref.cost_to(idx(world, 1, 0))


def test_a_rail_ride_planned_on_a_view_stops_by_contact_before_an_unseen_zoc() -> None:
    from engine.view import seen_state

    world, state = railway(unit("a", "soviet", 0, 1), unit("j", "japanese", 5, 0))
    plan = seen_state(world, state, "soviet", np.zeros(world.grid.size, dtype=bool))
    a = state.units["a"]
    # the side sees no enemy: the whole friendly line is open to it
    assert rail_cols(world, movement.rail_destinations(world, plan, a)) == list(range(1, 8))
    msg = movement.rail_move(world, state, a, idx(world, 6, 1), plan=plan)
    assert a.hex == (3, 1)  # the last hex before the unseen unit's ZOC on the line
    assert "stopped by contact short of 4,1" in msg and "(3 hexes" in msg
    assert a.rail_moved and a.mp_left == 0
    assert state.sides["soviet"].rail_moves_used == 1
