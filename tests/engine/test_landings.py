"""Amphibious landings: range by sea, the side's daily lift, its first day, who may land."""

import pytest

from engine.errors import IllegalOrder
from engine.game import Game
from engine.orders import EndPhase, Landing, parse_order
from engine.scenario.builder import make_scenario, unit

#: Land in columns 0-3, 5-7 and 9; a channel of sea down column 4 and back up column 8, joined
#: along the bottom row. Column 7 lies four hexes east of the port but some twenty by sea.
ROWS = ["....~...~."] * 7 + ["....~~~~~."]
PORT = (3, 0)


def landing_scenario(units, units_per_day=1, range_hexes=6, **lift):
    sides = [
        {
            "id": "soviet",
            "name": "Soviet",
            "amphibious": {"units_per_day": units_per_day, "range_hexes": range_hexes, **lift},
        },
        {"id": "japanese", "name": "Japanese"},
    ]
    places = [
        {
            "id": "port",
            "name": "Port",
            "lat": 45.622,
            "lon": 124.486,
            "hex": list(PORT),
            "kinds": ["port"],
            "owner": "soviet",
        },
    ]
    return make_scenario(
        10,
        8,
        units=units,
        terrain_rows=ROWS,
        sides=sides,
        places=places,
        side_order=["soviet", "japanese"],
    )


def marines(**lift):
    units = [
        unit("m1", "soviet", *PORT),
        unit("m2", "soviet", 2, 0),  # next to the port
        unit("tk", "soviet", 3, 1, type="tank"),
        unit("far", "soviet", 0, 5),
        unit("j", "japanese", 5, 3),
    ]
    return Game(landing_scenario(units, **lift), 1)


def zones(game, uid):
    from engine import landings

    return {
        game.world.coord(i)
        for i in landings.landing_zones(game.world, game.state, game.state.units[uid])
    }


def test_a_unit_lands_on_a_coast_within_range_by_sea():
    game = marines()
    near = zones(game, "m1")
    assert (5, 0) in near and (5, 4) in near  # the far shore of the channel
    assert (5, 6) not in near  # seven hexes by sea
    assert (3, 5) in near  # this side of the channel, further down
    assert not any(game.world.navigable[game.world.index(*h)] for h in near)
    assert (5, 3) not in near  # the enemy holds it
    assert (7, 0) not in near  # four hexes away, but twenty by sea
    assert (9, 0) not in near


def test_the_range_is_counted_by_sea():
    game = marines(range_hexes=30)
    assert (7, 0) in zones(game, "m1") and (9, 0) in zones(game, "m1")


def test_landing_moves_the_unit_takes_the_hex_and_uses_the_lift():
    game = marines()
    (entry,) = game.apply(Landing(unit="m1", to=(5, 2))).entries
    assert (entry.kind, entry.side, entry.units) == ("landing", "soviet", ("m1",))
    assert entry.hexes == (PORT, (5, 2))
    m1 = game.state.units["m1"]
    assert m1.hex == (5, 2) and m1.moved and m1.mp_left == 0
    assert game.state.control[game.world.index(5, 2)] == 0
    assert game.state.sides["soviet"].amphibious_used == 1
    before = game.state.state_hash()
    with pytest.raises(IllegalOrder) as err:
        game.apply(Landing(unit="m2", to=(5, 1)))
    assert err.value.rule == "amphibious_lift"
    assert game.state.state_hash() == before
    for _ in range(4):
        game.apply(EndPhase())
    assert game.state.sides["soviet"].amphibious_used == 0
    game.apply(Landing(unit="m2", to=(5, 1)))  # a new day, a new landing


@pytest.mark.parametrize(
    ("uid", "lift", "rule"),
    [
        ("tk", {}, "not_amphibious"),  # only foot units when no types are listed
        ("far", {}, "no_port"),
        ("m1", {"from_date": "1945-08-11"}, "too_early"),
        ("m1", {"unit_types": ["tank"]}, "not_amphibious"),
    ],
)
def test_a_landing_outside_the_limits_is_refused(uid, lift, rule):
    game = marines(**lift)
    before = game.state.state_hash()
    with pytest.raises(IllegalOrder) as err:
        game.apply(Landing(unit=uid, to=(5, 1)))
    assert err.value.rule == rule
    assert game.state.state_hash() == before


def test_listed_types_may_land_and_landings_start_on_their_day():
    game = marines(unit_types=["tank"], from_date="1945-08-10")
    assert zones(game, "tk") == set()
    for _ in range(4):
        game.apply(EndPhase())
    assert (5, 1) in zones(game, "tk") and zones(game, "m1") == set()


def test_a_landing_off_the_coast_or_out_of_range_is_refused():
    game = marines()
    for target in ((4, 2), (7, 0), (1, 1)):
        with pytest.raises(IllegalOrder) as err:
            game.apply(Landing(unit="m1", to=target))
        assert err.value.rule == "landing_zone"


def test_landings_are_legal_orders_and_have_a_text_form():
    game = marines()
    legal = [o for o in game.legal_orders("m1") if isinstance(o, Landing)]
    # listed as the side knows the enemy: the Japanese unit on 5,3 is out of its sight
    assert not game.view("soviet").sees("j")
    assert {o.to for o in legal} == zones(game, "m1") | {(5, 3)}
    assert parse_order("land m1 5,2") == Landing(unit="m1", to=(5, 2))
    assert Landing(unit="m1", to=(5, 2)).to_text() == "land m1 5,2"


def test_no_lift_no_landings():
    game = marines(units_per_day=0)
    assert zones(game, "m1") == set()
    with pytest.raises(IllegalOrder) as err:
        game.apply(Landing(unit="m1", to=(5, 1)))
    assert err.value.rule == "no_lift"


def test_a_landing_on_a_beach_held_by_an_unseen_unit_comes_ashore_beside_it():
    game = marines()
    assert not game.view("soviet").sees("j")
    result = game.apply(Landing(unit="m1", to=(5, 3)))
    m1 = game.state.units["m1"]
    assert m1.hex != (5, 3) and m1.hex in {
        game.world.coord(j) for j in game.world.grid.neighbors_of(game.world.index(5, 3))
    }
    assert "pushed off (5, 3) by contact" in result.messages[0]
    assert game.view("soviet").sees("j")  # now it is in sight
    assert game.state.sides["soviet"].amphibious_used == 1
