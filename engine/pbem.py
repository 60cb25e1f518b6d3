"""Play by e-mail: turn files that carry a game from one player to the other, checked on arrival.

When a side has ended its turn (its movement and combat phases), :func:`write_turn_file` writes
a small versioned JSON file: the scenario reference and mods with their fingerprints, the seed,
the whole order log and a hash chain with one link per side turn. The opponent's
:func:`open_turn` loads the scenario, refuses it if it is not the one the game was played on
(and says which part differs), replays the order log from the seed and recomputes the chain,
comparing it link by link, so an edited, removed or inserted order, a forged hash or a changed
seed is found and named by the first turn it spoils. Given the file its opener sent last
(``previous``), it also refuses a file whose earlier turns differ from that copy, which catches a
sender who replayed the game with other orders and wrote a fresh, self-consistent chain.

The chain: link 0 is ``sha256(64 zeros + hash of the state at the start)``; link ``k`` is
``sha256(link k-1 + hash of the state after the k-th side turn ended)`` (hex digests, joined as
text). A state hash (:meth:`engine.game.Game.state_hash`) covers the whole state, its log and
the random streams, so it already depends on every order before it; the chain makes the record
of every turn depend on all the earlier ones. Links fall on side turns, not phases, because a
side turn is what a player sends; a finer chain would find nothing more.

``docs/pbem.md`` describes the workflow and the format.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    NonNegativeInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

from engine.errors import IllegalOrder, ScenarioError, TurnFileError
from engine.game import Game, replay
from engine.orders import Order, parse_order
from engine.paths import SCENARIOS_DIR, scenario_path
from engine.save import SAVE_FORMAT, scenario_fingerprint, write_text_atomic
from engine.scenario.loader import load_scenario
from engine.scenario.model import Scenario
from engine.world import World

TURN_FORMAT: Literal["august-storm-turn"] = "august-storm-turn"
TURN_VERSION: Literal[1] = 1
CHAIN_ROOT = "0" * 64
"""The link before the first: the chain starts from nothing but the game's opening state."""

Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Link(BaseModel):
    """One link of the hash chain: the game as a side turn (or the game's start) left it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    turn: int
    """The game turn of the side turn (0 for the start of the game)."""
    side: str | None
    """The side that ended its turn (``None`` for the start of the game)."""
    orders: int
    """How many orders of the log were applied at this point."""
    state_hash: Digest
    link: Digest
    """``sha256(previous link + state_hash)``."""


class TurnFile(BaseModel):
    """The JSON document of a play-by-e-mail turn."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["august-storm-turn"]
    version: Literal[1]
    scenario: str
    mods: list[str] = []
    scenario_fingerprint: Digest
    """Of the scenario with its mods applied: what the replay needs to be equal."""
    base_fingerprint: Digest
    """Of the scenario without the mods, to say which part differs when the first does."""
    mod_fingerprints: list[Digest] = []
    """SHA-256 of each mod file's bytes, in the order of ``mods``."""
    seed: NonNegativeInt
    side: str
    """The side that wrote the file: it ended the last turn in it."""
    next_side: str | None
    """The side to play next (``None`` when the game is over)."""
    turn: int
    """The game turn the next side plays (or the last one, when the game is over)."""
    orders: list[str]
    chain: list[Link]
    fog: bool = True
    """Fog of war (a game option: a game without it is replayed without it)."""

    @model_validator(mode="after")
    def _consistent(self) -> TurnFile:
        if len(self.mod_fingerprints) != len(self.mods):
            raise ValueError("mods and mod_fingerprints differ in length")
        if len(self.chain) < 2:
            raise ValueError("the hash chain needs the start of the game and at least one turn")
        return self


