"""The command line as a user runs it: exit codes, messages and files written."""

import json
import subprocess
import sys

import pytest

from engine.paths import REPO_ROOT

MAIN = str(REPO_ROOT / "main.py")


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, MAIN, *args], capture_output=True, text=True, cwd=cwd or REPO_ROOT
    )


def test_help_lists_every_subcommand():
    result = run("--help")
    assert result.returncode == 0
    for command in ("play", "validate", "schema", "simulate", "replay"):
        assert command in result.stdout


def test_validate_ok_from_another_directory(tmp_path):
    result = run("validate", "test_small", cwd=tmp_path)
    assert result.returncode == 0
    assert "OK" in result.stdout


def test_validate_reports_file_line_and_field(tmp_path):
    text = (REPO_ROOT / "scenarios/test_small/scenario.yaml").read_text()
    text = text.replace(
        "men: 9000, guns: 200, quality: 0.8}", "mne: 9000, guns: 200, quality: 0.8}", 1
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = run("validate", str(bad))
    assert result.returncode == 2
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "mne:" in t)
    assert f"bad.yaml:{line}:" in result.stderr
    assert "units[1].mne: unknown field (did you mean 'men'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_file():
    result = run("validate", "no/such/file.yaml")
    assert result.returncode == 2
    assert "no such scenario or file" in result.stderr


def test_schema_is_json_schema(tmp_path):
    out = tmp_path / "schema.json"
    result = run("schema", "--out", str(out))
    assert result.returncode == 0
    schema = json.loads(out.read_text())
    assert "units" in schema["properties"]
    assert "map" in schema["required"]


def test_simulate_writes_a_result_record(tmp_path):
    out = tmp_path / "result.json"
    save = tmp_path / "game.json"
    result = run(
        "simulate",
        "--scenario",
        "test_small",
        "--seed",
        "3",
        "--out",
        str(out),
        "--save",
        str(save),
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    assert record["scenario"] == "test_small" and record["seed"] == 3
    assert record["turns_played"] == 8 and record["game_over"]
    assert len(record["state_hash"]) == 64
    assert {p["id"] for p in record["places"]} >= {"eastcity", "bridge"}
    assert set(record["losses"]) == {"soviet", "japanese"}
    check = run("replay", "--save", str(save))
    assert check.returncode == 0, check.stderr
    assert "matches" in check.stdout


def test_simulate_passive_players(tmp_path):
    out = tmp_path / "result.json"
    result = run(
        "simulate",
        "--scenario",
        "test_small",
        "--seed",
        "3",
        "--out",
        str(out),
        "--soviet",
        "passive",
        "--japanese",
        "passive",
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    assert record["orders"] == 4 * record["turns_played"]  # nothing but phase ends
    assert record["players"] == {"soviet": "passive", "japanese": "passive"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "--scenario", "nowhere", "--seed", "1", "--out", "x.json"), "no such"),
        (
            (
                "simulate",
                "--scenario",
                "test_small",
                "--seed",
                "1",
                "--out",
                "x.json",
                "--soviet",
                "genius",
            ),
            "unknown player",
        ),
        (("replay", "--save", "missing.json"), "cannot read"),
    ],
)
def test_bad_input_gives_a_message_not_a_traceback(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_play_prints_each_turn():
    result = run("play", "--turns", "2")
    assert result.returncode == 0, result.stderr
    assert "turn 1 begins: 09 August 1945" in result.stdout
    assert "turn 2 begins" in result.stdout
    assert "Final state hash" in result.stdout


def test_simulate_with_a_mod_records_and_replays_it(tmp_path):
    out = tmp_path / "result.json"
    save = tmp_path / "game.json"
    mod = str(REPO_ROOT / "scenarios/test_small/mods/reinforced.yaml")
    result = run(
        "simulate",
        "--scenario",
        "test_small",
        "--mod",
        mod,
        "--seed",
        "2",
        "--out",
        str(out),
        "--save",
        str(save),
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    assert record["mods"] == [mod]
    assert record["turns_played"] == 10  # the mod's length, not the scenario's 8
    check = run("replay", "--save", str(save))
    assert check.returncode == 0, check.stderr
    assert "matches" in check.stdout


def test_validate_a_broken_mod_points_at_its_line(tmp_path):
    mod = tmp_path / "bad.yaml"
    mod.write_text("extends: test_small\nset:\n  units[j_inf1].readiness: 2\n")
    result = run("validate", str(mod))
    assert result.returncode == 2
    assert "bad.yaml:3:3: units[9].readiness:" in result.stderr


def test_simulate_writes_the_ai_plan_logs(tmp_path):
    out, log = tmp_path / "r.json", tmp_path / "plan.txt"
    result = run(
        "simulate",
        "--scenario",
        "test_small",
        "--seed",
        "1",
        "--soviet-ai",
        "ai",
        "--japanese-ai",
        "delay",
        "--out",
        str(out),
        "--plan-log",
        str(log),
    )
    assert result.returncode == 0, result.stderr
    text = log.read_text()
    assert text.startswith("# soviet (ai:drive)\nT1 movement: north advance -> North Fort")
    assert "# japanese (ai:delay)" in text


def test_a_long_game_shows_its_progress_and_an_absurd_one_is_refused(tmp_path):
    long = tmp_path / "long.yaml"
    long.write_text("extends: test_small\nset:\n  turns: 50\n")
    out = tmp_path / "r.json"
    args = ["simulate", "--scenario", "test_small", "--mod", str(long), "--seed", "1"]
    args += ["--out", str(out), "--soviet", "passive", "--japanese", "passive"]
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert "turn 10 of 50 begins" in result.stderr and "turn 50 of 50 begins" in result.stderr
    absurd = tmp_path / "absurd.yaml"
    absurd.write_text("extends: test_small\nset:\n  turns: 1000000\n")
    args[4] = str(absurd)
    before = out.read_bytes()
    result = run(*args)
    assert result.returncode == 2
    assert f"{absurd}:3:3: turns: Input should be less than or equal to 366" in result.stderr
    assert out.read_bytes() == before  # the earlier result is left as it was
