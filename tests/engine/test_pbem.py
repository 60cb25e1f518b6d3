"""Play-by-e-mail turn files: round trip, tampering, foreign scenarios, bad files, two processes."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from engine.errors import SaveError, TurnFileError
from engine.game import Game, replay
from engine.match import Match
from engine.orders import EndPhase, Move, parse_order
from engine.paths import REPO_ROOT, SCENARIOS_DIR
from engine.pbem import (
    CHAIN_ROOT,
    TURN_FORMAT,
    chain_link,
    open_turn,
    read_turn_file,
    write_turn_file,
)
from engine.players import make_player, run_game
from engine.save import save_game
from engine.scenario.loader import load_scenario

MOD = "test_small/mods/reinforced.yaml"
SEED = 3


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("test_small")


def first_move(game, exclude=()):
    """The first legal move of the active side, for a unit not in ``exclude``."""
    return next(o for o in game.legal_orders() if isinstance(o, Move) and o.unit not in exclude)


def end_turn(game):
    """End both phases of the active side."""
    game.apply(EndPhase())
    game.apply(EndPhase())


@pytest.fixture(scope="module")
def turns(scenario, tmp_path_factory):
    """Three turn files of one game: soviet's turn 1 (one move), japanese's turn 1 (passive),
    soviet's turn 2 (a move of another unit). Returns the folder, the files and the game."""
    folder = tmp_path_factory.mktemp("pbem")
    game = Game(scenario, SEED)
    first = first_move(game)
    game.apply(first)
    end_turn(game)
    write_turn_file(game, folder / "t1.json", "soviet")
    end_turn(game)
    write_turn_file(game, folder / "t2.json", "japanese")
    game.apply(first_move(game, exclude={first.unit}))
    end_turn(game)
    write_turn_file(game, folder / "t3.json", "soviet")
    return folder, [folder / f"t{k}.json" for k in (1, 2, 3)], game


def edited(tmp_path, source, change):
    """A copy of the turn file ``source`` with ``change(doc)`` applied to its JSON."""
    doc = json.loads(source.read_text())
    change(doc)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    return path


