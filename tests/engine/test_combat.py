"""Tests of engine.combat: strength, factors, odds, outcomes, losses, retreats, capture."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import combat
from engine.errors import IllegalOrder
from engine.game import initial_state
from engine.scenario.builder import make_scenario, unit
from engine.state import GameState
from engine.world import World

HYP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_state(scenario, world: World) -> GameState:
    """The start state, in the first side's combat phase."""
    state = initial_state(scenario, world)
    state.phase = "combat"
    return state


def setup(units, width=8, height=8, terrain_rows=None, **sections):
    scenario = make_scenario(width, height, units=units, terrain_rows=terrain_rows, **sections)
    world = World(scenario)
    return world, make_state(scenario, world)


def idx(world: World, col: int, row: int) -> int:
    return world.index(col, row)


def duel(att: dict | None = None, dfd: dict | None = None, **kw):
    """One Soviet unit at 3,4 attacking one Japanese unit at 4,4 (its east neighbour)."""
    units = [unit("a", "soviet", 3, 4, **(att or {})), unit("d", "japanese", 4, 4, **(dfd or {}))]
    world, state = setup(units, **kw)
    return world, state, state.units["a"], idx(world, 4, 4)


def line_world(att_men=100_000, def_men=1000, last=".", def_type="rifle", **def_fields):
    """A 1-row strip: attacker at 0,0, defender at 1,0, hexes 2..4 behind it."""
    rows = ["..." + last + "."]
    units = [
        unit("a", "soviet", 0, 0, men=att_men),
        unit("d", "japanese", 1, 0, type=def_type, men=def_men, **def_fields),
    ]
    world, state = setup(units, width=5, height=1, terrain_rows=rows)
    return world, state


