"""Save/load round trips, determinism across processes, replays and bad save files."""

import json
import subprocess
import sys

import numpy as np
import pytest

from engine.errors import SaveError
from engine.game import Game, replay
from engine.orders import EndPhase
from engine.paths import REPO_ROOT
from engine.players import ScriptedPlayer, make_player, run_game
from engine.save import load_game, read_order_log, save_game, write_order_log
from engine.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("test_small")


def scripted(game):
    a, b = game.scenario.side_order
    return {a: ScriptedPlayer(a), b: ScriptedPlayer(b)}


def test_save_load_round_trip_mid_phase(scenario, tmp_path):
    game = Game(scenario, 5)
    run_game(game, scripted(game), max_turns=2)
    game.apply(EndPhase())  # stop inside a turn, in the soviet combat phase
    path = tmp_path / "game.json"
    save_game(game, path)
    loaded = load_game(path, scenario)
    assert loaded.state_hash() == game.state_hash()
    assert loaded.state.phase == "combat"
    assert [o.to_text() for o in loaded.order_log] == [o.to_text() for o in game.order_log]
    # Both continue identically: the random streams were saved too.
    run_game(game, scripted(game))
    run_game(loaded, scripted(loaded))
    assert loaded.state_hash() == game.state_hash()


def test_replay_of_the_order_log_reproduces_the_game(scenario, tmp_path):
    game = Game(scenario, 11)
    run_game(game, scripted(game))
    log = tmp_path / "orders.txt"
    write_order_log(game.order_log, log)
    again = replay(scenario, 11, read_order_log(log))
    assert again.state_hash() == game.state_hash()
    assert again.state.to_dict() == game.state.to_dict()


def test_different_seeds_differ(scenario):
    hashes = set()
    for seed in (1, 2, 3):
        game = Game(scenario, seed)
        run_game(game, scripted(game))
        hashes.add(game.state_hash())
    assert len(hashes) == 3


def test_same_hash_in_two_separate_processes(tmp_path):
    hashes = []
    for k in range(2):
        out = tmp_path / f"r{k}.json"
        subprocess.run(
            [
                sys.executable,
                str(REPO_ROOT / "main.py"),
                "simulate",
                "--scenario",
                "test_small",
                "--seed",
                "42",
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": str(k + 1), "PATH": "/usr/bin:/bin"},
        )
        hashes.append(json.loads(out.read_text())["state_hash"])
    assert hashes[0] == hashes[1]  # AI against AI (simulate's default), whatever the hash seed
    scenario = load_scenario("test_small")
    game = Game(scenario, 42)
    run_game(game, {side: make_player("ai", side, scenario) for side in scenario.side_order})
    assert game.state_hash() == hashes[0]


def test_tampered_save_is_refused(scenario, tmp_path):
    game = Game(scenario, 5)
    path = tmp_path / "game.json"
    save_game(game, path)
    doc = json.loads(path.read_text())
    doc["state"]["units"][0]["men"] += 1000
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="does not match its hash"):
        load_game(path, scenario)


def test_save_of_another_scenario_version_is_refused(scenario, tmp_path):
    game = Game(scenario, 5)
    path = tmp_path / "game.json"
    save_game(game, path)
    changed = scenario.model_copy(update={"turns": scenario.turns + 1})
    with pytest.raises(SaveError, match="different version"):
        load_game(path, changed)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"format": "august-storm-save", "version": 9}', "version 9 is not supported"),
        ('{"format": "something-else"}', "not a saved game"),
        ("[1, 2]", "not a saved game"),
    ],
)
def test_bad_save_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SaveError, match=message):
        load_game(path)


def test_missing_save_file(tmp_path):
    with pytest.raises(SaveError, match="cannot read"):
        load_game(tmp_path / "nope.json")


def test_bad_order_log_names_the_line(tmp_path):
    path = tmp_path / "orders.txt"
    path.write_text("# a comment\nend\nmove s_rd1\n")
    with pytest.raises(SaveError, match=r"orders.txt:3: .*cannot read order"):
        read_order_log(path)


def test_failed_save_leaves_the_old_file(scenario, tmp_path, monkeypatch):
    game = Game(scenario, 5)
    path = tmp_path / "game.json"
    save_game(game, path)
    original = path.read_text()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("engine.save.os.replace", boom)
    game.apply(EndPhase())
    with pytest.raises(RuntimeError):
        save_game(game, path)
    assert path.read_text() == original
    assert [p.name for p in tmp_path.iterdir()] == ["game.json"]


def _paths(value, prefix=()):
    """Every path into a JSON document (dict keys and list indices)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, (*prefix, i))


def test_any_damaged_field_gives_a_save_error(scenario, tmp_path):
    """Replace any one value of a save by a value of another type: always a SaveError."""
    game = Game(scenario, 5)
    path = tmp_path / "game.json"
    save_game(game, path)
    original = json.loads(path.read_text())
    rng = np.random.default_rng(0)
    candidates = [p for p in _paths(original) if p and p[0] in ("state", "rng", "orders", "seed")]
    picks = rng.choice(len(candidates), size=min(150, len(candidates)), replace=False)
    replacements = [None, -1, 3.5, "x", [], {}, [1, 2], {"a": 1}]
    for k, pick in enumerate(picks):
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
        with pytest.raises(SaveError):
            load_game(path, scenario)
