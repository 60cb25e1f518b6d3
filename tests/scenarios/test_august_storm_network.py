"""The railways of 1945: they validate against the map and places and connect what they should."""

import networkx as nx
import pytest


@pytest.fixture(scope="module")
def world(august_storm_world):
    return august_storm_world


def rail(world):
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, kind in world.network.edges(keys=True) if kind == "rail")
    return g


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("chita", "manzhouli"),  # the Transbaikal Front's artery
        ("manzhouli", "harbin"),  # CER west through Hailar
        ("harbin", "dairen"),  # South Manchuria Railway
        ("mukden", "shanhaiguan"),
        ("harbin", "heihe"),
        ("khabarovsk", "vladivostok"),
        ("ussuriysk", "mudanjiang"),  # CER east from the Soviet side
        ("changchun", "tumen"),
        ("tumen", "najin"),
        ("najin", "seoul"),
        ("seoul", "mukden"),
        ("taonan", "arxan"),
        ("jinzhou", "chengde"),
        ("kalgan", "beijing"),
    ],
)
def test_lines_connect(world, a, b):
    g = rail(world)
    ia, ib = world.places[a].index, world.places[b].index
    assert ia in g and ib in g, (a, b)
    assert nx.has_path(g, ia, ib)


def test_no_rail_link_between_the_soviet_and_japanese_nets_except_the_border_crossings(world):
    """Dolon Nur had no railway; Otpor-Manzhouli and Grodekovo-Suifenhe cross the border."""
    g = rail(world)
    assert world.places["dolon_nur"].index not in g
    borders = {("otpor", "manzhouli"), ("pogranichny", "suifenhe")}
    cut = g.copy()
    for a, b in borders:
        path = nx.shortest_path(g, world.places[a].index, world.places[b].index)
        cut.remove_edges_from(zip(path, path[1:], strict=False))
    assert not nx.has_path(cut, world.places["chita"].index, world.places["harbin"].index)


def test_every_rail_hex_is_land(world):
    g = rail(world)
    assert g.number_of_nodes() > 400
    for i in g.nodes:
        assert world.terrain_at(i).id not in ("sea", "lake"), world.coord(i)
