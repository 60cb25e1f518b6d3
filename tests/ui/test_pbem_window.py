"""Play by e-mail in the window: a turn played and written, opened, watched and answered."""

from __future__ import annotations

import argparse
import time

import pygame

from engine.game import Game
from engine.pbem import open_turn, read_turn_file
from engine.scenario.loader import load_scenario
from ui.app import App, open_window
from ui.launch import _pbem_reply_app
from ui.pbem_scene import PbemScene

SIZE = (1280, 720)


def enter(app):
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
    )
    app.frame(1 / 60)


def end_turn(app, scene):
    """Enter until the side's turn is over (an early Enter asks to be confirmed)."""
    for _ in range(8):
        if scene.turn_done():
            return
        enter(app)
    raise AssertionError("the turn did not end")


def run_until(app, done, timeout=60.0):
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "timed out"
        app.frame(1 / 60)


def test_a_turn_by_e_mail_goes_out_and_comes_back(tmp_path):
    scenario = load_scenario("test_small")
    screen = open_window(SIZE)
    first = tmp_path / "turn-01-soviet.json"
    written = []
    scene = PbemScene(
        Game(scenario, 3), "soviet", SIZE, first, on_written=lambda p, e: written.append((p, e))
    )
    app = App(screen, scene)
    app.frame(1 / 60)
    end_turn(app, scene)
    run_until(app, lambda: bool(written))
    assert written == [(first, "")] and first.exists()
    doc = read_turn_file(first)
    assert (doc.side, doc.next_side) == ("soviet", "japanese")
    scene.draw(screen)  # the "your turn is over" sheet
    app.scene.close()

    # the opponent opens it, watches the Soviet turn under Japanese fog, and plays
    args = argparse.Namespace(
        turn=str(first),
        side="japanese",
        previous=None,
        out=None,
        colour_blind=False,
        speed="instant",
    )
    reply_app = _pbem_reply_app(screen, open_turn(first, "japanese"), args)
    viewer = reply_app.scene
    assert viewer.scene.controller.viewer == "japanese"  # the opponent's own fog of war
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_END, mod=0, unicode="", scancode=0)
    )
    run_until(reply_app, lambda: viewer.position == viewer.end)
    enter(reply_app)  # hand over the game
    answer = reply_app.scene
    assert isinstance(answer, PbemScene) and answer.side == "japanese"
    run_until(reply_app, lambda: answer.scene.controller.session.human_turn)
    end_turn(reply_app, answer)
    run_until(reply_app, lambda: answer.written is not None or answer.error is not None)
    assert answer.error is None
    assert answer.written == tmp_path / "turn-01-japanese.json"
    back = open_turn(answer.written, "soviet", previous=first)
    assert back.game.state.turn == 2 and back.next_side == "soviet"
    reply_app.scene.close()
