"""Batch runs on the small scenario: variants, outputs, resume, refusal, same rows anywhere."""

import csv
import io
import json
import re

import pytest

from engine.batch.runner import (
    PARTIAL,
    BatchConfig,
    BatchError,
    Progress,
    run_batch,
    variants,
)

SCRIPTED = {"soviet": "scripted", "japanese": "scripted"}


def config(**changes):
    base = {
        "scenario": "test_small",
        "runs": 3,
        "seed": 11,
        "sets": [("rules.combat.luck_sigma", ["0.2", "0.5"])],
        "players": SCRIPTED,
        "control_days": [2, 5],
    }
    base.update(changes)
    return BatchConfig(**base)


def rows_of(out_dir):
    return list(csv.DictReader(io.StringIO((out_dir / "runs.csv").read_text())))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """Six games (two variants x three seeds) played in this process."""
    out = tmp_path_factory.mktemp("baseline")
    result = run_batch(config(), out, workers=1, quiet=True)
    assert result.played == 6 and result.resumed == 0
    return out


def test_the_set_sweep_is_the_cartesian_product():
    c = config(
        sets=[("a.b", ["1", "2"]), ("units[x].readiness", ["0.1", "0.2", "0.3"])],
        compare_mod="other.yaml",
    )
    found = variants(c)
    assert len(found) == 2 * 2 * 3
    combos = {(v.spec.mods, v.sets) for v in found}
    assert len(combos) == 12
    assert found[0].label == "a.b=1, units[x].readiness=0.1"
    assert found[0].spec.mods == () and found[6].spec.mods == ("other.yaml",)
    assert found[-1].label == "a.b=2, units[x].readiness=0.3, +other"
    assert [v.id for v in found] == list(range(12))


def test_rows_are_in_variant_and_game_order_with_common_seeds(baseline):
    rows = rows_of(baseline)
    assert [(r["variant"], r["k"]) for r in rows] == [(v, k) for v in "01" for k in "012"]
    assert [r["seed"] for r in rows] == ["11", "12", "13"] * 2  # game k: seed S + k everywhere
    assert [r["set.rules.combat.luck_sigma"] for r in rows] == ["0.2"] * 3 + ["0.5"] * 3
    assert {"captured_turn.eastcity", "losses.soviet.aircraft", "advance_km.sov_front.day1"} <= set(
        rows[0]
    )
    assert all(r["losses.japanese.aircraft"] == "" for r in rows)
    assert len({r["state_hash"] for r in rows}) == 6


def test_summary_has_every_statistic(baseline):
    summary = json.loads((baseline / "summary.json").read_text())
    men = summary["metrics"]["0"]["losses.japanese.men"]
    assert men["n"] == 3
    assert set(men) >= {"mean", "median", "q05", "q25", "q75", "q95", "ci95", "sd"}
    values = [float(r["losses.japanese.men"]) for r in rows_of(baseline) if r["variant"] == "0"]
    assert men["mean"] == pytest.approx(sum(values) / 3)
    assert 0 <= summary["captured_share"]["0"]["eastcity"] <= 1
    assert set(summary["sensitivity"]["rules.combat.luck_sigma"]) == {"0.2", "0.5"}
    paired = summary["paired"]["1-0"]["losses.japanese.men"]
    assert paired["n"] == 3
    other = [float(r["losses.japanese.men"]) for r in rows_of(baseline) if r["variant"] == "1"]
    diffs = [o - b for o, b in zip(other, values, strict=True)]
    assert paired["mean"] == pytest.approx(sum(diffs) / 3)
    assert summary["shares"]["0"]["winner"]


def test_the_report_is_one_self_contained_page(baseline):
    text = (baseline / "report.html").read_text()
    for heading in (
        "Victory level",
        "Capture days of key places",
        "Losses",
        "Advance per front",
        "Objectives",
        "Control maps",
        "Sensitivity",
        "Paired differences",
    ):
        assert f"<h2>{heading}" in text
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) >= 6
    assert all(img.startswith("iVBOR") for img in images)  # PNG signature
    assert "http://" not in text and "https://" not in text  # nothing to fetch


def test_two_workers_give_the_same_rows(baseline, tmp_path):
    run_batch(config(), tmp_path, workers=2, quiet=True)
    assert (tmp_path / "runs.csv").read_text() == (baseline / "runs.csv").read_text()


def test_a_dask_cluster_gives_the_same_rows(baseline, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=None,
        protocol="tcp://",
        host="127.0.0.1",
    ) as cluster:
        run_batch(config(), tmp_path, cluster=cluster.scheduler_address, quiet=True)
    assert (tmp_path / "runs.csv").read_text() == (baseline / "runs.csv").read_text()


