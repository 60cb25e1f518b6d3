"""Whole-campaign benchmark: August Storm played AI against AI, split into AI and engine time.

Reproduce with::

    .venv/bin/python benchmarks/bench_campaign.py              # median of 5 campaigns, seed 1
    .venv/bin/python benchmarks/bench_campaign.py --runs 9 --seed 3
    .venv/bin/python benchmarks/bench_campaign.py --profile    # cProfile of one campaign
    .venv/bin/python benchmarks/bench_campaign.py --warm       # on one world, as in a batch

One campaign is ``Game(scenario, seed)`` (world and initial state built) then ``run_game`` with
the default AI plan on both sides until the game ends. The time inside the players'
``next_order`` is the *AI* share (including the engine queries the AI makes: reachability,
distance fields, observation); the time inside ``Game.apply`` is the *engine* share; setup is
``Game.__init__``. Each campaign builds a fresh world (cold caches); with ``--warm`` they all
play on one world, as the games of a batch worker do. Each campaign's final state hash is printed
so a change to the engine that alters an outcome shows at once.

Where the engine keeps a simple path beside a fast one (house rule), the benchmark times both
on a position of the campaign (after 4 turns) and prints the ratio:

* the unit layers (occupancy, ZOC, stacking, units per hex) from the per-version list of units
  in play vs one loop over all units per query (``zoc.*_reference``);
* sight masks grown from the last ring vs the whole mask (``sight_mask_reference``);
* a side's sight after a move: its per-hex counts moved along (``SightCover.move``, as
  ``SideView.after_move`` does) vs the mask grown anew (``SideView.after_move_reference``);
* retreat plans with integer hex maths vs numpy (``plan_retreats_reference``);
* the one-unit ``allocate`` vs the water filling (``allocate_reference``);
* a side's reachability queries batched vs searched alone (``movement.USE_BATCHES``);
* the same queries after one enemy unit moved, answered from the last batch where the change
  is out of a unit's reach vs a new graph and batch for the new deployment
  (``movement.REUSE_ROWS``);
* the AI's distance fields of the first turns' moves, each searched only as far out as the
  unit asking vs over the whole map (``fields.BOUNDED_FIELDS``);
* both sides' searches for the units the AI may move, batched from those units alone (its
  hint, ``movement.expect_moves``) vs from every unit with points left
  (``movement.BATCH_EXPECTED_ONLY``);
* a movement graph per class, built by closing the steps the enemy units affect vs by testing
  every step of the map (``movement.CLOSE_STEPS``, ``_graph_steps_reference``);
* the overland supply graph with the edges into blocked hexes closed vs every edge tested
  (``supply._EdgeList.graph_reference``).

Target on the project's 2-core machine: one campaign ≤ 1 s of one core (median), with room
to spare for the rules and the AI still to come.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.players import Player, make_player, run_game  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.scenario.model import Scenario  # noqa: E402
from engine.world import World  # noqa: E402


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


def campaign(scenario: Scenario, seed: int, world: World | None = None) -> dict[str, float | str]:
    """Play one campaign AI against AI; its total, setup, AI and engine seconds and final hash.

    With ``world``, the campaign plays on that world and its caches (movement graphs, distance
    fields), as the games of a batch worker do; without, on a fresh one.
    """
    t0 = time.perf_counter()
    TimedGame.clock = [0.0]
    game = TimedGame(scenario, seed, world=world)
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


def fast_vs_simple(scenario: Scenario, seed: int) -> None:
    """Time each fast path against the simple one kept beside it, on a campaign's position."""
    import numpy as np

    from engine import combat, movement, zoc
    from engine.ai import fields, observation, operational

    game = Game(scenario, seed)
    players = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    asked: list[tuple[str, str, int, int]] = []  # the AI's field queries (class, side, to, from)

    def noted(world, movement_class, side, target, start):  # type: ignore[no-untyped-def]
        asked.append((movement_class, side, target, start))
        return fields.distance_from(world, movement_class, side, target, start)

    operational.distance_from = noted
    try:
        run_game(game, players, max_turns=4)
    finally:
        operational.distance_from = fields.distance_from
    world, state = game.world, game.state
    sides = list(scenario.side_order)

    def fresh() -> None:
        state.version += 1  # a new position as far as the caches know

    def report(what: str, fast: float, simple: float, unit: str = "ms") -> None:
        print(
            f"  {what:<46} fast {fast:8.3f} {unit}, simple {simple:8.3f} {unit}"
            f"  x{simple / fast:.1f}"
        )

    def layers(occ, zone, stack, at) -> None:  # type: ignore[no-untyped-def]
        fresh()
        for side in sides:
            occ(world, state, side)
            zone(world, state, side)
            stack(world, state, side)
        for u in state.on_map_units()[:40]:
            at(world, state, zoc.unit_index(world, u))

    report(
        "unit layers + 40 units_at, fresh position",
        median_ms(
            lambda: layers(zoc._occupied, zoc._zone_of_control, zoc._stack_points, zoc.units_at), 25
        ),
        median_ms(
            lambda: layers(
                zoc.occupied_reference,
                zoc.zone_of_control_reference,
                zoc.stack_points_reference,
                zoc.units_at_reference,
            ),
            25,
        ),
    )
    report(
        "sight masks, both sides",
        median_ms(lambda: [observation.sight_mask(world, state, s) for s in sides], 25),
        median_ms(lambda: [observation.sight_mask_reference(world, state, s) for s in sides], 25),
    )
    side = game.active_side
    cover = observation.SightCover(world, state, side)
    visible = cover.mask()
    rows = world.grid.neighbor_rows
    steps = [(i, next(j for j in rows[i] if j >= 0)) for i in zoc.positions(world, state, side)]

    def moved_along() -> None:
        for a, b in steps:
            for x, y in ((a, b), (b, a)):
                touched, now = cover.move(x, y)
                mask = visible.copy()
                mask[touched] = now

    report(
        f"sight after each of {2 * len(steps)} moves, {side}",
        median_ms(moved_along, 9),
        median_ms(lambda: [observation.sight_mask(world, state, side) for _ in steps * 2], 9),
    )
    attacks = []
    for side in sides:
        for u in state.units_of(side):
            for target in combat.attack_targets(world, state, u):
                defenders = [d for d in zoc.units_at(world, state, target) if d.side != side]
                attacks.append((defenders, target, [zoc.unit_index(world, u)]))
    if attacks:
        report(
            f"retreat plans (2 steps), {len(attacks)} attacks",
            median_ms(
                lambda: [combat.plan_retreats(world, state, d, t, a, 2) for d, t, a in attacks], 9
            ),
            median_ms(
                lambda: [
                    combat.plan_retreats_reference(world, state, d, t, a, 2) for d, t, a in attacks
                ],
                9,
            ),
        )
    rng = np.random.default_rng(1)
    total, caps, weights = rng.random(123) * 3000, np.array([2500.0]), np.array([4.2])
    report(
        "allocate, one unit, 123 cases",
        median_ms(lambda: combat.allocate(total, caps, weights), 200) * 1000,
        median_ms(lambda: combat.allocate_reference(total, caps, weights), 200) * 1000,
        "us",
    )
    side = game.active_side
    movers = [u for u in state.units_of(side) if movement.movement_points(world, state, u) > 0]

    def reach_all(batches: bool) -> None:
        movement.USE_BATCHES = batches
        movement.forget_batches(world)
        fresh()
        for u in movers:
            movement.reachable(world, state, u)

    if movers:
        fast = median_ms(lambda: reach_all(True), 9)
        simple = median_ms(lambda: reach_all(False), 9)
        movement.USE_BATCHES = True
        report(f"reachable for {len(movers)} {side} units, batched", fast, simple)

        # One enemy unit steps aside (as when a sighting changes): the same queries again.
        after = state.copy()
        enemy = after.units_of(zoc.enemy_of(world, side))
        shifted = enemy[len(enemy) // 2]
        here = zoc.unit_index(world, shifted)
        free = ~zoc.occupied(world, after, side) & ~zoc.occupied(world, after, shifted.side)
        shifted.hex = world.coord(next(j for j in rows[here] if j >= 0 and free[j]))
        after.moved()
        moved_movers = [after.units[u.id] for u in movers]

        def reach_after(reuse: bool) -> float:
            movement.REUSE_ROWS = reuse
            movement.clear_cache(world)
            fresh()
            for u in movers:
                movement.reachable(world, state, u)
            after.version += 1
            t0 = time.perf_counter()
            for u in moved_movers:
                movement.reachable(world, after, u)
            return (time.perf_counter() - t0) * 1000.0

        fast = statistics.median(reach_after(True) for _ in range(9))
        simple = statistics.median(reach_after(False) for _ in range(9))
        movement.REUSE_ROWS = True
        report("the same after an enemy unit moved, reused", fast, simple)

    # The units each side's AI would hint at (as at its last phase's start); a side that
    # holds everything gets one mover, as when one delaying unit is pressed.
    may_move = {}
    for side in sides:
        able = [u for u in state.units_of(side) if movement.movement_points(world, state, u) > 0]
        hinted = [u for u in able if players[side]._may_move(game, u)]  # type: ignore[attr-defined]
        may_move[side] = hinted or able[:1]

    def reach_expected(expected_only: bool) -> None:
        movement.BATCH_EXPECTED_ONLY = expected_only
        movement.forget_batches(world)
        fresh()
        for side in sides:
            movement.expect_moves(world, state, side, [u.id for u in may_move[side]])
            for u in may_move[side]:
                movement.reachable(world, state, u)

    fast = median_ms(lambda: reach_expected(True), 9)
    simple = median_ms(lambda: reach_expected(False), 9)
    movement.BATCH_EXPECTED_ONLY = True
    counts = "/".join(str(len(may_move[side])) for side in sides)
    report(f"reachable for the {counts} units that may move", fast, simple)

    side = game.active_side
    scan = movement._scan(world, state, side)
    occ, zone = movement._enemy_layers(world, state, scan)
    classes = list(world.base_step_cost)

    def graphs(build) -> None:  # type: ignore[no-untyped-def]
        for movement_class in classes:
            build(world, movement_class, scan.enemy_side, occ, zone, True)

    report(
        f"movement graphs of {len(classes)} classes, steps closed",
        median_ms(lambda: graphs(movement._graph_steps), 25),
        median_ms(lambda: graphs(movement._graph_steps_reference), 25),
    )
    from engine import supply

    overland = supply._tables(world).overland
    allowed = ~supply.blocked_hexes(world, state, side)
    report(
        "overland supply graph, blocked hexes closed",
        median_ms(lambda: overland.graph(allowed), 50),
        median_ms(lambda: overland.graph_reference(allowed), 50),
    )

    def ask_fields(bounded: bool) -> None:
        fields.BOUNDED_FIELDS = bounded
        fields.forget(world)
        for movement_class, side, target, start in asked:
            fields.distance_from(world, movement_class, side, target, start)

    fast = median_ms(lambda: ask_fields(True), 5)
    simple = median_ms(lambda: ask_fields(False), 5)
    fields.BOUNDED_FIELDS = True
    report(f"distance fields of {len(asked)} AI moves, bounded", fast, simple)


def main() -> None:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="campaigns to time (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default="august_storm")
    parser.add_argument("--profile", action="store_true", help="cProfile one campaign")
    parser.add_argument("--no-compare", action="store_true", help="skip fast-vs-simple timings")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="play every campaign on one world, as a batch worker does (its caches warm)",
    )
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        campaign(scenario, args.seed)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        return
    world = World(scenario) if args.warm else None
    campaign(scenario, args.seed, world)  # warm-up: imports, first-call caches
    rows = [campaign(scenario, args.seed, world) for _ in range(args.runs)]
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
