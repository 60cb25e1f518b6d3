"""The start screen: its catalogue, choices from the keyboard alone, broken mods, and the game."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame
import pytest
from harness import play_args

from engine.paths import SCENARIOS_DIR
from ui.app import App, open_window
from ui.launch import wants_start_screen
from ui.start_menu import StartChoices, catalogue, change_summary
from ui.start_scene import StartScene

SIZE = (1600, 900)


@pytest.fixture(scope="module")
def shipped():
    return catalogue()


@pytest.fixture
def scene_and_calls(shipped):
    calls: dict[str, object] = {}
    pygame.display.init()
    pygame.font.init()
    scene = StartScene(
        StartChoices(shipped),
        SIZE,
        on_play=lambda setup: calls.__setitem__("play", setup),
        on_quit=lambda: calls.__setitem__("quit", True),
    )
    return scene, calls


def key(scene, k, mod=0, text=""):
    scene.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=text, scancode=0))


def test_the_catalogue_lists_every_scenario_with_its_facts_and_mods(shipped):
    folders = [s.folder for s in shipped]
    assert folders == sorted(
        p.name for p in SCENARIOS_DIR.iterdir() if (p / "scenario.yaml").exists()
    )
    storm = next(s for s in shipped if s.folder == "august_storm")
    assert storm.turns == 25 and storm.units > 200 and storm.start.day == 9
    assert storm.last_day.isoformat() == "1945-09-02"
    assert "Kwantung" in storm.description
    names = {m.path.name for m in storm.mods}
    assert {"no_surrender.yaml", "dry_august.yaml", "kwantung_1941.yaml"} <= names
    assert all(m.error is None and m.description for m in storm.mods)
    no_surrender = next(m for m in storm.mods if m.path.name == "no_surrender.yaml")
    assert no_surrender.changes[0].startswith("removes events broadcast, ceasefire_5a")
    assert "sets turns = 40" in no_surrender.changes
    assert storm.mod_label(no_surrender) == "no surrender on 15 August"
    assert storm.plan_label("soviet", "ai") == "default (historical)"


def test_change_summary_in_words():
    mod = {
        "remove": {"events": ["a", "b", "c", "d", "e", "f"]},
        "add": {"units": [{"id": "u1"}]},
        "set": {"turns": 40},
        "uncertain": {"units[x].readiness": {}},
    }
    assert change_summary(mod) == (
        "removes events a, b, c, d and 2 more",
        "adds units u1",
        "sets turns = 40",
        "draws in every game units[x].readiness",
    )


def test_a_broken_mod_is_listed_with_where_it_breaks_and_cannot_be_chosen(tmp_path):
    shutil.copytree(SCENARIOS_DIR / "test_small", tmp_path / "test_small")
    bad = tmp_path / "test_small" / "mods" / "zz_broken.yaml"
    bad.write_text(
        "extends: test_small\nname: Broken\nset:\n  units[s_rd1].men: -5\n", encoding="utf-8"
    )
    (info,) = catalogue(tmp_path)
    broken = next(m for m in info.mods if m.path.name == "zz_broken.yaml")
    assert broken.error is not None and "zz_broken.yaml:4" in broken.error
    choices = StartChoices([info])
    k = info.mods.index(broken)
    assert choices.toggle_mod(k) == broken.error and not choices.mods
    pygame.display.init()
    pygame.font.init()
    scene = StartScene(choices, SIZE, on_play=lambda s: None, on_quit=lambda: None)
    scene.focus, scene.cursor["mods"] = "mods", k
    key(scene, pygame.K_SPACE)
    assert scene.message_is_error and "zz_broken.yaml:4" in scene.message
    scene.draw(pygame.Surface(SIZE))  # drawn, not raised


def test_keyboard_alone_chooses_a_counterfactual_game(scene_and_calls, shipped):
    scene, calls = scene_and_calls
    storm = next(k for k, s in enumerate(shipped) if s.folder == "august_storm")
    while scene.choices.scenario != storm:
        key(scene, pygame.K_DOWN)
    mods = scene.choices.info.mods
    target = next(k for k, m in enumerate(mods) if m.path.name == "no_surrender.yaml")
    key(scene, pygame.K_TAB)
    assert scene.focus == "mods"
    for _ in range(target):
        key(scene, pygame.K_DOWN)
    key(scene, pygame.K_SPACE)
    key(scene, pygame.K_TAB)
    assert scene.focus == "who"
    key(scene, pygame.K_RIGHT)  # the second side: Japanese
    key(scene, pygame.K_TAB)
    key(scene, pygame.K_RIGHT)  # the Soviet AI's next plan
    key(scene, pygame.K_TAB)
    key(scene, pygame.K_TAB)
    assert scene.focus == "fog"
    key(scene, pygame.K_SPACE)  # off
    key(scene, pygame.K_TAB)
    assert scene.focus == "victory"
    key(scene, pygame.K_RIGHT)  # the plans' objectives, not August Storm's graded scheme
    key(scene, pygame.K_TAB)
    assert scene.focus == "seed"
    for digit in "42":
        key(scene, getattr(pygame, f"K_{digit}"), text=digit)
    scene.draw(pygame.Surface(SIZE))
    key(scene, pygame.K_RETURN)
    setup = calls["play"]
    assert [Path(m).name for m in setup.mods] == ["no_surrender.yaml", "plans_victory.yaml"]
    assert setup.scenario.turns == 40  # the mod is applied
    assert setup.scenario.victory.scheme == "plans"
    assert setup.humans == ["japanese"] and setup.seed == 42 and setup.fog is False
    assert setup.plans == {"soviet": "historical", "japanese": "ai"}
    key(scene, pygame.K_ESCAPE)
    assert calls["quit"] is True


def test_the_seed_can_be_drawn_and_cleared(scene_and_calls):
    scene, _calls = scene_and_calls
    scene.focus = "seed"
    key(scene, pygame.K_r, text="r")
    assert scene.choices.seed is not None and scene.seed_text == str(scene.choices.seed)
    for _ in range(7):
        key(scene, pygame.K_BACKSPACE)
    assert scene.choices.seed is None  # back to the scenario's own


def test_mouse_clicks_tick_mods_and_press_play(scene_and_calls):
    scene, calls = scene_and_calls
    lay = scene.layout
    row = lay.rows["mods"][0]
    scene.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=row.center, button=1))
    assert scene.choices.mods == {0}
    scene.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=row.center, button=1))
    assert scene.choices.mods == set()
    who = lay.rows["who"][0]
    scene.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=who.center, button=1))
    assert scene.choices.who == "second"
    play = lay.buttons["play"]
    scene.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=play.center, button=1))
    assert calls["play"].humans == [scene.choices.info.sides[1]]


def test_the_window_goes_from_the_start_screen_to_a_running_game_with_a_mod(shipped):
    from ui.launch import _start_app

    args = play_args("--speed", "instant")
    screen = open_window(SIZE)
    app = _start_app(screen, args)
    scene = app.scene
    small = next(k for k, s in enumerate(scene.choices.scenarios) if s.folder == "test_small")
    scene.choices.choose_scenario(small)
    scene.choices.toggle_mod(0)  # reinforced.yaml
    scene.choices.who = "watch"
    scene.choices.fog = False
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="", scancode=0)
    )
    app.frame(1 / 60)
    game = app.scene.controller.game
    assert isinstance(app, App) and len(app.scenes) == 1
    assert game.scenario.turns == 10 and "s_rd4" in game.state.units  # the mod's division
    assert [Path(m).name for m in game.mod_refs] == ["reinforced.yaml"]
    assert game.fog is False and game.view("soviet").visible.all()
    assert app.run_until(lambda: game.state.turn >= 2, timeout=60)
    app.scene.close()


@pytest.mark.parametrize(
    ("argv", "menu"),
    [
        ([], True),
        (["--menu", "--frames", "3"], True),
        (["--frames", "3"], False),
        (["--side", "japanese"], False),
        (["--watch"], False),
        (["--mod", "x.yaml"], False),
        (["--seed", "3"], False),
        (["--soviet", "historical"], False),
    ],
)
def test_play_opens_the_start_screen_unless_an_option_chooses_the_game(argv, menu):
    from main import build_parser

    args = build_parser().parse_args(["play", *argv])
    assert wants_start_screen(args) is menu


def _files_app(tmp_path):
    from ui.launch import _start_app
    from ui.userdata import user_data

    data = user_data({"AUGUST_STORM_HOME": str(tmp_path / "home")})
    data.saves.mkdir(parents=True, exist_ok=True)
    args = play_args("--speed", "instant")
    return _start_app(open_window(SIZE), args, None, data), data


def _saved_game(data, mods=()):
    from engine.game import Game
    from engine.orders import EndPhase
    from engine.save import save_game
    from engine.scenario.loader import load_scenario

    game = Game(load_scenario("test_small", mods=list(mods)), 7)
    game.mod_refs = [str(m) for m in mods]
    game.apply(EndPhase())
    path = data.saves / "game.json"
    save_game(game, path)
    return game, path


def test_load_and_replay_from_the_start_screen(tmp_path):
    from ui.game_scene import GameScene
    from ui.replay_scene import ReplayScene

    app, data = _files_app(tmp_path)
    game, path = _saved_game(data)
    start = app.scene
    start._activate("load")
    assert start.saves == [path]
    start.draw(app.screen)  # the save list
    key(start, pygame.K_v)  # replay it
    assert isinstance(app.scene, ReplayScene) and app.scene.end == len(game.order_log)
    app.scene.close()

    app, data = _files_app(tmp_path)
    start = app.scene
    start._activate("continue")  # the newest save, with no last one remembered
    assert isinstance(app.scene, GameScene)
    assert app.scene.controller.game.state_hash() == game.state_hash()
    app.scene.close()


def test_a_save_whose_mod_changed_since_is_refused_or_replayed_on_the_new_files(tmp_path):
    from ui.game_scene import GameScene

    app, data = _files_app(tmp_path)
    mod = tmp_path / "more_turns.yaml"
    mod.write_text("extends: test_small\nname: More turns\nset:\n  turns: 9\n", encoding="utf-8")
    _game, path = _saved_game(data, [mod])
    mod.write_text("extends: test_small\nname: More turns\nset:\n  turns: 10\n", encoding="utf-8")
    start = app.scene
    start._activate("load")
    key(start, pygame.K_RETURN)
    assert start.message_is_error and "R: replay its orders" in start.message
    assert start.changed_save == path and app.scene is start
    key(start, pygame.K_r)
    assert isinstance(app.scene, GameScene)
    assert app.scene.controller.game.scenario.turns == 10  # on the files as they are now
    app.scene.close()


def test_the_settings_page_saves_each_change_and_applies_the_window_size(tmp_path):
    from ui.launch import _start_app
    from ui.settings import Settings, load_settings
    from ui.userdata import user_data

    data = user_data({"AUGUST_STORM_HOME": str(tmp_path / "home")})
    options = Settings(window_size=SIZE)
    args = play_args()
    app = _start_app(open_window(SIZE), args, options, data)
    start = app.scene
    start._activate("settings")
    assert start.settings_open
    start.draw(app.screen)
    text_before = start.layout.text
    key(start, pygame.K_RIGHT)  # window size: 1600 x 900 -> 1920 x 1080
    assert app.screen.get_size() == (1920, 1080)
    for _ in range(2):
        key(start, pygame.K_DOWN)
    key(start, pygame.K_RIGHT)  # text and panel size: 125 %
    assert start.layout.text > text_before
    for _ in range(2):
        key(start, pygame.K_DOWN)
    key(start, pygame.K_SPACE)  # the colour-blind palette
    key(start, pygame.K_DOWN)
    key(start, pygame.K_RIGHT)  # sound: stays off
    assert "no sound" in start.message
    saved, warnings = load_settings(data.settings_file)
    assert not warnings
    assert saved.window_size == (1920, 1080) and saved.ui_scale == 1.25
    assert saved.colour_blind and args.colour_blind and not saved.sound
    key(start, pygame.K_ESCAPE)
    assert not start.settings_open
    start.draw(app.screen)


def test_a_game_by_e_mail_from_the_start_screen_and_its_reply_from_the_load_list(tmp_path):
    from engine.pbem import read_turn_file
    from ui.pbem_scene import PbemScene
    from ui.replay_scene import ReplayScene

    app, data = _files_app(tmp_path)
    start = app.scene
    small = next(k for k, s in enumerate(start.choices.scenarios) if s.folder == "test_small")
    start.choices.choose_scenario(small)
    start.choices.who = "pbem"
    start.draw(app.screen)
    key(start, pygame.K_RETURN)
    turn = app.scene
    assert isinstance(turn, PbemScene) and turn.side == "soviet"
    for _ in range(8):  # end the turn (an early end asks to be confirmed)
        if turn.turn_done():
            break
        turn.scene.controller.end_phase()
    app.frame(1 / 60)
    sent = data.turns / "turn-01-soviet.json"
    assert turn.written == sent and read_turn_file(sent).next_side == "japanese"
    turn.close()

    # the friend's side of it: the same folder, the file in the load list
    app, data = _files_app(tmp_path)
    start = app.scene
    start._activate("load")
    assert sent in start.saves
    start.save_cursor = start.saves.index(sent)
    key(start, pygame.K_RETURN)
    assert isinstance(app.scene, ReplayScene) and app.scene.viewer == "japanese"
    key(app.scene, pygame.K_RETURN)
    assert isinstance(app.scene, PbemScene) and app.scene.side == "japanese"
    assert app.scene.out == data.turns / "turn-01-japanese.json"
    app.scene.close()


def test_a_save_anywhere_opens_by_its_typed_path(tmp_path):
    from ui.game_scene import GameScene

    app, data = _files_app(tmp_path)
    game, path = _saved_game(data)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    start = app.scene
    start._activate("load")
    assert start.saves == []  # nothing in the player's folder now
    key(start, pygame.K_o, text="o")
    for ch in "/no/such/file":
        key(start, pygame.K_a, text=ch)
    key(start, pygame.K_RETURN)
    assert start.message_is_error and "no such file" in start.message
    for _ in range(len("/no/such/file")):
        key(start, pygame.K_BACKSPACE)
    for ch in str(elsewhere):
        key(start, pygame.K_a, text=ch)
    start.draw(app.screen)
    key(start, pygame.K_RETURN)
    assert isinstance(app.scene, GameScene)
    assert app.scene.controller.game.state_hash() == game.state_hash()
    app.scene.close()
