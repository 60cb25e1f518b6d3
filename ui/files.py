"""The window's files: Save, Load, Continue and the autosave, with messages a person reads.

Saving and loading are the engine's (:mod:`engine.save`, :mod:`engine.autosave`); this module
picks the folders (:mod:`ui.userdata`), names the files, remembers the last save for Continue
(:mod:`ui.settings`) and turns every failure into one line for the window instead of an
exception. :func:`load_into_window` is what a load dialog or the start screen calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine.autosave import KEEP, autosave
from engine.errors import EngineError, SaveError, ScenarioChanged
from engine.game import Game
from engine.save import ReplayReport, load_game, replay_on_current, save_game
from ui.session import Session
from ui.settings import load_settings, update_settings
from ui.userdata import UserData, shown_path


@dataclass(frozen=True)
class Loaded:
    """What opening a save gave: a session to play, or a message saying why not."""

    path: Path
    session: Session | None = None
    error: str = ""
    """One line for the window when there is no session."""
    changed: bool = False
    """The save's scenario or mods changed since: a dialog may offer to replay its orders on
    the current files (``load_into_window(path, ..., replay=True)``) or to refuse."""
    report: ReplayReport | None = None
    """How the replay on the current files went (``replay=True`` only)."""

    @property
    def message(self) -> str:
        """One line for a toast: what was opened, or the error."""
        if self.session is None:
            return self.error
        if self.report is not None:
            return f"{self.path.name}: {self.report.summary()}"
        return f"loaded {self.path.name}"


def save_name(game: Game, when: datetime | None = None) -> str:
    """A save's file name: scenario, turn, side to act and the time.

    For example ``august_storm-turn-07-soviet-20260812-143005.json``.
    """
    when = when or datetime.now()
    scenario = re.sub(r"[^A-Za-z0-9_]+", "_", game.scenario.id) or "game"
    side = re.sub(r"[^A-Za-z0-9_]+", "_", game.active_side) or "side"
    return f"{scenario}-turn-{game.state.turn:02d}-{side}-{when:%Y%m%d-%H%M%S}.json"


def save_into(game: Game, folder: Path, when: datetime | None = None) -> Path:
    """Save a game into ``folder`` under a new name (never over another save); returns it.

    Raises:
        OSError: the folder cannot be written.
    """
    name = save_name(game, when)
    path = folder / name
    k = 2
    while path.exists():
        path = folder / name.replace(".json", f"-{k}.json")
        k += 1
    save_game(game, path)
    return path


def saves_in(folder: Path) -> list[Path]:
    """The save files in a folder, newest first (hidden temporary files left out)."""
    try:
        found = [p for p in folder.glob("*.json") if not p.name.startswith(".") and p.is_file()]
    except OSError:
        return []

    def written(path: Path) -> tuple[int, str]:
        try:
            return (path.stat().st_mtime_ns, path.name)
        except OSError:
            return (0, path.name)

    return sorted(found, key=written, reverse=True)


def latest_save(data: UserData) -> Path | None:
    """The save Load opens: the newest in ``saves/``, else the newest autosave, else None."""
    for folder in (data.saves, data.autosave):
        found = saves_in(folder)
        if found:
            return found[0]
    return None


def continue_path(data: UserData) -> Path | None:
    """The save Continue opens: the last one written or loaded, if it is still there."""
    settings, _ = load_settings(data.settings_file)
    if settings.last_save and Path(settings.last_save).is_file():
        return Path(settings.last_save)
    return latest_save(data)


def remember(data: UserData, path: Path) -> str | None:
    """Note ``path`` as the save Continue opens; returns a warning if that cannot be written."""
    try:
        update_settings(data.settings_file, last_save=str(path))
    except (OSError, ValueError) as exc:
        return f"could not write {shown_path(data.settings_file)}: {exc}"
    return None


def autosave_window(game: Game, data: UserData, keep: int = KEEP) -> Path:
    """The autosave at the start of a turn (the last ``keep`` kept); remembered for Continue.

    Raises:
        OSError: the autosave folder cannot be written.
    """
    path = autosave(game, data.autosave, keep)
    remember(data, path)
    return path


def load_into_window(
    path: str | Path,
    humans: list[str],
    plans: dict[str, str] | None = None,
    *,
    replay: bool = False,
    data: UserData | None = None,
) -> Loaded:
    """Open a save for the window: a new session with ``humans`` at the controls.

    With ``replay`` the save's order log is replayed on the current scenario files (the choice
    offered when the scenario changed since; see :attr:`Loaded.changed`). Never raises: a
    missing, corrupt or foreign file, or a scenario that no longer loads, gives ``error``.
    With ``data`` the save is remembered for Continue.
    """
    path = Path(path)
    report = None
    try:
        if replay:
            game, report = replay_on_current(path)
        else:
            game = load_game(path)
        session = Session.create(game, [s for s in humans if s in game.scenario.side_order], plans)
    except ScenarioChanged as exc:
        return Loaded(path, error=str(exc), changed=True)
    except SaveError as exc:
        return Loaded(path, error=str(exc))
    except EngineError as exc:  # an AI plan the loaded scenario does not have
        return Loaded(path, error=f"{path.name}: {' '.join(str(exc).split())}")
    if data is not None:
        remember(data, path)
    return Loaded(path, session=session, report=report)
