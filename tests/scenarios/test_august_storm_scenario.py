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
