"""Drive the real window headless: post synthetic events to pygame's queue and run frames."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from engine.game import Game
from engine.scenario.loader import load_scenario
from ui.app import App, open_window
from ui.controller import Controller
from ui.game_scene import GameScene
from ui.session import Session

SIZE = (1600, 900)
DT = 1.0 / 60.0


@dataclass
class Window:
    """The app, its scene and controller, and helpers to send it input."""

    app: App
    scene: GameScene

    @property
    def c(self) -> Controller:
        return self.scene.controller

    @property
    def game(self) -> Game:
        return self.scene.controller.game

    def frame(self, *events: pygame.event.Event) -> None:
        """Post events to pygame's queue and run one frame of the real loop."""
        for e in events:
            pygame.event.post(e)
        self.app.frame(DT)

    def frames(self, n: int) -> None:
        for _ in range(n):
            self.app.frame(DT)

    def move_mouse(self, pos: tuple[int, int]) -> None:
        self.frame(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))

    def click(self, pos: tuple[int, int], button: int = 1) -> None:
        """Move there, press and release: one frame."""
        self.frame(
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button),
        )

    def drag(self, start: tuple[int, int], end: tuple[int, int], button: int = 1) -> None:
        """Press at ``start``, move in steps to ``end``, release."""
        events = [
            pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=button),
        ]
        for k in range(1, 6):
            x = start[0] + (end[0] - start[0]) * k // 5
            y = start[1] + (end[1] - start[1]) * k // 5
            events.append(
                pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(1, 0, 0))
            )
        events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=button))
        self.frame(*events)

    def key(self, key: int, mod: int = 0) -> None:
        self.frame(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))

    def wheel(self, pos: tuple[int, int], y: int) -> None:
        self.frame(
            pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(
                pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y)
            ),
        )

    def hex_pos(self, col: int, row: int) -> tuple[int, int]:
        """Screen pixel of a hex centre (the camera is moved to show it if needed)."""
        index = self.game.world.index(col, row)
        cam = self.c.camera
        x, y = cam.hex_centre_int(index)
        if not cam.contains(x, y):
            cam.centre_on(index)
            x, y = cam.hex_centre_int(index)
        return x, y

    def wait_for_human(self, max_frames: int = 20_000) -> None:
        """Run frames until the AI has played and its moves are shown."""
        for _ in range(max_frames):
            if self.c.session.human_turn and not self.c.ai_busy and self.c.ui.mode != "ai_turn":
                return
            if self.game.state.game_over and not self.c.ai_busy:
                return
            self.app.frame(DT)
            self.c.runner._thread and self.c.runner._thread.join(0.001)
        raise AssertionError("the AI's turn did not end")

    def close(self) -> None:
        self.scene.close()
        pygame.event.clear()


def open_test_window(
    scenario: str = "test_small",
    humans: tuple[str, ...] = ("soviet",),
    seed: int = 7,
    speed: str = "instant",
) -> Window:
    """A real window (headless under SDL_VIDEODRIVER=dummy) on a new game."""
    screen = open_window(SIZE)
    pygame.event.clear()
    game = Game(load_scenario(scenario), seed)
    session = Session.create(game, list(humans))
    scene = GameScene(session, screen.get_size())
    scene.controller.ui.speed = speed  # type: ignore[assignment]
    return Window(App(screen, scene), scene)


def play_args(*argv: str):  # noqa: ANN201 - argparse.Namespace
    """The options of ``main.py play`` as its own parser reads ``argv`` (defaults otherwise)."""
    from main import build_parser

    return build_parser().parse_args(["play", *argv])