@dataclass
class OpenedTurn:
    """A turn file opened and checked: the game as its sender left it."""

    game: Game
    turn_file: TurnFile
    last_turn_start: int
    """Index in ``game.order_log`` of the first order of the sender's last turn: a viewer replays
    the orders before it (:meth:`game_before_last_turn`) and steps through the rest under the
    opener's fog."""

    @property
    def sender(self) -> str:
        """The side that wrote the file."""
        return self.turn_file.side

    @property
    def next_side(self) -> str | None:
        """The side to play now, ``None`` when the game is over."""
        return None if self.game.state.game_over else self.game.active_side

    def game_before_last_turn(self) -> Game:
        """A new game at the start of the sender's last turn, to watch it order by order."""
        game = replay(
            self.game.scenario,
            self.game.seed,
            self.game.order_log[: self.last_turn_start],
            world=self.game.world,
            fog=self.game.fog,
        )
        game.scenario_ref = self.game.scenario_ref
        game.mod_refs = list(self.game.mod_refs)
        return game


# ---------------------------------------------------------------- the hash chain


def chain_link(previous: str, state_hash: str) -> str:
    """The next link of the chain after ``previous``, for the state with ``state_hash``."""
    return hashlib.sha256(f"{previous}{state_hash}".encode("ascii")).hexdigest()


@dataclass
class _Replay:
    """A replay of an order log from the seed, with the chain it makes."""

    game: Game
    links: list[Link]
    failure: str | None = None
    """Why the replay stopped early (an illegal order), or ``None``."""


def _replay_chain(
    scenario: Scenario,
    seed: int,
    orders: Sequence[Order],
    world: World | None = None,
    fog: bool = True,
) -> _Replay:
    """Replay ``orders`` on a new game, recording a link at the start and after every side turn."""
    game = Game(scenario, seed, world=world, fog=fog)
    state_hash = game.state_hash()
    links = [
        Link(
            turn=0,
            side=None,
            orders=0,
            state_hash=state_hash,
            link=chain_link(CHAIN_ROOT, state_hash),
        )
    ]
    for number, order in enumerate(orders, start=1):
        side, turn = game.active_side, game.state.turn
        try:
            game.apply(order)
        except IllegalOrder as exc:
            return _Replay(
                game,
                links,
                f"order {number} ('{order.to_text()}', {side}'s turn {turn}) is illegal on "
                f"replay: {exc}",
            )
        if game.state.game_over or game.active_side != side:
            state_hash = game.state_hash()
            links.append(
                Link(
                    turn=turn,
                    side=side,
                    orders=number,
                    state_hash=state_hash,
                    link=chain_link(links[-1].link, state_hash),
                )
            )
    return _Replay(game, links)


def _label(link: Link) -> str:
    return "the start of the game" if link.side is None else f"{link.side}'s turn {link.turn}"


def _changed(link: Link) -> str:
    if link.side is None:
        return "the seed or the scenario was changed"
    return f"the orders of turn {link.turn} or before were changed"


# ---------------------------------------------------------------- writing


def write_turn_file(game: Game, path: str | Path, side: str) -> TurnFile:
    """Write the turn file ``side`` sends after ending its turn, atomically; returns it.

    The game is replayed from its seed to build the hash chain, which also proves that its order
    log reproduces it.

    Raises:
        TurnFileError: ``side`` is not the side that just ended its turn, the game does not follow
            from its order log, or its scenario cannot be loaded again from its reference.
    """
    path = Path(path)
    where = f"{path}: cannot write the turn file"
    if side not in game.scenario.side_order:
        known = ", ".join(game.scenario.side_order)
        raise TurnFileError(f"{where}: no side '{side}' (the sides are {known})")
    run = _replay_chain(game.scenario, game.seed, game.order_log, world=game.world, fog=game.fog)
    if run.failure is not None:
        raise TurnFileError(f"{where}: the game does not replay from its order log: {run.failure}")
    if run.game.state_hash() != game.state_hash():
        raise TurnFileError(
            f"{where}: the game's state does not follow from its order log "
            "(it was changed outside Game.apply)"
        )
    last = run.links[-1]
    if last.side is None or last.orders != len(game.order_log):
        state = game.state
        raise TurnFileError(
            f"{where}: {side} has not ended its turn "
            f"(it is {game.active_side}'s {state.phase} phase of turn {state.turn})"
        )
    if last.side != side:
        raise TurnFileError(f"{where}: the last turn was ended by {last.side}, not {side}")
    scenario_ref = _portable(game.scenario_ref)
    mod_refs = [_portable(m) for m in game.mod_refs]
    fingerprint = scenario_fingerprint(game.scenario)
    try:
        if scenario_fingerprint(load_scenario(scenario_ref, mods=mod_refs)) != fingerprint:
            raise TurnFileError(
                f"{where}: the game's scenario is not what '{scenario_ref}'"
                f"{_with_mods(mod_refs)} loads now, so the opponent could not replay it"
            )
        base = scenario_fingerprint(load_scenario(scenario_ref)) if mod_refs else fingerprint
        mod_fingerprints = [_file_fingerprint(m) for m in mod_refs]
    except (ScenarioError, OSError) as exc:
        raise TurnFileError(
            f"{where}: the game's scenario '{scenario_ref}'{_with_mods(mod_refs)} "
            f"does not load: {exc}"
        ) from None
    doc = TurnFile(
        format=TURN_FORMAT,
        version=TURN_VERSION,
        scenario=scenario_ref,
        mods=mod_refs,
        scenario_fingerprint=fingerprint,
        base_fingerprint=base,
        mod_fingerprints=mod_fingerprints,
        seed=game.seed,
        side=side,
        next_side=None if game.state.game_over else game.active_side,
        turn=game.state.turn,
        orders=[o.to_text() for o in game.order_log],
        chain=run.links,
        fog=game.fog,
    )
    write_text_atomic(path, doc.model_dump_json(indent=1) + "\n")
    return doc


