"""Roads and railways given by geographic routes, and where places fall on the grid."""

import pytest

from engine.errors import ScenarioError
from engine.hexgrid import direction_to, offset_to_axial
from engine.scenario.builder import NETWORK_KINDS, make_scenario
from engine.scenario.geometry import line_hexes, place_hex
from engine.scenario.projection import projection_of
from engine.world import World

PLACES = [
    {"id": "west", "name": "West", "lat": 45.0, "lon": 124.0},
    {"id": "east", "name": "East", "lat": 45.3, "lon": 126.0},
]


def routed(route, rows=None, places=PLACES):
    line = {"id": "rail", "kind": "rail", "capacity": 1000, "route": route}
    return make_scenario(
        16,
        12,
        terrain_rows=rows,
        places=places,
        network={"kinds": NETWORK_KINDS, "lines": [line]},
    )


def test_a_route_becomes_a_chain_of_adjacent_hexes():
    scenario = routed(["west", [45.6, 125.0], "east"])
    chain = line_hexes(scenario.network.lines[0], scenario)
    projection = projection_of(scenario.map)
    places = {p.id: p for p in scenario.places}
    assert chain[0] == place_hex(places["west"], projection)
    assert chain[-1] == place_hex(places["east"], projection)
    waypoint = projection.latlon_to_offset(45.6, 125.0)
    assert (waypoint.col, waypoint.row) in chain
    assert len(set(chain)) == len(chain)
    for a, b in zip(chain, chain[1:], strict=False):
        assert direction_to(offset_to_axial(*a), offset_to_axial(*b)) is not None


def test_the_world_links_every_hex_of_a_route():
    scenario = routed(["west", "east"])
    world = World(scenario)
    chain = line_hexes(scenario.network.lines[0], scenario)
    for a, b in zip(chain, chain[1:], strict=False):
        assert world.link(world.index(*a), world.index(*b), "rail") is not None
    assert world.network.number_of_edges() == len(chain) - 1


def test_a_route_across_water_names_the_leg():
    rows = ["." * 16 for _ in range(12)]
    rows[5] = "." * 8 + "~" * 8  # a bay between the two places
    rows[6] = "." * 8 + "~" * 8
    with pytest.raises(ScenarioError) as info:
        routed(["west", "east"], rows=rows)
    problem = info.value.problems[0]
    assert problem.field == "network.lines[0].route[1]"
    assert "railway 'rail' runs through impassable water" in problem.message


def test_an_unknown_place_in_a_route():
    with pytest.raises(ScenarioError) as info:
        routed(["west", "eats"])
    problem = info.value.problems[0]
    assert problem.field == "network.lines[0].route[1]"
    assert "unknown place 'eats' (did you mean 'east'?)" in problem.message


def test_a_route_off_the_map():
    with pytest.raises(ScenarioError) as info:
        routed(["west", [60.0, 125.0]])
    assert "off the" in info.value.problems[0].message


@pytest.mark.parametrize("fields", [{}, {"hexes": [[0, 0], [1, 0]], "route": ["west", "east"]}])
def test_hexes_or_route_exactly_one(fields):
    line = {"id": "rail", "kind": "rail", "capacity": 1000, **fields}
    with pytest.raises(ScenarioError) as info:
        make_scenario(16, 12, places=PLACES, network={"kinds": NETWORK_KINDS, "lines": [line]})
    assert "exactly one of 'hexes' or 'route'" in str(info.value)


def placed(units, events=()):
    return make_scenario(16, 12, places=PLACES, units=units, events=list(events))


def test_units_placed_at_a_place_or_coordinates_get_their_hex():
    scenario = placed(
        [
            {"id": "a", "name": "A", "side": "soviet", "type": "rifle", "men": 100, "at": "west"},
            {
                "id": "b",
                "name": "B",
                "side": "japanese",
                "type": "rifle",
                "men": 100,
                "at": [45.3, 126.0],
            },
            {
                "id": "c",
                "name": "C",
                "side": "japanese",
                "type": "rifle",
                "men": 100,
                "arrives": {"turn": 2, "at": "east"},
            },
        ]
    )
    projection = projection_of(scenario.map)
    places = {p.id: p for p in scenario.places}
    a, b, c = scenario.units
    assert a.hex == place_hex(places["west"], projection)
    assert b.hex == place_hex(places["east"], projection)
    assert c.hex is None and c.arrives.hex == place_hex(places["east"], projection)


