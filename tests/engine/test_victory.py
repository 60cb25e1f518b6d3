"""Victory: dated objectives (take, hold, link-up), forces preserved and their checks."""

import datetime as dt

import pytest
from pydantic import ValidationError

from engine.errors import ScenarioError
from engine.game import Game
from engine.orders import EndPhase
from engine.scenario.loader import load_scenario, validate_data
from engine.scenario.model import ForcesPreserved, Objective, UnitSelector
from engine.scenario.yamlsource import SourceMap
from engine.state import GameState
from engine.victory import link_distance, men_preserved, objective_statuses, victory_points

DAY1 = dt.date(1945, 8, 9)


@pytest.fixture(scope="module")
def base():
    return load_scenario("test_small")


def with_victory(base, objectives=(), preserved=()):
    victory = base.victory.model_copy(
        update={"objectives": list(objectives), "forces_preserved": list(preserved)}
    )
    return base.model_copy(update={"victory": victory})


def end_turn(game):
    for _ in range(4):
        game.apply(EndPhase())


def take(place, by, vp=10.0, late_vp=0.0):
    return Objective(
        id=f"take_{place}",
        name=f"take {place}",
        side="soviet",
        places=[place],
        by=by,
        vp=vp,
        late_vp=late_vp,
    )


def give(game, place, side_index):
    game.state.control[game.world.places[place].index] = side_index


def test_an_objective_taken_by_its_date_scores_its_points(base):
    game = Game(with_victory(base, [take("bridge", DAY1 + dt.timedelta(days=1))]), 1)
    before = victory_points(game.world, game.state)["soviet"]
    end_turn(game)
    assert "take_bridge" not in game.state.objectives
    give(game, "bridge", 0)
    end_turn(game)
    assert game.state.objectives["take_bridge"] == (2, 10.0)
    # 10 for the objective, 5 for the bridge as a place and 5 from test_small's bridge event
    assert victory_points(game.world, game.state)["soviet"] == pytest.approx(before + 20)
    (entry,) = [e for e in game.state.log if e.kind == "objective"]
    assert entry.text == "objective take bridge: achieved on time (soviet 10 VP)"
    assert (entry.turn, entry.phase, entry.side) == (2, "end_of_turn", "soviet")
    assert entry.hexes == (game.world.coord(game.world.places["bridge"].index),)


def test_an_objective_taken_late_scores_its_late_points_and_is_kept(base):
    game = Game(with_victory(base, [take("bridge", DAY1, vp=10, late_vp=3)]), 1)
    end_turn(game)
    statuses = {s.id: s for s in objective_statuses(game.world, game.state)}
    assert statuses["take_bridge"].status == "overdue"
    give(game, "bridge", 0)
    end_turn(game)
    assert game.state.objectives["take_bridge"] == (2, 3.0)
    give(game, "bridge", 1)  # lost again: the points stay scored
    end_turn(game)
    assert game.state.objectives["take_bridge"] == (2, 3.0)
    status = objective_statuses(game.world, game.state)[0]
    assert (status.status, status.turn, status.vp) == ("late", 2, 3.0)


def hold(by):
    return Objective(
        id="hold_east",
        name="hold Eastcity",
        side="japanese",
        kind="hold",
        places=["eastcity"],
        by=by,
        vp=8,
    )


def test_a_hold_objective_is_judged_on_its_date(base):
    game = Game(with_victory(base, [hold(DAY1 + dt.timedelta(days=2))]), 1)
    end_turn(game)
    end_turn(game)
    assert "hold_east" not in game.state.objectives  # not judged before its day
    end_turn(game)
    assert game.state.objectives["hold_east"] == (3, 8.0)
    assert objective_statuses(game.world, game.state)[0].status == "held"


def test_a_hold_objective_lost_on_its_date_scores_nothing(base):
    game = Game(with_victory(base, [hold(DAY1 + dt.timedelta(days=1))]), 1)
    end_turn(game)
    give(game, "eastcity", 0)
    end_turn(game)
    assert game.state.objectives["hold_east"] == (2, 0.0)
    assert objective_statuses(game.world, game.state)[0].status == "lost"


def test_a_hold_objective_dated_after_the_game_is_judged_on_the_last_turn(base):
    game = Game(with_victory(base, [hold(dt.date(1946, 1, 1))]), 1)
    for _ in range(base.turns):
        end_turn(game)
    assert game.state.objectives["hold_east"] == (base.turns, 8.0)


def link_up(within=1):
    return Objective(
        id="pincer",
        name="the pincer closes",
        side="soviet",
        kind="link_up",
        groups=[UnitSelector(formation="sov_army_n"), UnitSelector(formation="sov_army_s")],
        within_hexes=within,
        by=DAY1 + dt.timedelta(days=3),
        vp=20,
    )


