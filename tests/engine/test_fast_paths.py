"""Each fast path of the engine gives exactly what the simple path beside it gives.

The engine keeps a plain version beside every optimised one (house rule; the benchmark
``benchmarks/bench_campaign.py`` times both). These tests play short games and compare the
two on every position met, so a game's outcome cannot depend on which one runs.
"""

import numpy as np
import pytest

from engine import combat, zoc
from engine.ai import fields, observation
from engine.game import Game
from engine.players import make_player
from engine.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("test_small")


def positions_of_games(scenario, seeds=(1, 2), players=("rush", "random")):
    """Yield every game position (after each order) of a few short games."""
    for seed in seeds:
        for pair in (players, players[::-1]):
            game = Game(scenario, seed)
            names = dict(zip(scenario.side_order, pair, strict=True))
            ps = {s: make_player(names[s], s, scenario) for s in scenario.side_order}
            yield game
            while not game.state.game_over:
                game.apply(ps[game.active_side].next_order(game))
                yield game


def test_unit_layers_match_the_plain_loops(scenario):
    checked = 0
    for game in positions_of_games(scenario):
        world, state = game.world, game.state
        for side in scenario.side_order:
            plain = [u for u in state.units.values() if u.side == side and u.on_map]
            assert state.units_of(side) == plain
            for zoc_only in (False, True):
                assert np.array_equal(
                    zoc.positions(world, state, side, zoc_only),
                    zoc.positions_reference(world, state, side, zoc_only),
                )
            assert np.array_equal(
                zoc.occupied(world, state, side), zoc.occupied_reference(world, state, side)
            )
            assert np.array_equal(
                zoc.zone_of_control(world, state, side),
                zoc.zone_of_control_reference(world, state, side),
            )
            fast = zoc.stack_points(world, state, side)
            simple = zoc.stack_points_reference(world, state, side)
            assert fast.dtype == simple.dtype and np.array_equal(fast, simple)
        assert state.on_map_units() == [u for u in state.units.values() if u.on_map]
        for u in state.on_map_units():
            i = zoc.unit_index(world, u)
            assert zoc.units_at(world, state, i) == zoc.units_at_reference(world, state, i)
        checked += 1
    assert checked > 50


def test_retreat_plans_match_the_plain_version(scenario):
    checked = 0
    for game in positions_of_games(scenario, seeds=(3,)):
        world, state = game.world, game.state
        if state.phase != "combat":
            continue
        side = game.active_side
        for u in state.units_of(side):
            for target in combat.attack_targets(world, state, u):
                defenders = [d for d in zoc.units_at(world, state, target) if d.side != side]
                for steps in (1, 2):
                    args = (world, state, defenders, target, [zoc.unit_index(world, u)], steps)
                    assert combat.plan_retreats(*args) == combat.plan_retreats_reference(*args)
                    checked += 1
    assert checked > 20


