"""The sensitivity suite: does each counterfactual move the campaign the way a historian expects?

    .venv/bin/python tools/sensitivity.py --seeds 20            # every mod, 20 paired seeds
    .venv/bin/python tools/sensitivity.py --seeds 4 --only air_lift_off,tanks_6gta_x2

Each counterfactual (a mod in ``tools/sensitivity/`` or named by ``mod:`` in
``tools/sensitivity/expected.yaml``) is played AI against AI on the same seeds as the base game
(common random numbers); for every metric the expectations name, the tool prints the mean paired
difference (mod minus base), its 95 % interval (Student's t) and a verdict: ``pass`` (the
interval lies on the expected side of 0), ``no effect`` (it holds 0), ``WRONG WAY`` (it lies on
the other side). The table goes into docs/calibration.md.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HERE = Path(__file__).resolve().parent / "sensitivity"
SCENARIO = "august_storm"


def load_suite(only: set[str] | None = None) -> dict[str, dict]:
    """The counterfactuals and their expectations, each with the path of its mod."""
    suite = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, spec in suite.items():
        if only is not None and name not in only:
            continue
        mod = ROOT / spec["mod"] if "mod" in spec else HERE / f"{name}.yaml"
        out[name] = {**spec, "mod": str(mod)}
    return out


def play(job: tuple[str, tuple[str, ...], int]) -> tuple[str, int, dict[str, float]]:
    """One AI-against-AI game: (variant, mods, seed) -> the metrics of its record."""
    from engine.simulate import simulate_game
    from tools.worlds import scenario_and_world

    name, mods, seed = job
    scenario, world = scenario_and_world(SCENARIO, mods)
    run = simulate_game(scenario, seed, {"soviet": "ai", "japanese": "ai"}, world=world)
    return name, seed, metrics(run.record, scenario.turns)


def metrics(record: object, turns: int) -> dict[str, float]:
    """Every metric the expectations can name, from a result record."""
    out: dict[str, float] = {}
    for place in record.places:  # type: ignore[attr-defined]
        taken = place.captured_turn if place.captured_by == "soviet" else None
        out[f"day:{place.id}"] = float(taken) if taken is not None else float(turns + 1)
    for front, km in record.advance_km.items():  # type: ignore[attr-defined]
        for day, value in enumerate(km, start=1):
            out[f"advance:{front}:{day}"] = float(value)
    for side, losses in record.losses.items():  # type: ignore[attr-defined]
        out[f"lost:{side}"] = float(losses.get("men") or 0)
    vp = record.victory_points  # type: ignore[attr-defined]
    out["vp_margin"] = float(vp.get("soviet", 0.0) - vp.get("japanese", 0.0))
    return out


def paired(base: dict[int, dict[str, float]], mod: dict[int, dict[str, float]], metric: str):
    """Mean paired difference and its 95 % interval over the seeds both played."""
    from scipy import stats

    diffs = [mod[s][metric] - base[s][metric] for s in sorted(base) if s in mod]
    diffs = [d for d in diffs if not math.isnan(d)]
    n = len(diffs)
    mean = statistics.fmean(diffs)
    if n < 2:
        return mean, mean, mean, n
    half = stats.t.ppf(0.975, n - 1) * statistics.stdev(diffs) / math.sqrt(n)
    return mean, mean - half, mean + half, n


def verdict(low: float, high: float, expect: str) -> str:
    """``pass``, ``no effect`` or ``WRONG WAY`` for an interval and an expected sign."""
    if low <= 0.0 <= high:
        return "no effect"
    side = "+" if low > 0 else "-"
    return "pass" if side == expect else "WRONG WAY"


def main() -> int:
    """Play the suite and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated names of counterfactuals")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    suite = load_suite(only)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    jobs = [("base", (), s) for s in seeds]
    jobs += [(name, (spec["mod"],), s) for name, spec in suite.items() for s in seeds]
    results: dict[str, dict[int, dict[str, float]]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for name, seed, values in pool.map(play, jobs, chunksize=2):
            results.setdefault(name, {})[seed] = values
    print(
        f"Sensitivity suite: {len(suite)} counterfactuals of {SCENARIO}, AI against AI, "
        f"{args.seeds} paired seeds ({seeds.start}-{seeds.stop - 1}). Command: "
        f"`.venv/bin/python tools/sensitivity.py --seeds {args.seeds}`\n"
    )
    print(
        "| counterfactual | metric | base mean | effect (mod - base) | 95 % interval"
        " | expected | verdict |"
    )
    print("|---|---|---|---|---|---|---|")
    tally: dict[str, int] = {}
    for name, spec in suite.items():
        for metric, expect in spec["expect"].items():
            base_mean = statistics.fmean(results["base"][s][metric] for s in results["base"])
            mean, low, high, _n = paired(results["base"], results[name], metric)
            v = verdict(low, high, str(expect))
            tally[v] = tally.get(v, 0) + 1
            print(
                f"| {name} | {metric} | {base_mean:.1f} | {mean:+.2f} | "
                f"[{low:+.2f}, {high:+.2f}] | {expect} | {v} |"
            )
    print()
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
