"""The game's menu: Esc with nothing to cancel opens it; its items save, report and go back."""

from __future__ import annotations

import pygame
from harness import play_args

from ui.aar_scene import AfterActionScene
from ui.app import open_window
from ui.game_scene import GameScene
from ui.launch import _start_app
from ui.start_scene import StartScene
from ui.userdata import user_data

SIZE = (1280, 720)


def press(app, key):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    app.frame(1 / 60)


def test_the_menu_saves_reports_and_goes_back_to_the_start_screen(tmp_path):
    data = user_data({"AUGUST_STORM_HOME": str(tmp_path)})
    args = play_args("--speed", "instant")
    app = _start_app(open_window(SIZE), args, None, data)
    start = app.scene
    small = next(k for k, s in enumerate(start.choices.scenarios) if s.folder == "test_small")
    start.choices.choose_scenario(small)
    press(app, pygame.K_RETURN)
    game = app.scene
    assert isinstance(game, GameScene)
    game.controller.select_unit("s_rd1")
    press(app, pygame.K_ESCAPE)  # first Esc: the selection goes
    assert game.menu is None and game.controller.ui.selection.unit_id is None
    press(app, pygame.K_ESCAPE)  # nothing left to cancel: the menu
    assert game.menu is not None
    game.draw(app.screen)
    press(app, pygame.K_DOWN)  # "Save"
    press(app, pygame.K_RETURN)
    assert game.menu is None and len(list(data.saves.glob("*.json"))) == 1
    press(app, pygame.K_ESCAPE)
    game.menu.cursor = [i.label for i in game.menu.items].index("After-action report")
    press(app, pygame.K_RETURN)
    assert isinstance(app.scene, AfterActionScene)
    press(app, pygame.K_ESCAPE)
    assert app.scene is game
    press(app, pygame.K_ESCAPE)
    game.menu.cursor = [i.label for i in game.menu.items].index("Back to the start screen")
    press(app, pygame.K_RETURN)
    assert isinstance(app.scene, StartScene)
    app.scene.close()


def test_a_scene_shown_again_after_the_one_over_it_closes_is_drawn_again():
    from ui.app import App

    class Still:
        draws = 0

        def handle(self, event):
            pass

        def update(self, dt):
            pass

        def needs_redraw(self, surface):
            return False  # nothing of its own changed

        def draw(self, surface):
            self.draws += 1

        def close(self):
            pass

    below, above = Still(), Still()
    app = App(open_window(SIZE), below)
    app.frame(1 / 60)
    assert below.draws == 1  # the first frame
    app.push(above)
    app.frame(1 / 60)
    app.pop()
    app.frame(1 / 60)
    assert below.draws == 2  # drawn again, not left under the closed scene's picture
    app.frame(1 / 60)
    assert below.draws == 2


def test_the_settings_page_opens_over_the_game_and_closes_back_to_it(tmp_path):
    data = user_data({"AUGUST_STORM_HOME": str(tmp_path)})
    args = play_args("--speed", "instant")
    from ui.settings import Settings

    app = _start_app(open_window(SIZE), args, Settings(window_size=SIZE), data)
    start = app.scene
    small = next(k for k, s in enumerate(start.choices.scenarios) if s.folder == "test_small")
    start.choices.choose_scenario(small)
    press(app, pygame.K_RETURN)
    game = app.scene
    press(app, pygame.K_ESCAPE)
    labels = [item.label for item in game.menu.items]
    game.menu.cursor = labels.index("Settings")
    press(app, pygame.K_RETURN)
    page = app.scene
    assert isinstance(page, StartScene) and page.settings_open
    press(app, pygame.K_ESCAPE)
    assert app.scene is game
    game.close()
