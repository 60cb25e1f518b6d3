r"""Where the player's files live: saves, autosaves and settings in one per-user folder.

The folder follows the platform's convention (``platformdirs.user_data_dir``):

- Linux and other Unixes: ``$XDG_DATA_HOME/august-storm``, by default
  ``~/.local/share/august-storm``
- macOS: ``~/Library/Application Support/august-storm``
- Windows: ``%LOCALAPPDATA%\august-storm`` (``C:\Users\NAME\AppData\Local\august-storm``)

The environment variable ``AUGUST_STORM_HOME`` overrides it (tests and CI point it at a
temporary folder, so they never touch the real home). Inside: ``saves/``, ``autosave/`` and
``settings.json``. Nothing is created until something is written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The environment variable that puts the folder elsewhere.
ENV_VAR = "AUGUST_STORM_HOME"
#: The folder's name under the platform's data folder.
APP_NAME = "august-storm"


@dataclass(frozen=True)
class UserData:
    """The per-user folder and the files in it."""

    root: Path

    @property
    def saves(self) -> Path:
        """Saves made by the player (Save, F5)."""
        return self.root / "saves"

    @property
    def autosave(self) -> Path:
        """Autosaves, one at the start of each turn, the last few kept."""
        return self.root / "autosave"

    @property
    def turns(self) -> Path:
        """Turn files of games by e-mail, sent and received (``engine.pbem``)."""
        return self.root / "turns"

    @property
    def settings_file(self) -> Path:
        """The settings that persist between runs (``ui.settings``)."""
        return self.root / "settings.json"

    def shown(self) -> list[tuple[str, str]]:
        """(label, path) pairs for a menu: where the saves, autosaves and settings are."""
        return [
            ("Saves", shown_path(self.saves)),
            ("Autosaves", shown_path(self.autosave)),
            ("Turns by e-mail", shown_path(self.turns)),
            ("Settings", shown_path(self.settings_file)),
        ]


def default_root() -> Path:
    """The platform's per-user data folder for the game (ignoring ``AUGUST_STORM_HOME``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def user_data(env: Mapping[str, str] | None = None) -> UserData:
    """The player's folder: ``AUGUST_STORM_HOME`` if set, else the platform's convention."""
    env = os.environ if env is None else env
    override = env.get(ENV_VAR, "").strip()
    root = Path(override).expanduser() if override else default_root()
    return UserData(root.resolve())


def shown_path(path: Path) -> str:
    """A path as a person reads it: the home folder as ``~``."""
    try:
        home = Path.home().resolve()
        inside = path.resolve().relative_to(home)
    except (ValueError, RuntimeError, OSError):
        return str(path)
    return str(Path("~") / inside)
