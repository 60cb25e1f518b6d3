"""The August Storm scenario as a whole: it validates, and a headless game runs to its last turn."""

import datetime as dt

import pytest

from engine.game import Game
from engine.players import ScriptedPlayer, run_game
from engine.scenario.loader import load_scenario
from engine.simulate import result_record


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("august_storm")


def test_it_validates_with_everything_included(scenario):
    assert scenario.turns == 25
    assert scenario.start == dt.datetime(1945, 8, 9, 0, 1)
    assert scenario.date_of_turn(25).date() == dt.date(1945, 9, 2)
    assert len(scenario.units) > 200 and len(scenario.places) > 150
    assert {r.id for r in scenario.regions} >= {"ussr", "manchukuo", "korea_north"}
    assert scenario.rules.movement.minimum_move


def test_a_scripted_game_runs_from_start_to_the_last_turn(scenario):
    game = Game(scenario, 1)
    run_game(game, {s: ScriptedPlayer(s) for s in scenario.side_order})
    record = result_record(game, {"soviet": "scripted", "japanese": "scripted"})
    assert record.game_over and record.turns_played == 25
    fired = {e.id: e for e in record.events}
    assert fired["surprise"].turn == 1
    assert fired["broadcast"].date == "1945-08-15"
    assert all(fired[e].turn >= 9 for e in fired if e.startswith("ceasefire"))
    assert record.losses["japanese"]["men"] > 0 and record.losses["soviet"]["men"] > 0
    taken = {p.id for p in record.places if p.captured_by == "soviet"}
    assert "manzhouli" in taken  # the border town on the Transbaikal Front's railway
    # the fortresses: Hutou never got the order; Dongning's forts from 26 August at the earliest
    assert not game.state.units["jp_15_bgu"].cease_fire
    assert "1945-08-26" <= fired["ceasefire_dongning"].date <= "1945-09-02"
    by_id = {o.id: o for o in record.objectives}
    assert set(by_id) == {o.id for o in scenario.victory.objectives}
    # every hold objective is judged by the last turn; take objectives are achieved or overdue
    assert all(o.status in ("held", "lost") for o in record.objectives if o.kind == "hold")
    assert all(o.status != "open" for o in record.objectives)


def test_the_objectives_carry_the_plans_dates(scenario):
    objectives = {o.id: o for o in scenario.victory.objectives}
    # 6th Guards Tank Army: Lubei and Tuquan no later than the 5th day (13 August)
    khingan = objectives["tbf_khingan"]
    assert set(khingan.places) == {"lubei", "tuquan"}
    assert khingan.by == scenario.date_of_turn(5).date()
    # 1st Far Eastern Front: Boli-Mudanjiang-Wangqing by the 15th-18th day
    assert objectives["fef1_first_line"].by == scenario.date_of_turn(18).date()
    pincer = objectives["pincer"]
    assert pincer.kind == "link_up"
    assert [g.formation for g in pincer.groups] == ["sov_transbaikal_front", "sov_1fef"]
    assert {o.side for o in objectives.values()} == {"soviet", "japanese"}
    assert all(o.source for o in objectives.values())


def test_the_redoubt_area_holds_the_triangle_and_not_the_north(scenario):
    world = Game(scenario, 1).world
    (k,) = [i for i, fp in enumerate(scenario.victory.forces_preserved) if fp.side == "japanese"]
    area = world.preserved_area[k]
    assert area is not None
    inside = {pid for pid, info in world.places.items() if area[info.index]}
    assert {"tonghua", "yanji", "benxi", "fengcheng", "liaoyang"} <= inside
    assert not {"harbin", "qiqihar", "hailar", "jinzhou", "mudanjiang", "pyongyang"} & inside


def test_the_pincer_is_open_at_the_start(scenario):
    from engine.victory import link_distance

    game = Game(scenario, 1)
    pincer = next(o for o in scenario.victory.objectives if o.id == "pincer")
    # the fronts start on opposite sides of Manchuria, some 1,000 km apart
    assert link_distance(game.world, game.state, pincer) > 40


