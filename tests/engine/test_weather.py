"""Weather: an event's rain slows the units in its area for its days, and only those."""

from engine.game import Game
from engine.orders import EndPhase
from engine.scenario.builder import make_scenario, unit
from engine.world import World


def _game(**effect):
    # the area: the western half of a 12x5 strip, as a lat/lon polygon round its hex centres
    probe = World(make_scenario(12, 5))
    corners = [
        probe.projection.offset_to_latlon(c, r) for c, r in [(-1, -1), (5, -1), (5, 5), (-1, 5)]
    ]
    rain = {
        "type": "weather",
        "name": "Rain",
        "turns": 2,
        "movement_factor": 0.5,
        "area": [list(p) for p in corners],
        **effect,
    }
    units = [
        unit("wet", "soviet", 2, 2),
        unit("wet_tank", "soviet", 3, 2, type="tank"),
        unit("dry", "soviet", 9, 2),
        unit("j", "japanese", 2, 4),
    ]
    events = [{"id": "rain", "name": "Rain", "turn": 1, "effects": [rain]}]
    return Game(make_scenario(12, 5, units=units, events=events), 1)


def _next_turn(game):
    turn = game.state.turn
    while game.state.turn == turn:
        game.apply(EndPhase())


def test_rain_slows_the_units_in_its_area_for_its_days():
    game = _game()
    units = game.state.units
    assert units["wet"].mp_left == 2.0 and units["wet_tank"].mp_left == 5.0  # half of 4 and 10
    assert units["dry"].mp_left == 4.0
    assert units["j"].mp_left == 2.0  # both sides
    (rain,) = [e for e in game.state.log if e.kind == "weather" and "move at" in e.text]
    assert rain.text == "Rain: 3 units move at 50% (until turn 2)"
    assert (rain.turn, rain.phase, rain.side) == (1, "start_of_turn", None)
    assert set(rain.units) == {"wet", "wet_tank", "j"}
    _next_turn(game)
    assert units["wet"].mp_left == 2.0
    _next_turn(game)  # turn 3: the rain is over
    assert units["wet"].mp_left == 4.0 and units["wet_tank"].mp_left == 10.0


def test_rain_may_slow_some_movement_classes_only():
    game = _game(classes=["motorized", "tracked"])
    assert game.state.units["wet"].mp_left == 4.0
    assert game.state.units["wet_tank"].mp_left == 5.0
