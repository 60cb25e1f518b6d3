"""Canonical shortest paths: a tiny fixed perturbation that makes equal-cost routes unequal.

Two routes of exactly the same cost are common on a hex grid. Which one a search returns would
otherwise depend on the search's own bookkeeping (heap order), so a new scipy, or the networkx
reference, could pick another and change a replay. Every step ``a -> b`` therefore costs
``TIE_EPS * tiebreak(a, b, salt)`` more, a deterministic pseudo-random amount below ``TIE_EPS``:
ties vanish, and every implementation of the same rules finds the same path. Range limits are
compared with a tolerance ``COST_TOL`` far above the perturbation of any path.
"""

from __future__ import annotations

from typing import Any

#: Scale of the perturbation added to every step cost.
TIE_EPS = 1e-7
#: Tolerance when comparing a cost with a limit (covers the perturbation of long paths).
COST_TOL = 1e-4

#: Salts keep the perturbations of different searches independent.
SALT_NETWORK, SALT_OVERLAND, SALT_MOVEMENT = 1, 2, 3


def tiebreak(a: Any, b: Any, salt: int) -> Any:
    """A deterministic pseudo-random value in [0, 1) for the step ``a -> b`` (scalar or array).

    Works identically on Python ints and int64 numpy arrays (all arithmetic stays below 2**62).
    """
    h = (a * 1_000_003 + b * 7919 + salt * 104_729) % 2_147_483_629
    h = (h * 48_271) % 2_147_483_647
    h = (h * 48_271) % 2_147_483_647
    return h / 2_147_483_647
