"""Benchmark of the operational AI on the full August Storm scenario.

Run from the repository root::

    .venv/bin/python benchmarks/bench_ai.py [--seeds 3] [--soviet PLAN] [--japanese PLAN]

Plays whole AI-vs-AI games and prints, per side, the median and 90th percentile of the time one
AI side takes to decide its turn (the time spent in ``next_order`` over its movement and combat
phases: observation, distance fields, reachability queries, odds), the engine's share (applying
the orders, the end of turn), and the time of a whole campaign. Targets: one AI side's turn at
most 100 ms median; a whole campaign at most 2 s of one core.

It also times the AI's quick odds (``combat.attack_success``) against the full preview it
replaces (``combat.preview``) on the attacks of the first combat phases, and prints the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import combat  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.orders import Attack  # noqa: E402
from engine.players import make_player  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.world import World  # noqa: E402


def play(scenario, world, seed, names):  # noqa: ANN001, ANN201
    game = Game(scenario, seed, world=world)
    players = {side: make_player(names[side], side, scenario) for side in scenario.side_order}
    decide: dict[tuple[str, int], float] = defaultdict(float)
    engine_time = 0.0
    attacks: list[tuple[list[str], tuple[int, int], GameSnapshot]] = []
    snapshots = 0.0  # copying states for the odds timing is the benchmark's, not the game's
    t_game = time.perf_counter()
    while not game.state.game_over:
        side = game.active_side
        t0 = time.perf_counter()
        order = players[side].next_order(game)
        t1 = time.perf_counter()
        if isinstance(order, Attack) and len(attacks) < 40:
            attacks.append((order.attackers, order.target, GameSnapshot(game)))
            t_copied = time.perf_counter()
            snapshots += t_copied - t1
            t1 = t_copied
        game.apply(order)
        t2 = time.perf_counter()
        decide[(side, game.state.turn)] += t1 - t0
        engine_time += t2 - t1
    return time.perf_counter() - t_game - snapshots, decide, engine_time, attacks, game


class GameSnapshot:
    """A copy of a game's state to time odds on later."""

    def __init__(self, game: Game) -> None:
        self.world = game.world
        self.state = game.state.copy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--soviet", default="historical")
    parser.add_argument("--japanese", default="historical")
    args = parser.parse_args()
    scenario = load_scenario("august_storm")
    names = {"soviet": args.soviet, "japanese": args.japanese}
    per_side: dict[str, list[float]] = defaultdict(list)
    games, engines, all_attacks = [], [], []
    for seed in range(1, args.seeds + 1):
        world = World(scenario)  # a fresh world: the AI's distance fields are built anew
        total, decide, engine_time, attacks, game = play(scenario, world, seed, names)
        games.append(total)
        engines.append(engine_time)
        all_attacks += attacks
        for (side, _turn), t in decide.items():
            per_side[side].append(t * 1000)
        print(f"seed {seed}: {total:.2f} s, {game.state.winner} {game.state.victory_level}")
    print(f"AI vs AI on august_storm ({args.soviet} vs {args.japanese}), {args.seeds} games:")
    for side, times in per_side.items():
        times.sort()
        p90 = times[int(0.9 * (len(times) - 1))]
        print(
            f"  {side:9s} AI turn: median {statistics.median(times):6.1f} ms, "
            f"90th percentile {p90:6.1f} ms, max {max(times):6.1f} ms   target <= 100 ms"
        )
    print(f"  engine (orders and end of turn) per game: median {statistics.median(engines):.2f} s")
    print(f"  whole campaign: median {statistics.median(games):.2f} s   target <= 2 s")

    quick, full = [], []
    for attackers, target, snap in all_attacks:
        units = [snap.state.units[a] for a in attackers]
        i = snap.world.index(*target)
        t0 = time.perf_counter()
        combat.attack_success(snap.world, snap.state, units, i)
        t1 = time.perf_counter()
        combat.preview(snap.world, snap.state, units, i)
        t2 = time.perf_counter()
        quick.append(t1 - t0)
        full.append(t2 - t1)
    if quick:
        q, f = statistics.median(quick) * 1000, statistics.median(full) * 1000
        print(
            f"  odds for one attack ({len(quick)} attacks): attack_success {q:.3f} ms, "
            f"full preview {f:.3f} ms, ratio {f / q:.1f}x"
        )


if __name__ == "__main__":
    main()
