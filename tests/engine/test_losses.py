import pytest

from engine.game import initial_state
from engine.losses import take_losses
from engine.scenario.builder import make_scenario, unit
from engine.world import World


@pytest.fixture
def world_state():
    scenario = make_scenario(4, 4, units=[unit("a", "soviet", 1, 1, tanks=20, guns=50)])
    world = World(scenario)
    return world, initial_state(scenario, world)


def test_losses_are_clipped_and_tallied(world_state):
    _, state = world_state
    a = state.units["a"]
    taken = take_losses(state, a, {"men": 1000, "tanks": 50, "guns": 5})
    assert taken == {"men": 1000, "tanks": 20, "guns": 5}
    assert (a.men, a.tanks, a.guns) == (9000, 0, 45)
    assert state.sides["soviet"].losses == {"men": 1000, "tanks": 20, "guns": 5}
    assert a.on_map


def test_a_spent_unit_breaks_up_and_its_remnant_counts_as_lost(world_state):
    _, state = world_state
    a = state.units["a"]
    version = state.version
    limit = state.rules.combat.break_up_below * a.full_men
    taken = take_losses(state, a, {"men": int(a.men - limit) + 1})
    assert a.status == "destroyed" and a.hex is None
    assert (a.men, a.tanks, a.guns) == (0, 0, 0)
    assert taken == {"men": 10000, "tanks": 20, "guns": 50}
    assert state.sides["soviet"].losses["men"] == 10000
    assert state.version > version


def test_just_above_the_threshold_survives(world_state):
    _, state = world_state
    a = state.units["a"]
    limit = state.rules.combat.break_up_below * a.full_men
    take_losses(state, a, {"men": int(a.men - limit)})
    assert a.on_map and a.men == limit


def test_negative_amounts_take_nothing(world_state):
    _, state = world_state
    taken = take_losses(state, state.units["a"], {"men": -5})
    assert taken == {"men": 0, "tanks": 0, "guns": 0}
    assert state.units["a"].men == 10000
