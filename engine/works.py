"""Permanent works: which hexes are the fortified regions' concrete, fought bunker by bunker.

The strongest fortified regions of 1945 (Hailar, Hutou, Dongning) were not lines to be broken
but underground fortresses: their garrisons did not fall back, only so many assault groups
could work against the pillboxes at once, and they fought on cut off from their own magazines
long after the armies had gone past (history.md §3.2). ``rules.works`` (docs/rules.md,
"Permanent works") turns a hex of fortification level ``works.level`` or more into works:

* combat (:mod:`engine.combat`): the attack engages at most ``max_odds`` times the defence, and
  only the engaged share of the attackers takes losses; a defender in the works never retreats,
  and each retreat step it stands costs it ``step_loss`` of what is left (never an overrun);
* supply (:mod:`engine.supply`): with ``magazines``, a unit in the works that is cut off keeps
  counting its days out of supply but suffers neither attrition nor the combat penalty.
"""

from __future__ import annotations

from engine.state import GameState
from engine.world import World


def in_works(world: World, state: GameState, index: int) -> bool:
    """Whether hex ``index`` is permanent works under the game's rules."""
    level = state.rules.works.level
    return level > 0 and int(world.fort_level[index]) >= level


def on_magazines(world: World, state: GameState, index: int) -> bool:
    """Whether a unit standing on hex ``index`` lives on the works' magazines when cut off."""
    return state.rules.works.magazines and in_works(world, state, index)
