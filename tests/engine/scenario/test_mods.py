"""Mods: patches that extend a scenario, stack in order and report errors at their own lines."""

import textwrap

import pytest

from engine.errors import ScenarioError
from engine.paths import SCENARIOS_DIR
from engine.scenario.loader import load_scenario, read_scenario_data
from engine.scenario.mods import apply_mod
from engine.scenario.yamlsource import read_yaml

EXAMPLE = SCENARIOS_DIR / "test_small" / "mods" / "reinforced.yaml"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def line_of(path, fragment):
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if fragment in t)


def test_the_worked_example_applies():
    base = load_scenario("test_small")
    modded = load_scenario(EXAMPLE)
    assert modded.turns == 10 != base.turns
    assert "broadcast" in {e.id for e in base.events}
    assert "broadcast" not in {e.id for e in modded.events}
    s_rd4 = next(u for u in modded.units if u.id == "s_rd4")
    westtown = next(p for p in modded.places if p.id == "westtown")
    assert s_rd4.hex is not None and westtown.lat == pytest.approx(46.981)
    assert modded.rules.combat.luck_sigma == 0.5
    assert next(u for u in modded.units if u.id == "j_inf1").readiness == 1.0
    assert len(modded.units) == len(base.units) + 1


def test_mods_stack_in_order(tmp_path):
    second = write(
        tmp_path,
        "second.yaml",
        f"""\
        extends: {EXAMPLE}
        set:
          turns: 12
        """,
    )
    assert load_scenario(second).turns == 12
    third = write(
        tmp_path,
        "third.yaml",
        """\
        extends: test_small
        set:
          turns: 7
        """,
    )
    assert load_scenario("test_small", mods=[EXAMPLE, third]).turns == 7
    assert load_scenario("test_small", mods=[third, EXAMPLE]).turns == 10


