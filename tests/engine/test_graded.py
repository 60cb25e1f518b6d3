"""The graded victory scheme: August Storm's benchmarks against what happened in 1945."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from engine.errors import ScenarioError
from engine.game import Game
from engine.graded import first_held, graded_points, graded_statuses
from engine.history import read_history, turn_of_date
from engine.paths import SCENARIOS_DIR
from engine.save import load_game, save_game
from engine.scenario.loader import load_scenario
from engine.scenario.schemes import scheme_mods
from engine.victory import check_victory, graded_result, plans_result
from engine.world import World

PLANS_MOD = SCENARIOS_DIR / "august_storm" / "mods" / "plans_victory.yaml"


@pytest.fixture(scope="module")
def storm() -> tuple:
    scenario = load_scenario("august_storm")
    return scenario, World(scenario)


def as_in_1945(storm, *, taken=None, linked=None, lost=35_000, end=True) -> Game:
    """A game whose state says every benchmark went as in 1945 (the first day of each window),
    with ``taken`` (place -> day, None: never) and ``linked`` overriding the record."""
    scenario, world = storm
    graded = scenario.victory.graded
    game = Game(scenario, 1, world=world)
    state = game.state
    days = {
        e.place: turn_of_date(scenario, e.first) for e in graded.timetable if e.first is not None
    }
    days.update(taken or {})
    for pid, day in days.items():
        if day is not None:
            state.place_changes.append((pid, day, 0))
            state.control[world.places[pid].index] = 0
    link_day = turn_of_date(scenario, graded.link_up.first) if linked is None else linked
    if link_day:
        state.objectives[graded.link_up.objective] = (link_day, 12.0)
    state.sides["soviet"].losses["men"] = lost
    state.turn = scenario.turns if end else 14
    state.game_over = end
    return game


def rows_by_key(game: Game) -> dict:
    return {r.key: r for r in graded_statuses(game.world, game.state)}


def test_august_storm_is_graded_by_default_and_the_mod_switches_back(storm):
    scenario, _world = storm
    assert scenario.victory.scheme == "graded"
    assert load_scenario("august_storm", mods=[PLANS_MOD]).victory.scheme == "plans"


def test_the_timetable_days_are_those_of_history_dates(storm):
    scenario, _world = storm
    history = read_history("august_storm")
    entries = scenario.victory.graded.timetable
    assert entries, "the graded scheme has a timetable"
    for entry in entries:
        assert entry.place in history, f"{entry.place} has no date in history_dates.yaml"
        assert (entry.first, entry.last) == (history[entry.place].first, history[entry.place].last)
    for place in ("hutou", "dongning", "harbin", "changchun", "mukden", "kirin"):
        assert place in {e.place for e in entries}


def test_a_course_equal_to_1945_scores_nothing(storm):
    game = as_in_1945(storm)
    rows = graded_statuses(game.world, game.state)
    assert {r.kind for r in rows} == {"timetable", "link_up", "losses", "hold"}
    assert all(r.ahead == 0 and r.vp == 0 and r.side is None for r in rows), [
        r.line() for r in rows if r.vp
    ]
    assert graded_points(game.world, game.state) == {"soviet": 0.0, "japanese": 0.0}
    result = graded_result(game.world, game.state)
    assert result.winner is None and result.level == "draw"


def test_a_day_ahead_scores_for_the_soviet_side(storm):
    scenario, _world = storm
    harbin = next(e for e in scenario.victory.graded.timetable if e.place == "harbin")
    day = turn_of_date(scenario, harbin.first) - 1
    game = as_in_1945(storm, taken={"harbin": day})
    row = rows_by_key(game)["timetable:harbin"]
    assert (row.ahead, row.side, row.vp) == (1.0, "soviet", harbin.vp_per_day)
    assert row.line().startswith(f"Harbin: taken day {day}, 1945 days 10-12: 1 day ahead")
    assert graded_points(game.world, game.state) == {"soviet": harbin.vp_per_day, "japanese": 0}


def test_days_beyond_the_cap_do_not_count(storm):
    scenario, _world = storm
    harbin = next(e for e in scenario.victory.graded.timetable if e.place == "harbin")
    game = as_in_1945(storm, taken={"harbin": 1})
    row = rows_by_key(game)["timetable:harbin"]
    assert row.ahead == turn_of_date(scenario, harbin.first) - 1
    assert row.vp == harbin.vp_per_day * harbin.max_days


def test_a_city_never_taken_counts_as_held_through_the_last_turn(storm):
    scenario, _world = storm
    mukden = next(e for e in scenario.victory.graded.timetable if e.place == "mukden")
    game = as_in_1945(storm, taken={"mukden": None})
    row = rows_by_key(game)["timetable:mukden"]
    last = turn_of_date(scenario, mukden.last)
    assert row.game == "held"
    assert row.ahead == last - (scenario.turns + 1)
    assert row.side == "japanese"
    assert row.vp == mukden.vp_per_day * min(scenario.turns + 1 - last, mukden.max_days)


def test_while_the_game_goes_on_only_what_is_settled_scores(storm):
    game = as_in_1945(storm, taken={"harbin": None, "mukden": 9}, end=False)
    rows = rows_by_key(game)
    # day 14 is under way: Harbin, held to day 13, falls on day 14 at the soonest: two days
    # behind 1945's days 10-12 already
    assert rows["timetable:harbin"].ahead == -2 and rows["timetable:harbin"].side == "japanese"
    assert not rows["timetable:harbin"].final
    # Pyongyang (1945: day 16) not taken yet: nothing settled, nothing scored
    assert rows["timetable:pyongyang"].ahead is None and rows["timetable:pyongyang"].vp == 0
    # losses below 1945's score only at the end
    assert rows["losses"].vp == 0 and rows["losses"].ahead is None
    assert rows["timetable:mukden"].side == "soviet" and rows["timetable:mukden"].final


def test_losses_above_and_below_1945(storm):
    scenario, _world = storm
    spec = scenario.victory.graded.losses
    high = as_in_1945(storm, lost=spec.high + 4_000)
    row = rows_by_key(high)["losses"]
    assert (row.side, row.ahead) == ("japanese", -4.0)
    assert row.vp == pytest.approx(min(4 * spec.vp_per_1000, spec.max_vp))
    low = as_in_1945(storm, lost=spec.low - 100_000)
    row = rows_by_key(low)["losses"]
    assert (row.side, row.vp) == ("soviet", spec.max_vp)


def test_the_pincer_and_the_redoubt(storm):
    scenario, world = storm
    graded = scenario.victory.graded
    late = turn_of_date(scenario, graded.link_up.last) + 2
    game = as_in_1945(storm, linked=late)
    row = rows_by_key(game)["link_up"]
    assert (row.ahead, row.side, row.vp) == (-2.0, "japanese", 2 * graded.link_up.vp_per_day)
    redoubt = graded.hold[0]
    assert redoubt.place == "tonghua" and redoubt.first is None
    assert rows_by_key(game)["hold:tonghua"].vp == 0  # held, as in 1945
    game.state.place_changes.append(("tonghua", 20, 0))
    row = rows_by_key(game)["hold:tonghua"]
    days = scenario.turns + 1 - 20
    assert (row.side, row.vp) == ("soviet", redoubt.vp_per_day * min(days, redoubt.max_days))


def test_a_place_is_taken_when_held_at_the_end_of_a_turn(storm):
    scenario, world = storm
    game = Game(scenario, 1, world=world)
    state = game.state
    state.place_changes += [("harbin", 5, 0), ("harbin", 5, 1), ("harbin", 7, 0)]
    state.turn = 9
    assert first_held(world, state, "soviet")["harbin"] == 7
    state.place_changes.append(("harbin", 8, 1))  # lost again: still first held on day 7
    assert first_held(world, state, "soviet")["harbin"] == 7


def test_the_scheme_decides_the_result_and_the_other_is_reported(storm):
    scenario, world = storm
    game = as_in_1945(storm, taken={"harbin": 5, "mukden": 5, "changchun": 5, "kirin": 5})
    game.state.game_over = False
    notes = check_victory(world, game.state, final=True)
    graded = graded_result(world, game.state)
    assert graded.vp["soviet"] == 4 * 3 * 5
    assert (game.state.winner, game.state.victory_level) == ("soviet", "decisive")
    assert notes[0].startswith("game over: soviet decisive victory, VP 60 : 0 against 1945")
    assert notes[1].startswith("measured by the plans' objectives instead")
    assert any("Harbin: taken day 5" in n for n in notes)
    plans = plans_result(world, game.state)
    assert plans.scheme == "plans" and plans.vp != graded.vp


def test_the_victory_option_adds_the_shipped_mod():
    assert scheme_mods("august_storm", [], "graded") == []
    mods = scheme_mods("august_storm", [], "plans")
    assert mods == ["august_storm/mods/plans_victory.yaml"]
    assert load_scenario("august_storm", mods=mods).victory.scheme == "plans"
    assert scheme_mods("august_storm", mods, "plans") == mods
    with pytest.raises(ScenarioError, match="victory.graded: this scenario has no graded"):
        scheme_mods("test_small", [], "graded")


def test_the_scheme_is_saved_with_the_game(tmp_path, storm):
    mods = scheme_mods("august_storm", [], "plans")
    game = Game(load_scenario("august_storm", mods=mods), 2)
    game.scenario_ref, game.mod_refs = "august_storm", mods
    save_game(game, tmp_path / "g.json")
    loaded = load_game(tmp_path / "g.json")
    assert loaded.scenario.victory.scheme == "plans"
    assert loaded.mod_refs == mods
    assert loaded.state_hash() == game.state_hash()


def test_main_simulate_takes_the_option_and_records_both_schemes(tmp_path):
    from main import main

    out = tmp_path / "r.json"
    args = ["simulate", "--scenario", "test_small", "--seed", "1", "--out", str(out)]
    assert main([*args, "--victory", "plans"]) == 0
    record = json.loads(out.read_text())
    assert record["scheme"] == "plans" and set(record["schemes"]) == {"plans"}
    assert main([*args, "--victory", "graded"]) == 2


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text))
    return path


@pytest.mark.parametrize(
    ("setting", "field", "message"),
    [
        ("victory.graded.timetable[0].place: harbinn", "timetable[0].place", "did you mean"),
        ("victory.graded.link_up.objective: jp_delay", "link_up.objective", "not a link_up"),
        ("victory.graded.losses.side: sovet", "losses.side", "unknown side 'sovet'"),
        ("victory.graded.attacker: red", "graded.attacker", "unknown side 'red'"),
        ("victory.graded.timetable[1].last: 1945-08-01", "timetable[1]", "before 'first'"),
    ],
)
def test_bad_graded_data_names_file_line_and_field(tmp_path, setting, field, message):
    mod = write(
        tmp_path,
        f"""\
        extends: august_storm
        set:
          {setting}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(mod)
    text = str(err.value)
    assert "bad.yaml:3:" in text, text
    assert field in text and message in text, text


def test_a_graded_scheme_without_its_block_is_refused(tmp_path):
    mod = write(
        tmp_path,
        """\
        extends: test_small
        set:
          victory.scheme: graded
        """,
    )
    with pytest.raises(ScenarioError, match="scheme 'graded' needs a 'graded' block"):
        load_scenario(mod)
