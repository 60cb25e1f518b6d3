"""Scenario loading: the broken-file corpus, safe YAML, and file:line:col problem reports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.errors import Problem, ScenarioError
from engine.paths import REPO_ROOT
from engine.scenario import yamlsource
from engine.scenario.loader import load_scenario
from engine.scenario.model import Scenario

DATA = Path(__file__).resolve().parents[2] / "data"
BROKEN = DATA / "broken"
VALID_MIN = DATA / "valid_min.yaml"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((BROKEN / "expected.yaml").read_text())

# file:line:col: field: message — the field is absent only when the YAML cannot be parsed at all.
PROBLEM_FORM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+):(?: (?P<field>\S+):)? \S")


def problems_of(path: Path | str) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert problems, "a ScenarioError must carry at least one problem"
    return problems


def base_text() -> str:
    return VALID_MIN.read_text(encoding="utf-8")


def write_variant(tmp_path: Path, old: str, new: str, name: str = "scenario.yaml") -> Path:
    text = base_text()
    assert text.count(old) == 1, f"the base must contain {old!r} exactly once"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# ---------------------------------------------------------------- valid files


def test_valid_min_loads() -> None:
    scenario = load_scenario(VALID_MIN)
    assert isinstance(scenario, Scenario)
    assert (scenario.map.width, scenario.map.height) == (6, 4)
    assert [u.id for u in scenario.units] == ["r1", "r2", "b1", "b2"]
    assert scenario.units[3].arrives is not None and scenario.units[3].arrives.hex == (4, 0)


def test_test_scenario_loads(test_scenario: Scenario) -> None:
    assert test_scenario.id == "test_small"
    assert (test_scenario.map.width, test_scenario.map.height) == (20, 20)
    assert test_scenario.side_order == ("soviet", "japanese")
    assert len(test_scenario.units) == 15
    # It also loads by path, not just by name.
    again = load_scenario(REPO_ROOT / "scenarios" / "test_small" / "scenario.yaml")
    assert again == test_scenario


def test_world_fixture_matches_the_scenario(test_scenario: Scenario, world: Any) -> None:
    assert world.grid.size == 400
    assert world.scenario is test_scenario


# ---------------------------------------------------------------- the broken corpus


def test_corpus_index_lists_every_broken_file() -> None:
    files = {p.name for p in BROKEN.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 20
    for name, entry in EXPECTED.items():
        assert {"line", "field", "message"} <= set(entry), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_its_problem(name: str) -> None:
    entry = EXPECTED[name]
    problems = problems_of(BROKEN / name)
    rendered = "\n".join(str(p) for p in problems)
    matches = [
        p
        for p in problems
        if Path(p.file).name == name
        and p.line == entry["line"]
        and p.field == entry["field"]
        and entry["message"] in p.message
    ]
    wanted = f"line {entry['line']} {entry['field']!r} {entry['message']!r}"
    assert matches, f"expected {wanted} among:\n{rendered}"
    if "count" in entry:
        assert len(problems) == entry["count"], rendered
    for p in problems:
        # Every problem is located in the broken file itself, relative to the repository.
        assert p.file == f"tests/data/broken/{name}"
        assert p.line >= 1 and p.column >= 1, str(p)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_prints_as_file_line_col_field_message(name: str) -> None:
    for p in problems_of(BROKEN / name):
        text = str(p)
        m = PROBLEM_FORM.match(text)
        assert m, text
        assert m["file"] == p.file
        assert (int(m["line"]), int(m["col"])) == (p.line, p.column)
        if p.field:
            assert m["field"] == p.field
            assert text == f"{p.file}:{p.line}:{p.column}: {p.field}: {p.message}"
        else:
            # Only a file that is not YAML at all has no field to name.
            assert p.message.startswith("malformed YAML"), text


def test_error_text_lists_every_problem_in_file_order() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(BROKEN / "three_schema_errors.yaml")
    lines = str(info.value).splitlines()
    assert lines == [str(p) for p in info.value.problems]
    assert [p.line for p in info.value.problems] == [6, 46, 47]


def test_schema_problems_are_reported_all_at_once() -> None:
    problems = problems_of(BROKEN / "three_schema_errors.yaml")
    assert [(p.line, p.field) for p in problems] == [
        (6, "turns"),
        (46, "units[0].men"),
        (47, "units[1].fuel"),
    ]


def test_reference_problems_are_reported_all_at_once() -> None:
    problems = problems_of(BROKEN / "three_reference_errors.yaml")
    assert [(p.line, p.field) for p in problems] == [
        (34, "places[0].owner"),
        (46, "units[0].type"),
        (58, "events[0].effects[1].path"),
    ]
    assert "did you mean 'rifle'?" in problems[1].message


# ---------------------------------------------------------------- safe YAML


@pytest.mark.parametrize(
    "old, new",
    [
        ("name: Minimal", "name: !!python/object/apply:builtins.exec [{code}]"),
        ("name: Minimal", "name: !!python/object/new:builtins.exec [{code}]"),
        ("name: Minimal", "name: !!python/object:builtins.object {{x: {code}}}"),
        ("name: Minimal", "name: !!python/name:builtins.exec"),
        ("name: Minimal", "name: Minimal\n!!python/name:builtins.exec : {code}"),
        ("name: Minimal", "name: !local {code}"),
    ],
)
def test_python_tags_are_rejected_and_never_run(tmp_path: Path, old: str, new: str) -> None:
    sentinel = tmp_path / "ran.txt"
    code = repr(f"open({str(sentinel)!r}, 'w').write('ran')")
    path = write_variant(tmp_path, old, new.format(code=code))
    problems = problems_of(path)
    assert not sentinel.exists()
    assert any("unsupported YAML tag" in p.message for p in problems), problems
    assert all(p.line in (4, 5) for p in problems)


def test_alias_bombs_stop_at_the_value_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 5000)
    bomb = 'lol0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    for i in range(1, 6):
        bomb += f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1
    assert "expands to more than 5000 values" in problems[0].message


def test_a_missing_scenario_is_a_scenario_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nowhere.yaml")
    assert "no such scenario or file" in problems[0].message


@pytest.mark.parametrize("text", ["", "just a string\n", "- a\n- list\n"])
def test_a_file_that_is_not_a_mapping(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert "must be a mapping" in problems[0].message


# ---------------------------------------------------------------- lines in special places


def test_terrain_row_lines_skip_blank_lines(tmp_path: Path) -> None:
    # A blank line inside the grid is ignored, and later rows keep pointing at their own line.
    path = write_variant(tmp_path, "    ..h..~\n    .....~\n", "    ..h..~\n\n    ..x.~\n")
    problems = problems_of(path)
    assert [(p.line, p.field) for p in problems] == [(16, "map.terrain"), (16, "map.terrain")]
    assert "row 2 has 5 hexes" in problems[0].message or "row 2 has 5 hexes" in problems[1].message


def test_problems_in_an_included_file_point_into_it(tmp_path: Path) -> None:
    text = base_text()
    unit_line = next(line for line in text.splitlines() if "id: b2," in line)
    main = text.replace(unit_line + "\n", "")
    main = main.replace("turns: 3\n", "turns: 3\ninclude: [more.yaml]\n")
    (tmp_path / "scenario.yaml").write_text(main, encoding="utf-8")
    more = "# Reinforcements.\nunits:\n" + unit_line.replace("men: 5000", "men: -5") + "\n"
    (tmp_path / "more.yaml").write_text(more, encoding="utf-8")
    problems = problems_of(tmp_path / "scenario.yaml")
    assert len(problems) == 1
    (p,) = problems
    assert Path(p.file).name == "more.yaml"
    assert (p.line, p.field) == (3, "units[3].men")
    # And with the mistake fixed, the split scenario loads like the single file.
    (tmp_path / "more.yaml").write_text(more.replace("men: -5", "men: 5000"), encoding="utf-8")
    assert load_scenario(tmp_path / "scenario.yaml").units == load_scenario(VALID_MIN).units


def test_an_include_that_redefines_a_section(tmp_path: Path) -> None:
    main = base_text().replace("turns: 3\n", "turns: 3\ninclude: [extra.yaml]\n")
    (tmp_path / "scenario.yaml").write_text(main, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text("rules: {}\nid: again\n", encoding="utf-8")
    problems = problems_of(tmp_path / "scenario.yaml")
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [("extra.yaml", 2, "id")]
    assert "already defined" in problems[0].message


def test_missing_required_field_names_it_and_points_at_its_mapping(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "{id: town, name: Town, ", "{id: town, ")
    (p,) = problems_of(path)
    assert (p.line, p.field, p.message) == (34, "places[0].name", "missing required field")


def test_set_rule_on_a_section_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "path: supply.fuel_refill", "path: supply")
    (p,) = problems_of(path)
    assert p.field == "events[0].effects[1].path"
    assert "names a section of the rules, not a constant" in p.message
