"""`main.py validate` on broken mods: exit status 2, `file:line:` on stderr, never a traceback."""

import subprocess
import sys

import pytest
import yaml

from engine.paths import REPO_ROOT

MAIN = str(REPO_ROOT / "main.py")
FOLDER = "tests/data/broken_mods"
EXPECTED = yaml.safe_load((REPO_ROOT / FOLDER / "expected.yaml").read_text())


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, MAIN, *args], capture_output=True, text=True, cwd=cwd or REPO_ROOT
    )


def assert_reported(result, name):
    entry = EXPECTED[name]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{name}: OK" not in result.stdout
    where = f"{FOLDER}/{entry.get('reported_in', name)}:{entry['line']}:"
    field = f" {entry['field']}:" if entry["field"] else ""
    lines = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert any(field in line and entry["message"] in line for line in lines), result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "extends_unknown_scenario.yaml",  # what the mod extends
        "set_unknown_unit.yaml",  # a set path, with a did-you-mean
        "add_unit_on_water.yaml",  # an added unit, checked against the map
        "python_object_tag.yaml",  # refused, and its sys.exit(99) never runs
    ],
)
def test_validate_a_broken_mod_exits_2_with_its_line(name):
    assert_reported(run("validate", f"{FOLDER}/{name}"), name)


def test_validate_a_mod_that_extends_a_broken_mod_from_another_directory(tmp_path):
    # The problem is in the lower mod, named relative to the repository wherever it is run.
    result = run("validate", str(REPO_ROOT / FOLDER / "stacked_on_broken.yaml"), cwd=tmp_path)
    assert_reported(result, "stacked_on_broken.yaml")


def test_validate_goes_on_after_a_broken_mod():
    result = run("validate", f"{FOLDER}/loop_a.yaml", "test_small")
    assert_reported(result, "loop_a.yaml")
    assert "test_small: OK" in result.stdout


def test_validate_a_mod_that_sets_a_unit_to_null_exits_2_without_a_traceback():
    assert_reported(run("validate", f"{FOLDER}/set_unit_to_null.yaml"), "set_unit_to_null.yaml")
