"""Evidence of the AI's strength: each side's AI against random and rushing players.

Run from the repository root::

    .venv/bin/python tools/evaluate_ai.py --seeds 100 [--workers 2] [--plan historical]
        [--side both|soviet|japanese] [--soviet-random] [--mod FILE ...] [--no-uncertain]
        [--out docs/ai_strength.md]

Each seed draws the uncertainties of 1945 (``scenarios/august_storm/mods/uncertain_1945.yaml``)
under every pairing alike (the same draw for the same seed), so the seeds are different
plausible campaigns; ``--no-uncertain`` plays the scenario's own values.

For each side it plays the same seeds (so game k of every pairing shares its seed: common
random numbers) with that side played by the AI, by a random player and by a naive rushing
player, always against the other side's AI. Every game is judged by both victory schemes
(docs/rules.md: the plans' objectives and the graded scheme against 1945, whichever decides the
scenario's games). It prints, per pairing and scheme, the side's win rate with its 95 % Wilson
interval and its mean victory-point margin (its VP minus the enemy's) with a 95 % confidence
interval, and the paired difference of the margin between the AI and each baseline; then the
day the Soviet side first held each of the four big cities with the Japanese side played by the
AI, a random and a rushing player (medians, and the paired differences); and how often the
Japanese side "holds the centre" (docs/ai.md): it still holds Harbin, Changchun, Mukden and
Kirin at the end of the ``jp_delay`` objective's day (23 August, day 15).

``--soviet-random`` plays only the Japanese side's view against the Soviet AI and a random
Soviet player (e.g. with ``--mod scenarios/august_storm/mods/kwantung_1941.yaml``: does the
Kwantung Army of 1941 win against a random Soviet player, and hold the centre against the AI?).
A developer tool: the game does not need it.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The four big cities: the capture days compared, and the centre the Japanese side holds.
CENTRE = ("harbin", "changchun", "mukden", "kirin")
#: The objective whose date is the day the centre is judged (23 August, day 15).
CENTRE_OBJECTIVE = "jp_delay"
#: A city never taken counts as taken the day after the last (26 on August Storm).
SCHEMES = ("plans", "graded")


def holders_at(state: Any, turn: int) -> dict[str, int]:
    """The side index holding each recorded place at the end of ``turn`` (from place_changes)."""
    out: dict[str, int] = {}
    for pid, turn_no, side in sorted(state.place_changes, key=lambda c: c[1]):
        if turn_no <= turn:
            out[pid] = side
    return out


def centre_day(scenario: Any) -> int:
    """The day the centre is judged: the jp_delay objective's date (day 15 on August Storm)."""
    from engine.history import turn_of_date

    obj = next((o for o in scenario.victory.objectives if o.id == CENTRE_OBJECTIVE), None)
    return turn_of_date(scenario, obj.by) if obj is not None else 15


def play(job: tuple[int, str, str, tuple[str, ...]]) -> dict[str, Any]:
    """One game: its seed, players, each scheme's verdict, capture days and the centre."""
    from engine.game import Game
    from engine.graded import first_held, graded_statuses
    from engine.players import make_player, run_game
    from engine.victory import graded_result, plans_result
    from tools.worlds import game_setup

    seed, soviet, japanese, mods = job
    scenario, world, _drawn = game_setup("august_storm", mods, seed)
    game = Game(scenario, seed, world=world)
    players = {
        "soviet": make_player(soviet, "soviet", scenario),
        "japanese": make_player(japanese, "japanese", scenario),
    }
    run_game(game, players)
    state = game.state
    verdicts = {}
    for result in (plans_result(world, state), graded_result(world, state)):
        if result is not None:
            verdicts[result.scheme] = (result.winner, dict(result.vp))
    first = first_held(world, state, "soviet")
    after = scenario.turns + 1
    held = holders_at(state, centre_day(scenario))
    jp = scenario.side_order.index("japanese")
    benchmarks = {
        b.key: (b.ahead, b.vp if b.side == "soviet" else -b.vp)
        for b in graded_statuses(world, state)
    }
    return {
        "seed": seed,
        "pair": (soviet, japanese),
        "benchmarks": benchmarks,
        "verdicts": verdicts,
        "days": {pid: first.get(pid, after) for pid in CENTRE},
        "centre": all(held.get(pid) == jp for pid in CENTRE),
    }


