"""Tests of supply lines: trace, blocking, sources, bottlenecks, daily effects and air supply."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine import supply
from engine.errors import IllegalOrder
from engine.game import initial_state
from engine.hexgrid import HexGrid
from engine.scenario.builder import NETWORK_KINDS, make_scenario, unit
from engine.state import GameState
from engine.world import World

SOURCE = {"id": "base", "side": "soviet", "hex": [0, 2], "kind": "railhead"}


def rail(cols: range, row: int = 2, kind: str = "rail", capacity: float = 5000, **kw: Any):
    return {
        "id": f"{kind}_{row}_{cols.start}",
        "kind": kind,
        "capacity": capacity,
        "hexes": [[c, row] for c in cols],
        **kw,
    }


def build(
    units: list[dict[str, Any]],
    lines: list[dict[str, Any]] | None = None,
    sources: list[dict[str, Any]] | None = None,
    width: int = 20,
    height: int = 5,
    **sections: Any,
) -> tuple[World, GameState]:
    scenario = make_scenario(
        width,
        height,
        units=units,
        network={"kinds": NETWORK_KINDS, "lines": lines or []},
        supply_sources=[SOURCE] if sources is None else sources,
        **sections,
    )
    world = World(scenario)
    return world, initial_state(scenario, world)


def status(world: World, state: GameState, uid: str) -> supply.UnitSupply:
    u = state.units[uid]
    return supply.trace(world, state, u.side).units[uid]


# ---------------------------------------------------------------- the trace


def test_unit_near_source_is_in_supply_and_far_unit_is_not():
    world, state = build([unit("near", "soviet", 3, 2), unit("far", "soviet", 10, 2)])
    t = supply.trace(world, state, "soviet")
    assert t.units["near"].in_supply and t.units["near"].ratio == 1.0
    assert t.units["near"].path[0] == world.index(3, 2)
    assert t.units["near"].path[-1] == world.index(0, 2)
    assert t.overland_cost[world.index(3, 2)] == pytest.approx(3.0, abs=1e-4)
    assert not t.units["far"].in_supply and t.units["far"].ratio == 0.0
    assert t.in_supply(world.index(4, 2)) and not t.in_supply(world.index(5, 2))
    why = supply.explain(world, state, state.units["far"])
    assert not why.in_supply
    assert why.reason.startswith("beyond overland range: 10.0 > 4.0")


def test_usable_sources_and_air_lift_left():
    world, state = build([unit("a", "soviet", 3, 2)])
    assert supply.usable_sources(world, state, "soviet") == [world.index(0, 2)]
    assert supply.usable_sources(world, state, "japanese") == []
    assert supply.air_lift_left(world, state, "soviet") == 100
    state.sides["soviet"].air_lift_used = 30
    assert supply.air_lift_left(world, state, "soviet") == 70


@pytest.mark.parametrize(("kind", "farthest"), [("rail", 24), ("road", 12), (None, 4)])
def test_rail_carries_farther_than_road_and_road_than_open_country(kind, farthest):
    lines = [rail(range(0, 30), kind=kind)] if kind else []
    world, state = build(
        [], lines, width=30, rules={"supply": {"max_line_cost": 2.0, "max_overland_cost": 4.0}}
    )
    t = supply.trace(world, state, "soviet")
    reached = [c for c in range(30) if t.in_supply(world.index(c, 2))]
    assert max(reached) == farthest


def test_enemy_unit_on_the_railway_cuts_the_line():
    lines = [rail(range(0, 20))]
    world, state = build([unit("s", "soviet", 18, 2)], lines)
    assert status(world, state, "s").in_supply
    # An HQ exerts no ZOC, so only its own hex is closed.
    world, state = build(
        [unit("s", "soviet", 18, 2), unit("Japanese HQ", "japanese", 10, 2, type="hq")], lines
    )
    assert not status(world, state, "s").in_supply
    why = supply.explain(world, state, state.units["s"])
    assert why.reason == "enemy unit Japanese HQ at 10,2"
    assert why.blocked_hex == [10, 2]
    assert why.path[0] == [18, 2] and why.path[-1] == [0, 2]


def test_uncontested_enemy_zoc_cuts_the_line_unless_a_friend_holds_the_hex():
    lines = [rail(range(0, 20))]
    # A Japanese unit on row 1 (odd) projects its ZOC onto rail hexes 10,2 and 11,2.
    base = [unit("s", "soviet", 18, 2), unit("j", "japanese", 10, 1)]
    world, state = build(base, lines)
    t = supply.trace(world, state, "soviet")
    assert t.blocked[world.index(10, 2)] and t.blocked[world.index(11, 2)]
    assert not t.units["s"].in_supply
    why = supply.explain(world, state, state.units["s"])
    assert why.reason.startswith("enemy zone of control at 11,2")
    # One friend contests only one of the two hexes: still cut.
    world, state = build(base + [unit("f1", "soviet", 10, 2)], lines)
    assert not status(world, state, "s").in_supply
    world, state = build(base + [unit("f1", "soviet", 10, 2), unit("f2", "soviet", 11, 2)], lines)
    assert status(world, state, "s").in_supply


def test_own_hex_in_enemy_zoc_is_not_blocked():
    world, state = build([unit("s", "soviet", 2, 2), unit("j", "japanese", 3, 2)])
    assert status(world, state, "s").in_supply


def test_captured_source_is_lost_and_a_capturable_one_serves_the_captor():
    sources = [
        SOURCE,
        {"id": "jap_depot", "side": "japanese", "hex": [19, 2], "capturable": True},
        {"id": "jap_fort", "side": "japanese", "hex": [19, 4], "capturable": False},
    ]
    world, state = build([unit("s", "soviet", 2, 2), unit("t", "soviet", 17, 2)], sources=sources)
    assert status(world, state, "s").in_supply
    assert not status(world, state, "t").in_supply
    state.control[world.index(0, 2)] = 1  # the Japanese take the railhead
    assert supply.usable_sources(world, state, "soviet") == []
    assert not status(world, state, "s").in_supply
    assert supply.explain(world, state, state.units["s"]).reason == "source base captured"
    state.control[world.index(19, 2)] = 0  # the Soviets take the capturable depot
    state.control[world.index(19, 4)] = 0  # and the non-capturable fort
    assert supply.usable_sources(world, state, "soviet") == [world.index(19, 2)]
    assert status(world, state, "t").in_supply
    assert status(world, state, "t").path[-1] == world.index(19, 2)


def test_source_held_by_enemy_unit_is_not_usable():
    world, state = build([unit("s", "soviet", 2, 2), unit("j", "japanese", 0, 2, type="hq")])
    assert supply.usable_sources(world, state, "soviet") == []
    assert not status(world, state, "s").in_supply


def test_bottleneck_lowers_ratio_when_demand_exceeds_capacity():
    lines = [rail(range(10, 20), capacity=200)]
    src = [{"id": "base", "side": "soviet", "hex": [10, 2]}]
    # Each 10,000-man unit demands 150 t/day: two of them load the line with 300 t; "c" is
    # supplied overland straight from the source and loads no link.
    one = [unit("a", "soviet", 18, 2)]
    world, state = build(one, lines, src)
    assert status(world, state, "a").ratio == 1.0
    world, state = build(one + [unit("b", "soviet", 17, 2), unit("c", "soviet", 7, 2)], lines, src)
    t = supply.trace(world, state, "soviet")
    for uid in ("a", "b"):
        assert t.units[uid].ratio == pytest.approx(200 / 300)
        neck = t.units[uid].bottleneck
        assert neck is not None and neck.kind == "rail"
        assert neck.load == pytest.approx(300) and neck.capacity == 200
    assert t.units["c"].ratio == 1.0 and t.units["c"].bottleneck is None
    why = supply.explain(world, state, state.units["a"])
    assert why.in_supply and why.ratio == pytest.approx(2 / 3)
    assert why.bottleneck["capacity"] == 200 and why.bottleneck["load"] == pytest.approx(300)
    assert why.to_dict()["bottleneck"]["kind"] == "rail"
    logs = supply.supply_phase(world, state, "soviet")
    assert any("2 soviet units get reduced supply" in line for line in logs)
    assert state.units["a"].supply.ratio == pytest.approx(2 / 3)


def test_explain_in_supply_reports_path_source_and_cost():
    world, state = build([unit("a", "soviet", 12, 3)], [rail(range(0, 20))])
    why = supply.explain(world, state, state.units["a"]).to_dict()
    assert why["in_supply"] and why["ratio"] == 1.0
    assert why["source"] == "base" and why["source_hex"] == [0, 2]
    assert why["path"][0] == [12, 3] and why["path"][-1] == [0, 2]
    assert why["cost"] == pytest.approx(why["line_cost"] + why["overland_leg"])
    assert why["overland_leg"] == pytest.approx(1.0, abs=1e-4)
    assert why["reason"] is None


# ---------------------------------------------------------------- daily effects


def test_supply_phase_refills_fuel_and_replaces_losses():
    world, state = build([unit("t", "soviet", 2, 2, type="tank", tanks=100, guns=50, fuel=0.2)])
    u = state.units["t"]
    u.men, u.tanks, u.guns, u.readiness = 5000, 50, 50, 0.5
    supply.supply_phase(world, state, "soviet")
    assert u.fuel == pytest.approx(0.7)
    assert (u.men, u.tanks, u.guns) == (5100, 51, 50)
    assert u.readiness == pytest.approx(0.55)
    assert u.supply.in_supply and u.supply.days_out == 0 and u.supply.ratio == 1.0
    supply.supply_phase(world, state, "soviet")
    assert u.fuel == 1.0


def test_attrition_after_days_out_of_supply_and_losses_recorded():
    world, state = build([unit("s", "soviet", 15, 2, tanks=100)])
    u = state.units["s"]
    after = state.rules.supply.attrition_after_days
    logs = []
    for _ in range(after):
        logs += supply.supply_phase(world, state, "soviet")
    assert u.supply.days_out == after and not u.supply.in_supply
    assert (u.men, u.tanks, u.readiness) == (10000, 100, 1.0)
    assert any("out of supply" in line for line in logs)
    logs = supply.supply_phase(world, state, "soviet")
    assert (u.men, u.tanks) == (9700, 97)
    assert u.readiness == pytest.approx(0.95)
    assert state.sides["soviet"].losses["men"] == 300
    assert state.sides["soviet"].losses["tanks"] == 3
    assert any("attrition" in line for line in logs)
    # Back within reach: days_out resets and the log says so.
    u.hex = (2, 2)
    logs = supply.supply_phase(world, state, "soviet")
    assert u.supply.days_out == 0 and any("back in supply" in line for line in logs)


def test_refresh_status_records_supply_without_daily_effects():
    world, state = build([unit("s", "soviet", 15, 2, type="tank", tanks=10, fuel=0.5)])
    u = state.units["s"]
    u.supply.days_out = 2
    supply.refresh_status(world, state, "soviet")
    assert not u.supply.in_supply and u.supply.ratio == 0.0
    assert u.supply.days_out == 2 and u.fuel == 0.5
    u.hex = (1, 2)
    supply.refresh_status(world, state, "soviet")
    assert u.supply.in_supply and u.supply.ratio == 1.0 and u.supply.days_out == 2


def test_rules_constants_are_read_from_state_rules():
    world, state = build([unit("t", "soviet", 2, 2, type="tank", tanks=10, fuel=0.0)])
    state.rules.supply.fuel_refill = 0.25
    supply.supply_phase(world, state, "soviet")
    assert state.units["t"].fuel == pytest.approx(0.25)


# ---------------------------------------------------------------- air supply


def test_air_supply_raises_fuel_and_respects_lift_and_range():
    world, state = build(
        [
            unit("t", "soviet", 5, 2, type="tank", tanks=100, fuel=0.2),
            unit("far", "soviet", 15, 2, type="tank", tanks=100, fuel=0.2),
            unit("r", "soviet", 3, 2),
        ],
        width=20,
    )
    t = state.units["t"]
    # Full load: 1.5 t x 100 tanks + 10 t x 10 (thousand men) = 250 t.
    assert supply.full_load_tons(state, t) == pytest.approx(250)
    assert supply.can_air_supply(world, state, t)
    assert not supply.can_air_supply(world, state, state.units["far"])
    assert not supply.can_air_supply(world, state, state.units["r"])
    line = supply.air_supply(world, state, t, 60)
    assert "60.0 t" in line
    assert t.fuel == pytest.approx(0.2 + 60 / 250)
    assert supply.air_lift_left(world, state, "soviet") == pytest.approx(40)
    for target, tons, rule in [
        (t, 100, "air_lift_capacity"),
        (state.units["far"], 10, "air_supply_range"),
        (state.units["r"], 10, "not_fuelled"),
    ]:
        before = state.state_hash()
        with pytest.raises(IllegalOrder) as err:
            supply.air_supply(world, state, target, tons)
        assert err.value.rule == rule
        assert state.state_hash() == before
    # Asking for more than the tanks hold flies only what is needed.
    t.fuel = 0.9
    supply.air_supply(world, state, t, 40)
    assert t.fuel == pytest.approx(1.0)
    assert state.sides["soviet"].air_lift_used == pytest.approx(60 + 25)
    assert not supply.can_air_supply(world, state, t)


def test_air_supply_flies_from_controlled_airfields_when_there_are_any():
    lat, lon = build([])[0].projection.offset_to_latlon(18, 2)
    places = [
        {
            "id": "af",
            "name": "East Field",
            "lat": lat,
            "lon": lon,
            "hex": [18, 2],
            "kinds": ["airfield"],
            "owner": "soviet",
        },
    ]
    world, state = build(
        [
            unit("near_field", "soviet", 17, 2, type="tank", fuel=0.5),
            unit("near_base", "soviet", 2, 2, type="tank", fuel=0.5),
        ],
        places=places,
        sides=[
            {"id": "soviet", "name": "Soviet", "air_lift_tons": 100, "air_supply_range_hexes": 3},
            {"id": "japanese", "name": "Japanese"},
        ],
    )
    assert supply.can_air_supply(world, state, state.units["near_field"])
    assert not supply.can_air_supply(world, state, state.units["near_base"])
    state.control[world.index(18, 2)] = 1  # the field falls: the railhead serves again
    assert not supply.can_air_supply(world, state, state.units["near_field"])
    assert supply.can_air_supply(world, state, state.units["near_base"])


# ---------------------------------------------------------------- fast == reference


def random_world(seed: int) -> tuple[World, GameState]:
    rng = np.random.default_rng(seed)
    width, height = 24, 18
    codes = np.array(list(".....fhms~u"))
    terrain = rng.choice(codes, (height, width))
    grid = HexGrid(width, height)
    lines = []
    for k in range(6):
        at = int(rng.integers(grid.size))
        hexes = [at]
        for _ in range(int(rng.integers(5, 30))):
            nxt = [j for j in grid.neighbors_of(hexes[-1]) if j not in hexes]
            if not nxt:
                break
            hexes.append(int(rng.choice(nxt)))
        lines.append(
            {
                "id": f"line{k}",
                "kind": "rail" if k % 2 else "road",
                "condition": float(rng.choice([1.0, 0.5, 0.8])),
                "capacity": float(rng.integers(50, 600)),
                "hexes": [list(grid.offset(i)) for i in hexes],
            }
        )
    rivers = []
    for k in range(3):
        sides = []
        for _ in range(12):
            a = int(rng.integers(grid.size))
            b = int(rng.choice(list(grid.neighbors_of(a))))
            sides.append([list(grid.offset(a)), list(grid.offset(b))])
        rivers.append({"name": f"r{k}", "class": "major" if k else "minor", "hexsides": sides})
    for line in lines:
        for col, row in line["hexes"]:
            terrain[row, col] = "." if terrain[row, col] == "~" else terrain[row, col]
    taken: set[int] = set()
    units = []
    for k in range(40):
        i = int(rng.integers(grid.size))
        if i in taken:
            continue
        taken.add(i)
        col, row = grid.offset(i)
        terrain[row, col] = "." if terrain[row, col] in "~s" else terrain[row, col]
        side = "soviet" if k % 3 else "japanese"
        utype = str(rng.choice(["rifle", "tank", "hq"]))
        units.append(
            unit(
                f"u{k}",
                side,
                *grid.offset(i),
                type=utype,
                men=int(rng.integers(1000, 12000)),
                tanks=int(rng.integers(0, 80)),
            )
        )
    sources = [
        {
            "id": f"src{k}",
            "side": "soviet" if k % 2 else "japanese",
            "hex": list(grid.offset(int(rng.integers(grid.size)))),
            "capturable": bool(k % 3),
        }
        for k in range(6)
    ]
    scenario = make_scenario(
        width,
        height,
        units=units,
        terrain_rows=["".join(r) for r in terrain],
        network={"kinds": NETWORK_KINDS, "lines": lines},
        supply_sources=sources,
        map={"rivers": rivers},
        rules={"supply": {"max_line_cost": 3.0, "max_overland_cost": 4.0}},
    )
    world = World(scenario)
    state = initial_state(scenario, world)
    state.control[:] = rng.integers(-1, 2, world.grid.size)
    return world, state


@pytest.mark.parametrize("seed", range(8))
def test_fast_trace_agrees_with_reference(seed):
    world, state = random_world(seed)
    for side in ("soviet", "japanese"):
        fast = supply.trace(world, state, side)
        ref = supply.trace_reference(world, state, side)
        assert fast.sources == ref.sources
        np.testing.assert_array_equal(fast.blocked, ref.blocked)
        np.testing.assert_allclose(fast.line_cost, ref.line_cost)
        np.testing.assert_allclose(fast.overland_leg, ref.overland_leg)
        np.testing.assert_allclose(fast.overland_cost, ref.overland_cost)
        np.testing.assert_array_equal(fast.line_pred, ref.line_pred)
        np.testing.assert_array_equal(fast.overland_pred, ref.overland_pred)
        np.testing.assert_array_equal(fast.origin, ref.origin)
        assert fast.units.keys() == ref.units.keys()
        for uid, f in fast.units.items():
            r = ref.units[uid]
            assert (f.in_supply, f.path, f.bottleneck) == (r.in_supply, r.path, r.bottleneck)
            assert f.ratio == pytest.approx(r.ratio)
        assert fast.edge_load == pytest.approx(ref.edge_load)


def test_random_worlds_exercise_supply_and_bottlenecks():
    in_supply = out = necks = 0
    for seed in range(8):
        world, state = random_world(seed)
        for side in ("soviet", "japanese"):
            for s in supply.trace(world, state, side).units.values():
                in_supply += s.in_supply
                out += not s.in_supply
                necks += s.bottleneck is not None
    assert in_supply > 10 and out > 10 and necks > 0


# ---------------------------------------------------------------- ferries


def _across_the_river(with_ferry: bool) -> tuple[World, GameState]:
    """A railhead west of a major river, a road east of it, a unit at the road's far end."""
    grid = HexGrid(20, 5)
    sides = [
        [[3, row], list(grid.offset(b))]
        for row in range(5)
        for b in grid.neighbors_of(grid.index(3, row))
        if grid.offset(b)[0] == 4
    ]
    kinds = {
        **NETWORK_KINDS,
        "ferry": {
            "move": {"foot": None, "cavalry": None, "motorized": None, "tracked": None},
            "supply_cost": 1.0,
        },
    }
    lines = [rail(range(0, 4)), rail(range(4, 16), kind="road")]
    if with_ferry:
        lines.append({"id": "boats", "kind": "ferry", "capacity": 1500, "hexes": [[3, 2], [4, 2]]})
    scenario = make_scenario(
        20,
        5,
        units=[unit("far", "soviet", 15, 2), unit("r", "soviet", 3, 2)],
        network={"kinds": kinds, "lines": lines},
        supply_sources=[SOURCE],
        map={"rivers": [{"name": "Amur", "class": "major", "hexsides": sides}]},
    )
    world = World(scenario)
    return world, initial_state(scenario, world)


