"""Whole-campaign benchmark: August Storm played AI against AI, split into AI and engine time.

Reproduce with::

    .venv/bin/python benchmarks/bench_campaign.py              # median of 5 campaigns, seed 1
    .venv/bin/python benchmarks/bench_campaign.py --runs 9 --seed 3
    .venv/bin/python benchmarks/bench_campaign.py --profile    # cProfile of one campaign

One campaign is ``Game(scenario, seed)`` (world and initial state built) then ``run_game`` with
the default AI plan on both sides until the game ends. The time inside the players'
``next_order`` is the *AI* share (including the engine queries the AI makes: reachability,
distance fields, observation); the time inside ``Game.apply`` is the *engine* share; setup is
``Game.__init__``. Each campaign's final state hash is printed so a change to the engine that
alters an outcome shows at once.

Where the engine keeps a simple path beside a fast one (house rule), the benchmark times both
on positions taken from the campaign and prints the ratio:

* the combat odds (``combat.odds_numbers`` vs the full ``combat.preview``);
* zone-of-control / occupancy layers (numpy scatter vs the per-unit loop).

Target on the project's 2-core machine: one campaign ≤ 2 s of one core (median).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.game import Game  # noqa: E402
from engine.players import Player, make_player, run_game  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.scenario.model import Scenario  # noqa: E402


class TimedPlayer:
    """A player wrapper that adds the time spent in ``next_order`` to a counter."""

    def __init__(self, inner: Player, clock: list[float]) -> None:
        self.inner = inner
        self.name = inner.name
        self.side = inner.side
        self.clock = clock

    def next_order(self, game: Game):  # type: ignore[no-untyped-def]
        """The wrapped player's order, timed."""
        t0 = time.perf_counter()
        order = self.inner.next_order(game)
        self.clock[0] += time.perf_counter() - t0
        return order


class TimedGame(Game):
    """A game whose ``apply`` adds its time to a counter."""

    clock: list[float]

    def apply(self, order):  # type: ignore[no-untyped-def,override]
        """``Game.apply``, timed."""
        t0 = time.perf_counter()
        try:
            return super().apply(order)
        finally:
            self.clock[0] += time.perf_counter() - t0


def campaign(scenario: Scenario, seed: int) -> dict[str, float | str]:
    """Play one campaign AI against AI; its total, setup, AI and engine seconds and final hash."""
    t0 = time.perf_counter()
    TimedGame.clock = [0.0]
    game = TimedGame(scenario, seed)
    setup = time.perf_counter() - t0
    ai_clock = [0.0]
    players = {
        s: TimedPlayer(make_player("ai", s, scenario), ai_clock) for s in scenario.side_order
    }
    run_game(game, players)  # type: ignore[arg-type]
    total = time.perf_counter() - t0
    return {
        "total": total,
        "setup": setup,
        "ai": ai_clock[0],
        "engine": TimedGame.clock[0],
        "hash": game.state_hash(),
    }


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``fn`` over ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def fast_vs_simple(scenario: Scenario, seed: int) -> None:
    """Time each fast path against the simple one it replaced, on positions of a campaign."""
    from engine import combat, zoc
    from engine.zoc import enemy_of

    game = Game(scenario, seed)
    players = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    run_game(game, players, max_turns=4)
    world, state = game.world, game.state
    cases = []
    for side in scenario.side_order:
        for u in state.units_of(side):
            for target in combat.attack_targets(world, state, u):
                cases.append(([u], target))
    cases = cases[:40]
    if cases and hasattr(combat, "odds_numbers"):
        fast = median_ms(lambda: [combat.odds_numbers(world, state, a, t) for a, t in cases], 7)
        simple = median_ms(lambda: [combat.preview(world, state, a, t) for a, t in cases], 7)
        print(
            f"  combat odds, {len(cases)} attacks: numbers {fast:7.2f} ms, "
            f"full preview {simple:7.2f} ms  (x{simple / fast:.1f})"
        )
    sides = list(scenario.side_order)

    def layers(build_zoc: Callable, build_occ: Callable) -> None:
        for side in sides:
            build_zoc(world, state, side)
            build_occ(world, state, side)
            build_occ(world, state, enemy_of(world, side))

    fast = median_ms(lambda: layers(zoc._zone_of_control, zoc._occupied), 25)
    simple = median_ms(lambda: layers(zoc.zone_of_control_reference, zoc.occupied_reference), 25)
    print(
        f"  ZOC + occupancy layers, both sides: numpy {fast:7.3f} ms, "
        f"per-unit loop {simple:7.3f} ms  (x{simple / fast:.1f})"
    )


def main() -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="campaigns to time (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default="august_storm")
    parser.add_argument("--profile", action="store_true", help="cProfile one campaign")
    parser.add_argument("--no-compare", action="store_true", help="skip fast-vs-simple timings")
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        campaign(scenario, args.seed)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        return
    campaign(scenario, args.seed)  # warm-up: imports, first-call caches
    rows = [campaign(scenario, args.seed) for _ in range(args.runs)]
    hashes = {r["hash"] for r in rows}
    for key in ("total", "setup", "ai", "engine"):
        vals = [float(r[key]) for r in rows]
        print(
            f"{key:>7}: median {statistics.median(vals):6.3f} s  "
            f"(min {min(vals):.3f}, max {max(vals):.3f})"
        )
    total = statistics.median(float(r["total"]) for r in rows)
    ai = statistics.median(float(r["ai"]) for r in rows)
    engine = statistics.median(float(r["engine"]) for r in rows)
    print(f"  share: AI {ai / total:.0%}, engine {engine / total:.0%} of the median campaign")
    print(f"  final hash: {', '.join(sorted(str(h) for h in hashes))}")
    if len(hashes) != 1:
        print("  WARNING: the campaigns did not all end in the same state")
    if not args.no_compare:
        print("fast path vs simple path:")
        fast_vs_simple(scenario, args.seed)


if __name__ == "__main__":
    main()
