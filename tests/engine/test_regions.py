"""Regions: territories as lat/lon polygons that give each hex its country and starting control."""

import numpy as np

from engine.game import initial_state
from engine.scenario.builder import make_scenario
from engine.world import World, points_in_polygon

SQUARE = np.array([[0.0, 0.0], [0.0, 2.0], [2.0, 2.0], [2.0, 0.0]])


def test_points_in_polygon_even_odd():
    pts = np.array([[1.0, 1.0], [3.0, 1.0], [1.0, -0.5], [1.9, 1.9]])
    assert points_in_polygon(pts, SQUARE).tolist() == [True, False, False, True]
    notch = np.array([[0, 0], [0, 4], [4, 4], [4, 0], [2, 0], [2, 3], [1, 3], [1, 0]], float)
    assert points_in_polygon(np.array([[1.5, 1.0], [0.5, 1.0]]), notch).tolist() == [False, True]


def test_regions_give_hexes_their_owner_and_later_regions_win():
    # The map's centre is 45N 125E; the west half is one country, a square in it another.
    regions = [
        {
            "id": "west",
            "name": "West",
            "owner": "soviet",
            "polygon": [[40, 100], [50, 100], [50, 125], [40, 125]],
        },
        {
            "id": "east",
            "name": "East",
            "owner": "japanese",
            "polygon": [[40, 125], [50, 125], [50, 150], [40, 150]],
        },
        {
            "id": "enclave",
            "name": "Enclave",
            "owner": None,
            "polygon": [[44.7, 124.0], [45.3, 124.0], [45.3, 124.6], [44.7, 124.6]],
        },
    ]
    scenario = make_scenario(12, 12, regions=regions)
    world = World(scenario)
    state = initial_state(scenario, world)
    ids = [r.id for r in scenario.regions]
    west = world.index(1, 6)
    east = world.index(10, 6)
    assert ids[world.region[west]] == "west" and state.control[west] == 0
    assert ids[world.region[east]] == "east" and state.control[east] == 1
    lat, lon = 45.0, 124.3
    o = world.projection.latlon_to_offset(lat, lon)
    enclave = world.index(o.col, o.row)
    assert ids[world.region[enclave]] == "enclave" and state.control[enclave] == -1


def test_no_regions_no_region():
    world = World(make_scenario(4, 4))
    assert (world.region == -1).all()


def test_a_side_never_enters_its_forbidden_regions():
    from engine import airborne, movement
    from engine.scenario.builder import unit

    # The south half of the map (south of 45N, the map's centre row) is out of bounds.
    regions = [
        {
            "id": "north",
            "name": "N",
            "owner": "soviet",
            "polygon": [[45, 100], [60, 100], [60, 150], [45, 150]],
        },
        {
            "id": "south",
            "name": "S",
            "owner": "soviet",
            "polygon": [[30, 100], [45, 100], [45, 150], [30, 150]],
        },
    ]
    sides = [
        {
            "id": "soviet",
            "name": "Soviet",
            "forbidden_regions": ["south"],
            "airborne_lift": 1,
            "airborne_range_hexes": 10,
        },
        {"id": "japanese", "name": "Japanese"},
    ]
    places = [
        {
            "id": "field",
            "name": "Field",
            "lat": 45.5,
            "lon": 125.0,
            "kinds": ["airfield"],
            "owner": "soviet",
        }
    ]
    scenario = make_scenario(
        12,
        12,
        regions=regions,
        sides=sides,
        places=places,
        units=[
            unit("t", "soviet", 5, 3, type="tank"),
            unit("p", "soviet", 6, 3, type="airborne"),
            unit("j", "japanese", 0, 11),
        ],
        rules={"movement": {"minimum_move": True}},
    )
    world = World(scenario)
    state = initial_state(scenario, world)
    for u in state.units.values():
        u.mp_left = u.movement_allowance
    south = world.forbidden["soviet"]
    assert south.any() and not world.forbidden["japanese"].any()
    tank = state.units["t"]
    reach = movement.reachable(world, state, tank)
    assert reach.destinations() and not any(south[i] for i in reach.destinations())
    ref = movement.reachable_reference(world, state, tank)
    assert ref.destinations() == reach.destinations()
    zones = airborne.drop_zones(world, state, state.units["p"])
    assert zones and not any(south[i] for i in zones)