def test_allocate_cases_are_independent():
    """resolve shares one allocate call between the preview's cases and its own luck."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(1, 12))
        caps = rng.integers(0, 5000, n).astype(float) * (rng.random(n) < 0.9)
        weights = rng.random(n) * (rng.random(n) < 0.8)
        a = rng.random(int(rng.integers(1, 40))) * caps.sum() * 1.2
        b = rng.random(1) * caps.sum() * 1.2
        both = combat.allocate(np.concatenate((a, b)), caps, weights)
        assert np.array_equal(both[: a.size], combat.allocate(a, caps, weights))
        assert np.array_equal(both[a.size :], combat.allocate(b, caps, weights))
        assert np.array_equal(both[: a.size].sum(axis=1), combat.allocate(a, caps, weights).sum(1))


def test_sight_masks_match_the_plain_version(scenario):
    checked = 0
    for game in positions_of_games(scenario, seeds=(4,)):
        for side in scenario.side_order:
            fast = observation.sight_mask(game.world, game.state, side)
            assert np.array_equal(
                fast, observation.sight_mask_reference(game.world, game.state, side)
            )
            checked += 1
    assert checked > 20


def test_sight_masks_match_on_the_big_map():
    game = Game(load_scenario("august_storm"), 1)
    for side in game.scenario.side_order:
        fast = observation.sight_mask(game.world, game.state, side)
        assert fast.sum() > 100
        assert np.array_equal(fast, observation.sight_mask_reference(game.world, game.state, side))


def test_classes_with_the_same_costs_share_distance_fields():
    from scipy.sparse.csgraph import dijkstra

    game = Game(load_scenario("august_storm"), 1)
    world = game.world
    targets = [info.index for info in list(world.places.values())[:: len(world.places) // 4]]
    shared = 0
    for side in game.scenario.side_order:
        for cls in world.base_step_cost:
            own_graph = fields._reversed_graph(world, cls, side)  # the class's own steps
            for t in targets:
                alone = dijkstra(own_graph, directed=True, indices=t)
                assert np.array_equal(fields.distance_to(world, cls, side, t), alone)
            shared += fields._same_costs(world, cls) != cls
    assert shared > 0  # the scenario has such classes (foot and cavalry)


def test_allocate_matches_the_plain_water_filling():
    rng = np.random.default_rng(11)
    special = [0.0, 1.0, 1e-300, 7.5, 1e300, np.inf, np.nan]
    for _ in range(2000):
        n = int(rng.integers(1, 4))
        caps = rng.choice([*special, *(rng.random(3) * 9000)], n)
        weights = rng.choice([*special, *(rng.random(3) * 50)], n)
        total = np.concatenate((rng.random(5) * 10000, rng.choice(special, 3), caps))
        with np.errstate(all="ignore"):  # the extreme values overflow inside the filling
            fast = combat.allocate(total, caps, weights)
            simple = combat.allocate_reference(total, caps, weights)
        assert fast.shape == simple.shape
        assert np.array_equal(fast, simple, equal_nan=True), (caps, weights)


def test_unit_to_dict_is_asdict(scenario):
    from dataclasses import asdict

    for game in positions_of_games(scenario, seeds=(5,), players=("rush", "rush")):
        if game.state.phase != "combat":
            continue
        for u in game.state.units.values():
            plain = asdict(u)
            plain["hex"] = list(u.hex) if u.hex is not None else None
            plain["arrives_hex"] = list(u.arrives_hex) if u.arrives_hex is not None else None
            assert u.to_dict() == plain


def test_supply_trace_matches_the_plain_version_on_the_big_map():
    """The fast trace walks only the network hexes that carry supply; the networkx one all."""
    from engine import supply
    from engine.players import run_game

    sc = load_scenario("august_storm")
    game = Game(sc, 2)
    run_game(game, {s: make_player("ai", s, sc) for s in sc.side_order}, max_turns=6)
    necks = 0
    for side in sc.side_order:
        fast = supply.trace(game.world, game.state, side)
        simple = supply.trace_reference(game.world, game.state, side)
        assert fast.edge_load == simple.edge_load
        for uid, f in fast.units.items():
            s = simple.units[uid]
            assert (f.in_supply, f.ratio, f.path, f.bottleneck) == (
                s.in_supply,
                s.ratio,
                s.path,
                s.bottleneck,
            )
            necks += f.bottleneck is not None
    assert necks > 0  # the position has overloaded links


def test_sight_cover_follows_random_moves(scenario):
    """A side's sight counts moved one unit at a time give the mask grown from scratch."""
    rng = np.random.default_rng(7)
    game = Game(scenario, 1)
    world, state = game.world, game.state
    n = world.grid.size
    for side in scenario.side_order:
        cover = observation.SightCover(world, state, side)
        assert np.array_equal(cover.mask(), observation.sight_mask(world, state, side))
        units = state.units_of(side)
        for _ in range(60):
            u = units[int(rng.integers(len(units)))]
            start = zoc.unit_index(world, u)
            end = int(rng.integers(n))
            u.hex = world.coord(end)
            state.moved()
            before = cover.mask()
            touched, now = cover.move(start, end)
            after = cover.mask()
            assert np.array_equal(after, observation.sight_mask(world, state, side))
            assert np.array_equal(after[touched], now)
            outside = np.ones(n, dtype=bool)
            outside[touched] = False
            assert np.array_equal(before[outside], after[outside])


