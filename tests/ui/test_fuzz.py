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


def test_five_thousand_random_events_over_every_screen(tmp_path):
    from tools.fuzz_window import SCREENS, fuzz_screens

    result = fuzz_screens(seed=4, events=5000, out_dir=tmp_path)
    assert result.events >= 5000 and result.frames > 500
    assert {"start", "game", "help", "report", "replay", "pbem"} == set(SCREENS)
