"""``main.py batch`` as a user runs it: files, a resumed rerun, messages instead of tracebacks."""

import csv
import os
import subprocess
import sys

from engine.paths import REPO_ROOT

MAIN = str(REPO_ROOT / "main.py")


def run(*args, cwd=None):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(
        [sys.executable, MAIN, *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=300,
    )


def test_batch_writes_its_files_and_a_rerun_resumes(tmp_path):
    out = tmp_path / "runs"
    args = (
        "batch",
        "--scenario",
        "test_small",
        "--runs",
        "1",
        "--seed",
        "5",
        "--workers",
        "1",
        "--set",
        "units[j_inf1].readiness=0.4,0.9",
        "--japanese-ai",
        "passive",
        "--out",
        str(out),
    )
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 games played, 0 found done, 2 in all" in result.stdout
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    for name in ("batch.json", "runs.partial.jsonl", "runs.csv", "summary.json", "report.html"):
        assert (out / name).is_file(), name
    rows = list(csv.DictReader((out / "runs.csv").open()))
    assert [r["set.units[j_inf1].readiness"] for r in rows] == ["0.4", "0.9"]
    assert {r["players.japanese"] for r in rows} == {"passive"}
    again = run(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 games played, 2 found done" in again.stdout


def test_bad_batch_input_gives_a_message_not_a_traceback(tmp_path):
    cases = [
        (("--set", "units[j_nobody].readiness=0.5"), "no item 'j_nobody'"),
        (("--set", "units"), "expected PATH=V1,V2"),
        (("--soviet-ai", "genius"), "unknown player 'genius'"),
    ]
    for extra, message in cases:
        out = tmp_path / "out"
        result = run("batch", "--scenario", "test_small", "--runs", "1", "--out", str(out), *extra)
        assert result.returncode == 2, (extra, result.stderr)
        assert message in result.stderr, (extra, result.stderr)
        assert "Traceback" not in result.stderr
        assert not (out / "runs.partial.jsonl").exists()


def test_an_interrupted_batch_says_how_to_resume(monkeypatch, capsys, tmp_path):
    import main
    from engine.batch import runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_batch", interrupted)
    status = main.main(["batch", "--scenario", "test_small", "--runs", "1", "--out", str(tmp_path)])
    assert status == 130
    assert "run the same command again to resume" in capsys.readouterr().err