def assert_refused(path, *phrases, **kwargs):
    """Open ``path``, expect a TurnFileError naming the file and saying each phrase."""
    with pytest.raises(TurnFileError) as info:
        open_turn(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message, message
    return message


# ---------------------------------------------------------------- round trip


def test_round_trip(turns, scenario):
    _folder, files, game = turns
    opened = open_turn(files[2], "japanese")
    assert opened.game.state_hash() == game.state_hash()
    assert [o.to_text() for o in opened.game.order_log] == [o.to_text() for o in game.order_log]
    assert (opened.sender, opened.next_side) == ("soviet", "japanese")
    assert opened.game.active_side == "japanese" and opened.game.state.turn == 2
    assert opened.game.scenario_ref == "test_small" and opened.game.mod_refs == []
    # The sender's last turn: the soviet move and two ends after japanese's turn 1.
    assert opened.last_turn_start == len(game.order_log) - 3
    before = opened.game_before_last_turn()
    assert (before.state.turn, before.active_side, before.state.phase) == (2, "soviet", "movement")
    assert before.state_hash() == open_turn(files[1]).game.state_hash()
    # The opened game goes on exactly as the sender's would (a copy: the fixture is shared).
    sender = replay(scenario, SEED, game.order_log)
    run_game(opened.game, {s: make_player("ai", s, scenario) for s in scenario.side_order})
    run_game(sender, {s: make_player("ai", s, scenario) for s in scenario.side_order})
    assert opened.game.state.game_over
    assert opened.game.state_hash() == sender.state_hash()


def test_file_holds_the_order_log_and_a_hash_chain(turns, scenario):
    _folder, files, game = turns
    doc = read_turn_file(files[2], scenario)
    raw = json.loads(files[2].read_text())
    assert (raw["format"], raw["version"]) == (TURN_FORMAT, 1)
    assert doc.scenario == "test_small" and doc.mods == [] and doc.seed == SEED
    assert doc.side == "soviet" and doc.next_side == "japanese" and doc.turn == 2
    assert doc.orders == [o.to_text() for o in game.order_log]
    # The start and one link per side turn, each hashing the one before and its state.
    assert [(k.turn, k.side) for k in doc.chain] == [
        (0, None),
        (1, "soviet"),
        (1, "japanese"),
        (2, "soviet"),
    ]
    previous = CHAIN_ROOT
    for link in doc.chain:
        expected = hashlib.sha256((previous + link.state_hash).encode()).hexdigest()
        assert link.link == chain_link(previous, link.state_hash) == expected
        previous = link.link
    for link in doc.chain:
        partial = replay(scenario, SEED, game.order_log[: link.orders])
        assert partial.state_hash() == link.state_hash
    assert doc.chain[-1].state_hash == game.state_hash()


def test_write_refuses_a_turn_not_ended(scenario, tmp_path):
    game = Game(scenario, SEED)
    with pytest.raises(TurnFileError, match="soviet has not ended its turn"):
        write_turn_file(game, tmp_path / "t.json", "soviet")
    game.apply(EndPhase())
    with pytest.raises(TurnFileError, match="it is soviet's combat phase of turn 1"):
        write_turn_file(game, tmp_path / "t.json", "soviet")
    game.apply(EndPhase())
    with pytest.raises(TurnFileError, match="last turn was ended by soviet, not japanese"):
        write_turn_file(game, tmp_path / "t.json", "japanese")
    with pytest.raises(TurnFileError, match="no side 'nkvd'"):
        write_turn_file(game, tmp_path / "t.json", "nkvd")
    game.state.turn = 5  # a state that no longer follows from the order log
    with pytest.raises(TurnFileError, match="does not follow from its order log"):
        write_turn_file(game, tmp_path / "t.json", "soviet")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- tampering


def replace_first_move(scenario):
    """Change soviet's turn-1 move to another legal destination of the same unit."""

    def change(doc):
        move = parse_order(doc["orders"][0])
        others = [
            o
            for o in Game(scenario, SEED).legal_orders(move.unit)
            if isinstance(o, Move) and o.to != move.to
        ]
        doc["orders"][0] = others[0].to_text()

    return change


def test_edited_early_order_is_detected(turns, scenario, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], replace_first_move(scenario))
    assert_refused(
        path,
        "the state after soviet's turn 1 does not match its recorded hash",
        "the orders of turn 1 or before were changed",
    )


def test_removed_order_is_detected(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc["orders"].pop(0))
    assert_refused(path, "the state after soviet's turn 1 does not match its recorded hash")


def test_removed_end_of_phase_is_detected(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[1], lambda doc: doc["orders"].pop())
    assert_refused(path, "the chain records japanese's turn 1 but the orders end before it")


def test_illegal_order_is_detected_with_its_number(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc["orders"].insert(4, "move j_nobody 1,1"))
    assert_refused(path, "order 5 ('move j_nobody 1,1', japanese's turn 1) is illegal on replay")
    path = edited(tmp_path, files[2], lambda doc: doc["orders"].insert(4, "mvoe s_cav 1,1"))
    assert_refused(path, "order 5 is damaged")


def test_forged_hash_is_detected(turns, tmp_path):
    _folder, files, _game = turns

    def forge_state(doc):
        doc["chain"][2]["state_hash"] = "ab" * 32

    def forge_link(doc):
        doc["chain"][2]["link"] = "cd" * 32

    def forge_position(doc):
        doc["chain"][1]["orders"] += 1

    assert_refused(
        edited(tmp_path, files[2], forge_state),
        "the state after japanese's turn 1 does not match its recorded hash",
    )
    assert_refused(
        edited(tmp_path, files[2], forge_link),
        "the hash chain is broken at japanese's turn 1",
    )
    assert_refused(
        edited(tmp_path, files[2], forge_position),
        "records soviet's turn 1 ending after order 4, the replay soviet's turn 1 after order 3",
    )