def test_the_link_up_is_achieved_when_the_two_groups_meet(base):
    game = Game(with_victory(base, [link_up()]), 1)
    obj = game.world.scenario.victory.objectives[0]
    # s_tb2 (northern army) at 6,4 and s_tb1 (southern) at 7,10 are the nearest pair
    assert link_distance(game.world, game.state, obj) == 6
    end_turn(game)
    assert "pincer" not in game.state.objectives
    north = game.state.units["s_tb2"]
    north.hex = (7, 9)  # next to s_tb1
    game.state.version += 1
    assert link_distance(game.world, game.state, obj) == 1
    end_turn(game)
    assert game.state.objectives["pincer"] == (2, 20.0)


def test_a_wider_link_up_needs_less(base):
    game = Game(with_victory(base, [link_up(within=6)]), 1)
    end_turn(game)
    assert game.state.objectives["pincer"] == (1, 20.0)


def test_a_link_up_with_a_group_gone_is_not_achieved(base):
    game = Game(with_victory(base, [link_up(within=50)]), 1)
    for u in game.state.units.values():
        if u.parent == "sov_army_n":
            u.status = "destroyed"
    game.state.version += 1
    obj = game.world.scenario.victory.objectives[0]
    assert link_distance(game.world, game.state, obj) is None
    end_turn(game)
    assert "pincer" not in game.state.objectives


def test_forces_preserved_count_men_in_play_inside_the_area(base):
    everywhere = ForcesPreserved(side="japanese", vp_per_1000_men=1.0)
    game = Game(with_victory(base, preserved=[everywhere]), 1)
    men = sum(u.men for u in game.state.units_of("japanese"))
    assert men_preserved(game.world, game.state, 0) == men
    # An area around one Japanese unit only.
    unit = game.state.units["j_inf1"]
    lat, lon = game.world.projection.offset_to_latlon(*unit.hex)
    box = [
        (lat - 0.1, lon - 0.1),
        (lat - 0.1, lon + 0.1),
        (lat + 0.1, lon + 0.1),
        (lat + 0.1, lon - 0.1),
    ]
    inside = ForcesPreserved(side="japanese", vp_per_1000_men=2.0, area=box)
    game = Game(with_victory(base, preserved=[inside]), 1)
    here = sum(u.men for u in game.state.units_of("japanese") if u.hex == unit.hex)
    assert men_preserved(game.world, game.state, 0) == here > 0
    plain = Game(base, 1)
    assert victory_points(game.world, game.state)["japanese"] == pytest.approx(
        victory_points(plain.world, plain.state)["japanese"] + 2.0 * here / 1000
    )


def test_scored_objectives_survive_a_save(base):
    game = Game(with_victory(base, [take("bridge", DAY1)]), 1)
    give(game, "bridge", 0)
    end_turn(game)
    again = GameState.from_dict(game.state.to_dict())
    assert again.objectives == {"take_bridge": (1, 10.0)}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "link_up", "groups": [{"formation": "sov_front"}]}, "exactly two 'groups'"),
        ({"kind": "take"}, "a take objective needs 'places'"),
        ({"kind": "hold", "places": ["bridge"], "late_vp": 2}, "a hold objective has no 'late_vp'"),
        (
            {"kind": "take", "places": ["bridge"], "groups": [{}, {}]},
            "takes 'places', not 'groups'",
        ),
    ],
)
def test_an_objective_of_the_wrong_shape_is_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Objective(id="o", name="o", side="soviet", by=DAY1, vp=1, **fields)


def test_objective_references_are_checked(base):
    data = base.model_dump(mode="json")
    data["victory"]["objectives"] = [
        {
            "id": "a",
            "name": "a",
            "side": "soviet",
            "places": ["atlantis"],
            "by": "1945-08-10",
            "vp": 1,
        },
        {
            "id": "a",
            "name": "b",
            "side": "reds",
            "kind": "link_up",
            "by": "1945-08-01",
            "vp": 1,
            "groups": [{"formation": "sov_army_n"}, {"formation": "no_such_army"}],
        },
    ]
    with pytest.raises(ScenarioError) as err:
        validate_data(data, SourceMap(default_file="<test>"))
    text = str(err.value)
    assert "victory.objectives[0].places[0]" in text and "atlantis" in text
    assert "victory.objectives[1].id" in text and "duplicate id 'a'" in text
    assert "victory.objectives[1].side" in text
    assert "victory.objectives[1].groups[1].formation" in text
    assert "victory.objectives[1].by" in text and "before the scenario starts" in text
