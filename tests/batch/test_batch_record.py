"""The result record: plans, losses (aircraft not modelled), advance per front, sampled values."""

import json
import subprocess
import sys

import numpy as np
import pytest

from engine.game import Game
from engine.hexgrid import HexGrid
from engine.paths import REPO_ROOT
from engine.players import ScriptedPlayer, run_game
from engine.scenario.loader import load_scenario
from engine.simulate import AdvanceTracker, depth_field, result_record, simulate_game
from engine.zoc import side_index

SCRIPTED = {"soviet": "scripted", "japanese": "scripted"}


def test_depth_field_is_the_distance_to_the_nearest_source():
    grid = HexGrid(9, 7)
    sources = np.zeros(grid.size, dtype=bool)
    a, b = grid.index(1, 1), grid.index(7, 5)
    sources[[a, b]] = True
    expected = np.minimum(grid.distances_from(a), grid.distances_from(b))
    assert np.array_equal(depth_field(grid, sources), expected)
    assert (depth_field(grid, np.zeros(grid.size, dtype=bool)) == -1).all()


def test_record_fields_on_the_small_scenario(test_scenario):
    run = simulate_game(test_scenario, 1, SCRIPTED, control_days=[2, 5])
    record = run.record
    assert record.players == SCRIPTED and record.plans == SCRIPTED
    assert record.sampled == {}
    for side in ("soviet", "japanese"):
        assert set(record.losses[side]) == {"men", "tanks", "guns", "aircraft"}
        assert record.losses[side]["aircraft"] is None  # not modelled, not zero
        assert record.losses[side]["men"] == run.game.state.sides[side].losses["men"]
    assert list(record.advance_km) == ["sov_front"]  # the one formation of kind front
    days = record.advance_km["sov_front"]
    assert 1 <= len(days) <= record.turns_played
    assert all(km >= 0 and km % 20 == 0 for km in days)  # whole hexes of 20 km
    assert max(days) > 0
    assert set(run.control) == {2, 5, len(days)}  # the days asked for and the last one
    data = json.loads(record.model_dump_json())
    assert data["losses"]["soviet"]["aircraft"] is None


def test_the_tracker_agrees_with_a_brute_force_search(test_scenario):
    game = Game(test_scenario, 4)
    world = game.world
    start = np.flatnonzero(game.state.control == side_index(world, "soviet"))
    tracker = AdvanceTracker(game)
    front_units = {"s_hq", "s_rd1", "s_rd2", "s_rd3", "s_tb1", "s_tb2", "s_mb1", "s_cav", "s_ab1"}
    expected = []

    def on_turn(g):
        tracker(g)
        deepest = 0
        for unit in g.state.units.values():
            if unit.id in front_units and unit.on_map:
                here = world.index(*unit.hex)
                deepest = max(deepest, int(world.grid.distances_from(here)[start].min()))
        expected.append(deepest * 20.0)

    players = {s: ScriptedPlayer(s) for s in test_scenario.side_order}
    run_game(game, players, max_turns=4, on_turn=on_turn)
    assert tracker.km["sov_front"] == expected
    assert len(expected) == 4 and expected[-1] > 0


def test_the_record_carries_the_sampled_values_as_json(test_scenario):
    import datetime as dt

    game = Game(test_scenario, 1)
    record = result_record(game, SCRIPTED, sampled={"a": dt.date(1945, 8, 17), "b": 0.5})
    assert record.sampled == {"a": "1945-08-17", "b": 0.5}


@pytest.fixture(scope="module")
def august_storm():
    return load_scenario("august_storm")


def test_transbaikal_front_first_day_advance_is_plausible(august_storm):
    game = Game(august_storm, 1)
    tracker = AdvanceTracker(game)
    assert {f.id for f in tracker.fronts} == {"sov_transbaikal_front", "sov_1fef", "sov_2fef"}
    players = {s: ScriptedPlayer(s) for s in august_storm.side_order}
    run_game(game, players, max_turns=1, on_turn=tracker)
    day1 = tracker.km["sov_transbaikal_front"]
    assert len(day1) == 1
    assert 0 < day1[0] < 300


def test_simulate_takes_the_ai_options_and_records_plans(tmp_path):
    out = tmp_path / "result.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "main.py"),
            "simulate",
            "--scenario",
            "test_small",
            "--seed",
            "2",
            "--soviet-ai",
            "passive",
            "--japanese-ai",
            "scripted",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    assert record["players"] == {"soviet": "passive", "japanese": "scripted"}
    assert record["plans"] == record["players"]
    assert record["advance_km"]["sov_front"][0] == 0  # a passive front stays behind its line


def test_the_record_names_the_ai_plan_each_side_followed(test_scenario):
    run = simulate_game(test_scenario, 1, {"soviet": "drive", "japanese": "ai"})
    assert run.record.players == {"soviet": "ai:drive", "japanese": "ai:delay"}
    assert run.record.plans == {"soviet": "drive", "japanese": "delay"}  # "ai": the default plan
