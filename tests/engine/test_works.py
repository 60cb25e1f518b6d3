"""Permanent works (engine.works): frontage, no retreat, magazines; and the AI's siege."""

from __future__ import annotations

import numpy as np

from engine import combat, supply
from engine.game import initial_state
from engine.scenario.builder import make_scenario, unit
from engine.works import in_works, on_magazines
from engine.world import World

WORKS = {"level": 3, "max_odds": 2.0, "step_loss": 0.05, "magazines": True}


def siege(level: int = 3, att_men: int = 90_000, works: dict | None = WORKS, **def_fields):
    """A big Soviet force at 3,4 against a small garrison at 4,4 in a fort of ``level``."""
    sections = {"map": {"fortifications": [{"hex": [4, 4], "level": level, "name": "Fort"}]}}
    if works is not None:
        sections["rules"] = {"works": works}
    units = [
        unit("a", "soviet", 3, 4, men=att_men),
        unit("d", "japanese", 4, 4, men=800, **def_fields),
    ]
    scenario = make_scenario(8, 8, units=units, **sections)
    world = World(scenario)
    state = initial_state(scenario, world)
    state.phase = "combat"
    return world, state, world.index(4, 4)


def test_only_the_works_level_and_above_are_works():
    world, state, target = siege(level=3)
    assert in_works(world, state, target)
    assert not in_works(world, state, world.index(3, 4))
    world, state, target = siege(level=2)
    assert not in_works(world, state, target)
    world, state, target = siege(level=3, works=None)  # the default: no works at all
    assert not in_works(world, state, target)


def test_the_frontage_caps_the_odds_and_is_shown_as_a_factor():
    world, state, target = siege()
    p = combat.preview(world, state, [state.units["a"]], target)
    assert abs(p.odds - 2.0) < 1e-9
    frontage = [f for f in p.factors if f.name == "frontage"]
    assert len(frontage) == 1 and 0.0 < frontage[0].multiplier < 0.1
    assert "2:1" in frontage[0].note
    # the AI's quick odds read the same cap
    quick = combat.attack_success(world, state, [state.units["a"]], target)
    assert abs(quick - p.probability("defender_retreats") - p.probability("defender_routs")) < 1e-9
    # the same attack without works is overwhelming
    world2, state2, target2 = siege(works=None)
    assert combat.preview(world2, state2, [state2.units["a"]], target2).odds > 20


def test_only_the_engaged_share_of_the_attackers_takes_losses():
    world, state, target = siege()
    capped = combat.preview(world, state, [state.units["a"]], target)
    world2, state2, target2 = siege(att_men=800 * 2 * 3)  # about 2:1 without any cap
    p2 = combat.preview(world2, state2, [state2.units["a"]], target2)
    lost = capped.expected_losses["soviet"].expected.men
    # the big force loses about what the force it engages would, not 30 times more
    assert lost < 3 * p2.expected_losses["soviet"].expected.men


def test_a_works_garrison_never_retreats_and_is_never_overrun():
    world, state, target = siege()
    d = state.units["d"]
    for seed in range(20):
        w, s, t = siege()
        rec = combat.resolve(w, s, [s.units["a"]], t, np.random.default_rng(seed), advance=True)
        assert s.units["d"].hex == (4, 4), rec.summary
        assert s.units["d"].men > 0.5 * d.men  # one day's assault takes a share, not the fort
        assert rec.captured is None
    # without works the same assault routs and overruns the garrison
    w, s, t = siege(works=None)
    rec = combat.resolve(w, s, [s.units["a"]], t, np.random.default_rng(0), advance=True)
    assert rec.outcome == "defender_routs" and rec.captured == (4, 4)


def test_the_preview_expects_what_the_works_rules_do():
    world, state, target = siege()
    p = combat.preview(world, state, [state.units["a"]], target)
    rng = np.random.default_rng(5)
    lost = []
    for _ in range(60):
        w, s, t = siege()
        rec = combat.resolve(w, s, [s.units["a"]], t, rng, advance=False)
        lost.append(rec.side_losses["japanese"].men)
    expected = p.expected_losses["japanese"].expected.men
    assert abs(np.mean(lost) - expected) < 0.15 * expected


def test_a_cut_off_garrison_lives_on_the_magazines():
    world, state, target = siege()
    d = state.units["d"]
    assert on_magazines(world, state, target)
    d.supply.days_out = 10
    d.supply.in_supply = False
    men = d.men
    supply.supply_phase(world, state, "japanese")  # no Japanese source here: cut off
    assert not d.supply.in_supply and d.supply.days_out == 11 and d.men == men
    factors = combat.preview(world, state, [state.units["a"]], target).defenders[0].factors
    assert next(f for f in factors if f.name == "supply").multiplier == 1.0
    # without magazines the same garrison out of supply withers and fights at a discount
    world, state, target = siege(works={**WORKS, "magazines": False})
    d = state.units["d"]
    d.supply.days_out = 10
    supply.supply_phase(world, state, "japanese")
    assert d.men < men
    factors = combat.preview(world, state, [state.units["a"]], target).defenders[0].factors
    assert next(f for f in factors if f.name == "supply").multiplier < 1.0