def test_an_interrupted_batch_resumes_without_repeating_or_losing_a_game(baseline, tmp_path):
    first = run_batch(config(), tmp_path, workers=1, quiet=True, max_games=3)
    assert first.played == 3 and not (tmp_path / "runs.csv").exists()
    partial = tmp_path / PARTIAL
    with open(partial, "a") as fh:
        fh.write('{"variant": 1, "k": 0, "seed": 11, "rec')  # killed in the middle of a line
    second = run_batch(config(), tmp_path, workers=1, quiet=True)
    assert (second.resumed, second.played) == (3, 3)
    lines = [json.loads(line) for line in partial.read_text().splitlines()]
    keys = [(e["variant"], e["k"]) for e in lines]
    assert sorted(keys) == [(v, k) for v in (0, 1) for k in range(3)]  # six, none twice
    assert (tmp_path / "runs.csv").read_text() == (baseline / "runs.csv").read_text()


def test_a_damaged_line_inside_the_results_is_refused(tmp_path):
    run_batch(config(runs=1), tmp_path, workers=1, quiet=True, max_games=1)
    partial = tmp_path / PARTIAL
    partial.write_text("garbage\n" + partial.read_text())
    with pytest.raises(BatchError, match=r"runs.partial.jsonl:1: damaged line"):
        run_batch(config(runs=1), tmp_path, workers=1, quiet=True)


def test_a_different_batch_in_the_same_folder_is_refused(baseline):
    with pytest.raises(BatchError, match=r"different batch \(runs: 3 -> 4"):
        run_batch(config(runs=4), baseline, workers=1, quiet=True)
    with pytest.raises(BatchError, match="players"):
        run_batch(config(players={**SCRIPTED, "japanese": "passive"}), baseline, quiet=True)


def test_changed_scenario_files_are_refused(tmp_path):
    mod = tmp_path / "mod.yaml"
    mod.write_text("extends: test_small\nset:\n  turns: 3\n")
    out = tmp_path / "out"
    run_batch(config(runs=1, sets=[], mods=[str(mod)]), out, workers=1, quiet=True)
    mod.write_text("extends: test_small\nset:\n  turns: 4\n")
    with pytest.raises(BatchError, match="scenario or mod files changed"):
        run_batch(config(runs=1, sets=[], mods=[str(mod)]), out, workers=1, quiet=True)


def test_uncertain_draws_are_shared_by_the_variants_and_vary_by_game(tmp_path):
    mod = tmp_path / "unsure.yaml"
    mod.write_text(
        "extends: test_small\nuncertain:\n"
        "  units[j_inf1].readiness: {uniform: [0.3, 0.9]}\n"
        "  events[broadcast].date: {date_uniform: [1945-08-13, 1945-08-16]}\n"
    )
    run_batch(config(mods=[str(mod)], runs=2), tmp_path / "out", workers=1, quiet=True)
    rows = rows_of(tmp_path / "out")
    by_variant = {
        v: [r["sampled.units[j_inf1].readiness"] for r in rows if r["variant"] == v] for v in "01"
    }
    assert by_variant["0"] == by_variant["1"]  # common random numbers across the sweep
    assert len(set(by_variant["0"])) == 2
    assert all(0.3 <= float(x) <= 0.9 for x in by_variant["0"])
    assert all(r["sampled.events[broadcast].date"].startswith("1945-08-1") for r in rows)


def test_the_progress_line_counts_rate_and_time_left():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    progress = Progress(total=10, done=2, stream=out, enabled=True)
    progress.update(force=True)
    progress.done = 6
    progress.update(force=True)
    progress.close()
    text = out.getvalue()
    assert "6/10 games" in text and "games/min" in text and "ETA" in text
    assert text.endswith("\n")


def test_the_report_shows_the_ai_plan_logs_of_the_first_games(tmp_path):
    ai = {"soviet": "ai", "japanese": "ai"}
    run_batch(config(runs=2, sets=[], players=ai), tmp_path, workers=1, quiet=True)
    page = (tmp_path / "report.html").read_text()
    assert "The AI's plan logs (first game of each variant)" in page
    assert (
        "Variant 0, game 0, soviet:" in page
        and "T1 movement: north advance -&gt; North Fort" in page
    )
    scripted = tmp_path / "scripted"
    run_batch(config(runs=1, sets=[]), scripted, workers=1, quiet=True)
    assert "plan logs" not in (scripted / "report.html").read_text()
