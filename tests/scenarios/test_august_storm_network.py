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


# ---------------------------------------------------------------- roads


def road(world):
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, kind in world.network.edges(keys=True) if kind == "road")
    return g


def road_lines(world):
    return [line for line in world.scenario.network.lines if line.kind == "road"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("tamsag_bulag", "lubei"),  # 6th Guards Tank Army over the Khingan passes
        ("tamsag_bulag", "tuquan"),
        ("tamsag_bulag", "tongliao"),
        ("tamsag_bulag", "wangyemiao"),  # 39th Army by Halun-Arshan and Solun
        ("choibalsan", "tamsag_bulag"),  # supply road from the railhead
        ("choibalsan", "dolon_nur"),  # Cavalry-Mechanized Group
        ("dolon_nur", "chifeng"),
        ("dolon_nur", "chengde"),
        ("zamyn_uud", "kalgan"),
        ("yugodzyr_khid", "chifeng"),  # 17th Army
        ("priargunsk", "borzya"),
        ("hailar", "qiqihar"),
        ("heihe", "bei_an"),  # 2nd Red Banner Army
        ("bei_an", "qiqihar"),
        ("fujin", "harbin"),  # 15th Army up the Sungari
        ("pogranichny", "harbin"),  # 5th Army
        ("hutou", "linkou"),
        ("ussuriysk", "wangqing"),  # 25th Army
        ("kraskino", "hunchun"),
        ("hunchun", "chongjin"),
        ("harbin", "dairen"),
        ("mukden", "tonghua"),
        ("seoul", "pyongyang"),
        ("pyongyang", "wonsan"),
    ],
)
def test_the_axes_are_connected_by_road(world, a, b):
    g = road(world)
    ia, ib = world.places[a].index, world.places[b].index
    assert ia in g and ib in g, (a, b)
    assert nx.has_path(g, ia, ib)


def test_the_road_from_mudanjiang_to_kirin_runs_by_dunhua(world):
    g = road(world)
    path = nx.shortest_path(g, world.places["mudanjiang"].index, world.places["kirin"].index)
    assert world.places["dunhua"].index in path
    assert world.places["harbin"].index not in path


def test_every_road_has_a_source_with_a_confidence_tag_and_a_road_capacity(world):
    roads = road_lines(world)
    assert len(roads) >= 20
    least_rail = min(line.capacity for line in world.scenario.network.lines if line.kind == "rail")
    for line in roads:
        assert line.id.startswith("road_") and line.name, line.id
        assert any(tag in line.source for tag in ("[V]", "[R]", "[A]")), line.id
        assert line.capacity < least_rail, line.id  # a dirt road carries less than any railway


def test_every_road_hex_is_land(world):
    g = road(world)
    assert g.number_of_nodes() > 400
    for i in g.nodes:
        assert world.terrain_at(i).id not in ("sea", "lake"), world.coord(i)


def test_no_road_bridges_a_soviet_border_river(world):
    """No road bridged the Amur, Ussuri or Argun into Manchukuo: the armies crossed by boat."""
    border = set()
    for river in world.scenario.map.rivers:
        if river.name in ("Amur", "Ussuri", "Argun"):
            border |= {frozenset(world.index(*c) for c in side) for side in river.hexsides}
    assert len(border) > 100
    crossing = [
        (world.coord(a), world.coord(b))
        for a, b in road(world).edges
        if frozenset((a, b)) in border
    ]
    assert not crossing
    g = road(world)
    assert world.places["blagoveshchensk"].index not in g
    assert not nx.has_path(g, world.places["priargunsk"].index, world.places["hailar"].index)
