"""Saves against the world: changed scenarios, replays on current files, damaged and foreign
files, and saves interrupted by a crash."""

import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

from engine.errors import SaveError, ScenarioChanged
from engine.game import Game
from engine.orders import EndPhase, Move
from engine.paths import REPO_ROOT, SCENARIOS_DIR, portable_ref
from engine.save import (
    SAVE_VERSION,
    load_game,
    read_save,
    replay_on_current,
    save_game,
)
from engine.scenario.loader import load_scenario, source_files


def _play(game: Game) -> Game:
    """A move and a turn of phases: a log with a move in it, a new turn begun."""
    game.apply(Move(unit="s_rd1", to=(8, 3)))
    for _ in range(4):
        game.apply(EndPhase())
    game.apply(Move(unit="s_rd1", to=(9, 3)))
    return game


@pytest.fixture
def copied(tmp_path):
    """A copy of test_small (with its mods) that a test may change."""
    folder = tmp_path / "river_line"
    shutil.copytree(SCENARIOS_DIR / "test_small", folder)
    _edit(folder / "mods" / "reinforced.yaml", "extends: test_small", "extends: ../scenario.yaml")
    return folder


def _saved(folder, tmp_path, mods=()):
    scenario = load_scenario(folder, mods=[folder / m for m in mods])
    game = Game(scenario, 5)
    game.scenario_ref = portable_ref(folder)
    game.mod_refs = [portable_ref(folder / m) for m in mods]
    _play(game)
    path = tmp_path / "game.json"
    save_game(game, path)
    return game, path


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_portable_refs_find_the_same_files_from_anywhere(tmp_path):
    assert portable_ref(SCENARIOS_DIR / "test_small") == "test_small"
    assert portable_ref(SCENARIOS_DIR / "test_small" / "scenario.yaml") == "test_small"
    mod = SCENARIOS_DIR / "test_small" / "mods" / "reinforced.yaml"
    assert portable_ref(mod) == "test_small/mods/reinforced.yaml"
    assert portable_ref("test_small") == "test_small"
    assert portable_ref(tmp_path) == str(tmp_path.resolve())
    names = [p.name for p in source_files("test_small", ["test_small/mods/reinforced.yaml"])]
    assert names == ["scenario.yaml", "reinforced.yaml"]


def test_a_save_records_its_files_and_sections(copied, tmp_path):
    _, path = _saved(copied, tmp_path, mods=["mods/reinforced.yaml"])
    doc = read_save(path)
    assert doc.version == SAVE_VERSION == 3
    assert sorted(name.rsplit("/", 1)[-1] for name in doc.sources) == [
        "reinforced.yaml",
        "scenario.yaml",
    ]
    assert {"units", "rules", "map"} <= set(doc.sections)


