"""Surrender under the cease-fire: no moves, and surrender on contact at the end of a phase."""

import pytest

from engine.errors import IllegalOrder
from engine.game import Game
from engine.orders import EndPhase, Move
from engine.scenario.builder import make_scenario, unit


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
