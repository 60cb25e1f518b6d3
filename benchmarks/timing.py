"""The benchmarks' one timing helper: the median of several runs (the house rule)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], runs: int, collect: bool = False) -> float:
    """Median wall time of ``fn`` over ``runs`` calls, in milliseconds.

    With ``collect``, each run starts after a garbage collection (no garbage of the last run to
    pay for: fewer outliers where a run allocates a lot).
    """
    times = []
    for _ in range(runs):
        if collect:
            gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def machine_check_ms() -> float:
    """Median time of a fixed numpy workload (ten 300x300 inverses): how busy the machine is.

    This VM's speed varies by up to 2x from minute to minute: compare figures taken with
    similar checks.
    """
    import numpy as np

    a = np.random.default_rng(0).random((300, 300))
    return median_ms(lambda: [np.linalg.inv(a) for _ in range(10)], 5, collect=True)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of some values, linearly interpolated."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