def test_a_ferry_carries_supply_across_a_river_but_not_the_troops():
    world, state = _across_the_river(with_ferry=False)
    assert not status(world, state, "far").in_supply  # the road beyond the river is cut off
    cost_without = world.base_step_cost["foot"][world.index(3, 2)].copy()
    world, state = _across_the_river(with_ferry=True)
    fed = status(world, state, "far")
    assert fed.in_supply and world.index(4, 2) in fed.path and world.index(3, 2) in fed.path
    # moving across the river costs what it did: the boats are not a bridge
    np.testing.assert_array_equal(world.base_step_cost["foot"][world.index(3, 2)], cost_without)


def test_the_supplied_hexes_are_the_trace_s_net():
    for with_ferry in (False, True):
        world, state = _across_the_river(with_ferry)
        np.testing.assert_array_equal(
            supply.supplied_hexes(world, state, "soviet"),
            supply.trace(world, state, "soviet").origin >= 0,
        )


def test_the_supply_net_searched_later_is_the_net_when_asked_for():
    """``supplied_hexes_later`` takes what the net depends on at once and searches on the
    first call: the net it gives is the one of that moment, whatever moved since."""
    from engine.game import Game
    from engine.players import make_player, run_game
    from engine.scenario.loader import load_scenario

    scenario = load_scenario("august_storm")
    game = Game(scenario, 2)
    players = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    changed = 0
    for _turn in range(3):
        world, state = game.world, game.state
        before = {s: supply.supplied_hexes(world, state, s) for s in scenario.side_order}
        later = {s: supply.supplied_hexes_later(world, state, s) for s in scenario.side_order}
        run_game(game, players, max_turns=1)
        for s in scenario.side_order:
            np.testing.assert_array_equal(later[s](), before[s])
            assert later[s]() is later[s]()
            changed += not np.array_equal(supply.supplied_hexes(world, game.state, s), before[s])
    assert changed > 0  # the net did change meanwhile