def test_a_changed_scenario_file_is_named_and_its_orders_replay(copied, tmp_path):
    game, path = _saved(copied, tmp_path)
    # the HQ is in none of the orders: the log stays legal, the game is not the same
    _edit(copied / "scenario.yaml", "hex: [1, 10], men: 2000}", "hex: [1, 10], men: 2100}")
    with pytest.raises(ScenarioChanged) as caught:
        load_game(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "different version of scenario" in message
    assert "river_line/scenario.yaml changed" in message
    assert "the data differs in units" in message
    assert "replayed on the current files" in message
    assert caught.value.changes[0].endswith("scenario.yaml changed")

    replayed, report = replay_on_current(path)
    assert report.illegal_at is None and report.applied == report.orders == len(game.order_log)
    assert report.diverged
    assert report.saved_hash == game.state_hash() != report.replayed_hash
    assert replayed.state_hash() == report.replayed_hash
    assert replayed.state.units["s_hq"].men == 2100
    assert "differs from the saved one" in report.summary()
    assert any("scenario.yaml changed" in c for c in report.changes)


def test_an_order_the_changed_files_make_illegal_is_found(copied, tmp_path):
    game, path = _saved(copied, tmp_path)
    # the 1st Rifle Division now starts in the mountains, far from where its orders send it
    _edit(copied / "scenario.yaml", "sov_army_n, hex: [7, 3]", "sov_army_n, hex: [1, 1]")
    replayed, report = replay_on_current(path)
    assert report.illegal_at == 0
    assert report.illegal_order == "move s_rd1 8,3"
    assert report.applied == 0 and report.diverged
    assert report.reason
    assert "order 1 (move s_rd1 8,3) is illegal now" in report.summary()
    assert replayed.order_log == []  # the replay stops before the illegal order
    assert replayed.state.units["s_rd1"].hex == (1, 1)


def test_a_changed_mod_is_named(copied, tmp_path):
    _, path = _saved(copied, tmp_path, mods=["mods/reinforced.yaml"])
    _edit(copied / "mods" / "reinforced.yaml", "turns: 10", "turns: 11")
    with pytest.raises(ScenarioChanged, match=r"mods/reinforced\.yaml changed.*differs in turns"):
        load_game(path)
    _, report = replay_on_current(path)
    assert report.illegal_at is None


def test_a_missing_mod_or_broken_scenario_is_a_save_error(copied, tmp_path):
    _, path = _saved(copied, tmp_path, mods=["mods/reinforced.yaml"])
    (copied / "mods" / "reinforced.yaml").unlink()
    with pytest.raises(SaveError, match="its mod .*reinforced.yaml' is not found"):
        load_game(path)
    _, path = _saved(copied, tmp_path)
    _edit(copied / "scenario.yaml", "turns: 8", "turns: many")
    with pytest.raises(SaveError, match="does not load now: .*scenario.yaml:") as caught:
        load_game(path)
    assert "\n" not in str(caught.value)


def test_a_version_2_save_still_loads_and_says_less_when_changed(copied, tmp_path):
    game, path = _saved(copied, tmp_path)
    doc = json.loads(path.read_text())
    doc["version"] = 2
    del doc["sources"], doc["sections"]
    path.write_text(json.dumps(doc))
    assert load_game(path).state_hash() == game.state_hash()
    _edit(copied / "scenario.yaml", "turns: 8", "turns: 9")
    with pytest.raises(ScenarioChanged, match="its data changed since") as caught:
        load_game(path)
    assert caught.value.changes == []
    assert replay_on_current(path)[1].illegal_at is None


def test_an_unchanged_save_replays_to_the_saved_state(copied, tmp_path):
    game, path = _saved(copied, tmp_path)
    replayed, report = replay_on_current(path)
    assert not report.diverged and report.changes == ()
    assert replayed.state_hash() == game.state_hash()
    assert report.summary().endswith("the same game as saved")


# ---------------------------------------------------------------- corrupt and foreign files


def _mutations(original: bytes, doc: dict, rng: np.random.Generator, count: int):
    """(description, bytes) of damaged saves: bytes flipped, cut, inserted; values replaced."""
    values = [
        None,
        True,
        -1,
        0,
        2**70,
        -(2**70),
        1e308,
        3.5,
        "",
        "x",
        "\x00",
        "august_storm",
        "../../etc",
        "é" * 50,
        [],
        {},
        [1, 2],
        {"a": 1},
        [[[[[]]]]],
        "end",
        "move s_rd1 99,99",
        "attack 8,3 s_rd1",
    ]
    paths = list(_paths(doc))
    for k in range(count):
        kind = k % 6
        data = bytearray(original)
        if kind == 0:  # a few bytes changed (to text, most of the time)
            for i in rng.integers(0, len(data), size=int(rng.integers(1, 6))):
                data[i] = int(rng.integers(32, 127) if rng.random() < 0.8 else rng.integers(256))
            yield f"{k}: bytes flipped", bytes(data)
        elif kind == 1:  # cut short
            yield f"{k}: truncated", bytes(data[: int(rng.integers(0, len(data)))])
        elif kind == 2:  # a slice deleted or random bytes inserted
            i = int(rng.integers(0, len(data)))
            j = min(len(data), i + int(rng.integers(1, 200)))
            if rng.random() < 0.5:
                del data[i:j]
            else:
                data[i:i] = rng.integers(0, 256, size=j - i, dtype=np.uint8).tobytes()
            yield f"{k}: slice changed at {i}", bytes(data)
        else:  # a value replaced, a key dropped or added
            mutated = json.loads(json.dumps(doc))
            where = paths[int(rng.integers(0, len(paths)))]
            if not where:
                continue
            target = mutated
            for step in where[:-1]:
                target = target[step]
            action = rng.random()
            if action < 0.15 and isinstance(target, dict):
                del target[where[-1]]
                yield f"{k}: {where} dropped", json.dumps(mutated).encode()
            elif action < 0.25 and isinstance(target, dict):
                target["zz_unknown"] = 1
                yield f"{k}: key added beside {where}", json.dumps(mutated).encode()
            else:
                new = values[int(rng.integers(0, len(values)))]
                target[where[-1]] = new
                yield f"{k}: {where} = {new!r}", json.dumps(mutated).encode()


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:4]):
            yield from _paths(item, (*prefix, i))


def _only_save_errors(path, what, replay=False):
    try:
        if replay:
            replay_on_current(path)
        else:
            load_game(path)
    except SaveError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"{what}: {message!r}"
    except Exception as exc:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{what}: {type(exc).__name__}: {exc}")


