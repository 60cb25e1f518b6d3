"""Seeded random streams: one numpy Generator per purpose, spawned from the game's seed.

Combat, events and each AI draw from separate streams, so an extra AI decision never shifts the
dice of combat. Stream states are plain dicts and travel in save files.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

STREAM_NAMES: tuple[str, ...] = ("combat", "events", "ai.0", "ai.1", "spare.0", "spare.1")
# The daily key of the units' own surrender rolls (engine.surrender.give_ups): one draw a day.
# It took the first spare stream; the name stays so that saves made before read alike.
SURRENDER_STREAM = "spare.0"


def make_streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators for every stream name, reproducible from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAM_NAMES))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAM_NAMES, children, strict=True)
    }


def keyed_uniform(day_key: int, name: str) -> float:
    """A uniform draw in [0, 1) that depends on the day's key and ``name`` only.

    A day's draws for many things (events, units) come from one key drawn from a stream each
    day, so adding, removing or skipping one of them never shifts another's dice: two
    counterfactuals of one seed roll alike for the same event or unit on the same day.
    """
    return float(np.random.default_rng([day_key, zlib.crc32(name.encode())]).random())


def day_key(stream: np.random.Generator) -> int:
    """The day's key for :func:`keyed_uniform`: one draw from ``stream``."""
    return int(stream.integers(2**63))


def stream_states(streams: dict[str, np.random.Generator]) -> dict[str, Any]:
    """JSON-safe states of all streams."""
    return {name: _jsonable(gen.bit_generator.state) for name, gen in streams.items()}


def restore_streams(states: dict[str, Any]) -> dict[str, np.random.Generator]:
    """Generators restored from :func:`stream_states` output."""
    out = {}
    for name in STREAM_NAMES:
        bit_gen = np.random.PCG64()
        bit_gen.state = states[name]
        out[name] = np.random.Generator(bit_gen)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, np.integer):
        return int(value)
    return value