def _end_turn(game):
    from engine.orders import EndPhase

    for _ in range(4):
        game.apply(EndPhase())


def test_the_pacific_fleet_lands_on_the_korean_coast_from_11_august(scenario):
    from engine import landings

    game = Game(scenario, 1)
    world, state = game.world, game.state
    brigade = state.units["sov_pf_13_nib"]
    assert landings.landing_zones(world, state, brigade) == []  # 9 August: not yet
    _end_turn(game)
    _end_turn(game)
    zones = landings.landing_zones(world, state, brigade)
    near = {world.place_at.get(i) for i in zones} | {
        world.place_at.get(j) for i in zones for j in world.grid.neighbors_of(i)
    }
    # the historical landings: Unggi, Najin, Chongjin, Wonsan (history.md §3.7)
    assert {"unggi", "najin", "chongjin", "wonsan"} <= near
    # nothing on the Yellow Sea, nothing south of the 38th parallel
    korea_south = world.forbidden["soviet"]
    assert not any(korea_south[i] for i in zones)
    assert world.places["dairen"].index not in zones
    tanks = next(u for u in state.units_of("soviet") if u.type == "tank_brigade")
    assert not landings.may_land(world, tanks)


def test_the_air_landing_detachments_can_fly_to_the_cities(scenario):
    from engine import airborne

    game = Game(scenario, 1)
    world, state = game.world, game.state
    parties = [u for u in state.units_of("soviet") if u.type == "air_landing"]
    assert len(parties) == 6 and all(u.men <= 250 for u in parties)
    harbin_group = state.units["sov_1fef_air_landing_harbin"]
    zones = set(airborne.drop_zones(world, state, harbin_group))
    # Harbin's own hex is garrisoned; the group can land next to it
    harbin = world.places["harbin"].index
    assert zones & set(world.grid.neighbors_of(harbin))


def test_the_soviet_armies_start_in_supply(scenario):
    # the fronts stocked their start areas (the field depots) and the Amur Flotilla's ferries
    # join the far banks to them; out of supply at the start are only the Kalgan group, which
    # a Mengjiang border post cuts off from Tamsag Bulag, and two units posted far off a road
    from engine import supply

    game = Game(scenario, 1)
    fed = supply.trace(game.world, game.state, "soviet").units
    out = {uid for uid, s in fed.items() if not s.in_supply}
    men = sum(game.state.units[uid].men for uid in out)
    total = sum(u.men for u in game.state.units_of("soviet"))
    assert men / total < 0.015, sorted(out)
    assert {"sov_15a_34_rd", "sov_1rba_22_rd", "sov_25a_393_rd", "sov_chog_rd"}.isdisjoint(out)
    ferries = {
        d["line"] for _a, _b, k, d in game.world.network.edges(keys=True, data=True) if k == "ferry"
    }
    assert ferries == {"ferry_sakhalian", "ferry_sungari_mouth", "ferry_vasilyevskoye"}


def test_the_cease_fire_reaches_every_japanese_unit_but_hutou(scenario):
    # the Hutou garrison never got the order (history.md §3.2); every other unit has an army's
    # order or the broadcast's terms under which it gives up when cut off or beaten
    from engine.events import select_units
    from engine.scenario.model import CeaseFireEffect, GiveUpEffect

    game = Game(scenario, 1)

    def covered(kind):
        return {
            u.id
            for event in scenario.events
            for effect in event.effects
            if isinstance(effect, kind)
            for u in select_units(game.world, game.state, effect.select)
        }

    japanese = {u.id for u in game.state.units.values() if u.side == "japanese"}
    assert japanese - covered(CeaseFireEffect) - covered(GiveUpEffect) == {"jp_15_bgu"}
    # Hailar ceased fire on its own (oob.md §3.3): no dated order, the give-up terms only
    assert "jp_80_imb" in covered(GiveUpEffect) - covered(CeaseFireEffect)
    assert "jp_783_bn" not in covered(GiveUpEffect)  # the Dongning forts: their own order
