"""Flattening records, and the statistics of summary.json against hand-computed numbers."""

import csv
import io
import math

import numpy as np
import pytest

from engine.batch import stats
from engine.batch.tables import columns, flatten, to_csv


def record(**changes):
    base = {
        "scenario": "test_small",
        "mods": [],
        "seed": 3,
        "players": {"soviet": "scripted", "japanese": "passive"},
        "plans": {"soviet": "scripted", "japanese": "passive"},
        "turns_played": 8,
        "game_over": True,
        "winner": "soviet",
        "victory_level": "decisive",
        "victory_points": {"soviet": 61.5, "japanese": 4.0},
        "places": [
            {"id": "eastcity", "controller": "soviet", "captured_turn": 5, "captured_by": "soviet"},
            {"id": "westtown", "controller": "soviet", "captured_turn": None, "captured_by": None},
        ],
        "objectives": [
            {"id": "take_east", "status": "achieved", "turn": 5, "vp": 10.0},
        ],
        "losses": {
            "soviet": {"men": 100, "tanks": 2, "guns": 3, "aircraft": None},
            "japanese": {"men": 900, "tanks": 0, "guns": 7, "aircraft": None},
        },
        "advance_km": {"sov_front": [20.0, 60.0, 40.0]},
        "sampled": {"rules.combat.luck_sigma": 0.31, "events[x].date": "1945-08-17"},
        "events": [{"id": "broadcast", "turn": 7, "date": "1945-08-15"}],
        "orders": 120,
        "state_hash": "ab" * 32,
    }
    base.update(changes)
    return base


def test_flatten_names_every_outcome_by_its_path():
    row = flatten(record())
    assert row["captured_turn.eastcity"] == 5
    assert row["controller.eastcity"] == "soviet"
    assert row["captured_turn.westtown"] is None
    assert row["losses.soviet.men"] == 100 and row["losses.japanese.aircraft"] is None
    assert row["vp.soviet"] == 61.5
    assert row["objective.take_east.status"] == "achieved"
    assert row["objective.take_east.turn"] == 5
    assert row["advance_km.sov_front.day1"] == 20.0
    assert row["advance_km.sov_front.day3"] == 40.0
    assert row["advance_km.sov_front.max"] == 60.0
    assert row["sampled.rules.combat.luck_sigma"] == 0.31
    assert row["event.broadcast.turn"] == 7
    assert row["plans.japanese"] == "passive"
    assert row["winner"] == "soviet" and row["victory_level"] == "decisive"
    assert list(row)[-1] == "state_hash"


def test_flatten_gives_both_schemes_and_every_benchmark():
    verdict = {"winner": None, "level": "draw", "victory_points": {"soviet": 6.0}, "margin": 2.0}
    bench = {"key": "timetable:harbin", "ahead": 1.0, "side": "soviet", "vp": 3.0}
    row = flatten(
        record(
            scheme="graded",
            schemes={"plans": {**verdict, "winner": "soviet"}, "graded": verdict},
            graded=[bench],
        )
    )
    assert row["scheme"] == "graded"
    assert row["victory.plans.winner"] == "soviet" and row["victory.graded.level"] == "draw"
    assert row["victory.graded.margin"] == 2.0 and row["victory.graded.vp.soviet"] == 6.0
    assert row["graded.timetable:harbin.ahead"] == 1.0
    assert (row["graded.timetable:harbin.side"], row["graded.timetable:harbin.vp"]) == ("soviet", 3)
    assert row["plans.japanese"] == "passive"  # the AI plans' columns are not touched


def test_csv_has_the_head_first_the_hash_last_and_empty_cells_for_nothing():
    rows = [
        {"variant": 0, "variant_label": "base", "k": 0, "seed": 3, **flatten(record())},
        {
            "variant": 0,
            "variant_label": "base",
            "k": 1,
            "seed": 4,
            **flatten(record(advance_km={"sov_front": [20.0, 60.0, 40.0, 80.0]}, game_over=False)),
        },
    ]
    names = columns(rows)
    assert names[:4] == ["variant", "variant_label", "k", "seed"]
    assert names[-1] == "state_hash"
    assert "advance_km.sov_front.day4" in names  # a column only the second game has
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert parsed[0]["captured_turn.westtown"] == ""
    assert parsed[0]["losses.soviet.aircraft"] == ""
    assert parsed[0]["advance_km.sov_front.day4"] == ""
    assert parsed[1]["advance_km.sov_front.day4"] == "80.0"
    assert parsed[1]["game_over"] == "false"