def test_damaged_saves_give_only_save_errors(tmp_path):
    """Four hundred damaged saves: each one loads, or raises SaveError with one line."""
    scenario = load_scenario("test_small")
    game = _play(Game(scenario, 5))
    good = tmp_path / "good.json"
    save_game(game, good)
    original = good.read_bytes()
    doc = json.loads(original)
    rng = np.random.default_rng(12)
    path = tmp_path / "damaged.json"
    tried = 0
    for what, data in _mutations(original, doc, rng, 400):
        path.write_bytes(data)
        _only_save_errors(path, what, replay=tried % 5 == 0)
        tried += 1
    assert tried > 300


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_foreign_files_give_only_save_errors(tmp_path):
    scenario = load_scenario("test_small")
    good = tmp_path / "good.json"
    save_game(Game(scenario, 5), good)
    doc = json.loads(good.read_text())
    rng = np.random.default_rng(3)
    cases = {
        "empty": b"",
        "random bytes": rng.integers(0, 256, size=4096, dtype=np.uint8).tobytes(),
        "NUL bytes": b"\x00" * 100,
        "a PNG": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "null": "null",
        "a number": "1",
        "a string": '"august-storm-save"',
        "an empty object": "{}",
        "deep nesting": "[" * 100_000 + "]" * 100_000,
        "deep object": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "format only": '{"format": "august-storm-save"}',
        "a simulate record": json.dumps({"scenario": "test_small", "state_hash": "ab"}),
        "UTF-16": good.read_text().encode("utf-16"),
        "a byte-order mark": b"\xef\xbb\xbf" + good.read_bytes(),
        "NaN state hash": good.read_text().replace(f'"{doc["state_hash"]}"', "NaN"),
        "a huge number": '{"format": "august-storm-save", "version": ' + "9" * 5000 + "}",
        "a YAML file": (SCENARIOS_DIR / "test_small" / "scenario.yaml").read_bytes(),
        "a Python file": (REPO_ROOT / "main.py").read_bytes(),
    }
    for field, value in [
        ("scenario", "/dev/zero"),
        ("scenario", "no_such_scenario"),
        ("scenario", "x" * 5000),
        ("scenario", "august_storm"),
        ("scenario", str(REPO_ROOT / "main.py")),
        ("mods", ["/dev/zero"]),
        ("mods", [str(SCENARIOS_DIR)]),
        ("mods", ["test_small/mods/reinforced.yaml"]),
        ("seed", -5),
        ("seed", "HUGE"),
        ("state_hash", "HUGE"),
        ("version", 99),
        ("orders", ["move s_rd1 8,3", "end", "nonsense here"]),
    ]:
        changed = json.dumps(dict(doc, **{field: value})).replace('"HUGE"', "9" * 5000)
        cases[f"{field} = {str(value)[:40]}"] = changed
    for what, content in cases.items():
        path = _write(tmp_path / "foreign.json", content)
        _only_save_errors(path, what)
        _only_save_errors(path, what, replay=True)
    folder = tmp_path / "a_folder.json"
    folder.mkdir()
    _only_save_errors(folder, "a folder")
    _only_save_errors(tmp_path / "missing.json", "a missing file")
    _only_save_errors(tmp_path / "nul\x00name.json", "a name with NUL")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        _only_save_errors(fifo, "a named pipe")  # refused, not read (it would block)
    with pytest.raises(SaveError, match="not a saved game of August Storm"):
        load_game(_write(tmp_path / "rec.json", cases["a simulate record"]))
    with pytest.raises(SaveError, match="not text"):
        load_game(_write(tmp_path / "bin.json", cases["random bytes"]))


# ---------------------------------------------------------------- a crash in the middle of a save

_CHILD_LOOP = """
import sys
from engine.game import Game
from engine.orders import EndPhase
from engine.save import save_game
from engine.scenario.loader import load_scenario

scenario = load_scenario("test_small")
first, second = Game(scenario, 5), Game(scenario, 5)
second.apply(EndPhase())
print(first.state_hash(), second.state_hash(), flush=True)
k = 0
while True:
    save_game((first, second)[k % 2], sys.argv[1])
    k += 1
    print(k, flush=True)
"""

_CHILD_DIES_BEFORE_RENAME = """
import os, signal, sys
import engine.save
from engine.game import Game
from engine.orders import EndPhase
from engine.scenario.loader import load_scenario

game = Game(load_scenario("test_small"), 5)
game.apply(EndPhase())

def die(*args):  # the new file is written in full, not yet renamed over the old one
    os.kill(os.getpid(), signal.SIGKILL)

engine.save.os.replace = die
engine.save.save_game(game, sys.argv[1])
"""


def _child(code, *args):
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_while_saving_leaves_a_loadable_save(tmp_path):
    scenario = load_scenario("test_small")
    path = tmp_path / "game.json"
    rng = np.random.default_rng(1)
    for _ in range(4):
        child = _child(_CHILD_LOOP, path)
        assert child.stdout is not None
        hashes = set(child.stdout.readline().split())
        wanted = int(rng.integers(2, 30))
        while int(child.stdout.readline()) < wanted:
            pass
        child.send_signal(signal.SIGKILL)  # wherever it is in the next save
        child.wait(timeout=30)
        child.stdout.close()
        assert load_game(path, scenario).state_hash() in hashes


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_before_the_rename_leaves_the_previous_save(tmp_path):
    scenario = load_scenario("test_small")
    path = tmp_path / "game.json"
    game = Game(scenario, 5)
    save_game(game, path)
    child = _child(_CHILD_DIES_BEFORE_RENAME, path)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "game.json"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".game.json.")
    assert load_game(path, scenario).state_hash() == game.state_hash()