def gen(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- strength


@HYP
@given(
    men=st.integers(0, 50_000),
    tanks=st.integers(0, 500),
    guns=st.integers(0, 500),
    quality=st.floats(0.05, 0.95),
    field=st.sampled_from(["men", "tanks", "guns", "quality"]),
)
def test_strength_monotonic(men, tanks, guns, quality, field):
    world, state, a, target = duel(att={"men": max(men, 1), "tanks": tanks, "guns": guns})
    a.quality = quality
    before = combat.unit_strength(world, state, a, "attacker", target).strength
    step = {"men": 1000, "tanks": 10, "guns": 10, "quality": 0.05}[field]
    setattr(a, field, getattr(a, field) + step)
    after = combat.unit_strength(world, state, a, "attacker", target).strength
    assert after > before


def test_raw_strength_formula():
    world, state, a, _ = duel(att={"men": 12_000, "tanks": 40, "guns": 100})
    cr = state.rules.combat
    expected = 12 * cr.men_weight + 40 * cr.tank_weight + 100 * cr.gun_weight
    assert combat.raw_strength(a, cr) == pytest.approx(expected)


def _factor(strength: combat.UnitStrength, name: str) -> combat.Factor:
    return next(f for f in strength.factors if f.name == name)


def test_terrain_factor_lowers_odds():
    base = duel()
    forest = duel(terrain_rows=["." * 8] * 4 + ["....f..."] + ["." * 8] * 3)
    p0 = combat.preview(base[0], base[1], [base[2]], base[3])
    p1 = combat.preview(forest[0], forest[1], [forest[2]], forest[3])
    assert _factor(p1.defenders[0], "terrain").multiplier == 1.5
    assert any(f.name == "terrain" and f.multiplier == 1.5 for f in p1.factors)
    assert p1.odds == pytest.approx(p0.odds / 1.5)


@pytest.mark.parametrize("river_class,mult", [("minor", 0.75), ("major", 0.5)])
def test_river_factor_lowers_odds(river_class, mult):
    base = duel()
    rivers = [{"name": "R", "class": river_class, "hexsides": [[[3, 4], [4, 4]]]}]
    wet = duel(map={"rivers": rivers})
    p0 = combat.preview(base[0], base[1], [base[2]], base[3])
    p1 = combat.preview(wet[0], wet[1], [wet[2]], wet[3])
    assert _factor(p1.attackers[0], "river").multiplier == mult
    assert "river" in {f.name for f in p1.factors}
    assert p1.odds == pytest.approx(p0.odds * mult)


def test_fortification_factor_lowers_odds():
    base = duel()
    fort = duel(map={"fortifications": [{"hex": [4, 4], "level": 2, "name": "Fort"}]})
    p0 = combat.preview(base[0], base[1], [base[2]], base[3])
    p1 = combat.preview(fort[0], fort[1], [fort[2]], fort[3])
    level2 = fort[1].rules.combat.fortification[2]
    assert _factor(p1.defenders[0], "fortification").multiplier == level2
    assert p1.odds == pytest.approx(p0.odds / level2)
    assert p1.odds < p0.odds


def test_entrenchment_factor_lowers_odds_and_is_capped():
    world, state, a, target = duel()
    cr = state.rules.combat
    p0 = combat.preview(world, state, [a], target)
    state.units["d"].entrenchment = 1
    p1 = combat.preview(world, state, [a], target)
    state.units["d"].entrenchment = cr.max_entrenchment + 5
    p2 = combat.preview(world, state, [a], target)
    assert _factor(p1.defenders[0], "entrenchment").multiplier == 1 + cr.entrenchment_step
    top = 1 + cr.entrenchment_step * cr.max_entrenchment
    assert _factor(p2.defenders[0], "entrenchment").multiplier == pytest.approx(top)
    assert p2.odds < p1.odds < p0.odds


@pytest.mark.parametrize("role", ["attacker", "defender"])
def test_supply_factor(role):
    world, state, a, target = duel()
    p0 = combat.preview(world, state, [a], target)
    uid = "a" if role == "attacker" else "d"
    state.units[uid].supply.in_supply = False
    p1 = combat.preview(world, state, [a], target)
    s = p1.attackers[0] if role == "attacker" else p1.defenders[0]
    mult = state.rules.supply.out_of_supply_combat
    assert _factor(s, "supply").multiplier == mult
    assert any(f.name == "supply" and f.unit_id == uid for f in p1.factors)
    if role == "attacker":
        assert p1.odds == pytest.approx(p0.odds * mult)
    else:
        assert p1.odds == pytest.approx(p0.odds / mult)


@pytest.mark.parametrize("role", ["attacker", "defender"])
def test_fuel_factor(role):
    tank = {"type": "tank", "tanks": 100}
    world, state, a, target = duel(att=tank, dfd=tank)
    p0 = combat.preview(world, state, [a], target)
    uid = "a" if role == "attacker" else "d"
    state.units[uid].fuel = 0.0
    p1 = combat.preview(world, state, [a], target)
    s = p1.attackers[0] if role == "attacker" else p1.defenders[0]
    mult = state.rules.combat.no_fuel_factor
    assert _factor(s, "fuel").multiplier == mult
    assert (p1.odds < p0.odds) if role == "attacker" else (p1.odds > p0.odds)


def test_foot_units_need_no_fuel():
    world, state, a, target = duel()
    a.fuel = 0.0
    p = combat.preview(world, state, [a], target)
    assert _factor(p.attackers[0], "fuel").multiplier == 1.0


def test_readiness_factor():
    world, state, a, target = duel()
    cr = state.rules.combat
    p0 = combat.preview(world, state, [a], target)
    a.readiness = 0.0
    p1 = combat.preview(world, state, [a], target)
    assert _factor(p1.attackers[0], "readiness").multiplier == pytest.approx(cr.readiness_floor)
    assert p1.odds == pytest.approx(p0.odds * cr.readiness_floor)


def test_factors_multiply_exactly_to_totals():
    rivers = [{"name": "R", "class": "minor", "hexsides": [[[3, 4], [4, 4]]]}]
    units = [
        unit("a1", "soviet", 3, 4, tanks=50, guns=80, quality=0.8, readiness=0.7),
        unit("a2", "soviet", 5, 4, type="tank", tanks=200, fuel=0.0),
        unit("d1", "japanese", 4, 4, guns=40, entrenchment=2),
        unit("d2", "japanese", 4, 4, men=5000, quality=0.5),
    ]
    world, state = setup(
        units,
        terrain_rows=["." * 8] * 4 + ["....h..."] + ["." * 8] * 3,
        map={"rivers": rivers, "fortifications": [{"hex": [4, 4], "level": 1}]},
    )
    state.units["d2"].supply.in_supply = False
    attackers = [state.units["a1"], state.units["a2"]]
    target = idx(world, 4, 4)
    p = combat.preview(world, state, attackers, target)
    for s in (*p.attackers, *p.defenders):
        product = s.raw
        for f in s.factors:
            product *= f.multiplier
        assert product == s.strength
    assert p.attack_strength == sum(s.strength for s in p.attackers)
    assert p.defence_strength == sum(s.strength for s in p.defenders)
    assert p.odds == p.attack_strength / p.defence_strength
    assert p.log_odds == math.log(p.odds)
    # The flat list holds exactly the non-neutral factors of every unit.
    flat = [f for s in (*p.attackers, *p.defenders) for f in s.factors if f.multiplier != 1.0]
    assert p.factors == flat
    assert {f.name for f in p.factors} >= {
        "quality",
        "readiness",
        "river",
        "fuel",
        "terrain",
        "fortification",
        "entrenchment",
        "supply",
    }
    record = combat.resolve(world, state, attackers, target, gen(3), advance=False)
    assert record.preview == p
    assert record.effective_log_odds == p.log_odds + record.luck


# ---------------------------------------------------------------- outcome distribution


@HYP
@given(att_men=st.integers(1000, 100_000), def_men=st.integers(1000, 100_000))  # MAX_UNIT_MEN
def test_outcome_probabilities_sum_to_one_and_shift_with_odds(att_men, def_men):
    world, state, a, target = duel(att={"men": att_men}, dfd={"men": def_men})
    p = combat.preview(world, state, [a], target)
    probs = [o.probability for o in p.outcomes]
    assert all(0.0 <= q <= 1.0 for q in probs)
    assert sum(probs) == pytest.approx(1.0, abs=1e-12)
    assert [o.outcome for o in p.outcomes] == list(combat.OUTCOMES)
    a.men = att_men * 2
    stronger = combat.preview(world, state, [a], target)
    assert stronger.odds > p.odds
    assert stronger.probability("defender_routs") >= p.probability("defender_routs")
    assert stronger.probability("attacker_repulsed") <= p.probability("attacker_repulsed")
    cum = np.cumsum([o.probability for o in p.outcomes])
    cum2 = np.cumsum([o.probability for o in stronger.outcomes])
    assert np.all(cum2 <= cum + 1e-12)  # first-order stochastic dominance


def test_outcome_probabilities_are_normal_bands():
    world, state, a, target = duel(att={"men": 20_000})
    p = combat.preview(world, state, [a], target)
    t = state.rules.combat.thresholds
    sigma = state.rules.combat.luck_sigma

    def phi(v):
        return 0.5 * (1 + math.erf((v - p.log_odds) / sigma / math.sqrt(2)))

    assert p.probability("attacker_repulsed") == pytest.approx(phi(t[0]))
    assert p.probability("defender_holds") == pytest.approx(phi(t[1]) - phi(t[0]))
    assert p.probability("defender_routs") == pytest.approx(1 - phi(t[2]))


def test_preview_matches_monte_carlo_of_resolve():
    """The preview's probabilities and expected losses are what resolve actually does."""
    world, state, a, target = duel(
        att={"men": 15_000, "tanks": 60, "guns": 90},
        dfd={"men": 9_000, "tanks": 20, "guns": 50},
    )
    p = combat.preview(world, state, [a], target)
    rng = gen(11)
    n = 1000
    counts = dict.fromkeys(combat.OUTCOMES, 0)
    totals = {side: np.zeros(3) for side in ("soviet", "japanese")}
    for _ in range(n):
        s = state.copy()
        rec = combat.resolve(world, s, [s.units["a"]], target, rng, advance=False)
        counts[rec.outcome] += 1
        for side, losses in rec.side_losses.items():
            totals[side] += [losses.men, losses.tanks, losses.guns]
    for o in p.outcomes:
        se = math.sqrt(o.probability * (1 - o.probability) / n) + 1e-3
        assert counts[o.outcome] / n == pytest.approx(o.probability, abs=4 * se)
    for side, est in p.expected_losses.items():
        mean = totals[side] / n
        assert mean[0] == pytest.approx(est.expected.men, rel=0.05)
        assert mean[1] == pytest.approx(est.expected.tanks, rel=0.1, abs=0.5)
        assert mean[2] == pytest.approx(est.expected.guns, rel=0.1, abs=0.5)
        assert est.low.men <= est.expected.men <= est.high.men


def test_loss_range_brackets_expected_and_orders():
    world, state, a, target = duel(att={"men": 30_000}, dfd={"men": 10_000})
    p = combat.preview(world, state, [a], target)
    for est in p.expected_losses.values():
        for k in ("men", "tanks", "guns"):
            assert getattr(est.low, k) <= getattr(est.high, k)
    d = p.expected_losses["japanese"]
    assert d.low.men < d.expected.men < d.high.men


# ---------------------------------------------------------------- resolution


def test_same_seed_same_record():
    world, state, a, target = duel(att={"men": 20_000, "tanks": 30})
    s1, s2 = state.copy(), state.copy()
    r1 = combat.resolve(world, s1, [s1.units["a"]], target, gen(42), advance=True)
    r2 = combat.resolve(world, s2, [s2.units["a"]], target, gen(42), advance=True)
    assert r1 == r2
    assert s1.state_hash() == s2.state_hash()
    assert s1.version > state.version  # derived layers of the old state are stale


def test_one_random_draw_per_combat():
    world, state, a, target = duel()
    rng, ref = gen(5), gen(5)
    record = combat.resolve(world, state, [a], target, rng, advance=False)
    z = ref.standard_normal()
    assert record.luck == pytest.approx(z * state.rules.combat.luck_sigma)
    assert rng.bit_generator.state == ref.bit_generator.state


@HYP
@given(
    att=st.tuples(st.integers(1, 60_000), st.integers(0, 300), st.integers(0, 300)),
    dfd=st.lists(
        st.tuples(st.integers(1, 60_000), st.integers(0, 300), st.integers(0, 300)),
        min_size=1,
        max_size=3,
    ),
    seed=st.integers(0, 2**32 - 1),
    blocked=st.booleans(),
)
def test_losses_never_negative_nor_above_strength(att, dfd, seed, blocked):
    units = [unit("a", "soviet", 0, 0, men=att[0], tanks=att[1], guns=att[2])]
    for k, (m, t, g) in enumerate(dfd):
        units.append(unit(f"d{k}", "japanese", 1, 0, men=m, tanks=t, guns=g, type="hq"))
    rows = [".." + ("~" if blocked else ".") + ".."]
    world, state = setup(units, width=5, height=1, terrain_rows=rows)
    before = {u.id: (u.men, u.tanks, u.guns) for u in state.units.values()}
    record = combat.resolve(world, state, [state.units["a"]], 1, gen(seed), advance=True)
    for ul in record.unit_losses:
        had = before[ul.unit_id]
        for lost, have in zip((ul.men, ul.tanks, ul.guns), had, strict=True):
            assert 0 <= lost <= have
        u = state.units[ul.unit_id]
        assert (u.men, u.tanks, u.guns) == (had[0] - ul.men, had[1] - ul.tanks, had[2] - ul.guns)
        assert (u.status == "destroyed") == (u.men == 0)
    for side in ("soviet", "japanese"):
        totals = state.sides[side].losses
        lost = record.side_losses[side]
        assert (totals["men"], totals["tanks"], totals["guns"]) == (lost.men, lost.tanks, lost.guns)
    assert all(0.0 <= u.readiness <= 1.0 for u in state.units.values())


def _forced(world, state, outcome, advance=True):
    """Resolve with a generator whose draw yields the wanted outcome at these odds."""
    p = combat.preview(world, state, [state.units["a"]], idx(world, 1, 0))
    assert p.probability(outcome) > 0.999, p.outcomes
    return combat.resolve(world, state, [state.units["a"]], idx(world, 1, 0), gen(0), advance)


def test_rout_moves_defender_two_hexes_away():
    world, state = line_world()
    record = _forced(world, state, "defender_routs")
    d = state.units["d"]
    assert record.outcome == "defender_routs"
    assert d.hex == (3, 0)
    assert record.retreats[0].path == [(1, 0), (2, 0), (3, 0)]
    assert record.retreats[0].blocked_steps == 0
    assert world.grid.distance(idx(world, *d.hex), idx(world, 0, 0)) == 3
    assert d.readiness == pytest.approx(1.0 - state.rules.combat.rout_readiness_loss)
    assert d.entrenchment == 0


def test_retreat_moves_one_hex_and_prefers_away():
    # Attacker 3,4 attacks 4,4; the defender's retreat must end farther from the attacker.
    world, state, a, target = duel(att={"men": 24_000}, dfd={"men": 10_000})
    p = combat.preview(world, state, [a], target)
    plan = p.retreat_plans["defender_retreats"][0]
    assert plan.blocked_steps == 0 and len(plan.path) == 2
    end = idx(world, *plan.path[-1])
    assert world.grid.distance(end, idx(world, 3, 4)) == 2
    # Three neighbours are at distance 2 (4,3 / 5,4 / 4,5); with nothing else to choose
    # between them the lowest hex index wins.
    assert plan.path[-1] == (4, 3)
    # A friendly-controlled hex is preferred.
    state.control[idx(world, 4, 5)] = 1
    plan = combat.preview(world, state, [a], target).retreat_plans["defender_retreats"][0]
    assert plan.path[-1] == (4, 5)
    for seed in range(200):
        s = state.copy()
        rec = combat.resolve(world, s, [s.units["a"]], target, gen(seed), advance=False)
        if rec.outcome == "defender_retreats":
            assert s.units["d"].hex == (4, 5)
            assert rec.captured == (4, 4)
            assert s.control[target] == 0
            break
    else:
        pytest.fail("no retreat in 200 seeds")


def test_retreat_avoids_enemy_zoc_and_stacking():
    # Attacker 3,4 on defender 4,4: the hexes farther away are 4,3, 5,4 and 4,5.
    # A Soviet unit at 5,2 puts 4,3 in its ZOC; a Japanese unit fills 4,5 (stacking 1).
    units = [
        unit("a", "soviet", 3, 4),
        unit("z", "soviet", 5, 2),
        unit("d", "japanese", 4, 4),
        unit("j", "japanese", 4, 5),
    ]
    rules = {"stacking": {"max_points": 1}}
    world, state = setup(units, rules=rules)
    target = idx(world, 4, 4)
    plan = combat.preview(world, state, [state.units["a"]], target).retreat_plans[
        "defender_retreats"
    ][0]
    assert plan.path == [(4, 4), (5, 4)]
    # A second Soviet unit at 6,4 puts 5,4 in its ZOC too: nowhere left to go.
    world, state = setup([*units, unit("z2", "soviet", 6, 4)], rules=rules)
    plan = combat.preview(world, state, [state.units["a"]], target).retreat_plans[
        "defender_retreats"
    ][0]
    assert plan.path == [(4, 4)] and plan.blocked_steps == 1


def test_blocked_retreat_costs_losses():
    open_world, open_state = line_world()
    wet_world, wet_state = line_world(last="~")  # water at 3,0: the second step is blocked
    b = wet_state.rules.combat.blocked_retreat_loss
    p_open = combat.preview(open_world, open_state, [open_state.units["a"]], 1)
    p_wet = combat.preview(wet_world, wet_state, [wet_state.units["a"]], 1)
    assert p_wet.retreat_plans["defender_routs"][0].blocked_steps == 1
    # The preview counts the blocked step in the defender's expected losses.
    exp_open = p_open.expected_losses["japanese"].expected.men
    exp_wet = p_wet.expected_losses["japanese"].expected.men
    assert exp_wet == pytest.approx(exp_open + (1000 - exp_open) * b, rel=1e-3)
    r_open = _forced(open_world, open_state, "defender_routs")
    r_wet = _forced(wet_world, wet_state, "defender_routs")
    assert r_open.luck == r_wet.luck
    lo = next(ul for ul in r_open.unit_losses if ul.unit_id == "d")
    lw = next(ul for ul in r_wet.unit_losses if ul.unit_id == "d")
    assert lw.blocked_steps == 1 and lo.blocked_steps == 0
    assert lw.men == lo.men + round((1000 - lo.men) * b)
    assert lw.men > lo.men
    assert wet_state.units["d"].hex == (2, 0)
    assert wet_state.sides["japanese"].losses["men"] == lw.men


def test_a_unit_that_cannot_make_a_step_of_its_rout_is_overrun():
    units = [unit("a", "soviet", 0, 0, men=100_000), unit("d", "japanese", 1, 0, men=1000)]
    world, state = setup(units, width=3, height=1, terrain_rows=["..~"])
    preview = combat.preview(world, state, [state.units["a"]], world.index(1, 0))
    record = _forced(world, state, "defender_routs")
    loss = next(ul for ul in record.unit_losses if ul.unit_id == "d")
    assert loss.blocked_steps == 2 and loss.men == 1000  # all of it
    assert state.units["d"].status == "destroyed" and state.units["d"].hex is None
    assert record.captured == (1, 0) and state.control[1] == 0
    # the preview counts it: at these odds a rout is all but certain, and so is the whole loss
    assert preview.expected_losses["japanese"].expected.men == pytest.approx(1000, rel=0.02)


def test_fortress_garrison_never_retreats():
    world, state = line_world(def_type="fortress")
    rifle_world, rifle_state = line_world()
    record = _forced(world, state, "defender_routs")
    rifle = _forced(rifle_world, rifle_state, "defender_routs")
    assert record.luck == rifle.luck
    d = state.units["d"]
    assert d.hex == (1, 0)
    assert record.retreats[0].path == [(1, 0)]
    assert record.retreats[0].blocked_steps == 2
    loss = next(ul for ul in record.unit_losses if ul.unit_id == "d")
    combat_loss = next(ul for ul in rifle.unit_losses if ul.unit_id == "d").men
    keep = (1 - state.rules.combat.blocked_retreat_loss) ** 2
    assert loss.men == combat_loss + round((1000 - combat_loss) * (1 - keep))
    assert record.captured is None and state.control[1] == 1
    assert rifle.captured == (1, 0)


def test_capture_and_advance():
    world, state = line_world()
    a = state.units["a"]
    mp = a.mp_left = 3.5
    record = _forced(world, state, "defender_routs", advance=True)
    assert record.captured == (1, 0)
    assert record.advanced == "a"
    assert a.hex == (1, 0) and a.mp_left == mp and a.entrenchment == 0
    assert state.control[1] == 0
    assert a.attacked
    assert a.readiness == pytest.approx(1 - state.rules.combat.attacker_readiness_cost)
    assert "1,0 taken" in record.summary


def test_capture_without_advance():
    world, state = line_world()
    record = _forced(world, state, "defender_routs", advance=False)
    assert record.captured == (1, 0)
    assert record.advanced is None
    assert state.units["a"].hex == (0, 0)
    assert state.control[1] == 0


def test_strongest_attacker_advances():
    # a1 west and a2 north-east of 4,4; the defender routs south-east through 4,5.
    units = [
        unit("a1", "soviet", 3, 4, men=60_000),
        unit("a2", "soviet", 4, 3, men=90_000),
        unit("d", "japanese", 4, 4, men=1000),
    ]
    world, state = setup(units)
    target = idx(world, 4, 4)
    attackers = [state.units["a1"], state.units["a2"]]
    p = combat.preview(world, state, attackers, target)
    assert p.probability("defender_routs") > 0.999
    assert p.retreat_plans["defender_routs"][0].path[1] == (4, 5)
    record = combat.resolve(world, state, attackers, target, gen(0), advance=True)
    assert record.captured == (4, 4)
    assert record.advanced == "a2"
    assert state.units["a2"].hex == (4, 4) and state.units["a1"].hex == (3, 4)
    assert state.units["a1"].attacked and state.units["a2"].attacked


def test_destroyed_defender_leaves_map_and_hex_falls():
    world, state = line_world(def_type="fortress")
    state.rules.combat.blocked_retreat_loss = 1.0  # a garrison that cannot retreat is lost
    record = _forced(world, state, "defender_routs", advance=True)
    d = state.units["d"]
    assert d.men == 0 and d.status == "destroyed" and d.hex is None
    assert record.destroyed == ["d"]
    assert record.captured == (1, 0) and record.advanced == "a"
    assert state.sides["japanese"].losses["men"] == 1000
    assert "destroyed d" in record.summary


def test_summary_names_factors_luck_and_losses():
    rivers = [{"name": "R", "class": "major", "hexsides": [[[3, 4], [4, 4]]]}]
    world, state, a, target = duel(
        att={"men": 40_000},
        dfd={"entrenchment": 1},
        map={"rivers": rivers, "fortifications": [{"hex": [4, 4], "level": 1}]},
    )
    state.units["d"].supply.in_supply = False
    record = combat.resolve(world, state, [a], target, gen(1), advance=False)
    s = record.summary
    assert "defender supply x0.6" in s
    assert s.startswith("1 unit attacks 4,4 at ")
    assert "river x0.5" in s and "fortification x1.5" in s and "entrenchment x1.15" in s
    assert f"luck {record.luck:+.2f}" in s
    assert combat.OUTCOME_TEXT[record.outcome] in s
    assert "losses A " in s and " / D " in s


# ---------------------------------------------------------------- legality


def _assert_illegal(world, state, attackers, target, rule):
    before = state.state_hash()
    version = state.version
    rng = gen(9)
    rng_before = rng.bit_generator.state
    with pytest.raises(IllegalOrder) as exc:
        combat.resolve(world, state, attackers, target, rng, advance=True)
    assert exc.value.rule == rule
    with pytest.raises(IllegalOrder):
        combat.preview(world, state, attackers, target)
    assert state.state_hash() == before
    assert state.version == version
    assert rng.bit_generator.state == rng_before


def test_illegal_not_adjacent():
    world, state, a, _ = duel()
    state.units["d"].hex = (6, 4)
    _assert_illegal(world, state, [a], idx(world, 6, 4), "not_adjacent")


def test_illegal_already_attacked():
    world, state, a, target = duel()
    a.attacked = True
    _assert_illegal(world, state, [a], target, "already_attacked")


def test_illegal_cease_fire():
    world, state, a, target = duel()
    a.cease_fire = True
    _assert_illegal(world, state, [a], target, "cease_fire")


def test_paralysis():
    world, state, a, target = duel()
    a.paralysed_until = state.turn
    a.paralysis_can_attack = False
    _assert_illegal(world, state, [a], target, "paralysis")
    a.paralysis_can_attack = True
    combat.check_attack(world, state, [a], target)
    a.paralysis_can_attack = False
    a.paralysed_until = state.turn - 1
    combat.check_attack(world, state, [a], target)


def test_illegal_own_hex_and_empty_hex():
    world, state, a, _ = duel()
    _assert_illegal(world, state, [a], idx(world, 3, 4), "no_target")
    _assert_illegal(world, state, [a], idx(world, 2, 4), "no_target")
    units = [unit("a", "soviet", 3, 4), unit("b", "soviet", 4, 4)]
    world, state = setup(units)
    _assert_illegal(world, state, [state.units["a"]], idx(world, 4, 4), "no_target")


def test_illegal_no_strength():
    world, state, a, target = duel()
    a.men = 0
    _assert_illegal(world, state, [a], target, "no_strength")


def test_illegal_impassable_hexside():
    rows = ["." * 8] * 4 + ["....s..."] + ["." * 8] * 3
    world, state, a, target = duel(att={"type": "mechanized"}, terrain_rows=rows)
    _assert_illegal(world, state, [a], target, "impassable")
    assert combat.attack_targets(world, state, a) == []


def test_illegal_mixed_sides_and_duplicates():
    units = [unit("a", "soviet", 3, 4), unit("j", "japanese", 5, 4), unit("d", "japanese", 4, 4)]
    world, state = setup(units)
    target = idx(world, 4, 4)
    _assert_illegal(world, state, [state.units["a"], state.units["j"]], target, "mixed_sides")
    _assert_illegal(world, state, [state.units["a"], state.units["a"]], target, "attackers")
    _assert_illegal(world, state, [], target, "no_attackers")


def test_attack_targets_lists_legal_adjacent_enemies():
    units = [
        unit("a", "soviet", 3, 4),
        unit("d1", "japanese", 4, 4),
        unit("d2", "japanese", 2, 4),
        unit("far", "japanese", 6, 6),
    ]
    world, state = setup(units)
    a = state.units["a"]
    assert combat.attack_targets(world, state, a) == sorted([idx(world, 4, 4), idx(world, 2, 4)])
    a.attacked = True
    assert combat.attack_targets(world, state, a) == []


def test_attacked_units_cannot_attack_again():
    world, state, a, target = duel(att={"men": 1000}, dfd={"men": 50_000})
    combat.resolve(world, state, [a], target, gen(2), advance=True)
    assert a.attacked
    _assert_illegal(world, state, [a], target, "already_attacked")


# ---------------------------------------------------------------- loss allocation


@HYP
@given(
    caps=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
    weights=st.lists(st.one_of(st.just(0.0), st.floats(0.01, 100.0)), min_size=6, max_size=6),
    frac=st.floats(0.0, 1.0),
)
def test_allocate_respects_caps_and_total(caps, weights, frac):
    caps_a = np.array(caps, dtype=float)
    w = np.array(weights[: len(caps)])
    total = frac * caps_a.sum()
    out = combat.allocate(np.array([total]), caps_a, w)[0]
    assert np.all(out >= -1e-9)
    assert np.all(out <= caps_a + 1e-9)
    assert out.sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    # Uncapped units with weight share in proportion to their weights.
    free = (out < caps_a - 1e-6) & (w > 0)
    if free.sum() >= 2:
        ratios = out[free] / w[free]
        assert np.allclose(ratios, ratios[0], rtol=1e-6)


def test_losses_shared_by_strength():
    units = [
        unit("a", "soviet", 3, 4, men=40_000),
        unit("d1", "japanese", 4, 4, men=10_000, quality=0.9),
        unit("d2", "japanese", 4, 4, men=10_000, quality=0.3),
    ]
    world, state = setup(units)
    record = combat.resolve(world, state, [state.units["a"]], idx(world, 4, 4), gen(0), False)
    l1 = next(ul for ul in record.unit_losses if ul.unit_id == "d1")
    l2 = next(ul for ul in record.unit_losses if ul.unit_id == "d2")
    assert l1.blocked_steps == l2.blocked_steps == 0
    assert l2.men > 50
    assert l1.men == pytest.approx(3 * l2.men, abs=2)  # strengths 0.9 : 0.3


@HYP
@given(
    att_men=st.integers(500, 60_000),
    def_men=st.integers(500, 60_000),
    entrenchment=st.integers(0, 3),
    quality=st.floats(0.1, 0.95),
)
def test_quick_success_chance_equals_the_preview(att_men, def_men, entrenchment, quality):
    world, state, a, target = duel(
        {"men": att_men, "quality": quality}, {"men": def_men, "entrenchment": entrenchment}
    )
    p = combat.preview(world, state, [a], target)
    quick = combat.attack_success(world, state, [a], target)
    expected = p.probability("defender_retreats") + p.probability("defender_routs")
    assert quick == pytest.approx(expected, abs=1e-12)