def _portable(ref: str) -> str:
    """A scenario or mod reference that loads on another machine when it lies in ``scenarios/``.

    A file inside the repository's ``scenarios/`` becomes its path relative to that folder (a
    scenario's ``scenario.yaml`` its folder's name); any other reference is kept as it is.
    """
    try:
        relative = scenario_path(ref).resolve().relative_to(SCENARIOS_DIR.resolve())
    except ValueError:
        return ref
    if len(relative.parts) == 2 and relative.name == "scenario.yaml":
        return relative.parts[0]
    return relative.as_posix()


def _file_fingerprint(ref: str) -> str:
    return hashlib.sha256(scenario_path(ref).read_bytes()).hexdigest()


def _orders(count: int) -> str:
    return f"{count} order" if count == 1 else f"{count} orders"


def _with_mods(mods: Sequence[str]) -> str:
    return f" with mods {', '.join(mods)}" if mods else " with no mods"


# ---------------------------------------------------------------- reading


def read_turn_file(path: str | Path, scenario: Scenario | None = None) -> TurnFile:
    """Read a turn file and check its form (and, given ``scenario``, that it belongs to it).

    It does not replay the game: :func:`open_turn` does.

    Raises:
        TurnFileError: the file is unreadable, not JSON, not a turn file, of an unknown version,
            missing or with wrong fields, or played on another scenario than ``scenario``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TurnFileError(f"{path}: cannot read the turn file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise TurnFileError(f"{path}: not a turn file: it is not text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TurnFileError(
            f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}): the file is damaged or "
            "cut short"
        ) from None
    if not isinstance(raw, dict):
        raise TurnFileError(f"{path}: not a turn file: it holds no JSON object")
    if raw.get("format") == SAVE_FORMAT:
        raise TurnFileError(f"{path}: this is a saved game, not a turn file: load it instead")
    if raw.get("format") != TURN_FORMAT:
        found = f"format '{raw['format']}'" if "format" in raw else "no format field"
        raise TurnFileError(f"{path}: not a turn file ({found}, expected '{TURN_FORMAT}')")
    if raw.get("version") != TURN_VERSION:
        raise TurnFileError(
            f"{path}: turn file version {raw.get('version')} is not supported "
            f"(this program reads version {TURN_VERSION})"
        )
    try:
        doc = TurnFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        field = f" {where}:" if where else ""
        raise TurnFileError(f"{path}: damaged turn file:{field} {first['msg']}") from None
    if scenario is not None:
        _check_scenario(path, doc, scenario, given=True)
    return doc


def open_turn(
    path: str | Path,
    side: str | None = None,
    *,
    scenario: Scenario | None = None,
    previous: TurnFile | str | Path | None = None,
) -> OpenedTurn:
    """Open a turn file: check it, replay it and return the game for ``side`` to play on.

    The scenario is loaded from the file's reference and mods unless given. ``side`` is the
    opener's side: the file must be for it to play (any side may open a finished game).
    ``previous`` is the last turn file of this game the opener holds (the one it sent): the new
    file must continue it unchanged.

    Raises:
        TurnFileError: the file is damaged or foreign (see :func:`read_turn_file`), its scenario
            or mods differ from the ones here (the message names which), an earlier turn was
            changed (the message names the first turn that no longer matches), the last turn
            was not ended by the side that wrote the file, the file is not for ``side`` to
            play, or it does not continue ``previous``.
    """
    path = Path(path)
    doc = read_turn_file(path)
    if scenario is None:
        scenario = _load(path, doc)
    else:
        _check_scenario(path, doc, scenario, given=True)
    sides = scenario.side_order
    if doc.side not in sides:
        raise TurnFileError(f"{path}: written by '{doc.side}', not a side of this scenario")
    if side is not None and side not in sides:
        raise TurnFileError(f"{path}: cannot open it as '{side}', not a side of this scenario")
    orders: list[Order] = []
    for number, line in enumerate(doc.orders, start=1):
        try:
            orders.append(parse_order(line))
        except IllegalOrder as exc:
            raise TurnFileError(f"{path}: order {number} is damaged: {exc}") from None

    run = _replay_chain(scenario, doc.seed, orders, fog=doc.fog)
    _compare_chains(path, doc.chain, run)
    game, last = run.game, run.links[-1]
    if last.side != doc.side:
        raise TurnFileError(
            f"{path}: the file says {doc.side} wrote it, but its last turn was ended by {last.side}"
        )
    next_side = None if game.state.game_over else game.active_side
    if (doc.next_side, doc.turn) != (next_side, game.state.turn):
        raise TurnFileError(
            f"{path}: the file says {doc.next_side} plays turn {doc.turn} next, but the replay "
            f"gives {next_side} on turn {game.state.turn}: the file was edited"
        )
    if side is not None and next_side is not None and side != next_side:
        if side == doc.side:
            raise TurnFileError(
                f"{path}: this is {side}'s own turn {last.turn}, sent to {next_side}; "
                f"wait for {next_side}'s reply"
            )
        raise TurnFileError(f"{path}: this turn file is for {next_side} to play, not {side}")
    if previous is not None:
        _check_continues(path, doc, previous)
    game.scenario_ref = doc.scenario
    game.mod_refs = list(doc.mods)
    return OpenedTurn(game=game, turn_file=doc, last_turn_start=doc.chain[-2].orders)


def _load(path: Path, doc: TurnFile) -> Scenario:
    """The file's scenario with its mods, loaded here and checked against its fingerprints."""
    try:
        for ref in doc.mods:
            if not scenario_path(ref).exists():
                raise TurnFileError(
                    f"{path}: the turn was played with mod '{ref}', which is not here "
                    f"(the file's mods: {', '.join(doc.mods)})"
                )
        scenario = load_scenario(doc.scenario, mods=doc.mods)
    except (ScenarioError, OSError, ValueError) as exc:  # ValueError: a path with a NUL
        raise TurnFileError(
            f"{path}: the turn's scenario '{doc.scenario}'{_with_mods(doc.mods)} does not load "
            f"here:\n{exc}"
        ) from None
    _check_scenario(path, doc, scenario, given=False)
    return scenario


