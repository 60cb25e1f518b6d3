"""A game played to its end in the window opens its after-action report; Esc goes back."""

from __future__ import annotations

import argparse

import pygame

from engine.game import Game
from engine.scenario.loader import load_scenario
from ui.aar_scene import AfterActionScene
from ui.app import App, open_window
from ui.game_scene import GameScene
from ui.launch import attach_report
from ui.session import Session

SIZE = (1280, 720)


def test_the_end_of_the_game_opens_the_report_and_f10_opens_it_again():
    scenario = load_scenario("test_small")
    screen = open_window(SIZE)
    scene = GameScene(Session.create(Game(scenario, 2), []), SIZE)
    scene.controller.ui.speed = "instant"
    app = App(screen, scene)
    attach_report(app, scene, argparse.Namespace(colour_blind=False))
    assert app.run_until(lambda: isinstance(app.scene, AfterActionScene), timeout=120)

    assert scene.controller.game.state.game_over
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0)
    )
    app.frame(1 / 60)
    assert app.scene is scene  # back to the map; the report does not open itself twice
    app.frame(1 / 60)
    assert app.scene is scene
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F10, mod=0, unicode="", scancode=0)
    )
    app.frame(1 / 60)
    assert isinstance(app.scene, AfterActionScene)
    for s in reversed(app.scenes):
        s.close()