def test_changed_seed_is_detected(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc.update(seed=SEED + 1))
    assert_refused(path, "the start of the game does not match its recorded hash", "the seed")


def test_file_cut_inside_a_turn_is_refused(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc["orders"].append("end"))
    assert_refused(path, "stops inside japanese's turn 2, 1 order after soviet's turn 2 ended")
    path = edited(tmp_path, files[2], lambda doc: doc["chain"].pop())
    assert_refused(path, "the orders play soviet's turn 2, which the chain does not record")


def test_file_not_ended_by_its_writer_is_refused(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc.update(side="japanese"))
    assert_refused(path, "says japanese wrote it, but its last turn was ended by soviet")
    path = edited(tmp_path, files[2], lambda doc: doc.update(next_side="soviet"))
    assert_refused(path, "says soviet plays turn 2 next, but the replay gives japanese on turn 2")


def test_file_opened_by_the_wrong_side_is_refused(turns):
    _folder, files, _game = turns
    assert_refused(files[2], "this is soviet's own turn 2, sent to japanese", side="soviet")
    assert_refused(files[2], "not a side of this scenario", side="nkvd")
    assert open_turn(files[2], "japanese").next_side == "japanese"


def test_rewritten_history_is_caught_by_the_previous_file(turns, scenario, tmp_path):
    """A sender who replays the game with another turn 1 writes a self-consistent chain: only
    the copy its opponent kept shows that turn 1 changed."""
    _folder, files, game = turns
    honest = read_turn_file(files[2])
    cheat = Game(scenario, SEED)
    orders = [parse_order(t) for t in honest.orders]
    doc = json.loads(edited(tmp_path, files[2], replace_first_move(scenario)).read_text())
    orders[0] = parse_order(doc["orders"][0])
    for order in orders:
        cheat.apply(order)
    forged = tmp_path / "forged.json"
    write_turn_file(cheat, forged, "soviet")
    assert open_turn(forged, "japanese").game.state_hash() != game.state_hash()
    assert_refused(
        forged,
        "soviet's turn 1 differs from your copy",
        "the orders of turn 1 or before were changed since it was sent",
        side="japanese",
        previous=files[1],
    )
    assert open_turn(files[2], "japanese", previous=files[1]).game.state_hash() == (
        game.state_hash()
    )
    assert_refused(files[0], "does not continue your copy", previous=files[1])
    assert_refused(files[0], "does not continue your copy", previous=read_turn_file(files[0]))


# ---------------------------------------------------------------- scenario and mods


def modded_turn(path, scenario_ref="test_small", mods=(MOD,)):
    scenario = load_scenario(scenario_ref, mods=mods)
    game = Game(scenario, SEED)
    game.mod_refs = list(mods)
    end_turn(game)
    return write_turn_file(game, path, "soviet"), game


def test_mods_round_trip_by_reference(tmp_path):
    doc, game = modded_turn(tmp_path / "t.json", mods=(str(SCENARIOS_DIR / MOD),))
    assert doc.mods == [MOD]  # a mod inside scenarios/ is named portably
    assert doc.mod_fingerprints == [hashlib.sha256((SCENARIOS_DIR / MOD).read_bytes()).hexdigest()]
    assert doc.base_fingerprint != doc.scenario_fingerprint
    opened = open_turn(tmp_path / "t.json", "japanese")
    assert opened.game.state_hash() == game.state_hash()
    assert opened.game.mod_refs == [MOD]


