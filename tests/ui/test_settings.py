"""The player's folder and settings: where they live, round trips, broken files, flags."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from ui.launch import run_settings
from ui.settings import Settings, load_settings, save_settings, update_settings
from ui.userdata import ENV_VAR, default_root, user_data


def test_the_environment_variable_moves_the_folder(tmp_path):
    data = user_data({ENV_VAR: str(tmp_path / "elsewhere")})
    assert data.root == (tmp_path / "elsewhere").resolve()
    assert data.saves == data.root / "saves"
    assert data.autosave == data.root / "autosave"
    assert data.settings_file == data.root / "settings.json"
    assert [label for label, _ in data.shown()] == [
        "Saves",
        "Autosaves",
        "Turns by e-mail",
        "Settings",
    ]
    assert not data.root.exists()  # nothing is made until something is written


def test_the_tests_never_use_the_real_folder():
    assert Path(user_data().root) != default_root()


def test_without_the_variable_the_platform_convention_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    data = user_data({})
    assert data.root == default_root().resolve()
    assert data.root.name == "august-storm"
    home = Path.home()
    shown = dict(user_data({ENV_VAR: str(home / "games" / "as")}).shown())
    assert shown["Saves"] == str(Path("~") / "games" / "as" / "saves")


def test_settings_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    assert load_settings(path) == (Settings(), [])  # no file yet: the defaults, no warning
    assert Settings().sound is False  # sound is off by default
    chosen = Settings(
        window_size=(1280, 720),
        fullscreen=True,
        ui_scale=1.5,
        animation_speed="slow",
        colour_blind=True,
        last_save=str(tmp_path / "x.json"),
    )
    save_settings(chosen, path)
    assert load_settings(path) == (chosen, [])
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary left
    assert update_settings(path, sound=True).sound
    assert load_settings(path)[0] == chosen.model_copy(update={"sound": True})


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b"null", b"[" * 50_000],
)
def test_a_broken_settings_file_gives_the_defaults_with_a_warning(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert len(warnings) == 1 and str(path) in warnings[0] and "defaults" in warnings[0]


def test_a_bad_setting_falls_back_alone(tmp_path):
    path = tmp_path / "settings.json"
    raw = {
        "window_size": [10, 10],
        "ui_scale": 99,
        "animation_speed": "warp",
        "fullscreen": True,
        "colour_blind": True,
        "a_setting_of_a_newer_version": 1,
    }
    path.write_text(json.dumps(raw))
    settings, warnings = load_settings(path)
    assert settings.fullscreen and settings.colour_blind  # the good ones are kept
    assert settings.window_size == (1600, 900) and settings.ui_scale == 1.0
    assert settings.animation_speed == "normal"
    assert sorted(w.split("'")[1] for w in warnings) == [
        "animation_speed",
        "ui_scale",
        "window_size",
    ]


def test_a_folder_in_place_of_the_file_gives_the_defaults(tmp_path):
    (tmp_path / "settings.json").mkdir()
    settings, warnings = load_settings(tmp_path / "settings.json")
    assert settings == Settings() and warnings


def _args(**given: object) -> argparse.Namespace:
    base = {"size": None, "colour_blind": False, "speed": None, "watch": False}
    return argparse.Namespace(**{**base, **given})


def test_flags_override_the_settings_for_one_run(tmp_path):
    saved = Settings(window_size=(1280, 720), animation_speed="slow", fullscreen=True)
    assert run_settings(_args(), saved) == saved
    run = run_settings(_args(size="1920x1080", colour_blind=True, speed="instant"), saved)
    assert run.window_size == (1920, 1080) and run.colour_blind
    assert run.animation_speed == "instant" and run.fullscreen
    assert run_settings(_args(watch=True), saved).animation_speed == "fast"
    assert saved.window_size == (1280, 720)  # the saved settings are not changed


def test_play_reads_the_settings_file(tmp_path, monkeypatch):
    """``main.py play`` with no --size opens the window at the saved size."""
    import pygame

    from main import build_parser
    from ui import launch

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    save_settings(Settings(window_size=(1280, 720), colour_blind=True), tmp_path / "settings.json")
    seen = {}

    class Stop(Exception):
        pass

    def fake_app(screen, scene):
        seen["size"] = screen.get_size()
        seen["palette"] = scene.palette.name
        seen["speed"] = scene.controller.ui.speed
        scene.close()
        raise Stop

    monkeypatch.setattr("ui.app.App", fake_app)
    args = build_parser().parse_args(["play", "--scenario", "test_small", "--frames", "1"])
    with pytest.raises(Stop):
        launch.play_window(args)
    assert seen == {"size": (1280, 720), "palette": "colour_blind", "speed": "normal"}
    pygame.event.clear()
