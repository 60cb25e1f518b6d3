"""The course against 1945, scored: dated events within 2 days and inside their band."""

from __future__ import annotations

import pytest

from engine.history import read_history
from tools.historical_course import (
    MIN_WITHIN_TWO,
    DatedEvent,
    dated_events,
    play,
    score,
)


@pytest.mark.parametrize(
    ("median", "low", "high", "within", "inside"),
    [
        (11, 10, 12, True, True),  # inside 1945's span
        (8, 8, 8, False, False),  # three days early, a one-day band
        (13, 13, 14, True, False),  # a day late, the band beside 1945's days
        (15, 9, 16, False, True),  # the median late, the band wide enough
    ],
)
def test_a_dated_event_is_scored_against_1945(median, low, high, within, inside):
    event = DatedEvent("mukden", 11, 12, median, low, high, taken=10)
    assert event.within_two is within and event.inside_band is inside
    assert score([event]) == (float(within), float(inside))


def test_a_few_seeds_of_the_historical_course_keep_most_dates_within_two_days():
    # the whole check is the tool (100 seeds, docs/calibration.md); three seeds here
    results = [play((seed, [], "historical", "historical")) for seed in (1, 2, 3)]
    history = {k: v.model_dump() for k, v in read_history("august_storm").items()}
    events = dated_events(results, history)
    assert {e.place for e in events} >= {"hailar", "harbin", "changchun", "mukden"}
    within, _inside = score(events)
    assert within >= MIN_WITHIN_TWO