def test_mod_on_one_side_only_is_refused(scenario, tmp_path):
    modded_turn(tmp_path / "modded.json")
    assert_refused(
        tmp_path / "modded.json",
        f"played on 'test_small' with mods {MOD}",
        "the scenario given lacks the mods",
        scenario=scenario,
    )
    with pytest.raises(TurnFileError, match="lacks the mods"):
        read_turn_file(tmp_path / "modded.json", scenario)
    plain, _game = modded_turn(tmp_path / "plain.json", mods=())
    assert_refused(
        tmp_path / "plain.json",
        "played on 'test_small' with no mods; the scenario given differs from it",
        scenario=load_scenario("test_small", mods=[MOD]),
    )


def test_changed_or_missing_mod_is_named(tmp_path):
    mod = tmp_path / "my_mod.yaml"
    shutil.copy(SCENARIOS_DIR / MOD, mod)
    modded_turn(tmp_path / "t.json", mods=(str(mod),))
    assert open_turn(tmp_path / "t.json").sender == "soviet"
    mod.write_text(mod.read_text().replace("luck_sigma: 0.5", "luck_sigma: 0.6"))
    message = assert_refused(tmp_path / "t.json", f"mod '{mod}' differs from the sender's copy")
    assert "scenario 'test_small' differs" not in message
    mod.unlink()
    assert_refused(tmp_path / "t.json", f"played with mod '{mod}', which is not here")


def test_changed_scenario_is_named(turns, tmp_path):
    _folder, files, _game = turns
    path = edited(tmp_path, files[2], lambda doc: doc.update(base_fingerprint="ef" * 32))
    assert open_turn(path).sender == "soviet"  # without mods only the whole fingerprint counts
    path = edited(tmp_path, files[2], lambda doc: doc.update(scenario_fingerprint="ef" * 32))
    assert_refused(path, "scenario 'test_small' differs from the sender's (its data changed)")
    path = edited(tmp_path, files[2], lambda doc: doc.update(scenario="no_such_scenario"))
    assert_refused(path, "the turn's scenario 'no_such_scenario' with no mods does not load here")
    path = edited(tmp_path, files[2], lambda doc: doc.update(scenario="test\x00small"))
    assert_refused(path, "does not load here")
    path = edited(
        tmp_path, files[2], lambda doc: doc.update(mods=["a\x00"], mod_fingerprints=["ef" * 32])
    )
    assert_refused(path, "played with mod 'a\x00', which is not here")


