"""Surrender under the cease-fire: no moves, and surrender on contact at the end of a phase."""

import pytest

from engine.errors import IllegalOrder
from engine.game import Game
from engine.orders import EndPhase, Move
from engine.scenario.builder import make_scenario, make_scenario_data, unit
from engine.world import World


def game_with_ceasefire():
    units = [
        unit("s", "soviet", 2, 2, type="tank"),
        unit("j_near", "japanese", 4, 2, men=8000, tanks=5, guns=40),
        unit("j_far", "japanese", 7, 7),
        unit("j_fighting", "japanese", 4, 4),
    ]
    events = [
        {
            "id": "order",
            "turn": 1,
            "effects": [{"type": "cease_fire", "select": {"ids": ["j_near", "j_far"]}}],
        }
    ]
    return Game(make_scenario(8, 8, units=units, events=events), 1)


def test_a_unit_under_the_order_may_not_move():
    game = game_with_ceasefire()
    game.apply(EndPhase())
    game.apply(EndPhase())  # the Japanese movement phase
    with pytest.raises(IllegalOrder) as err:
        game.apply(Move(unit="j_far", to=(6, 7)))
    assert err.value.rule == "cease_fire"
    assert not any(getattr(o, "unit", None) == "j_far" for o in game.legal_orders())


def test_contact_takes_the_surrender_at_the_end_of_the_phase():
    game = game_with_ceasefire()
    near = game.state.units["j_near"]
    hex_near = game.world.index(*near.hex)
    game.apply(Move(unit="s", to=(3, 2)))
    assert near.status == "active"  # not before the phase ends
    game.apply(EndPhase())
    assert near.status == "surrendered" and near.hex is None
    japanese = game.state.sides["japanese"]
    assert japanese.prisoners == 8000
    assert japanese.losses == {"men": 8000, "tanks": 5, "guns": 40}
    assert game.state.control[hex_near] == 0  # the hex passes to the Soviet side
    assert game.state.units["j_far"].status == "active"  # no contact
    assert game.state.units["j_fighting"].status == "active"  # never got the order
    (entry,) = [e for e in game.state.log if e.kind == "surrender"]
    assert entry.text == "j_near surrenders: 8,000 men taken prisoner"
    assert (entry.side, entry.units, entry.hexes) == ("japanese", ("j_near",), ((4, 2),))
    assert (entry.turn, entry.phase) == (1, "movement")  # the Soviet phase that made contact
    (order,) = [e for e in game.state.log if e.text.startswith("cease-fire")]
    assert (order.kind, order.side, order.units) == ("event", "japanese", ("j_near", "j_far"))


# ---------------------------------------------------------------- giving up on their own


def _ring(col, row):
    """The hexes next to ``col,row`` on the 8x8 test map."""
    world = World(make_scenario(8, 8))
    return [world.coord(j) for j in world.grid.neighbors_of(world.index(col, row))]


def _give_up_game(chance=1.0, beaten=False, soviets=None, **terms):
    """A Japanese garrison at 5,4 in its side's eastern half, Soviet units round it (all of its
    neighbours by default), and give-up terms in force from turn 1."""
    soviets = _ring(5, 4) if soviets is None else soviets
    units = [unit(f"s{k}", "soviet", c, r) for k, (c, r) in enumerate(soviets)]
    units += [unit("j", "japanese", 5, 4), unit("j_stubborn", "japanese", 7, 7)]
    effects = [
        {
            "type": "give_up",
            "select": {"side": "japanese", "except_ids": ["j_stubborn"]},
            "daily_chance": chance,
            **terms,
        }
    ]
    if beaten:
        effects.insert(
            0, {"type": "modify_units", "select": {"ids": ["j"]}, "multiply": {"men": 0.4}}
        )
    events = [{"id": "broadcast", "turn": 1, "effects": effects}]
    sides = make_scenario_data()["sides"]
    sides[0]["control_boxes"] = [[0, 0, 3, 7]]
    sides[1]["control_boxes"] = [[4, 0, 7, 7]]
    return Game(make_scenario(8, 8, units=units, events=events, sides=sides), 1)


def test_an_encircled_garrison_in_contact_gives_up_and_surrenders():
    game = _give_up_game()
    j = game.state.units["j"]
    assert j.cease_fire  # at the start of turn 1, once the terms are in force
    (entry,) = [e for e in game.state.log if e.kind == "surrender"]
    assert entry.text == "j, encircled, gives up the fight"
    assert (entry.side, entry.units, entry.hexes) == ("japanese", ("j",), ((5, 4),))
    game.apply(EndPhase())
    assert j.status == "surrendered"
    assert game.state.units["j_stubborn"].status == "active"  # not selected


def test_a_garrison_with_a_way_out_fights_on():
    # one Soviet unit next to it: in contact, but neither cut off nor beaten
    game = _give_up_game(soviets=[(4, 4)])
    assert not game.state.units["j"].cease_fire


def test_a_beaten_unit_in_contact_gives_up():
    game = _give_up_game(beaten=True, soviets=[(4, 4)])
    j = game.state.units["j"]
    assert j.cease_fire
    assert any(e.text == "j, down to 40% of its men, gives up the fight" for e in game.state.log)


def test_no_unit_gives_up_at_chance_zero():
    game = _give_up_game(chance=0.0)
    assert not game.state.units["j"].cease_fire


def test_a_unit_gives_up_on_the_days_its_roll_allows_whatever_other_units_do():
    # the roll of a unit depends on the day's key and its id only
    from engine.rng import keyed_uniform

    assert keyed_uniform(7, "j") == keyed_uniform(7, "j")
    assert keyed_uniform(7, "j") != keyed_uniform(7, "k")
    assert keyed_uniform(7, "j") != keyed_uniform(8, "j")
    draws = [keyed_uniform(key, "j") for key in range(2000)]
    assert 0.45 < sum(draws) / len(draws) < 0.55
    assert all(0.0 <= d < 1.0 for d in draws)


def test_a_unit_out_of_supply_for_its_days_gives_up():
    # the test world gives the Japanese side no supply source: out of supply from day 1
    game = _give_up_game(soviets=[(4, 4)], cut_off_days=2)
    j = game.state.units["j"]
    while game.state.turn < 3:
        assert not j.cease_fire
        game.apply(EndPhase())
    assert j.supply.days_out == 2 and j.cease_fire
    assert any(e.text == "j, cut off for 2 days, gives up the fight" for e in game.state.log)
