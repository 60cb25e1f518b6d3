"""The sensitivity suite's machinery: its mods load, its metrics exist, its verdicts are right."""

from __future__ import annotations

import pytest

from engine.scenario.loader import load_scenario
from engine.simulate import simulate_game
from tools.sensitivity import ARMIES, ENSEMBLE, load_suite, metrics, paired, play, verdict


def test_every_counterfactual_of_the_suite_loads_and_names_known_metrics():
    suite = load_suite()
    assert len(suite) >= 12
    scenario = load_scenario("test_small")
    record = simulate_game(scenario, 1, {"soviet": "passive", "japanese": "passive"}).record
    storm = load_scenario("august_storm")
    places = {p.id for p in storm.places}
    fronts = {f.id for f in storm.formations if f.kind == "front"}
    for name, spec in suite.items():
        load_scenario(spec["mod"])  # raises ScenarioError on a broken mod
        assert spec["why"], name
        for metric, sign in spec["expect"].items():
            assert sign in ("+", "-"), (name, metric)
            kind, _, rest = metric.partition(":")
            if kind == "day":
                assert rest in places, (name, metric)
            elif kind in ("advance", "mean_advance"):
                who, day = rest.rsplit(":", 1)
                known = set(ARMIES) | (fronts if kind == "advance" else set())
                assert who in known and 1 <= int(day) <= storm.turns, (name, metric)
            elif kind == "lost":
                assert rest in ("soviet", "japanese", *ARMIES), (name, metric)
            else:
                assert metric == "vp_margin", (name, metric)
    values = metrics(record, scenario.turns)
    assert values["day:eastcity"] == scenario.turns + 1  # nobody took it: passive players
    assert values["lost:soviet"] == 0 and "vp_margin" in values


@pytest.mark.parametrize(
    ("low", "high", "expect", "want"),
    [
        (0.5, 2.0, "+", "pass"),
        (-2.0, -0.5, "-", "pass"),
        (-1.0, 1.0, "+", "no effect"),
        (0.0, 0.0, "-", "no effect"),
        (0.5, 2.0, "-", "WRONG WAY"),
    ],
)
def test_verdicts(low, high, expect, want):
    assert verdict(low, high, expect) == want


def test_paired_differences_and_their_interval():
    base = {1: {"m": 10.0}, 2: {"m": 12.0}, 3: {"m": 11.0}}
    mod = {1: {"m": 8.0}, 2: {"m": 10.0}, 3: {"m": 9.0}}
    mean, low, high, n = paired(base, mod, "m")
    assert (mean, low, high, n) == (-2.0, -2.0, -2.0, 3)
    mod[3]["m"] = 12.0
    mean, low, high, n = paired(base, mod, "m")
    assert mean == pytest.approx(-1.0) and low < mean < high and n == 3


# A few counterfactuals whose effect is large, on a few seeds: the directions only. The whole
# suite (22 counterfactuals, 20 seeds, about 8 minutes) is a tool: docs/calibration.md.
SHORT = {
    "air_lift_off": "advance:sov_6gta:7",
    "forts_weaker": "day:hutou",  # besieged to the end; Hailar gives up after the broadcast
    "ceasefire_earlier": "lost:soviet",
    "rains_heavier": "day:mudanjiang",
}


def test_the_short_suite_moves_the_campaign_the_way_a_historian_expects():
    suite = load_suite(set(SHORT))
    seeds = (1, 2, 3)
    base = {seed: play(("base", (str(ENSEMBLE),), seed))[2] for seed in seeds}
    for name, metric in SHORT.items():
        mods = (str(ENSEMBLE), suite[name]["mod"])
        variant = {seed: play((name, mods, seed))[2] for seed in seeds}
        mean, _low, _high, n = paired(base, variant, metric)
        assert n == len(seeds)
        want = suite[name]["expect"][metric]
        assert mean > 0 if want == "+" else mean < 0, (name, metric, mean)
