"""Sampling a mod's ``uncertain:`` values: one independent, reproducible draw per game and path.

A mod may declare values it is unsure of as distributions (see
:class:`engine.scenario.mods.Distribution`). Game ``k`` of a batch is played with seed ``S + k``
and draws each uncertain path from its own generator, seeded from a SHA-256 hash of the seed and
the path (never Python's ``hash()``, which changes from process to process). So a game's draws
depend on nothing but its seed and the path: they are the same in every variant of a batch
(common random numbers), with any number of workers, and adding or removing one uncertain path
leaves the others' draws as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from engine.scenario.mods import Distribution

_SEED_MASK = (1 << 64) - 1


def path_generator(seed: int, path: str) -> np.random.Generator:
    """The generator for one uncertain ``path`` in the game played with ``seed``."""
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 32, 4)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed & _SEED_MASK, *words])))


def draw(dist: Distribution, rng: np.random.Generator) -> Any:
    """One value from a distribution: a float, a ``datetime.date`` or one of the choices."""
    if dist.uniform is not None:
        lo, hi = dist.uniform
        return float(rng.uniform(lo, hi))
    if dist.normal is not None:
        mean, sd = dist.normal
        value = float(rng.normal(mean, sd))
        if dist.clip is not None:
            value = min(max(value, dist.clip[0]), dist.clip[1])
        return value
    if dist.triangular is not None:
        lo, mode, hi = dist.triangular
        return float(rng.triangular(lo, mode, hi)) if hi > lo else float(lo)
    if dist.date_uniform is not None:
        first, last = dist.date_uniform
        return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))
    assert dist.choice is not None  # the model requires exactly one kind
    return dist.choice[int(rng.integers(0, len(dist.choice)))]


def sample(uncertain: Mapping[str, Distribution], seed: int) -> dict[str, Any]:
    """A value for every uncertain path, for the game played with ``seed`` (in path order)."""
    return {path: draw(uncertain[path], path_generator(seed, path)) for path in sorted(uncertain)}
