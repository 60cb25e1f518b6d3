"""Saved games and order logs: versioned JSON and plain text, never pickle.

A save file holds the scenario reference and fingerprint, the seed, the whole state, the random
streams, the order log and the state hash; loading checks all of them, so a save that does not
belong to its scenario or was edited by hand is refused with a clear message. Files are written
to a temporary name and renamed, so an interrupted save never leaves a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from engine.errors import IllegalOrder, SaveError
from engine.game import Game
from engine.orders import Order, parse_order
from engine.rng import restore_streams, stream_states
from engine.scenario.loader import load_scenario
from engine.scenario.model import Scenario
from engine.state import GameState, canonical_hash

SAVE_FORMAT: Literal["august-storm-save"] = "august-storm-save"
SAVE_VERSION: Literal[2] = 2
"""Version 2: the game log holds structured entries (:mod:`engine.log`); version 1 saves, whose
log is plain ``"T3 ..."`` lines, still load (their lines become entries of kind ``other``)."""


class SaveFile(BaseModel):
    """The JSON document of a saved game."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["august-storm-save"]
    version: Literal[1, 2]
    scenario: str
    mods: list[str] = []
    scenario_fingerprint: str
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


def save_game(game: Game, path: str | Path) -> None:
    """Write a game to ``path`` atomically."""
    doc = SaveFile(
        format=SAVE_FORMAT,
        version=SAVE_VERSION,
        scenario=game.scenario_ref,
        mods=list(game.mod_refs),
        scenario_fingerprint=scenario_fingerprint(game.scenario),
        seed=game.seed,
        state=game.state.to_dict(),
        rng=stream_states(game.streams),
        orders=[o.to_text() for o in game.order_log],
        state_hash=game.state_hash(),
        fog=game.fog,
    )
    write_text_atomic(Path(path), doc.model_dump_json(indent=1))


def load_game(path: str | Path, scenario: Scenario | None = None) -> Game:
    """Read a saved game; the scenario is loaded from its reference unless given.

    Raises:
        SaveError: the file is unreadable, malformed, from another scenario or tampered with.
        engine.errors.ScenarioError: the referenced scenario no longer loads.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save: {exc.strerror or exc}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if (
        isinstance(raw, dict)
        and raw.get("format") == SAVE_FORMAT
        and raw.get("version") not in (1, 2)
    ):
        raise SaveError(f"{path}: save format version {raw.get('version')} is not supported")
    try:
        doc = SaveFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SaveError(f"{path}: not a saved game: {where}: {first['msg']}") from None
    if scenario is None:
        scenario = load_scenario(doc.scenario, mods=doc.mods)
    if scenario_fingerprint(scenario) != doc.scenario_fingerprint:
        raise SaveError(
            f"{path}: saved with a different version of scenario '{doc.scenario}' "
            "(its data changed since)"
        )
    try:
        state = GameState.from_dict(doc.state)
        streams = restore_streams(doc.rng)
        orders = [parse_order(line) for line in doc.orders]
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, IllegalOrder) as exc:
        raise SaveError(f"{path}: the saved state is damaged: {exc}") from None
    game = Game.restore(scenario, doc.seed, state, streams, orders, fog=doc.fog)
    game.scenario_ref = doc.scenario
    game.mod_refs = list(doc.mods)
    if _saved_hash(game, doc.version) != doc.state_hash:
        raise SaveError(f"{path}: the state does not match its hash (edited or damaged)")
    return game


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


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary sibling and a rename: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