# ---------------------------------------------------------------- damaged and foreign files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "not a turn file: it is not text"),
        (b"", "not JSON"),
        (b"[1, 2]", "it holds no JSON object"),
        (b'{"format": "zip"}', "not a turn file (format 'zip', expected 'august-storm-turn')"),
        (b'{"orders": []}', "not a turn file (no format field"),
        (b'{"format": "august-storm-turn", "version": 9}', "turn file version 9 is not supported"),
        (b'{"format": "august-storm-turn", "version": 1}', "damaged turn file: scenario: Field"),
    ],
)
def test_damaged_or_foreign_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "t.json"
    path.write_bytes(content)
    with pytest.raises(TurnFileError) as info:
        open_turn(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_truncated_file_is_refused(turns, tmp_path):
    _folder, files, _game = turns
    path = tmp_path / "cut.json"
    path.write_text(files[2].read_text()[:-200])
    assert_refused(path, "not JSON", "damaged or cut short")


def test_saved_game_and_missing_file_are_refused(scenario, tmp_path):
    save_game(Game(scenario, SEED), tmp_path / "save.json")
    assert_refused(tmp_path / "save.json", "this is a saved game, not a turn file")
    assert_refused(tmp_path / "nothing.json", "cannot read the turn file")


def test_missing_and_unknown_fields_are_refused(turns, tmp_path):
    _folder, files, _game = turns
    assert_refused(
        edited(tmp_path, files[2], lambda doc: doc.pop("chain")), "chain: Field required"
    )
    assert_refused(
        edited(tmp_path, files[2], lambda doc: doc.update(cheat=1)), "cheat: Extra inputs"
    )
    assert_refused(
        edited(tmp_path, files[2], lambda doc: doc["chain"][1].update(link="x")),
        "chain.1.link: String should match pattern",
    )


def _paths(value, prefix=()):
    """Every path into a JSON document (dict keys and list indices, the first few of each list)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, (*prefix, i))


def test_any_damaged_field_gives_a_turn_file_error(turns, tmp_path):
    """Replace any one value of a turn file by a value of another type: always a TurnFileError."""
    _folder, files, _game = turns
    original = json.loads(files[2].read_text())
    candidates = [p for p in _paths(original) if p]
    rng = np.random.default_rng(0)
    replacements = [None, -1, 3.5, "x", [], {}, [1, 2], {"a": 1}, "end", 10**30]
    path = tmp_path / "t.json"
    tried = 0
    for k, pick in enumerate(np.repeat(rng.permutation(len(candidates)), 3)):
        doc = json.loads(json.dumps(original))
        where = candidates[pick]
        target = doc
        for step in where[:-1]:
            target = target[step]
        new = replacements[k % len(replacements)]
        if target[where[-1]] == new:
            continue
        target[where[-1]] = new
        path.write_text(json.dumps(doc))
        with pytest.raises(TurnFileError):
            open_turn(path)
        tried += 1
    assert tried > 80


def test_turn_file_error_is_a_save_error():
    assert issubclass(TurnFileError, SaveError)


# ---------------------------------------------------------------- two processes


def test_a_whole_game_between_two_processes(scenario, tmp_path):
    """Each side is a separate process playing the AI; they exchange turn files to the end."""
    script = REPO_ROOT / "tests" / "engine" / "pbem_side.py"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    procs = {
        side: subprocess.Popen(
            [sys.executable, str(script), side, str(tmp_path), "--seed", str(SEED)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for side in scenario.side_order
    }
    outputs = {}
    try:
        for side, proc in procs.items():
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, f"{side}: {err}"
            outputs[side] = out
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    files = sorted(tmp_path.glob("turn-*.json"))
    assert len(files) >= 4
    last = open_turn(files[-1])
    game = last.game
    assert game.state.game_over and last.next_side is None
    # Every file was written by the side whose turn it was, alternating, and checked by the other.
    order = scenario.side_order
    assert [read_turn_file(f).side for f in files] == [order[k % 2] for k in range(len(files))]
    chain = last.turn_file.chain
    assert len(chain) == len(files) + 1
    for side, out in outputs.items():
        for line in out.splitlines():
            _wrote, number, state_hash = line.split()
            assert chain[int(number)].side == side
            assert chain[int(number)].state_hash == state_hash
    # The final state is that of one process replaying the same orders, and that of the same AI
    # players playing the whole game in one process: the hand-offs changed nothing.
    single = replay(scenario, SEED, game.order_log)
    assert single.state_hash() == game.state_hash()
    direct = Game(scenario, SEED)
    match = Match(direct, {s: make_player("ai", s, scenario) for s in order})
    while not match.over:
        match.step()
    assert direct.state_hash() == game.state_hash()


def test_a_game_without_fog_goes_by_e_mail_without_fog(scenario, tmp_path):
    game = Game(scenario, SEED, fog=False)
    game.apply(first_move(game))
    end_turn(game)
    write_turn_file(game, tmp_path / "t1.json", "soviet")
    assert read_turn_file(tmp_path / "t1.json").fog is False
    opened = open_turn(tmp_path / "t1.json", "japanese")
    assert opened.game.fog is False and opened.game.view("japanese").visible.all()
    assert opened.game.state_hash() == game.state_hash()
    assert opened.game_before_last_turn().fog is False
    # the same orders with fog are another game: the flag is part of what the chain checks
    doc = json.loads((tmp_path / "t1.json").read_text())
    assert doc["fog"] is False
