"""The ``--victory`` option: which scheme decides a game, as the scenario's own shipped mod.

A scenario that offers both victory schemes ships one small mod per scheme beside it,
``mods/<scheme>_victory.yaml`` (``set: {victory.scheme: <scheme>}``). Choosing a scheme adds
that mod to the game's mods when the scenario (with the mods already chosen) does not use it
yet, so the choice is saved with the game, replayed and fingerprinted like any mod.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine.errors import Problem, ScenarioError
from engine.history import scenario_folder
from engine.paths import portable_ref
from engine.scenario.loader import load_scenario
from engine.scenario.model import VICTORY_SCHEMES


def scheme_mod(scenario_ref: str | Path, scheme: str) -> Path | None:
    """The shipped mod that makes ``scheme`` decide the scenario's games (None: none ships)."""
    folder = scenario_folder(scenario_ref)
    if folder is None:
        return None
    path = folder / "mods" / f"{scheme}_victory.yaml"
    return path if path.is_file() else None


def scheme_mods(scenario_ref: str | Path, mods: Sequence[str], scheme: str | None) -> list[str]:
    """The mods to load so that ``scheme`` decides the game (``mods`` as they are for None).

    Raises:
        ScenarioError: an unknown scheme, or the scenario offers no way to switch to it (no
            graded block, or no shipped mod); the problem names the scenario and the field.
    """
    mods = [str(m) for m in mods]
    if scheme is None:
        return mods
    where = str(scenario_ref)
    if scheme not in VICTORY_SCHEMES:
        choices = ", ".join(VICTORY_SCHEMES)
        message = f"unknown victory scheme '{scheme}' (choose {choices})"
        raise ScenarioError([Problem(where, 0, 0, "victory.scheme", message)])
    scenario = load_scenario(scenario_ref, mods=mods)
    if scenario.victory.scheme == scheme:
        return mods
    if scheme == "graded" and scenario.victory.graded is None:
        message = "this scenario has no graded scheme (no 'victory.graded' block)"
        raise ScenarioError([Problem(where, 0, 0, "victory.graded", message)])
    path = scheme_mod(scenario_ref, scheme)
    if path is None:
        message = f"no mods/{scheme}_victory.yaml beside the scenario to switch to '{scheme}'"
        raise ScenarioError([Problem(where, 0, 0, "victory.scheme", message)])
    return [*mods, portable_ref(path)]
