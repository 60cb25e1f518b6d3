"""One scenario and world per process, reused from game to game, as a batch worker does.

A world keeps its movement graphs and the AI's distance fields; games on the same world are
the same games (the caches are pure), only faster after the first. Mods with ``uncertain:``
values give each seed its own scenario and world (:func:`game_setup`), as a batch does.
"""

from __future__ import annotations

from typing import Any

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


_VARIANTS: dict[tuple[str, tuple[str, ...]], Any] = {}

#: The uncertainties of 1945 (scenarios/august_storm/mods/uncertain_1945.yaml), which the
#: developer tools draw per seed unless told not to.
UNCERTAIN_1945 = "scenarios/august_storm/mods/uncertain_1945.yaml"


def game_setup(
    name: str, mods: list[str] | tuple[str, ...], seed: int
) -> tuple[Scenario, World, dict[str, Any]]:
    """The scenario, world and drawn values of the game played with ``seed``.

    The mods' variant with its ``uncertain:`` values drawn for ``seed`` (engine.batch.sampling:
    the same draw for the same seed in any process); without uncertain values, one scenario and
    world per process. Each variant is prepared once per process.
    """
    from engine.batch.variants import PreparedVariant, VariantSpec

    key = (name, tuple(mods))
    variant = _VARIANTS.get(key)
    if variant is None:
        variant = _VARIANTS[key] = PreparedVariant(VariantSpec(name, tuple(mods)))
    return variant.game_setup(seed)
