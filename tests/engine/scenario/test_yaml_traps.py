"""YAML traps that must end in a located scenario error, never a traceback."""

import pytest

from engine.errors import ScenarioError
from engine.scenario.yamlsource import parse_yaml


def test_a_self_referencing_alias_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="alias refers to the collection it is part of"):
        parse_yaml("a: &a [*a]\n", "loop.yaml")


def test_a_forced_tag_that_cannot_apply_is_a_located_problem():
    with pytest.raises(ScenarioError) as err:
        parse_yaml("start: !!timestamp x\n", "tag.yaml")
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.field) == ("tag.yaml", 1, "start")
    assert "cannot read this value as 'tag:yaml.org,2002:timestamp'" in problem.message