@pytest.mark.parametrize(
    ("text", "fragment", "field", "message"),
    [
        (
            "set:\n  units[j_inf11].readiness: 0.5\n",
            "j_inf11",
            "set.units[j_inf11].readiness",
            "no item 'j_inf11' in units (did you mean 'j_inf1'?)",
        ),
        (
            "set:\n  units[j_inf1].readiness: 1.5\n",
            "readiness",
            "units[9].readiness",
            "less than or equal to 1",
        ),
        ("set:\n  units[j_inf1].strenght: 5\n", "strenght", "units[9].strenght", "unknown field"),
        (
            "remove:\n  events: [brodcast]\n",
            "brodcast",
            "remove.events[0]",
            "no item 'brodcast' in events (did you mean 'broadcast'?)",
        ),
        ("sett:\n  turns: 3\n", "sett", "sett", "unknown field (did you mean 'set'?)"),
        (
            "set:\n  map.fortificationz[0].level: 2\n",
            "fortificationz",
            "set.map.fortificationz[0].level",
            "'map' has no list 'fortificationz' (did you mean 'fortifications'?)",
        ),
        (
            "set:\n  rules.combat.luck_sigmaa: 0.5\n",
            "luck_sigmaa",
            "rules.combat.luck_sigmaa",
            "unknown field (did you mean 'luck_sigma'?)",
        ),
        (
            "add:\n  units:\n"
            "    - {id: x, name: X, side: soviet, type: tank, men: 1, at: nowhere}\n",
            "nowhere",
            "units[15].at",
            "unknown place 'nowhere'",
        ),
    ],
)
def test_errors_point_at_the_mod_file_and_line(tmp_path, text, fragment, field, message):
    mod = write(tmp_path, "bad.yaml", "extends: test_small\n" + text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(mod)
    problem = info.value.problems[0]
    assert problem.file.endswith("bad.yaml"), problem
    assert problem.line == line_of(mod, fragment), problem
    assert problem.field == field
    assert message in problem.message


def test_extending_an_unknown_scenario(tmp_path):
    mod = write(tmp_path, "bad.yaml", "extends: test_smal\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(mod)
    assert "extends unknown scenario or mod 'test_smal' (did you mean 'test_small'?)" in str(
        info.value
    )


def test_mods_that_extend_in_a_loop(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(b)
    assert "mods extend in a loop: b.yaml -> a.yaml -> b.yaml" in str(info.value)


def test_a_mod_of_another_scenario_is_refused(tmp_path):
    other = write(tmp_path, "other.yaml", (SCENARIOS_DIR / "test_small/scenario.yaml").read_text())
    mod = write(tmp_path, "m.yaml", "extends: other.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("test_small", mods=[mod])
    assert "this mod extends" in str(info.value)
    assert other.exists()


def test_a_plain_scenario_is_not_a_mod():
    with pytest.raises(ScenarioError) as info:
        load_scenario("test_small", mods=[SCENARIOS_DIR / "test_small" / "scenario.yaml"])
    assert "not a mod" in str(info.value)


def test_setting_an_arrival_at_a_place_drops_its_hex(tmp_path):
    mod = write(
        tmp_path, "m.yaml", "extends: test_small\nset:\n  units[j_imb].arrives.at: eastcity\n"
    )
    moved = next(u for u in load_scenario(mod).units if u.id == "j_imb").arrives
    base = next(u for u in load_scenario("test_small").units if u.id == "j_imb").arrives
    assert (moved.turn, moved.at) == (base.turn, "eastcity")
    assert moved.hex is not None and moved.hex != base.hex


def test_a_failed_set_path_leaves_the_data_alone(tmp_path):
    # rules.combat does not exist in test_small: a path that fails further on must not create it.
    data, smap = read_scenario_data(SCENARIOS_DIR / "test_small" / "scenario.yaml")
    assert "combat" not in data["rules"]
    mod = write(tmp_path, "m.yaml", "extends: test_small\nset:\n  rules.combat.x[1]: 2\n")
    (problem,) = apply_mod(data, smap, *read_yaml(mod))
    assert problem.message == "'rules.combat' has no list 'x'"
    assert "combat" not in data["rules"]


def test_what_still_uses_a_removed_item_is_reported_at_the_remove_line(tmp_path):
    mod = write(
        tmp_path,
        "m.yaml",
        """\
        extends: test_small
        remove:
          formations: [jap_army]
        add:
          units:
            - {id: j_new, name: New, side: japanese, type: infantry, parent: jap_army, men: 1,
               hex: [12, 10]}
        """,
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(mod)
    removed, added = info.value.problems
    # The scenario's own units and event are summed up at the remove line...
    assert (removed.line, removed.field) == (3, "remove.formations[0]")
    assert removed.message.startswith("'jap_army' is removed but still used by units[9].parent")
    assert "and 5 more (in scenarios/test_small/scenario.yaml)" in removed.message  # + the AI plan
    # ...while the mod's own new unit keeps its own line.
    assert (added.line, added.field) == (6, "units[15].parent")
    assert all(p.file.endswith("m.yaml") for p in info.value.problems)


def test_a_mod_cuts_a_railway_removes_a_depot_and_adds_a_road(tmp_path):
    from engine.world import World

    mod = write(
        tmp_path,
        "cut.yaml",
        """\
        extends: test_small
        remove:
          network.lines: [east_west_railway]
          supply_sources: [sov_depot]
        add:
          network.lines:
            - {id: new_road, name: A new road, kind: road, capacity: 500,
               hexes: [[2, 10], [2, 11], [3, 12]]}
        """,
    )
    base, modded = load_scenario("test_small"), load_scenario(mod)
    ids = [line.id for line in modded.network.lines]
    assert "east_west_railway" not in ids and ids[-1] == "new_road"
    assert "sov_depot" not in {s.id for s in modded.supply_sources}
    world, before = World(modded), World(base)
    a, b = world.index(2, 10), world.index(2, 11)
    assert world.link(a, b, "road") is not None and before.link(a, b, "road") is None
    c, d = world.index(5, 10), world.index(6, 10)
    assert world.link(c, d, "rail") is None and before.link(c, d, "rail") is not None


def test_a_misspelt_line_or_list_is_reported_at_its_line_in_the_mod(tmp_path):
    mod = write(
        tmp_path,
        "bad.yaml",
        """\
        extends: test_small
        remove:
          network.lines: [east_west_railwy]
          network.line: [port_branch]
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(mod)
    text = "\n".join(str(p) for p in err.value.problems)
    assert f"bad.yaml:{line_of(mod, 'railwy')}:" in text
    assert "no item 'east_west_railwy' in network.lines (did you mean 'east_west_railway'?)" in text
    assert f"bad.yaml:{line_of(mod, 'network.line:')}:" in text
    assert "'network' has no list 'line' (did you mean 'lines'?)" in text


def test_a_new_line_is_checked_like_the_scenario_s_own(tmp_path):
    mod = write(
        tmp_path,
        "gap.yaml",
        """\
        extends: test_small
        add:
          network.lines:
            - {id: gap_road, name: A road with a gap, kind: road, capacity: 500,
               hexes: [[2, 10], [5, 11]]}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(mod)
    (problem,) = err.value.problems
    assert "gap.yaml:" in str(problem) and "not adjacent" in str(problem)
