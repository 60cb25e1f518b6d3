"""Save, load and autosave in the window (F5 / Ctrl+S, F9 / Ctrl+O), and load_into_window."""

from __future__ import annotations

import json

import pygame
import pytest
from harness import SIZE, Window, open_test_window

from engine.game import Game
from engine.orders import EndPhase, Move
from engine.save import load_game
from ui.app import App, open_window
from ui.controller import HOTKEYS
from ui.files import continue_path, latest_save, load_into_window, save_into
from ui.game_scene import GameScene
from ui.settings import load_settings
from ui.userdata import user_data


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The player's folder in a temporary place."""
    monkeypatch.setenv("AUGUST_STORM_HOME", str(tmp_path / "home"))
    return user_data()


@pytest.fixture
def win(home):
    w = open_test_window()
    yield w
    w.close()


def _toasts(w: Window, kind: str | None = None) -> list[str]:
    return [t.text for t in w.c.ui.toasts if kind is None or t.kind == kind]


def test_the_help_lists_the_file_keys():
    keys = dict(HOTKEYS)
    assert "save" in keys["F5 / Ctrl+S"] and "load" in keys["F9 / Ctrl+O"]


def test_f5_saves_into_the_saves_folder_and_names_the_file(win, home):
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    win.key(pygame.K_F5)
    (path,) = home.saves.iterdir()
    assert path.name.startswith("test_small-turn-01-soviet-") and path.suffix == ".json"
    assert any(path.name in text for text in _toasts(win, "info"))
    assert load_game(path).state_hash() == win.game.state_hash()
    assert load_settings(home.settings_file)[0].last_save == str(path)  # for Continue
    assert continue_path(home) == path


def test_ctrl_s_saves_too_and_never_over_another_save(win, home):
    camera = win.c.camera.revision
    win.key(pygame.K_s, pygame.KMOD_LCTRL)
    win.key(pygame.K_s, pygame.KMOD_LCTRL)
    assert len(list(home.saves.iterdir())) == 2
    assert win.c.camera.revision == camera  # Ctrl+S is not S (pan down)


def test_f9_opens_the_latest_save(win, home):
    win.click(win.hex_pos(7, 3))
    win.click(win.hex_pos(8, 3))
    win.key(pygame.K_F5)
    saved = win.game.state_hash()
    old = win.c
    win.key(pygame.K_ESCAPE)
    win.click(win.hex_pos(7, 10))
    win.click(win.hex_pos(9, 10))
    assert win.game.state_hash() != saved
    win.key(pygame.K_F9)
    assert win.c is not old and not old.runner.busy
    assert win.game.state_hash() == saved
    assert win.game.state.units["s_tb1"].hex == (7, 10)
    assert any(t.startswith("loaded test_small-turn-01") for t in _toasts(win))
    assert win.c.session.mode == "vs_ai" and win.c.session.is_human("soviet")
    win.frames(3)  # the new scene draws
    win.click(win.hex_pos(7, 10))  # and takes orders
    win.click(win.hex_pos(9, 10))
    assert win.game.state.units["s_tb1"].hex == (9, 10)


def test_ctrl_o_without_a_save_says_so(win, home):
    before = win.game.state_hash()
    win.key(pygame.K_o, pygame.KMOD_LCTRL)
    assert any("no save yet" in t for t in _toasts(win, "error"))
    assert win.game.state_hash() == before


def test_f9_on_a_corrupt_save_shows_the_error_and_keeps_the_game(win, home):
    home.saves.mkdir(parents=True)
    (home.saves / "broken.json").write_bytes(b'{"format": "august-storm-save", "vers')
    old = win.c
    win.key(pygame.K_F9)
    assert win.c is old
    (error,) = _toasts(win, "error")
    assert "broken.json" in error and "not JSON" in error
    win.frames(2)


def _play_on(w: Window, orders) -> None:
    for order in orders:
        if w.c.ui.mode == "handover":
            w.key(pygame.K_RETURN)  # the next player has the screen
        assert w.c.apply(order)


def test_save_quit_load_and_continue_to_the_same_state(home):
    """Hot-seat: save mid-turn, close the window, open the save in a new one, play on."""
    w = open_test_window(humans=("soviet", "japanese"))
    w.key(pygame.K_RETURN)  # past the hand-over screen
    w.click(w.hex_pos(7, 3))
    w.click(w.hex_pos(8, 3))
    w.key(pygame.K_F5)
    (path,) = home.saves.iterdir()
    rest = [EndPhase(), EndPhase(), Move(unit="j_inf3", to=(14, 10)), EndPhase(), EndPhase()]
    _play_on(w, rest)
    expected = w.game.state_hash()
    w.close()  # the window's game is gone: only the file is left

    loaded = load_into_window(path, ["soviet", "japanese"], data=home)
    assert loaded.session is not None and not loaded.error
    screen = open_window(SIZE)
    scene = GameScene(loaded.session, screen.get_size(), data=home)
    again = Window(App(screen, scene), scene)
    try:
        _play_on(again, rest)
        assert again.game.state_hash() == expected
        assert again.game.state.turn == 2
    finally:
        again.close()


