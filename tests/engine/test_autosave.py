"""Autosaves: named by turn and side, a bounded history, and a crash never costs the last one."""

import os
import time

import pytest

from engine.autosave import autosave, autosave_name, autosaves, prune
from engine.game import Game
from engine.orders import EndPhase
from engine.save import load_game


@pytest.fixture
def game(test_scenario):
    return Game(test_scenario, 5)


def _next_side(game):
    """End both phases of the side to act: the other side's turn (or the next turn)."""
    game.apply(EndPhase())
    game.apply(EndPhase())


def test_an_autosave_is_named_after_the_turn_and_side(game, tmp_path):
    assert autosave_name(game) == "turn-01-soviet.json"
    path = autosave(game, tmp_path)
    assert path == tmp_path / "turn-01-soviet.json"
    _next_side(game)
    assert autosave(game, tmp_path).name == "turn-01-japanese.json"
    _next_side(game)
    assert autosave(game, tmp_path).name == "turn-02-soviet.json"
    assert load_game(tmp_path / "turn-02-soviet.json", game.scenario).state_hash() == (
        game.state_hash()
    )


def test_the_history_keeps_the_newest_few(game, test_scenario, tmp_path):
    (tmp_path / "my-own-save.json").write_text("{}")  # not an autosave: never pruned
    (tmp_path / "notes.txt").write_text("x")
    written = []
    hashes = {}
    for _ in range(13):
        path = autosave(game, tmp_path, keep=4)
        written.append(path.name)
        hashes[path.name] = game.state_hash()
        time.sleep(0.02)  # file times are as coarse as the system's clock tick
        _next_side(game)
    kept = [p.name for p in autosaves(tmp_path)]
    assert kept == list(reversed(written[-4:]))
    assert {p.name for p in tmp_path.iterdir()} == {*kept, "my-own-save.json", "notes.txt"}
    for name in kept:
        assert load_game(tmp_path / name, test_scenario).state_hash() == hashes[name]


def test_the_autosave_just_written_is_kept_whatever_the_clock(game, tmp_path):
    first = autosave(game, tmp_path, keep=1)
    _next_side(game)
    second = autosave(game, tmp_path)
    stamp = time.time_ns() + 10**12  # the older file says it is newer (a clock set back)
    os.utime(first, ns=(stamp, stamp))
    prune(tmp_path, keep=1, protect=second)
    assert [p.name for p in autosaves(tmp_path)] == [second.name]


def test_keep_must_be_positive(game, tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        autosave(game, tmp_path, keep=0)


def test_a_crash_during_an_autosave_keeps_the_history(game, test_scenario, tmp_path, monkeypatch):
    autosave(game, tmp_path)
    _next_side(game)
    autosave(game, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _next_side(game)

    def crash(*args, **kwargs):  # the temporary file is written; the rename never happens
        raise KeyboardInterrupt

    monkeypatch.setattr("engine.save.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        autosave(game, tmp_path, keep=1)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing pruned
    for name in before:
        load_game(tmp_path / name, test_scenario)


def test_stale_temporary_files_are_cleared(game, tmp_path):
    stale = tmp_path / ".turn-03-soviet.json.abc123"
    fresh = tmp_path / ".turn-04-soviet.json.def456"
    other = tmp_path / ".hidden"
    for p in (stale, fresh, other):
        p.write_text("half a save")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    autosave(game, tmp_path)
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # maybe being written now; not ours