def test_a_unit_at_an_unknown_place():
    with pytest.raises(ScenarioError) as info:
        placed(
            [{"id": "a", "name": "A", "side": "soviet", "type": "rifle", "men": 1, "at": "wset"}]
        )
    problem = info.value.problems[0]
    assert problem.field == "units[0].at"
    assert "unknown place 'wset' (did you mean 'west'?)" in problem.message


def test_a_unit_at_coordinates_off_the_map():
    with pytest.raises(ScenarioError) as info:
        placed(
            [
                {
                    "id": "a",
                    "name": "A",
                    "side": "soviet",
                    "type": "rifle",
                    "men": 1,
                    "at": [10.0, 10.0],
                }
            ]
        )
    assert info.value.problems[0].field == "units[0].at"
    assert "off the" in info.value.problems[0].message


def test_a_landing_at_a_place():
    events = [
        {
            "id": "land",
            "turn": 2,
            "effects": [
                {
                    "type": "place_units",
                    "units": [
                        {
                            "id": "m",
                            "name": "M",
                            "side": "soviet",
                            "type": "rifle",
                            "men": 1,
                            "at": "east",
                        }
                    ],
                }
            ],
        }
    ]
    scenario = placed([], events)
    unit = scenario.events[0].effects[0].units[0]
    assert unit.hex == place_hex(
        {p.id: p for p in scenario.places}["east"], projection_of(scenario.map)
    )


def fortified(regions=(), **fr):
    entry = {"id": "fr", "name": "FR", "level": 2, "at": ["west"], **fr}
    return make_scenario(16, 12, places=PLACES, fortified_regions=[entry], regions=list(regions))


def test_a_fortified_region_fortifies_the_hexes_around_its_centres():
    scenario = fortified(radius=1)
    west = place_hex(
        next(p for p in scenario.places if p.id == "west"), projection_of(scenario.map)
    )
    forts = {f.hex: f for f in scenario.map.fortifications}
    assert len(forts) == 7 and west in forts
    assert all(f.level == 2 and f.name == "FR" for f in forts.values())
    world = World(scenario)
    assert world.fort_level[world.index(*west)] == 2


def test_a_fortified_region_stops_at_a_border():
    # A border at the centre's longitude: the hexes east of it are another country.
    lon = PLACES[0]["lon"] + 0.05
    regions = [
        {"id": "a", "name": "A", "polygon": [[40, 100], [50, 100], [50, lon], [40, lon]]},
        {"id": "b", "name": "B", "polygon": [[40, lon], [50, lon], [50, 150], [40, 150]]},
    ]
    assert 1 < len(fortified(regions, radius=1).map.fortifications) < 7


def test_fortified_region_errors():
    with pytest.raises(ScenarioError) as info:
        fortified(at=["wets"])
    assert info.value.problems[0].field == "fortified_regions[0].at[0]"
    assert "did you mean 'west'" in info.value.problems[0].message
    with pytest.raises(ScenarioError) as info:
        fortified(level=9)
    assert any(p.field == "fortified_regions[0].level" for p in info.value.problems)


def test_river_hexsides_in_the_compact_text_form():
    listed = [[[1, 1], [2, 1]], [[2, 1], [2, 2]]]
    compact = "1,1 2,1; 2,1 2,2;"
    a = make_scenario(6, 6, map={"rivers": [{"name": "R", "class": "major", "hexsides": listed}]})
    b = make_scenario(6, 6, map={"rivers": [{"name": "R", "class": "major", "hexsides": compact}]})
    assert a.map.rivers == b.map.rivers
    with pytest.raises(ScenarioError) as info:
        make_scenario(6, 6, map={"rivers": [{"name": "R", "class": "major", "hexsides": "1,1 2;"}]})
    assert "hexside 0 '1,1 2' is not 'col,row col,row'" in str(info.value)
