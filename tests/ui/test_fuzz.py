"""A sample of the window's random-input run (tools/fuzz_window.py runs thousands more)."""

from __future__ import annotations

from tools.fuzz_window import fuzz


def test_five_thousand_random_events_raise_nothing_and_the_game_replays_to_its_hash():
    result = fuzz(seed=11, events=5000)
    assert result.events >= 5000
    assert result.orders > 0 and result.frames > 500


def test_random_events_in_a_hotseat_game():
    result = fuzz(seed=3, events=1500, humans=("soviet", "japanese"))
    assert result.events >= 1500 and result.orders > 0
