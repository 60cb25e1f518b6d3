"""Evidence of the AI's strength: each side's AI against random and rushing players.

Run from the repository root::

    .venv/bin/python tools/evaluate_ai.py --seeds 100 [--workers 2] [--plan historical]
        [--side both|soviet|japanese] [--out docs/ai_strength.md]

For each side it plays the same seeds (so game k of every pairing shares its seed: common
random numbers) with that side played by the AI, by a random player and by a naive rushing
player, always against the other side's AI; and the AI head to head against the random and
rushing players. It prints, per pairing, the side's win rate and its mean victory-point margin
(its VP minus the enemy's) with a 95 % confidence interval, and the paired difference of the
margin between the AI and each baseline. A developer tool: the game does not need it.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def play(job: tuple[int, str, str]) -> tuple[int, str, str, str | None, dict[str, float]]:
    """One game: (seed, soviet player, japanese player, winner, VP)."""
    from engine.game import Game
    from engine.players import make_player, run_game
    from tools.worlds import scenario_and_world

    seed, soviet, japanese = job
    scenario, world = scenario_and_world("august_storm")
    game = Game(scenario, seed, world=world)
    players = {
        "soviet": make_player(soviet, "soviet", scenario),
        "japanese": make_player(japanese, "japanese", scenario),
    }
    run_game(game, players)
    return seed, soviet, japanese, game.state.winner, game.victory_points()


def mean_ci(x: np.ndarray) -> str:
    """Mean and 95 % confidence interval (normal approximation)."""
    if x.size < 2:
        return f"{x.mean():.1f}"
    half = 1.96 * x.std(ddof=1) / np.sqrt(x.size)
    return f"{x.mean():.1f} ± {half:.1f}"


def main() -> None:
    """Play the pairings and print the table."""
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
    parser.add_argument("--out")
    args = parser.parse_args()
    ai = args.plan
    sides = {
        "soviet": [(ai, ai), ("random", ai), ("rush", ai)],
        "japanese": [(ai, ai), (ai, "random"), (ai, "rush")],
    }
    if args.side != "both":
        sides = {args.side: sides[args.side]}
    pairings = list(dict.fromkeys(pair for subs in sides.values() for pair in subs))
    jobs = [(s, sov, jap) for sov, jap in pairings for s in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(play, jobs, chunksize=4))
    by_pair: dict[tuple[str, str], dict[int, tuple[str | None, dict[str, float]]]] = {}
    for seed, sov, jap, winner, vp in results:
        by_pair.setdefault((sov, jap), {})[seed] = (winner, vp)

    def margins(pair: tuple[str, str], side: str) -> np.ndarray:
        enemy = "japanese" if side == "soviet" else "soviet"
        games = by_pair[pair]
        return np.array([games[s][1][side] - games[s][1][enemy] for s in sorted(games)])

    def wins(pair: tuple[str, str], side: str) -> float:
        games = by_pair[pair]
        return sum(1 for s in games if games[s][0] == side) / len(games)

    lines = [
        f"{args.seeds} seeds per pairing, August Storm, AI plan '{ai}' "
        f"(`.venv/bin/python tools/evaluate_ai.py --seeds {args.seeds} --plan {ai}`)",
        "",
        "| side | played by | against | side's wins | side's VP margin (mean ± 95 % CI) "
        "| AI's margin minus this (paired) |",
        "|---|---|---|---|---|---|",
    ]
    for side, subs in sides.items():
        base = margins((ai, ai), side)
        for pair in subs:
            who = pair[0] if side == "soviet" else pair[1]
            other = pair[1] if side == "soviet" else pair[0]
            m = margins(pair, side)
            diff = "-" if pair == (ai, ai) else mean_ci(base - m)
            lines.append(
                f"| {side} | {who} | {other} | {wins(pair, side):.0%} | {mean_ci(m)} | {diff} |"
            )
    for pair, side in (((ai, "random"), "soviet"), ((ai, "rush"), "soviet")):
        if args.side != "both":
            break
        lines.append(
            f"\nHead to head, Soviet AI against a {pair[1]} Japanese player: the Soviet side "
            f"wins {wins(pair, side):.0%}; against the Japanese AI, "
            f"a random Soviet player wins {wins(('random', ai), 'soviet'):.0%}."
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
