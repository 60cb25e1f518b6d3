"""The replay viewer: forward and back through a saved game to the same states, and its verdict."""

from __future__ import annotations

import time

import pygame
import pytest

from engine.game import Game, replay
from engine.players import RecordedPlayer, make_player, run_game
from engine.save import load_game, save_game
from engine.scenario.loader import load_scenario
from ui.app import App, open_window
from ui.replay_scene import ReplayScene

SIZE = (1280, 720)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    scenario = load_scenario("test_small")
    game = Game(scenario, 5)
    run_game(game, {s: make_player("ai", s, scenario) for s in scenario.side_order})
    path = tmp_path_factory.mktemp("replay") / "game.json"
    save_game(game, path)
    return load_game(path)


def press(app, key):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    app.frame(1 / 60)


def settle(app, viewer, timeout=60.0):
    """Run frames until the viewer's game stops changing (its worker idle, nothing animating)."""
    end = time.monotonic() + timeout
    c = viewer.scene.controller
    while time.monotonic() < end:
        app.frame(1 / 60)
        if not c.runner.busy and c.animator.idle and c.ui.mode in ("paused", "game_over"):
            return
    raise AssertionError("the replay did not settle")


def test_the_recorded_player_plays_the_log_back(saved):
    game = Game(saved.scenario, saved.seed)
    run_game(game, {s: RecordedPlayer(s, saved.order_log) for s in saved.scenario.side_order})
    assert game.state_hash() == saved.state_hash()


def test_forward_and_back_reach_the_same_states(saved):
    screen = open_window(SIZE)
    viewer = ReplayScene(
        saved.scenario,
        saved.seed,
        saved.order_log,
        SIZE,
        saved_hash=saved.state_hash(),
        speed="instant",
    )
    app = App(screen, viewer)
    try:
        phases = viewer.timeline.phase_starts()
        assert viewer.position == 0 and len(phases) > 8
        press(app, pygame.K_RIGHT)
        settle(app, viewer)
        press(app, pygame.K_RIGHT)
        settle(app, viewer)
        assert viewer.position == phases[2]
        forward = viewer.scene.controller.game.state_hash()
        assert (
            forward == replay(saved.scenario, saved.seed, saved.order_log[: phases[2]]).state_hash()
        )
        press(app, pygame.K_RIGHT)
        settle(app, viewer)
        press(app, pygame.K_LEFT)  # back: rebuilt, not undone
        settle(app, viewer)
        assert viewer.position == phases[2]
        assert viewer.scene.controller.game.state_hash() == forward
        press(app, pygame.K_PAGEDOWN)  # the next day
        settle(app, viewer)
        assert viewer.position == viewer.timeline.day_starts()[1] or viewer.position > phases[2]
        press(app, pygame.K_END)
        settle(app, viewer)
        assert viewer.position == viewer.end
        assert viewer.scene.controller.game.state_hash() == saved.state_hash()
        assert viewer.verdict() == "the replay reaches the saved game's state exactly"
        viewer.draw(screen)  # with its verdict line
        press(app, pygame.K_HOME)
        assert viewer.position == 0
    finally:
        viewer.close()


def test_a_log_that_does_not_reach_the_saved_state_is_called_so(saved):
    viewer = ReplayScene(
        saved.scenario, saved.seed, saved.order_log[:-3], SIZE, saved_hash=saved.state_hash()
    )
    try:
        assert "DIVERGES" in viewer.verdict()
    finally:
        viewer.close()


def test_typing_a_day_jumps_to_its_start(saved):
    viewer = ReplayScene(saved.scenario, saved.seed, saved.order_log, SIZE, speed="instant")
    try:
        for ch in "4":
            viewer.handle(
                pygame.event.Event(pygame.KEYDOWN, key=pygame.K_4, mod=0, unicode=ch, scancode=0)
            )
        assert viewer.day_entry == "4"
        viewer.handle(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_g, mod=0, unicode="g", scancode=0)
        )
        days = viewer.timeline.day_starts()
        assert viewer.position == days[3] and viewer.timeline.marks[days[3]].turn == 4
        expected = replay(saved.scenario, saved.seed, saved.order_log[: days[3]]).state_hash()
        assert viewer.scene.controller.game.state_hash() == expected
        assert viewer.day_entry == ""
    finally:
        viewer.close()