# ---------------------------------------------------------------- mud on the roads


@pytest.mark.parametrize("kind, expected", [("road", 200 / 300), ("rail", 1.0)])
def test_rain_cuts_what_the_roads_carry_not_the_railways(kind, expected):
    rain = {
        "type": "weather",
        "name": "Rain",
        "turns": 3,
        "movement_factor": 0.6,
        "road_capacity_factor": 0.5,
    }
    events = [{"id": "rain", "turn": 1, "effects": [rain]}]
    lines = [rail(range(10, 20), kind=kind, capacity=400)]
    src = [{"id": "base", "side": "soviet", "hex": [10, 2]}]
    units = [unit("a", "soviet", 18, 2), unit("b", "soviet", 17, 2)]
    world, state = build(units, lines, src, events=events)
    assert status(world, state, "a").ratio == 1.0  # 300 t on 400 t/day: no rain yet
    state.event_turns["rain"], state.fired_events = 1, ["rain"]
    for t in (supply.trace(world, state, "soviet"), supply.trace_reference(world, state, "soviet")):
        assert t.units["a"].ratio == pytest.approx(expected)
        if kind == "road":
            assert t.units["a"].bottleneck.capacity == pytest.approx(200)
    state.turn = 4  # the rain is over
    assert status(world, state, "a").ratio == 1.0
