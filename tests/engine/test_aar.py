"""The after-action figures: days from a replay, equal to the game's record where they meet."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from engine.aar import Capture, after_action, key_places, replay_after_action
from engine.errors import ScenarioError
from engine.game import Game
from engine.history import HistoryDate, read_history, scenario_folder, turn_of_date
from engine.paths import SCENARIOS_DIR
from engine.players import ScriptedPlayer, run_game
from engine.scenario.loader import load_scenario
from engine.simulate import SimulationResult, simulate_game
from engine.state import LOSS_KINDS
from engine.victory import VP_SOURCES, victory_points, vp_breakdown

AI = {"soviet": "ai", "japanese": "ai"}


@pytest.fixture(scope="module")
def finished(test_scenario):
    """An AI-against-AI game of test_small played to its end, with every day's control kept."""
    run = simulate_game(test_scenario, 3, AI, control_days=range(1, test_scenario.turns + 2))
    assert run.game.state.game_over
    return run, after_action(run.game, run.record.players, plans=run.record.plans)


def test_the_record_is_the_one_simulate_writes(finished):
    run, aar = finished
    assert aar.replay_matches and not aar.notes
    assert aar.record == run.record
    assert aar.record.model_dump_json() == run.record.model_dump_json()
    again = SimulationResult.model_validate_json(aar.record.model_dump_json())
    assert again == run.record


def test_the_days_agree_with_the_record(finished):
    run, aar = finished
    record = run.record
    assert [d.day for d in aar.days] == list(range(1, len(aar.days) + 1))
    assert all(d.complete for d in aar.days)
    assert len(aar.days) == len(next(iter(record.advance_km.values())))
    last = aar.days[-1]
    assert last.vp == record.victory_points
    assert aar.outcome.vp == record.victory_points
    for side in aar.side_order:
        for kind in LOSS_KINDS:
            assert last.losses[side][kind] == record.losses[side][kind]
            assert sum(aar.losses_per_day(side, kind)) == record.losses[side][kind]
            assert all(x >= 0 for x in aar.losses_per_day(side, kind))
    for front, km in record.advance_km.items():
        assert aar.advance_series(front) == km
        assert sum(aar.advance_per_day(front)) == pytest.approx(km[-1])
    for d in aar.days:  # the front line of each day is the control simulate kept that day
        assert np.array_equal(d.control, run.control[d.day])
    assert (aar.outcome.winner, aar.outcome.level) == (record.winner, record.victory_level)
    assert aar.outcome.game_over and aar.outcome.reasons
    assert aar.vp_series("soviet")[0] == aar.start.vp["soviet"]


def test_captures_and_objectives_agree_with_the_record(finished):
    run, aar = finished
    places = {p.id: p for p in run.record.places}
    assert aar.places
    for c in aar.places:
        p = places[c.id]
        assert (c.captured_turn, c.captured_by, c.holder) == (
            p.captured_turn,
            p.captured_by,
            p.controller,
        )
        if c.changes:
            assert c.changes[-1] == (p.captured_turn, p.captured_by)
    taken = [c for c in aar.places if c.taken_day is not None]
    assert taken, "the Soviet AI takes something on test_small"
    assert all(c.holder == "soviet" for c in taken)
    got = [(o.id, o.status, o.turn, o.vp) for o in aar.objectives]
    assert got == [(o.id, o.status, o.turn, o.vp) for o in run.record.objectives]


def test_the_vp_breakdown_adds_up_to_the_vp(finished):
    run, _ = finished
    game = run.game
    parts = vp_breakdown(game.world, game.state)
    total = victory_points(game.world, game.state)
    for side, sources in parts.items():
        assert list(sources) == list(VP_SOURCES)
        assert sum(sources.values()) == pytest.approx(total[side], abs=6e-4)


def test_a_game_stopped_mid_turn_has_its_day_so_far(test_scenario):
    game = Game(test_scenario, 5)
    players = {s: ScriptedPlayer(s) for s in test_scenario.side_order}
    run_game(game, players, max_turns=3)
    for _ in range(4):  # a few orders into the fourth day
        game.apply(players[game.active_side].next_order(game))
    aar = after_action(game)
    assert [d.day for d in aar.days] == [1, 2, 3, 4]
    assert [d.complete for d in aar.days] == [True, True, True, False]
    assert aar.days[-1].vp == game.victory_points()
    assert np.array_equal(aar.days[-1].control, game.state.control)
    assert all(len(km) == 3 for km in aar.record.advance_km.values())  # completed days only
    assert aar.record.turns_played == 4 and not aar.record.game_over
    assert aar.record.players == {"soviet": "human", "japanese": "human"}
    assert not aar.outcome.game_over and aar.outcome.reasons[0].startswith("In progress")


def test_a_replay_that_misses_the_hash_says_so(test_scenario):
    game = Game(test_scenario, 5)
    aar = replay_after_action(test_scenario, 5, [], expected_hash="0" * 64)
    assert not aar.replay_matches and aar.notes
    assert aar.days == [] and aar.start.day == 0
    assert after_action(game).replay_matches


def test_august_storm_against_1945():
    scenario = load_scenario("august_storm")
    run = simulate_game(scenario, 1, AI)
    aar = after_action(run.game, run.record.players, plans=run.record.plans)
    assert aar.record == run.record
    by_id = {c.id: c for c in aar.places}
    history = read_history("august_storm")
    assert set(history) <= set(by_id)  # every place with a 1945 date is in the table
    mukden = by_id["mukden"]
    assert mukden.history_days == (11, 12)  # 19-20 August 1945, day 1 = 9 August
    place = {p.id: p for p in run.record.places}["mukden"]
    if place.captured_by == "soviet":
        assert mukden.taken_day == place.captured_turn
        assert mukden.days_vs_1945 is not None


def test_key_places_put_the_dated_ones_first_in_historical_order(world):
    history = {
        "eastcity": HistoryDate(first=dt.date(1945, 8, 12), last=dt.date(1945, 8, 12)),
        "junction": HistoryDate(first=dt.date(1945, 8, 10), last=dt.date(1945, 8, 11)),
    }
    places = key_places(world, history)
    assert places[:2] == ["junction", "eastcity"]
    assert len(places) == len(set(places))
    assert key_places(world, {})[0] in world.places
    assert len(key_places(world, {}, n=2)) == 2


def test_days_against_1945():
    def capture(taken: int | None) -> Capture:
        return Capture("x", "X", {}, None, None, (), taken, "soviet", taken, taken, None, (10, 12))

    assert capture(8).days_vs_1945 == -2
    assert capture(11).days_vs_1945 == 0
    assert capture(14).days_vs_1945 == 2
    assert capture(None).days_vs_1945 is None


def test_history_dates_are_read_beside_the_base_scenario(tmp_path, test_scenario):
    assert read_history("test_small") == {}
    storm = read_history("august_storm")
    assert storm["mukden"].first == dt.date(1945, 8, 19)
    mod = next((SCENARIOS_DIR / "august_storm" / "mods").glob("*.yaml"))
    assert scenario_folder(mod) == SCENARIOS_DIR / "august_storm"
    assert read_history(mod) == storm
    assert read_history(tmp_path / "nothing_here") == {}
    assert turn_of_date(test_scenario, dt.date(1945, 8, 11)) == 3
    (tmp_path / "scenario.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "history_dates.yaml").write_text(
        "places:\n  a:\n    first: 1945-08-19\n    lats: 1945-08-20\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as err:
        read_history(tmp_path)
    assert "history_dates.yaml:4" in str(err.value)
