"""Autosaves: a save at the start of each turn, keeping a bounded history of the last few.

Each autosave is an ordinary save (:func:`engine.save.save_game`, written to a temporary file
and renamed) named after the turn and the side to act, ``turn-07-soviet.json``; after writing
one, the oldest autosaves beyond ``keep`` are deleted. A crash in the middle of an autosave
leaves at most a hidden temporary file beside the others, never a damaged save, and the next
autosave clears such leftovers.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from engine.game import Game
from engine.save import save_game

#: How many autosaves are kept by default.
KEEP = 10
#: An autosave's file name: ``turn-07-soviet.json``.
AUTOSAVE_NAME = re.compile(r"^turn-\d+-[A-Za-z0-9_]+\.json$")
#: A temporary file older than this (seconds) was left by an interrupted save.
STALE_SECONDS = 60.0


def autosave_name(game: Game) -> str:
    """The file name of a game's autosave: its turn and the side to act."""
    side = re.sub(r"[^A-Za-z0-9_]+", "_", game.active_side) or "side"
    return f"turn-{game.state.turn:02d}-{side}.json"


def autosave(game: Game, folder: str | Path, keep: int = KEEP) -> Path:
    """Save ``game`` into ``folder`` as its turn's autosave; keep only the newest ``keep``.

    Returns the file written. An autosave of the same turn and side replaces the older one.

    Raises:
        ValueError: ``keep`` is less than 1.
        OSError: the folder cannot be written (the autosaves already there are untouched).
    """
    if keep < 1:
        raise ValueError(f"keep must be at least 1, not {keep}")
    folder = Path(folder)
    path = folder / autosave_name(game)
    save_game(game, path)
    prune(folder, keep, protect=path)
    return path


def autosaves(folder: str | Path) -> list[Path]:
    """The autosaves in a folder, newest first (by the time they were written)."""
    folder = Path(folder)
    try:
        found = [p for p in folder.iterdir() if AUTOSAVE_NAME.match(p.name) and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=_age_key, reverse=True)


def prune(folder: str | Path, keep: int, protect: Path | None = None) -> list[Path]:
    """Delete the oldest autosaves beyond ``keep`` and stale temporary files; returns them.

    ``protect`` (the autosave just written) is kept whatever the clock says: file times can
    tie within a few milliseconds.
    """
    folder = Path(folder)
    saves = autosaves(folder)
    if protect is not None and protect in saves:
        saves.remove(protect)
        saves.insert(0, protect)
    removed = []
    for path in saves[keep:]:
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            continue
    now = time.time()
    try:
        leftovers = [p for p in folder.iterdir() if _is_temporary(p.name)]
    except OSError:
        leftovers = []
    for path in leftovers:
        try:
            if now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _is_temporary(name: str) -> bool:
    """A temporary file of :func:`engine.save.write_text_atomic` for an autosave."""
    if not name.startswith("."):
        return False
    base = name[1:].rsplit(".", 1)[0]
    return bool(AUTOSAVE_NAME.match(base))


def _age_key(path: Path) -> tuple[int, str]:
    try:
        return (path.stat().st_mtime_ns, path.name)
    except OSError:
        return (0, path.name)
