"""The territories of 1945: each place's country, and who controls it at the start."""

import pytest

from engine.game import initial_state

# Border towns on a border river may fall on the other bank's side of the polygon; their place
# owner decides their hex (history.md §2.5 borders are approximate).
BORDER_TOWNS = {"otpor", "priargunsk", "tongjiang", "blagoveshchensk", "kraskino"}


def region_of(world, place):
    k = int(world.region[world.places[place].index])
    return world.scenario.regions[k].id if k >= 0 else None


@pytest.mark.parametrize(
    ("place", "region"),
    [
        ("chita", "ussr"),
        ("khabarovsk", "ussr"),
        ("vladivostok", "ussr"),
        ("borzya", "ussr"),
        ("choibalsan", "mongolia"),
        ("tamsag_bulag", "mongolia"),
        ("hailar", "manchukuo"),
        ("harbin", "manchukuo"),
        ("mukden", "manchukuo"),
        ("dairen", "manchukuo"),
        ("heihe", "manchukuo"),
        ("hutou", "manchukuo"),
        ("kalgan", "mengjiang"),
        ("dolon_nur", "mengjiang"),
        ("beijing", "north_china"),
        ("pyongyang", "korea_north"),
        ("wonsan", "korea_north"),
        ("seoul", "korea_south"),
    ],
)
def test_places_lie_in_their_country(august_storm_world, place, region):
    assert region_of(august_storm_world, place) == region


def test_place_owners_agree_with_their_country(august_storm_world):
    world = august_storm_world
    for pid, info in world.places.items():
        k = int(world.region[info.index])
        owner = world.scenario.regions[k].owner if k >= 0 else None
        assert owner == info.spec.owner or pid in BORDER_TOWNS, pid


def test_the_start_control_follows_the_borders(august_storm_world):
    world = august_storm_world
    state = initial_state(world.scenario, world)
    soviet = sum(int(state.control[i]) == 0 for i in range(world.grid.size))
    japanese = sum(int(state.control[i]) == 1 for i in range(world.grid.size))
    assert 3500 < soviet < 5500 and 5000 < japanese < 7500
    for pid in BORDER_TOWNS:
        info = world.places[pid]
        assert state.control[info.index] == world.scenario.side_order.index(info.spec.owner)