def test_describe_against_hand_computed_numbers():
    d = stats.describe([1, 2, 3, 4, 10])
    assert d["n"] == 5 and d["mean"] == 4.0
    assert d["median"] == 3.0
    # numpy's linear rule: position q * (n - 1) between the sorted values
    assert d["q05"] == pytest.approx(1.2)  # 1 + 0.2 * (2 - 1)
    assert d["q25"] == 2.0 and d["q75"] == 4.0
    assert d["q95"] == pytest.approx(8.8)  # 4 + 0.8 * (10 - 4)
    assert d["sd"] == pytest.approx(math.sqrt((9 + 4 + 1 + 0 + 36) / 4))
    lo, hi = d["ci95"]
    assert 1 <= lo < 4 < hi <= 10
    assert stats.describe([]) == {"n": 0}


def test_bootstrap_is_reproducible_and_sensible():
    rng = np.random.default_rng(0)
    x = rng.normal(50, 10, size=200)
    a, b = stats.bootstrap_ci(x), stats.bootstrap_ci(x)
    assert a == b  # a fixed seed: the same values give the same interval
    se = x.std(ddof=1) / math.sqrt(x.size)
    assert a[0] == pytest.approx(x.mean() - 1.96 * se, abs=0.5 * se)
    assert a[1] == pytest.approx(x.mean() + 1.96 * se, abs=0.5 * se)
    assert stats.bootstrap_ci([7.0]) == (7.0, 7.0)
    assert stats.bootstrap_ci([3.0, 3.0, 3.0]) == (3.0, 3.0)
    assert stats.bootstrap_ci([]) is None
    assert stats.bootstrap_ci(x, seed=1) != a  # the seed is what fixes it


def test_paired_differences_pair_games_by_k_and_skip_missing_values():
    base = [{"k": 0, "m": 10.0}, {"k": 1, "m": 20.0}, {"k": 2, "m": None}, {"k": 3, "m": 5.0}]
    other = [{"k": 0, "m": 13.0}, {"k": 1, "m": 21.0}, {"k": 2, "m": 9.0}, {"k": 3, "m": 7.0}]
    d = stats.paired_differences(base, other, ["m"])["m"]
    assert d["n"] == 3  # k = 2 has no value in the base
    assert d["mean"] == pytest.approx((3 + 1 + 2) / 3)
    assert d["ci95"][0] >= 1 and d["ci95"][1] <= 3


def test_numeric_columns_shares_and_captures():
    rows = [
        {"variant": 0, "k": 0, "seed": 1, "set.x": 1, "a": 1, "w": "soviet", "c": None},
        {"variant": 0, "k": 1, "seed": 2, "set.x": 2, "a": 2.5, "w": None, "c": None},
    ]
    assert stats.numeric_columns(rows) == ["a"]  # c has no value; w is text; identity left out
    assert stats.shares(rows, "w") == {"none": 0.5, "soviet": 0.5}
    captured = [
        {"controller.p": "soviet", "captured_by.p": "soviet"},
        {"controller.p": "japanese", "captured_by.p": "soviet"},  # taken, then lost again
        {"controller.p": "japanese", "captured_by.p": None},
        {"controller.p": "soviet", "captured_by.p": "soviet"},
    ]
    assert stats.captured_shares(captured) == {"p": 0.5}


def test_sensitivity_pools_the_other_swept_values():
    rows = [
        {"set.a": "1", "set.b": "x", "m": 1.0},
        {"set.a": "1", "set.b": "y", "m": 3.0},
        {"set.a": "2", "set.b": "x", "m": 10.0},
        {"set.a": "2", "set.b": "y", "m": None},
    ]
    s = stats.sensitivity(rows, ["a", "b"], ["m"])
    assert s["a"] == {"1": {"m": 2.0}, "2": {"m": 10.0}}
    assert s["b"] == {"x": {"m": 5.5}, "y": {"m": 3.0}}
