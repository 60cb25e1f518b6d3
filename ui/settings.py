"""The player's settings that persist between runs, in ``settings.json`` of the user's folder.

A pydantic model with a default for everything. Reading never fails: a missing file gives the
defaults, a broken one (not JSON, wrong types, values out of range) gives the defaults for what
is broken, keeps what is good, and says so in a warning; unknown keys (from a newer version)
are ignored. Writing goes through a temporary file and a rename, so a crash never leaves half
a file. ``main.py play`` flags override the settings for one run without changing the file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.save import write_text_atomic

log = logging.getLogger(__name__)

Speed = Literal["slow", "normal", "fast", "instant"]
#: The smallest window the layout is made for, and the largest size a file may ask for.
MIN_SIZE = (640, 400)
MAX_SIZE = (16384, 16384)


class Settings(BaseModel):
    """What the player chose: window, scale, speed, palette, sound, and the last save."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    window_size: tuple[int, int] = (1600, 900)
    """The window's width and height in pixels (at least 640x400)."""
    fullscreen: bool = False
    ui_scale: float = Field(1.0, ge=0.5, le=3.0)
    """Panels and text are drawn this much larger (high-DPI screens)."""
    animation_speed: Speed = "normal"
    """How fast the AI's moves are shown."""
    colour_blind: bool = False
    """The palette whose sides and overlays stay apart under deuteranopia and protanopia."""
    sound: bool = False
    """Sound is off unless the player turns it on."""
    last_save: str | None = None
    """The save that Continue opens (the last one written or loaded)."""

    @field_validator("window_size")
    @classmethod
    def _size_in_range(cls, value: tuple[int, int]) -> tuple[int, int]:
        w, h = value
        if not (MIN_SIZE[0] <= w <= MAX_SIZE[0] and MIN_SIZE[1] <= h <= MAX_SIZE[1]):
            raise ValueError(f"{w}x{h} is outside {MIN_SIZE[0]}x{MIN_SIZE[1]} and the screen")
        return value


def load_settings(path: str | Path) -> tuple[Settings, list[str]]:
    """The settings in ``path`` and warnings about what in it could not be used.

    Never raises: what is missing or broken falls back to its default, with a warning (also
    logged) that names the file and the setting.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return _defaults(f"{path}: cannot read the settings ({exc}): using the defaults")
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return _defaults(f"{path}: the settings are not JSON ({exc}): using the defaults")
    if not isinstance(raw, dict):
        return _defaults(f"{path}: the settings are not a JSON object: using the defaults")
    warnings: list[str] = []
    for _ in range(len(Settings.model_fields) + 1):
        try:
            settings = Settings.model_validate(raw)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors(include_url=False) if err["loc"]}
            if not bad & raw.keys():  # an error not tied to a key: give up on the file
                return _defaults(f"{path}: the settings are broken: using the defaults")
            for key in sorted(bad & raw.keys()):
                message = f"{path}: setting '{key}' is not valid ({_short(raw[key])}): default"
                warnings.append(message)
                log.warning(message)
                del raw[key]
        except RecursionError:
            return _defaults(f"{path}: the settings are nested too deeply: using the defaults")
        else:
            return settings, warnings
    return _defaults(f"{path}: the settings are broken: using the defaults")


def save_settings(settings: Settings, path: str | Path) -> None:
    """Write the settings atomically (a temporary file and a rename).

    Raises:
        OSError: the folder cannot be written.
    """
    write_text_atomic(Path(path), settings.model_dump_json(indent=2) + "\n", durable=True)


def update_settings(path: str | Path, **changes: object) -> Settings:
    """Read the settings, change some, write them back; returns the new settings.

    Raises:
        pydantic.ValidationError: a changed value is not valid.
        OSError: the file cannot be written.
    """
    settings, _ = load_settings(path)
    settings = Settings.model_validate({**settings.model_dump(), **changes})
    save_settings(settings, path)
    return settings


def _defaults(message: str) -> tuple[Settings, list[str]]:
    log.warning(message)
    return Settings(), [message]


def _short(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"
