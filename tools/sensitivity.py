"""The sensitivity suite: does each counterfactual move the campaign the way a historian expects?

    .venv/bin/python tools/sensitivity.py --seeds 20            # every mod, 20 paired seeds
    .venv/bin/python tools/sensitivity.py --seeds 4 --only air_lift_off,tanks_6gta_x2

Each counterfactual (a mod in ``tools/sensitivity/`` or named by ``mod:`` in
``tools/sensitivity/expected.yaml``) is played AI against AI on the same seeds as the base game
(common random numbers); for every metric the expectations name, the tool prints the mean paired
difference (mod minus base), its 95 % interval (Student's t) and a verdict: ``pass`` (the
interval lies on the expected side of 0), ``no effect`` (it holds 0), ``WRONG WAY`` (it lies on
the other side). The table goes into docs/calibration.md.

Under the base game and every counterfactual alike lies the ensemble
(``tools/sensitivity/ensemble.yaml``): inputs the sources leave open, drawn afresh for each seed
(as a batch draws a mod's ``uncertain:`` values), so that each seed plays a different plausible
campaign rather than the same deterministic path of the AI's choices; ``--no-ensemble`` plays
the calibrated inputs. ``--also m1,m2`` shows more metrics for every counterfactual, without a
verdict (an exploration).
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
# The uncertain inputs drawn per seed under the base game and every counterfactual alike.
ENSEMBLE = HERE / "ensemble.yaml"
SCENARIO = "august_storm"
# Armies whose advance the suite follows beside the fronts' (advance:<army>:<day>): the main
# efforts of the Transbaikal and 1st Far Eastern Fronts.
ARMIES = ("sov_6gta", "sov_5a")


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
    from engine.game import Game
    from engine.simulate import AdvanceTracker, simulate_game

    name, mods, seed = job
    scenario, world = _setup(mods, seed)
    start = Game(scenario, seed, world=world)
    armies = AdvanceTracker(start, ARMIES)
    losses = FormationLosses(start, ARMIES)

    def each_turn(game: Game) -> None:
        armies(game)
        losses(game)

    run = simulate_game(
        scenario, seed, {"soviet": "ai", "japanese": "ai"}, world=world, progress=each_turn
    )
    out = metrics(run.record, scenario.turns, armies.km)
    out.update({f"lost:{army}": float(men) for army, men in losses.men.items()})
    for army, km in armies.mean_km.items():
        for day, value in enumerate(km, start=1):
            out[f"mean_advance:{army}:{day}"] = float(value)
    return name, seed, out


def _setup(mods: tuple[str, ...], seed: int) -> tuple[object, object]:
    """One game's scenario and world: the mods' variant, uncertain values drawn for ``seed``."""
    from tools.worlds import game_setup

    scenario, world, _drawn = game_setup(SCENARIO, mods, seed)
    return scenario, world


class FormationLosses:
    """Men lost by each named formation's units, from their strength day by day.

    After each turn, every drop in a unit's men since the turn before counts as lost (a unit
    that leaves the map, destroyed or surrendered, loses what it had). Replacements that come
    in the same day as losses hide as many men, so the figure is a slight undercount.
    """

    def __init__(self, game: object, formations: tuple[str, ...]) -> None:
        from engine.events import select_units
        from engine.scenario.model import UnitSelector

        state, world = game.state, game.world  # type: ignore[attr-defined]
        self._members = {
            f: [u.id for u in select_units(world, state, UnitSelector(formation=f))]
            for f in formations
        }
        self._last = {u.id: u.men for u in state.units.values()}
        self.men = dict.fromkeys(formations, 0)

    def __call__(self, game: object) -> None:
        """Add the day's drops in strength."""
        units = game.state.units  # type: ignore[attr-defined]
        for formation, ids in self._members.items():
            for uid in ids:
                unit = units[uid]
                now = unit.men if unit.status not in ("destroyed", "surrendered") else 0
                self.men[formation] += max(0, self._last[uid] - now)
        self._last = {
            uid: (u.men if u.status not in ("destroyed", "surrendered") else 0)
            for uid, u in units.items()
        }


def metrics(
    record: object, turns: int, armies: dict[str, list[float]] | None = None
) -> dict[str, float]:
    """Every metric the expectations can name, from a result record (and the armies' advance)."""
    out: dict[str, float] = {}
    for army, km in (armies or {}).items():
        for day, value in enumerate(km, start=1):
            out[f"advance:{army}:{day}"] = float(value)
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
    parser.add_argument(
        "--no-ensemble",
        action="store_true",
        help="play every seed on the calibrated inputs, without drawing the ensemble's "
        "uncertain ones (one deterministic path of the AI's choices)",
    )
    parser.add_argument(
        "--also",
        help="comma-separated metrics to show for every counterfactual beside its expected ones "
        "(expected direction '?': an exploration, no verdict)",
    )
    args = parser.parse_args()
    also = args.also.split(",") if args.also else []
    only = set(args.only.split(",")) if args.only else None
    suite = load_suite(only)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    under = () if args.no_ensemble else (str(ENSEMBLE),)
    jobs = [("base", under, s) for s in seeds]
    jobs += [(name, (*under, spec["mod"]), s) for name, spec in suite.items() for s in seeds]
    results: dict[str, dict[int, dict[str, float]]] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        for name, seed, values in pool.map(play, jobs, chunksize=2):
            results.setdefault(name, {})[seed] = values
    how = "calibrated inputs" if args.no_ensemble else "the ensemble's inputs drawn per seed"
    print(
        f"Sensitivity suite: {len(suite)} counterfactuals of {SCENARIO}, AI against AI, "
        f"{args.seeds} paired seeds ({seeds.start}-{seeds.stop - 1}), {how}. Command: "
        f"`.venv/bin/python tools/sensitivity.py --seeds {args.seeds}"
        f"{' --no-ensemble' if args.no_ensemble else ''}`\n"
    )
    print(
        "| counterfactual | metric | base mean | effect (mod - base) | 95 % interval"
        " | expected | verdict |"
    )
    print("|---|---|---|---|---|---|---|")
    tally: dict[str, int] = {}
    for name, spec in suite.items():
        shown = {**spec["expect"], **{m: "?" for m in also if m not in spec["expect"]}}
        for metric, expect in shown.items():
            base_mean = statistics.fmean(results["base"][s][metric] for s in results["base"])
            mean, low, high, _n = paired(results["base"], results[name], metric)
            v = verdict(low, high, str(expect)) if expect != "?" else "-"
            if expect != "?":
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
