"""Saved games and order logs: versioned JSON and plain text, never pickle.

A save file holds the scenario reference and fingerprint, the seed, the whole state, the random
streams, the order log and the state hash; loading checks all of them, so a save that does not
belong to its scenario or was edited by hand is refused with a clear message. Files are written
to a temporary name and renamed, so an interrupted save never leaves a half-written file.

Whatever a file holds (not JSON, another program's JSON, truncated, random bytes, a folder),
loading it raises :class:`~engine.errors.SaveError` with a one-line message and nothing else. A
save whose scenario or mods changed since raises :class:`~engine.errors.ScenarioChanged`,
naming the files and sections that differ; :func:`replay_on_current` replays its order log on
the current files instead and reports whether, and where, the replay parted from the save.
"""

from __future__ import annotations

import hashlib
import json
import os
import reprlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from engine.errors import EngineError, IllegalOrder, SaveError, ScenarioChanged, ScenarioError
from engine.game import Game
from engine.orders import Order, parse_order
from engine.paths import scenario_path
from engine.rng import restore_streams, stream_states
from engine.scenario.loader import display_name, load_scenario, source_files
from engine.scenario.model import Scenario
from engine.state import GameState, canonical_hash

SAVE_FORMAT: Literal["august-storm-save"] = "august-storm-save"
SAVE_VERSION: Literal[3] = 3
"""Version 3: the scenario's files and sections are fingerprinted one by one as well (``sources``,
``sections``), so a save whose scenario changed can say what changed. Version 2: the game log
holds structured entries (:mod:`engine.log`); version 1 saves, whose log is plain ``"T3 ..."``
lines, still load (their lines become entries of kind ``other``)."""
SUPPORTED_VERSIONS = (1, 2, 3)
#: A file larger than this is not read as a save (August Storm's final save is a few MB).
MAX_SAVE_BYTES = 256 * 1024 * 1024


class SaveFile(BaseModel):
    """The JSON document of a saved game."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["august-storm-save"]
    version: Literal[1, 2, 3]
    scenario: str
    mods: list[str] = []
    scenario_fingerprint: str
    sources: dict[str, str] = {}
    """SHA-256 of each file the scenario was read from, by its name (version 3)."""
    sections: dict[str, str] = {}
    """SHA-256 of each top-level section of the scenario's data (version 3)."""
    seed: int
    state: dict[str, Any]
    rng: dict[str, Any]
    orders: list[str]
    state_hash: str
    fog: bool = True
    """Fog of war (a game option; saves made before it existed were all played with it)."""


