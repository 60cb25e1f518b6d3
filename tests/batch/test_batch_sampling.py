"""Uncertain values in mods: the schema, the draws (deterministic, per path, bounded), loading."""

import datetime as dt

import pytest
from pydantic import ValidationError

from engine.batch.sampling import draw, path_generator, sample
from engine.batch.variants import PreparedVariant, VariantSpec, uncertain_values
from engine.errors import ScenarioError
from engine.paths import REPO_ROOT
from engine.scenario.loader import load_scenario
from engine.scenario.mods import Distribution

D = Distribution.model_validate
SEEDS = range(1500)


def test_a_draw_depends_only_on_the_seed_and_the_path():
    dist = D({"uniform": [0, 1]})
    first = draw(dist, path_generator(7, "units[a].readiness"))
    assert first == draw(dist, path_generator(7, "units[a].readiness"))
    assert first != draw(dist, path_generator(8, "units[a].readiness"))
    assert first != draw(dist, path_generator(7, "units[b].readiness"))
    # pinned: the scheme (SHA-256 of the path with the seed) must not drift between versions,
    # or a resumed batch would mix two sets of draws
    assert first == pytest.approx(0.2389269494, abs=1e-9)


def test_adding_a_path_leaves_the_other_draws_alone():
    a = {"x": D({"uniform": [0, 10]})}
    both = {**a, "y": D({"normal": [0, 1]})}
    for seed in range(20):
        assert sample(a, seed)["x"] == sample(both, seed)["x"]


def test_paths_are_independent():
    x = [sample({"p": D({"uniform": [0, 1]})}, s)["p"] for s in SEEDS]
    y = [sample({"q": D({"uniform": [0, 1]})}, s)["q"] for s in SEEDS]
    import numpy as np

    assert abs(np.corrcoef(x, y)[0, 1]) < 0.1


def draws(spec):
    dist = D(spec)
    return [draw(dist, path_generator(s, "p")) for s in SEEDS]


def test_uniform_and_triangular_stay_in_bounds():
    u = draws({"uniform": [0.2, 0.4]})
    assert min(u) >= 0.2 and max(u) <= 0.4 and max(u) - min(u) > 0.19
    t = draws({"triangular": [1, 2, 5]})
    assert min(t) >= 1 and max(t) <= 5
    assert sum(v < 2 for v in t) / len(t) == pytest.approx(0.25, abs=0.05)  # (2-1)/(5-1)


def test_normal_is_clipped_when_asked():
    n = draws({"normal": [0.6, 0.3], "clip": [0.3, 0.9]})
    assert min(n) == 0.3 and max(n) == 0.9  # clipped, so the bounds themselves occur
    free = draws({"normal": [10, 2]})
    assert sum(free) / len(free) == pytest.approx(10, abs=0.2)


def test_choice_and_dates_take_only_their_values():
    c = draws({"choice": ["hailar", "solun", 3]})
    assert set(c) == {"hailar", "solun", 3}
    d = draws({"date_uniform": ["1945-08-16", "1945-08-19"]})
    assert set(d) == {dt.date(1945, 8, day) for day in (16, 17, 18, 19)}  # both ends included


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"uniform": [2, 1]}, "lo <= hi"),
        ({"uniform": [0, 1], "normal": [0, 1]}, "exactly one"),
        ({}, "exactly one"),
        ({"uniform": [0, 1], "clip": [0, 1]}, "clip goes with normal"),
        ({"triangular": [0, 5, 2]}, "lo <= mode <= hi"),
        ({"normal": [0, -1]}, "sd >= 0"),
        ({"choice": []}, "at least one"),
        ({"date_uniform": ["1945-08-19", "1945-08-16"]}, "first <= last"),
        ({"unifrom": [0, 1]}, "Extra inputs"),
    ],
)
def test_bad_distributions_are_refused(spec, message):
    with pytest.raises(ValidationError, match=message):
        D(spec)