def _check_scenario(path: Path, doc: TurnFile, scenario: Scenario, given: bool) -> None:
    """Refuse ``scenario`` unless it is the one the file was played on, saying what differs."""
    fingerprint = scenario_fingerprint(scenario)
    if fingerprint == doc.scenario_fingerprint:
        return
    played = f"'{doc.scenario}'{_with_mods(doc.mods)}"
    if given:
        if doc.mods and fingerprint == doc.base_fingerprint:
            raise TurnFileError(
                f"{path}: the turn was played on {played}; the scenario given lacks the mods"
            )
        raise TurnFileError(
            f"{path}: the turn was played on {played}; the scenario given differs from it "
            "(another scenario, other mods or changed data)"
        )
    reasons = []
    try:
        base_here = scenario_fingerprint(load_scenario(doc.scenario)) if doc.mods else fingerprint
    except (ScenarioError, OSError, ValueError):
        base_here = None
    if base_here != (doc.base_fingerprint if doc.mods else doc.scenario_fingerprint):
        reasons.append(f"scenario '{doc.scenario}' differs from the sender's (its data changed)")
    for ref, expected in zip(doc.mods, doc.mod_fingerprints, strict=True):
        try:
            here = _file_fingerprint(ref)
        except (OSError, ValueError):
            here = None
        if here != expected:
            reasons.append(f"mod '{ref}' differs from the sender's copy")
    if not reasons:
        reasons.append("the mods apply differently here (a file they extend changed)")
    raise TurnFileError(f"{path}: the turn was played on {played}, but here " + "; ".join(reasons))