def scenario_fingerprint(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: any change to the data changes it."""
    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()


def section_fingerprints(scenario: Scenario) -> dict[str, str]:
    """SHA-256 of each top-level section of the scenario's data (``units``, ``rules``, ...)."""
    data = scenario.model_dump(mode="json")
    return {
        key: hashlib.sha256(
            json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")
        ).hexdigest()
        for key, value in data.items()
    }


def source_fingerprints(scenario_ref: str, mod_refs: list[str]) -> dict[str, str]:
    """SHA-256 of each file a scenario with mods is read from, by its name for messages."""
    out: dict[str, str] = {}
    for path in source_files(scenario_ref, mod_refs):
        try:
            out[display_name(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[display_name(path)] = "unreadable"
    return out


def save_game(game: Game, path: str | Path) -> None:
    """Write a game to ``path`` atomically (all or nothing, flushed to the disk)."""
    doc = SaveFile(
        format=SAVE_FORMAT,
        version=SAVE_VERSION,
        scenario=game.scenario_ref,
        mods=list(game.mod_refs),
        scenario_fingerprint=scenario_fingerprint(game.scenario),
        sources=source_fingerprints(game.scenario_ref, list(game.mod_refs)),
        sections=section_fingerprints(game.scenario),
        seed=game.seed,
        state=game.state.to_dict(),
        rng=stream_states(game.streams),
        orders=[o.to_text() for o in game.order_log],
        state_hash=game.state_hash(),
        fog=game.fog,
    )
    write_text_atomic(Path(path), doc.model_dump_json(indent=1), durable=True)


def read_save(path: str | Path) -> SaveFile:
    """Read and check a save file's document, without its scenario or game.

    Raises:
        SaveError: the file is missing, unreadable, not JSON or not a saved game (one line).
    """
    path = Path(path)
    try:
        if not path.exists():
            raise SaveError(f"{path}: cannot read the save: no such file")
        if not path.is_file():
            raise SaveError(f"{path}: cannot read the save: not a file")
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a saved game")
        data = path.read_bytes()
    except OSError as exc:
        raise SaveError(_line(f"{path}: cannot read the save: {exc.strerror or exc}")) from None
    except ValueError as exc:  # a name no file can have (a NUL byte)
        raise SaveError(_line(f"{path}: cannot read the save: {exc}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a saved game: not text (binary data)") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(_line(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}")) from None
    except RecursionError:
        raise SaveError(f"{path}: not a saved game: JSON nested too deeply") from None
    except ValueError as exc:  # a number too long to read
        raise SaveError(_line(f"{path}: not a saved game: {exc}", 120)) from None
    if not isinstance(raw, dict):
        raise SaveError(f"{path}: not a saved game: a JSON {type(raw).__name__}, not an object")
    if raw.get("format") != SAVE_FORMAT:
        found = raw.get("format")
        what = "it has no 'format'" if found is None else f"its format is {_short(found)}"
        raise SaveError(f"{path}: not a saved game of August Storm: {what}")
    if raw.get("version") not in SUPPORTED_VERSIONS:
        raise SaveError(
            f"{path}: save format version {_short(raw.get('version'))} is not supported "
            f"(this program reads versions {', '.join(map(str, SUPPORTED_VERSIONS))})"
        )
    try:
        return SaveFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SaveError(_line(f"{path}: not a saved game: {where}: {first['msg']}")) from None
    except RecursionError:
        raise SaveError(f"{path}: not a saved game: nested too deeply") from None


def load_game(path: str | Path, scenario: Scenario | None = None) -> Game:
    """Read a saved game; the scenario is loaded from its reference unless given.

    Raises:
        SaveError: the file is unreadable, malformed, tampered with, or its scenario does not
            load now (the scenario's own problem is the error's ``__cause__``).
        ScenarioChanged: a SaveError: the scenario or a mod changed since the game was saved.
    """
    path = Path(path)
    doc = read_save(path)
    given = scenario is not None
    if scenario is None:
        scenario = current_scenario(path, doc)
    if scenario_fingerprint(scenario) != doc.scenario_fingerprint:
        changes = describe_changes(doc, scenario, files=not given)
        mods = f" and {len(doc.mods)} mod{'s' if len(doc.mods) > 1 else ''}" if doc.mods else ""
        detail = "; ".join(changes) if changes else "its data changed since"
        raise ScenarioChanged(
            _line(
                f"{path}: saved with a different version of scenario "
                f"'{Path(doc.scenario).name}'{mods}: {detail}; "
                "its orders can be replayed on the current files",
                800,
            ),
            changes,
        )
    return _restore(path, doc, scenario)


def current_scenario(path: Path, doc: SaveFile) -> Scenario:
    """The scenario and mods a save names, as their files are now.

    Raises:
        SaveError: a file is missing, or the scenario does not load (chained to its error).
    """
    for kind, ref in [("scenario", doc.scenario)] + [("mod", m) for m in doc.mods]:
        try:
            found = scenario_path(ref).is_file()
        except (OSError, ValueError):
            found = False
        if not found:
            raise SaveError(_line(f"{path}: its {kind} {_short(ref)} is not found"))
    try:
        return load_scenario(doc.scenario, mods=doc.mods)
    except ScenarioError as exc:
        more = len(exc.problems) - 1
        first = str(exc.problems[0]) if exc.problems else str(exc)
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise SaveError(
            _line(f"{path}: its scenario '{doc.scenario}' does not load now: {first}{extra}")
        ) from exc
    except Exception as exc:  # noqa: BLE001 - a save may name any file: never a traceback
        raise SaveError(
            _line(f"{path}: its scenario {_short(doc.scenario)} cannot be read: {_what(exc)}")
        ) from exc


def describe_changes(doc: SaveFile, scenario: Scenario, files: bool = True) -> list[str]:
    """What differs between the scenario a save was made with and ``scenario``, in words.

    With ``files`` the files are compared too (the save's references, as they are now).
    Version 1 and 2 saves did not record these fingerprints: the list is then empty.
    """
    out: list[str] = []
    if files and doc.sources:
        now = source_fingerprints(doc.scenario, list(doc.mods))
        changed = [name for name, digest in doc.sources.items() if now.get(name, digest) != digest]
        gone = [name for name in doc.sources if name not in now]
        new = [name for name in now if name not in doc.sources]
        out += [f"{name} changed" for name in changed]
        out += [f"{name} is no longer read" for name in gone]
        out += [f"{name} is read now" for name in new]
        if not out:
            out.append("its files are the same, this version of the game reads them differently")
    if doc.sections:
        now_sections = section_fingerprints(scenario)
        keys = sorted(set(doc.sections) | set(now_sections))
        differ = [k for k in keys if doc.sections.get(k) != now_sections.get(k)]
        if differ:
            out.append("the data differs in " + ", ".join(differ))
    return out


def _restore(path: Path, doc: SaveFile, scenario: Scenario) -> Game:
    """The saved game itself, checked against its state hash."""
    try:
        state = GameState.from_dict(doc.state)
        streams = restore_streams(doc.rng)
        orders = [parse_order(line) for line in doc.orders]
        game = Game.restore(scenario, doc.seed, state, streams, orders, fog=doc.fog)
        saved = _saved_hash(game, doc.version)
    except Exception as exc:  # noqa: BLE001 - whatever the damage, a one-line SaveError
        raise SaveError(_line(f"{path}: the saved state is damaged: {_what(exc)}")) from None
    game.scenario_ref = doc.scenario
    game.mod_refs = list(doc.mods)
    if saved != doc.state_hash:
        raise SaveError(f"{path}: the state does not match its hash (edited or damaged)")
    return game


@dataclass(frozen=True)
class ReplayReport:
    """How a save's order log replayed on the current scenario files."""

    path: str
    orders: int
    """Orders in the save's log."""
    applied: int
    """Orders the replay carried out (all of them unless one was illegal)."""
    illegal_at: int | None
    """Index in the log of the first order the current files make illegal (the replay stops
    before it), or None."""
    illegal_order: str | None
    reason: str | None
    """Why that order is illegal now (the engine's own words)."""
    saved_hash: str
    replayed_hash: str
    changes: tuple[str, ...]
    """What changed in the scenario since the save (:func:`describe_changes`)."""

    @property
    def diverged(self) -> bool:
        """Whether the replay did not reach the saved state."""
        return self.replayed_hash != self.saved_hash

    def summary(self) -> str:
        """One line for a person: how far the replay went and whether it matches the save."""
        if self.illegal_at is not None:
            return (
                f"replayed {self.applied} of {self.orders} orders on the current files: order "
                f"{self.illegal_at + 1} ({self.illegal_order}) is illegal now: {self.reason}"
            )
        if self.diverged:
            return (
                f"replayed all {self.orders} orders on the current files: the game differs "
                "from the saved one (the changed data played out differently)"
            )
        return f"replayed all {self.orders} orders on the current files: the same game as saved"


def replay_on_current(
    path: str | Path, scenario: Scenario | None = None
) -> tuple[Game, ReplayReport]:
    """Replay a save's order log on the scenario as its files are now (or on ``scenario``).

    The game returned has every order applied up to the first one the current files make
    illegal; the report says where that was, and whether the result is the saved state.

    Raises:
        SaveError: the file is not a save, or its scenario does not load now.
    """
    path = Path(path)
    doc = read_save(path)
    given = scenario is not None
    if scenario is None:
        scenario = current_scenario(path, doc)
    try:
        orders = [parse_order(line) for line in doc.orders]
        game = Game(scenario, doc.seed, fog=doc.fog)
    except Exception as exc:  # noqa: BLE001 - a damaged log or seed: a one-line SaveError
        raise SaveError(_line(f"{path}: the saved game is damaged: {_what(exc)}")) from None
    game.scenario_ref = doc.scenario
    game.mod_refs = list(doc.mods)
    illegal_at: int | None = None
    reason: str | None = None
    for k, order in enumerate(orders):
        try:
            game.apply(order)
        except IllegalOrder as exc:
            illegal_at, reason = k, exc.detail
        except EngineError as exc:
            illegal_at, reason = k, _line(str(exc))
        except Exception as exc:  # noqa: BLE001 - an order the changed data cannot carry out
            illegal_at, reason = k, _what(exc)
        if illegal_at is not None:
            break
    if scenario_fingerprint(scenario) == doc.scenario_fingerprint:
        changes: list[str] = []
    else:
        changes = describe_changes(doc, scenario, files=not given)
    report = ReplayReport(
        path=str(path),
        orders=len(orders),
        applied=len(orders) if illegal_at is None else illegal_at,
        illegal_at=illegal_at,
        illegal_order=None if illegal_at is None else orders[illegal_at].to_text(),
        reason=reason,
        saved_hash=doc.state_hash,
        replayed_hash=_saved_hash(game, doc.version),
        changes=tuple(changes),
    )
    return game, report


def _line(text: str, limit: int = 400) -> str:
    """A message on one line, not too long."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _short(value: object, limit: int = 200) -> str:
    """A value from a file, quoted and cut short for a message."""
    try:
        text = repr(value) if isinstance(value, str) else reprlib.repr(value)
    except ValueError:  # an integer too long to write out
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _what(exc: BaseException) -> str:
    """An exception in a few words: its kind and message."""
    return _line(f"{type(exc).__name__}: {exc}", 200)


def _saved_hash(game: Game, version: int) -> str:
    """The state hash as a save of ``version`` wrote it (version 1 hashed the log as lines)."""
    if version >= 2:
        return game.state_hash()
    payload = game.state.to_dict()
    payload["log"] = [str(e) for e in game.state.log]
    return canonical_hash({"state": payload, "rng": stream_states(game.streams)})


def write_order_log(orders: list[Order], path: str | Path) -> None:
    """Write orders one per line in their text form."""
    write_text_atomic(Path(path), "".join(o.to_text() + "\n" for o in orders))


def read_order_log(path: str | Path) -> list[Order]:
    """Read an order log (one order per line; blank lines and ``#`` comments ignored).

    Raises:
        SaveError: a line is not an order, with its file and line number.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the order log: {exc.strerror or exc}") from None
    orders: list[Order] = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            orders.append(parse_order(text))
        except IllegalOrder as exc:
            raise SaveError(f"{path}:{number}: {exc}") from None
    return orders


def write_text_atomic(path: Path, text: str, durable: bool = False) -> None:
    """Write a file through a temporary sibling and a rename: all or nothing.

    With ``durable`` the data is flushed to the disk before the rename (and the folder after
    it), so that not even a power cut leaves an empty file in place of the old one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to the disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are journalled anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