def wilson(wins: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion ``wins / n``."""
    if n == 0:
        return 0.0, 1.0
    p = wins / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def share(wins: int, n: int) -> str:
    """A share with its Wilson interval: ``45 % (35-55 %)``."""
    lo, hi = wilson(wins, n)
    return f"{wins / n:.0%} ({lo:.0%}-{hi:.0%})" if n else "-"


def mean_ci(x: np.ndarray) -> str:
    """Mean and 95 % confidence interval (normal approximation)."""
    if x.size == 0:
        return "-"
    if x.size < 2:
        return f"{x.mean():.1f}"
    half = 1.96 * x.std(ddof=1) / np.sqrt(x.size)
    return f"{x.mean():.1f} ± {half:.1f}"


def pairings(ai: str, side: str, soviet_random: bool) -> dict[str, list[tuple[str, str]]]:
    """The (soviet, japanese) pairings measured for each side."""
    if soviet_random:
        return {"japanese": [(ai, ai), ("random", ai)]}
    sides = {
        "soviet": [(ai, ai), ("random", ai), ("rush", ai)],
        "japanese": [(ai, ai), (ai, "random"), (ai, "rush")],
    }
    return sides if side == "both" else {side: sides[side]}


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """The Markdown tables of a run."""
    ai = args.plan
    sides = pairings(ai, args.side, args.soviet_random)
    by_pair: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for r in results:
        by_pair.setdefault(tuple(r["pair"]), {})[r["seed"]] = r  # type: ignore[arg-type]
    schemes = [s for s in SCHEMES if all(s in r["verdicts"] for r in results)]

    def margins(pair: tuple[str, str], side: str, scheme: str) -> np.ndarray:
        enemy = "japanese" if side == "soviet" else "soviet"
        games = by_pair[pair]
        return np.array(
            [games[s]["verdicts"][scheme][1][side] - games[s]["verdicts"][scheme][1][enemy]
             for s in sorted(games)]
        )  # fmt: skip

    def wins(pair: tuple[str, str], side: str, scheme: str) -> tuple[int, int]:
        games = by_pair[pair]
        won = sum(1 for s in games if games[s]["verdicts"][scheme][0] == side)
        return won, len(games)

    mods = "".join(f" --mod {m}" for m in args.mod)
    flags = f" --seeds {args.seeds} --plan {ai}{mods}"
    flags += " --soviet-random" if args.soviet_random else ""
    with_mods = " with " + ", ".join(args.mod) if args.mod else ""
    lines = [
        f"{args.seeds} seeds per pairing, August Storm{with_mods}, AI plan '{ai}' "
        f"(`.venv/bin/python tools/evaluate_ai.py{flags}`)",
    ]
    for scheme in schemes:
        lines += [
            "",
            f"Victory scheme: {scheme}",
            "",
            "| side | played by | against | side's wins (95 % Wilson) | side's VP margin "
            "(mean ± 95 % CI) | AI's margin minus this (paired) |",
            "|---|---|---|---|---|---|",
        ]
        for side, subs in sides.items():
            base = margins((ai, ai), side, scheme)
            for pair in subs:
                who = pair[0] if side == "soviet" else pair[1]
                other = pair[1] if side == "soviet" else pair[0]
                m = margins(pair, side, scheme)
                diff = "-" if who == ai else mean_ci(base - m)
                lines.append(
                    f"| {side} | {who} | {other} | {share(*wins(pair, side, scheme))} | "
                    f"{mean_ci(m)} | {diff} |"
                )
        m = margins((ai, ai), "soviet", scheme)
        q = np.percentile(m, [10, 25, 50, 75, 90])
        lines.append(
            f"\nThe Soviet margin, {ai} against {ai}: median {q[2]:.1f}, quartiles "
            f"{q[1]:.1f} to {q[3]:.1f}, 10-90 % {q[0]:.1f} to {q[4]:.1f}; draws "
            f"{sum(1 for g in by_pair[(ai, ai)].values() if g['verdicts'][scheme][0] is None)}"
            f" of {len(m)}."
        )
    games = list(by_pair[(ai, ai)].values())
    if games and games[0]["benchmarks"]:
        lines += [
            "",
            f"The graded benchmarks, {ai} against {ai}: the median days (losses: thousands of "
            "men) the Soviet side beat 1945 by (+) or missed it by (-), and the mean net VP "
            "(Soviet minus Japanese)",
            "",
            "| benchmark | median ahead | mean net VP |",
            "|---|---|---|",
        ]
        for key in games[0]["benchmarks"]:
            ahead = [g["benchmarks"][key][0] for g in games if g["benchmarks"][key][0] is not None]
            net = np.mean([g["benchmarks"][key][1] for g in games])
            mid = f"{np.median(ahead):+g}" if ahead else "-"
            lines.append(f"| {key} | {mid} | {net:+.1f} |")
    japanese = [p for p in sides.get("japanese", []) if p[0] == ai]
    if len(japanese) > 1:
        lines += [
            "",
            "The day the Soviet side first held each big city at a day's end (26: never), with "
            "the Japanese side played by the AI or a baseline; median, and the median of the "
            "paired difference (baseline's day minus the AI's: negative, the AI held longer)",
            "",
            "| Japanese played by | " + " | ".join(CENTRE) + " |",
            "|---|" + "---|" * len(CENTRE),
        ]
        base = by_pair[(ai, ai)]
        for pair in japanese:
            games = by_pair[pair]
            cells = []
            for pid in CENTRE:
                days = np.array([games[s]["days"][pid] for s in sorted(games)])
                cell = f"{np.median(days):g}"
                if pair != (ai, ai):
                    delta = days - np.array([base[s]["days"][pid] for s in sorted(games)])
                    cell += f" ({np.median(delta):+g})"
                cells.append(cell)
            lines.append(f"| {pair[1]} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "The Japanese side holds the centre (Harbin, Changchun, Mukden and Kirin at the end of "
        "day 15, 23 August; docs/ai.md):",
        "",
    ]
    for pair in dict.fromkeys(p for subs in sides.values() for p in subs):
        games = by_pair[pair]
        held = sum(1 for g in games.values() if g["centre"])
        lines.append(f"- Soviet {pair[0]} against Japanese {pair[1]}: {share(held, len(games))}")
    if args.soviet_random or args.side == "both":
        won = wins(("random", ai), "japanese", schemes[-1])
        lines.append(
            f"\nThe Japanese AI against a random Soviet player wins {share(*won)} "
            f"({schemes[-1]} scheme)."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Play the pairings and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plan", default="historical", help="the AI's plan on both sides")
    parser.add_argument(
        "--side",
        choices=("both", "soviet", "japanese"),
        default="both",
        help="measure one side's AI only (fewer games)",
    )
    parser.add_argument(
        "--soviet-random",
        action="store_true",
        help="only the Japanese AI against the Soviet AI and a random Soviet player",
    )
    parser.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    parser.add_argument(
        "--no-uncertain",
        action="store_true",
        help="play every seed on the scenario's values, without drawing the uncertainties of "
        "1945 (mods/uncertain_1945.yaml) per seed",
    )
    parser.add_argument("--out")
    args = parser.parse_args()
    from tools.worlds import UNCERTAIN_1945

    if not args.no_uncertain:
        args.mod = [UNCERTAIN_1945, *args.mod]
    sides = pairings(args.plan, args.side, args.soviet_random)
    pairs = list(dict.fromkeys(pair for subs in sides.values() for pair in subs))
    mods = tuple(args.mod)
    jobs = [(s, sov, jap, mods) for sov, jap in pairs for s in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(play, jobs, chunksize=4))
    text = report(results, args)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