def test_sight_discs_make_the_sight_mask():
    game = Game(load_scenario("august_storm"), 1)
    world, state = game.world, game.state
    for side in game.scenario.side_order:
        r = observation.sight_radius(world, side)
        mask = np.zeros(world.grid.size, dtype=bool)
        for i in zoc.positions(world, state, side):
            mask[observation.sight_disc(world, int(i), r)] = True
        assert np.array_equal(mask, observation.sight_mask(world, state, side))
    middle = world.index(world.grid.width // 2, world.grid.height // 2)
    assert observation.sight_disc(world, 0, 3).size == 12  # a corner
    assert observation.sight_disc(world, middle, 3).size == 37


def _views_after_each_order(scenario, seed, turns, reference):
    """Per order of an AI game: the active side's view (visible, seen ids, carried or not)."""
    from engine.players import run_game
    from engine.view import SideView

    game = Game(scenario, seed)
    ps = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    out = []
    real = SideView.after_move

    def watch(self, state, unit, start):
        step = SideView.after_move_reference if reference else real
        view = step(self, state, unit, start)
        fresh = SideView(game.world, state, self.side)
        assert np.array_equal(view.visible, fresh.visible)
        assert view.seen_enemy_ids() == fresh.seen_enemy_ids()
        out.append((view.visible.tobytes(), view.seen_enemy_ids(), view.state is self.state))
        return view

    SideView.after_move = watch
    try:
        run_game(game, ps, max_turns=turns)
    finally:
        SideView.after_move = real
    return out, game.state_hash()


@pytest.mark.parametrize(
    ("name", "seed", "turns"), [("test_small", 1, None), ("august_storm", 2, 3)]
)
def test_views_moved_along_match_the_plain_version(name, seed, turns):
    """The view after each move, sight moved by counts, equals the one grown anew (and both a
    fresh view); it is carried forward on exactly the same moves, and the games are the same."""
    scenario = load_scenario(name)
    fast, fast_hash = _views_after_each_order(scenario, seed, turns, reference=False)
    simple, simple_hash = _views_after_each_order(scenario, seed, turns, reference=True)
    assert fast == simple and fast_hash == simple_hash
    assert len(fast) > 20
    assert any(carried for *_, carried in fast) and not all(carried for *_, carried in fast)


def _searches_checked(scenario, seed, turns, monkeypatch):
    """Play an AI game; check every search against one alone on a world with nothing kept.

    Returns how many searches were answered from the side's last batch (``REUSE_ROWS``) and
    how many were checked.
    """
    from engine import movement
    from engine.players import run_game
    from engine.world import World

    game = Game(scenario, seed)
    bare = World(scenario)  # its own caches: the check leaves the game's as they are
    real_search, real_reuse = movement._search, movement._reused_row
    counts = {"reused": 0, "checked": 0}

    def reuse(*args):
        hit = real_reuse(*args)
        counts["reused"] += hit is not None
        return hit

    def search(world, state, unit):
        got = real_search(world, state, unit)
        monkeypatch.setattr(movement, "USE_BATCHES", False)
        alone = real_search(bare, state, unit)
        monkeypatch.setattr(movement, "USE_BATCHES", True)
        within = alone.reachable_mask
        assert np.array_equal(got.reachable_mask, within)
        # Exactly equal, not approximately: the same unique paths, summed in the same order.
        assert np.array_equal(got.search_dist[within], alone.search_dist[within])
        assert np.array_equal(
            np.maximum(got.predecessors[within], -1), np.maximum(alone.predecessors[within], -1)
        )
        assert got.destinations() == alone.destinations()
        counts["checked"] += 1
        return got

    monkeypatch.setattr(movement, "_search", search)
    monkeypatch.setattr(movement, "_reused_row", reuse)
    ps = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    run_game(game, ps, max_turns=turns)
    return counts


@pytest.mark.parametrize(
    ("name", "seed", "turns"), [("test_small", 2, None), ("august_storm", 1, 4)]
)
def test_searches_from_the_last_batch_equal_searches_alone(name, seed, turns, monkeypatch):
    """A search answered from the side's last batch (the enemy deployment changed out of the
    unit's reach) equals one made alone on the new deployment's own graph."""
    counts = _searches_checked(load_scenario(name), seed, turns, monkeypatch)
    assert counts["checked"] > 30
    assert counts["reused"] > 5


def test_bounded_distance_fields_match_the_whole_field_as_far_as_the_unit():
    """A field searched only as far out as the asking unit holds the whole field's distances
    wherever they are no further than the unit's own (all a unit steering down it compares),
    and is the whole field where the unit has no way to the target; near and far units asking
    in turn widen it."""
    world = Game(load_scenario("august_storm"), 1).world
    rng = np.random.default_rng(3)
    places = [info.index for info in world.places.values()]
    checked = unreachable = 0
    for k in range(12):
        side = world.scenario.side_order[k % 2]
        cls = list(world.base_step_cost)[k % len(world.base_step_cost)]
        target = places[int(rng.integers(len(places)))]
        whole = fields.distance_to(world, cls, side, target)
        fields.forget(world)  # the bounded field must not simply find the whole one kept
        near = np.flatnonzero(world.grid.distances_from(target) <= 30)
        starts = [*rng.choice(near, 10), *rng.integers(world.grid.size, size=4)]
        for start in sorted(starts, key=lambda i: whole[i]) if k % 3 else starts:
            bounded = fields.distance_from(world, cls, side, target, int(start))
            as_far = whole <= whole[start]
            assert np.array_equal(bounded[as_far], whole[as_far])
            seen = np.isfinite(bounded)
            assert np.array_equal(bounded[seen], whole[seen])
            unreachable += not np.isfinite(whole[start])
            checked += 1
    assert checked == 168 and unreachable > 0


def test_batches_from_the_expected_movers_alone_change_no_answer(monkeypatch):
    """With the AI's hint (``movement.expect_moves``), a batch searches only from the units it
    named (and the unit asking); every search still equals one made alone, and the game ends
    in the same state as without the hint."""
    from engine import movement
    from engine.players import run_game

    scenario = load_scenario("august_storm")
    rows: list[tuple[int, int]] = []  # per batch: its rows, the units of its side and class
    real_batch = movement._batch

    def batch(world, state, unit, graph):
        got = real_batch(world, state, unit, graph)
        if got is not None:
            same = [
                u
                for u in state.units_of(unit.side)
                if u.movement_class == unit.movement_class
                and movement.movement_points(world, state, u) > 0
            ]
            rows.append((len(got.rows), len({zoc.unit_index(world, u) for u in same})))
        return got

    monkeypatch.setattr(movement, "_batch", batch)
    counts = _searches_checked(scenario, 3, 3, monkeypatch)
    assert counts["checked"] > 100
    assert any(n < every for n, every in rows)  # the hint left units out of some batches

    hashes = []
    for expected_only in (True, False):
        monkeypatch.setattr(movement, "BATCH_EXPECTED_ONLY", expected_only)
        game = Game(scenario, 3)
        run_game(game, {s: make_player("ai", s, scenario) for s in scenario.side_order}, 3)
        hashes.append(game.state_hash())
    assert hashes[0] == hashes[1]


def test_reach_ends_are_the_destinations(scenario):
    """``Reach.ends`` (judged on the reachable hexes) lists what ``destinations`` (judged on the
    whole map) lists."""
    from engine import movement

    checked = 0
    for game in positions_of_games(scenario, seeds=(6,)):
        if game.state.phase != "movement":
            continue
        for u in game.state.units_of(game.active_side):
            reach = movement.reachable(game.world, game.view().state, u)
            ends = reach.ends()
            assert ends.tolist() == reach.destinations()
            checked += bool(ends.size)
    assert checked > 50


def test_supply_graphs_closing_blocked_hexes_match_testing_every_edge():
    """The supply search's graph with the edges into blocked hexes closed one hex at a time
    equals the one made by testing every edge, for few, some and all hexes blocked."""
    from engine import supply

    world = Game(load_scenario("august_storm"), 1).world
    tables = supply._tables(world)
    rng = np.random.default_rng(2)
    for edges in (tables.net, tables.overland):
        for share in (0.0, 0.01, 0.05, 0.5, 1.0):
            allowed = rng.random(edges.n) >= share
            fast, simple = edges.graph(allowed), edges.graph_reference(allowed)
            assert np.array_equal(fast.data, simple.data)
            assert np.array_equal(fast.indices, simple.indices)
            assert np.array_equal(fast.indptr, simple.indptr)
    assert tables.overland.cols.size >= tables.overland.n  # the closing path is the one tested


@pytest.mark.parametrize(
    ("name", "seed", "turns"), [("test_small", 1, None), ("august_storm", 4, 2)]
)
def test_movement_graphs_closing_steps_match_testing_every_step(name, seed, turns, monkeypatch):
    """Every movement graph of an AI game, built by closing the steps the enemy units affect,
    has the steps (per node, columns, costs) of the one built by testing every step, with and
    without the ZOC-to-ZOC rule."""
    from engine import movement
    from engine.players import run_game

    scenario = load_scenario(name)
    real = movement._graph_steps
    checked = []

    def steps(world, movement_class, enemy_side, occ, zoc, zoc_to_zoc):
        for rule in (True, False):
            args = (world, movement_class, enemy_side, occ, zoc, rule)
            fast, simple = real(*args), movement._graph_steps_reference(*args)
            for a, b in zip(fast, simple, strict=True):
                assert a.dtype == b.dtype and np.array_equal(a, b)
        checked.append(int(zoc.sum()))
        return real(world, movement_class, enemy_side, occ, zoc, zoc_to_zoc)

    monkeypatch.setattr(movement, "_graph_steps", steps)
    game = Game(scenario, seed)
    run_game(game, {s: make_player("ai", s, scenario) for s in scenario.side_order}, turns)
    assert len(checked) >= 10 and max(checked) > 0


def test_views_renewed_at_a_new_phase_see_what_fresh_views_see():
    """A view renewed when only the phase or the turn changed (its sight handed on) equals a
    view made from scratch, every time one is renewed in an AI game, for both sides."""
    from engine.players import run_game
    from engine.view import SideView

    scenario = load_scenario("august_storm")
    game = Game(scenario, 2)
    players = {s: make_player("ai", s, scenario) for s in scenario.side_order}
    handed_on = []
    real = SideView.renewed

    def watch(self, state):
        handed_on.append(self.source is state and self.key[0] == state.version)
        view = real(self, state)
        fresh = SideView(game.world, state, self.side)
        assert np.array_equal(view.visible, fresh.visible)
        assert view.seen_enemy_ids() == fresh.seen_enemy_ids()
        assert (view.state.turn, view.state.phase) == (fresh.state.turn, fresh.state.phase)
        return view

    SideView.renewed = watch
    try:
        run_game(game, players, max_turns=3)
    finally:
        SideView.renewed = real
    assert sum(handed_on) > 5 and not all(handed_on)