def _compare_chains(path: Path, recorded: list[Link], run: _Replay) -> None:
    """Compare the file's chain with the replay's, link by link; raise at the first difference."""
    for mine, theirs in zip(run.links, recorded, strict=False):
        if theirs.state_hash != mine.state_hash:
            what = (
                "the start of the game does not match its recorded hash"
                if mine.side is None
                else f"the state after {_label(mine)} does not match its recorded hash"
            )
            raise TurnFileError(
                f"{path}: {what}: {_changed(mine)} (or the hash was edited, or the two players "
                "run different versions of the rules)"
            )
        if (theirs.turn, theirs.side, theirs.orders) != (mine.turn, mine.side, mine.orders):
            raise TurnFileError(
                f"{path}: the chain records {_label(theirs)} ending after order {theirs.orders}, "
                f"the replay {_label(mine)} after order {mine.orders}: {_changed(mine)}"
            )
        if theirs.link != mine.link:
            raise TurnFileError(
                f"{path}: the hash chain is broken at {_label(mine)}: its link does not follow "
                "from the one before (the chain was edited)"
            )
    if run.failure is not None:
        after = run.links[-1]
        raise TurnFileError(f"{path}: {run.failure}: the orders after {_label(after)} were changed")
    if len(recorded) > len(run.links):
        missing = recorded[len(run.links)]
        raise TurnFileError(
            f"{path}: the chain records {_label(missing)} but the orders end before it: "
            "orders were removed"
        )
    if len(run.links) > len(recorded):
        extra = run.links[len(recorded)]
        raise TurnFileError(
            f"{path}: the orders play {_label(extra)}, which the chain does not record: "
            "orders were added"
        )
    last = run.links[-1]
    if last.orders != len(run.game.order_log):
        side = run.game.active_side
        raise TurnFileError(
            f"{path}: the file stops inside {side}'s turn {run.game.state.turn}, "
            f"{_orders(len(run.game.order_log) - last.orders)} after {_label(last)} ended: "
            "a turn file is written when a side has ended its turn"
        )


def _check_continues(path: Path, doc: TurnFile, previous: TurnFile | str | Path) -> None:
    """Refuse ``doc`` unless it continues the opener's own copy of the game unchanged."""
    if not isinstance(previous, TurnFile):
        previous = read_turn_file(previous)
    mine = "your copy"
    if (previous.scenario_fingerprint, previous.seed) != (doc.scenario_fingerprint, doc.seed):
        raise TurnFileError(f"{path}: not the game of {mine}: its scenario, mods or seed differ")
    for kept, now in zip(previous.chain, doc.chain, strict=False):
        if kept != now:
            raise TurnFileError(
                f"{path}: {_label(kept)} differs from {mine}: {_changed(kept)} since it was sent"
            )
    if len(doc.chain) <= len(previous.chain) or doc.orders[: len(previous.orders)] != list(
        previous.orders
    ):
        raise TurnFileError(
            f"{path}: does not continue {mine}, which ends at {_label(previous.chain[-1])}: "
            "it is an older turn or another game"
        )