def test_an_ai_turn_after_a_load_plays_as_before_it(home):
    """Against the AI: the loaded game's AI turn ends where the unsaved game's did."""
    w = open_test_window()
    w.c.apply(Move(unit="s_rd1", to=(8, 3)))
    w.key(pygame.K_F5)
    w.c.apply(EndPhase())
    w.c.apply(EndPhase())
    w.wait_for_human()
    expected = w.game.state_hash()
    w.key(pygame.K_F9)
    assert w.game.state.turn == 1
    w.c.apply(EndPhase())
    w.c.apply(EndPhase())
    w.wait_for_human()
    assert w.game.state_hash() == expected
    w.close()


def test_an_autosave_at_the_start_of_each_turn(win, home):
    assert not home.autosave.exists()  # opening a game writes nothing
    for _ in range(2):
        win.key(pygame.K_RETURN)
        win.key(pygame.K_RETURN)  # movement over (after the warning)
        win.key(pygame.K_RETURN)  # combat over: the Japanese play
        win.wait_for_human()
    names = sorted(p.name for p in home.autosave.iterdir())
    assert names == ["turn-02-soviet.json", "turn-03-soviet.json"]
    assert load_game(home.autosave / names[-1]).state_hash() == win.game.state_hash()
    assert load_settings(home.settings_file)[0].last_save == str(home.autosave / names[-1])
    assert latest_save(home) == home.autosave / names[-1]  # no saves of the player's own yet


def test_an_autosave_that_cannot_be_written_is_a_message(win, home):
    home.root.mkdir(parents=True)
    home.autosave.write_text("a file where the folder should be")
    win.key(pygame.K_RETURN)
    win.key(pygame.K_RETURN)
    win.key(pygame.K_RETURN)
    win.wait_for_human()
    assert win.game.state.turn == 2
    assert any("autosave failed" in t for t in _toasts(win, "error"))


def test_load_into_window_reports_errors_and_a_changed_scenario(tmp_path, test_scenario):
    game = Game(test_scenario, 5)
    game.apply(Move(unit="s_rd1", to=(8, 3)))
    path = save_into(game, tmp_path)
    assert latest_save(user_data({"AUGUST_STORM_HOME": str(tmp_path / "nobody")})) is None

    loaded = load_into_window(path, ["soviet"], {"japanese": "passive"})
    assert loaded.session is not None and loaded.message == f"loaded {path.name}"
    assert loaded.session.names["japanese"] == "AI (passive)"

    assert load_into_window(tmp_path / "nope.json", ["soviet"]).error.endswith("no such file")
    doc = json.loads(path.read_text())
    doc["scenario_fingerprint"] = "0" * 64  # as if the scenario had changed since
    doc["sections"]["turns"] = "0" * 64
    path.write_text(json.dumps(doc))
    changed = load_into_window(path, ["soviet"])
    assert changed.session is None and changed.changed
    assert "different version of scenario" in changed.error and "turns" in changed.error
    replayed = load_into_window(path, ["soviet"], replay=True)
    assert replayed.session is not None and replayed.report is not None
    assert not replayed.report.diverged  # the files are in fact the same
    assert replayed.session.game.state_hash() == game.state_hash()
    assert "the same game as saved" in replayed.message


def test_f9_while_the_ai_plays_stops_it_and_loads(home):
    w = open_test_window(speed="slow")
    w.key(pygame.K_F5)
    saved = w.game.state_hash()
    w.c.apply(EndPhase())
    w.c.apply(EndPhase())  # the Japanese AI's turn begins in its worker thread
    old = w.c
    assert old.ai_busy
    w.key(pygame.K_F9)
    assert w.c is not old and not old.runner.busy
    assert w.game.state_hash() == saved and w.c.ui.mode == "orders"
    w.close()


def test_f9_on_a_changed_save_says_so_and_f9_again_replays_it_on_the_current_files(win, home):
    win.key(pygame.K_F5)
    saved = win.game.state_hash()
    (path,) = list(home.saves.glob("*.json"))
    doc = json.loads(path.read_text())
    doc["scenario_fingerprint"] = "0" * 64  # as if the scenario had changed since
    path.write_text(json.dumps(doc))
    old = win.c
    win.key(pygame.K_F9)
    assert win.c is old  # refused: nothing loaded
    (text,) = [t for t in _toasts(win, "error") if "F9 again" in t]
    assert "different version of scenario" in text
    win.key(pygame.K_F9)
    assert win.c is not old  # the save's orders replayed on the files as they are
    assert win.game.state_hash() == saved
