"""tools/evaluate_ai.py: Wilson intervals, the centre held, and a report of both schemes."""

from __future__ import annotations

import argparse

import pytest

from tools.evaluate_ai import holders_at, play, report, wilson


@pytest.mark.parametrize(
    ("wins", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # the interval of no wins is not the empty one
        (5, 10, 0.2366, 0.7634),
        (40, 40, 0.9124, 1.0),
    ],
)
def test_wilson_intervals(wins, n, low, high):
    lo, hi = wilson(wins, n)
    assert lo == pytest.approx(low, abs=1e-3) and hi == pytest.approx(high, abs=1e-3)


def test_holders_at_the_end_of_a_day_follow_the_changes():
    class State:
        place_changes = [("harbin", 0, 1), ("harbin", 12, 0), ("kirin", 0, 1), ("kirin", 16, 0)]

    assert holders_at(State(), 15) == {"harbin": 0, "kirin": 1}
    assert holders_at(State(), 11) == {"harbin": 1, "kirin": 1}


def test_a_soviet_random_report_gives_both_schemes_and_the_centre():
    results = [play((1, "historical", "historical", ())), play((1, "random", "historical", ()))]
    assert all(set(r["verdicts"]) == {"plans", "graded"} for r in results)
    random_soviet = results[1]
    # a random Soviet player does not reach the centre by day 15
    assert random_soviet["centre"] is True
    assert all(day == 26 for day in random_soviet["days"].values())
    args = argparse.Namespace(plan="historical", side="both", soviet_random=True, seeds=1, mod=[])
    text = report(results, args)
    assert "Victory scheme: plans" in text and "Victory scheme: graded" in text
    assert "Soviet random against Japanese historical: 100%" in text
    assert "timetable:harbin" in text
