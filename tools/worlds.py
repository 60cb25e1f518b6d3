"""One scenario and world per process, reused from game to game, as a batch worker does.

A world keeps its movement graphs and the AI's distance fields; games on the same world are
the same games (the caches are pure), only faster after the first.
"""

from __future__ import annotations

from engine.scenario.loader import load_scenario
from engine.scenario.model import Scenario
from engine.world import World

_CACHE: dict[tuple[str, tuple[str, ...]], tuple[Scenario, World]] = {}


def scenario_and_world(name: str, mods: list[str] | tuple[str, ...] = ()) -> tuple[Scenario, World]:
    """The scenario ``name`` with ``mods`` and its world, built once per process."""
    key = (name, tuple(mods))
    if key not in _CACHE:
        scenario = load_scenario(name, mods=list(mods))
        _CACHE[key] = (scenario, World(scenario))
    return _CACHE[key]