def test_central_values():
    assert D({"uniform": [0.2, 0.4]}).central() == pytest.approx(0.3)
    assert D({"normal": [0.6, 0.1], "clip": [0.0, 0.5]}).central() == 0.5
    assert D({"triangular": [1, 2, 5]}).central() == 2
    assert D({"choice": ["a", "b"]}).central() == "a"
    assert D({"date_uniform": ["1945-08-16", "1945-08-19"]}).central() == dt.date(1945, 8, 17)


def write_mod(tmp_path, body, name="mod.yaml"):
    path = tmp_path / name
    path.write_text("extends: test_small\n" + body)
    return path


def test_a_plain_load_uses_the_central_value(tmp_path):
    mod = write_mod(tmp_path, "uncertain:\n  units[j_inf1].readiness: {uniform: [0.2, 0.4]}\n")
    scenario = load_scenario(mod)
    assert next(u for u in scenario.units if u.id == "j_inf1").readiness == pytest.approx(0.3)


def test_uncertain_errors_point_at_the_mod_line(tmp_path):
    mod = write_mod(
        tmp_path,
        "uncertain:\n"
        "  units[j_inf1].readiness: {uniform: [0.2, 0.4]}\n"
        "  units[j_nobody].readiness: {uniform: [0.2, 0.4]}\n"
        "  turns: {uniform: [5, 8]}\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(mod)
    text = str(caught.value)
    assert "mod.yaml:4:3: uncertain.units[j_nobody].readiness: no item 'j_nobody'" in text
    typo = write_mod(tmp_path, "uncertain:\n  turns: {unifrom: [5, 8]}\n", "typo.yaml")
    with pytest.raises(ScenarioError, match=r"typo.yaml:3:\d+: .*did you mean 'uniform'"):
        load_scenario(typo)
    wrong_type = write_mod(tmp_path, "uncertain:\n  turns: {uniform: [5, 8]}\n", "int.yaml")
    with pytest.raises(ScenarioError, match=r"int.yaml:3:3: turns: .*integer"):
        load_scenario(wrong_type)


def test_a_draw_out_of_range_is_found_before_the_batch(tmp_path):
    mod = write_mod(tmp_path, "uncertain:\n  units[j_inf1].readiness: {uniform: [0.5, 1.5]}\n")
    prepared = PreparedVariant(VariantSpec("test_small", (str(mod),)))  # the centre, 1.0, is fine
    with pytest.raises(ScenarioError, match=r"mod.yaml:3:3: .*at their highest: 1.5"):
        prepared.check_extremes()


def test_later_mods_fix_or_remove_what_earlier_ones_left_uncertain(tmp_path):
    first = write_mod(
        tmp_path,
        "uncertain:\n"
        "  units[j_inf1].readiness: {uniform: [0.2, 0.4]}\n"
        "  units[j_inf2].readiness: {uniform: [0.2, 0.4]}\n"
        "  events[broadcast].date: {date_uniform: [1945-08-14, 1945-08-16]}\n",
        "first.yaml",
    )
    second = write_mod(
        tmp_path,
        "remove:\n  events: [broadcast]\nset:\n  units[j_inf2].readiness: 0.9\n",
        "second.yaml",
    )
    found = uncertain_values("test_small", [first, second])
    assert list(found) == ["units[j_inf1].readiness"]
    prepared = PreparedVariant(VariantSpec("test_small", (str(first), str(second))))
    scenario, _, drawn = prepared.game_setup(5)
    units = {u.id: u for u in scenario.units}
    assert units["j_inf2"].readiness == 0.9
    assert units["j_inf1"].readiness == drawn["units[j_inf1].readiness"]


def test_the_worked_example_mod_loads():
    mod = REPO_ROOT / "scenarios/august_storm/mods/uncertain_ceasefire.yaml"
    found = uncertain_values("august_storm", [mod])
    assert "events[ceasefire_5a].date" in found
    assert found["events[ceasefire_5a].date"][0].date_uniform == (
        dt.date(1945, 8, 16),
        dt.date(1945, 8, 19),
    )
