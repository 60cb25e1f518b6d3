"""The counterfactual mods of August Storm: each loads, does what it says and plays."""

import pytest

from engine.game import Game
from engine.paths import SCENARIOS_DIR
from engine.players import ScriptedPlayer, run_game
from engine.scenario.loader import load_scenario
from engine.world import World

MODS = SCENARIOS_DIR / "august_storm" / "mods"
NAMES = ["no_surrender", "kwantung_1941", "redoubt_ready", "hailar_axis", "dry_august"]


@pytest.fixture(scope="module")
def base():
    return load_scenario("august_storm")


def unit(scenario, uid):
    return next(u for u in scenario.units if u.id == uid)


@pytest.mark.parametrize("name", NAMES)
def test_each_mod_loads_and_plays_two_days(name):
    scenario = load_scenario(MODS / f"{name}.yaml")
    game = Game(scenario, 3)
    run_game(game, {s: ScriptedPlayer(s) for s in scenario.side_order}, max_turns=2)
    assert game.state.turn == 3


def test_no_surrender(base):
    scenario = load_scenario(MODS / "no_surrender.yaml")
    assert scenario.turns == 40
    assert not [e for e in scenario.events if e.id.startswith("ceasefire") or e.id == "broadcast"]
    assert any(e.id.startswith("ceasefire") for e in base.events)


def test_kwantung_1941(base):
    game = Game(load_scenario(MODS / "kwantung_1941.yaml"), 1)
    division = game.state.units["jp_107_div"]
    assert division.readiness == 0.9 and division.quality == 0.75
    assert division.men == round(unit(base, "jp_107_div").men * 1.3)
    assert game.state.units["sov_6gta_5gd_tc"].men == unit(base, "sov_6gta_5gd_tc").men


def test_redoubt_ready(base):
    scenario = load_scenario(MODS / "redoubt_ready.yaml")
    jiaohe = next(p for p in scenario.places if p.id == "jiaohe")
    world = World(scenario)
    assert unit(scenario, "jp_107_div").hex == world.coord(world.places["jiaohe"].index)
    assert unit(scenario, "jp_107_div").hex != unit(base, "jp_107_div").hex
    assert jiaohe.owner == "japanese"


def test_hailar_axis(base):
    scenario = load_scenario(MODS / "hailar_axis.yaml")
    world = World(scenario)
    regions = [r.id for r in scenario.regions]
    for uid in ("sov_6gta_5gd_tc", "sov_6gta_7_mc", "sov_6gta_9gd_mc"):
        moved = unit(scenario, uid)
        index = world.index(*moved.hex)
        assert regions[world.region[index]] == "ussr", uid
        lat, _ = world.projection.offset_to_latlon(*moved.hex)
        assert lat > 49.5 > world.projection.offset_to_latlon(*unit(base, uid).hex)[0]


def test_dry_august(base):
    wet, dry = Game(base, 1), Game(load_scenario(MODS / "dry_august.yaml"), 1)
    # the 5th Army's divisions stand in the rain on the first day, and not in a dry August
    division = "sov_5a_97_rd"
    allowance = wet.state.units[division].movement_allowance
    assert wet.state.units[division].mp_left < allowance
    assert dry.state.units[division].mp_left == allowance
