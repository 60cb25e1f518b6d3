"""Statistics of a batch: per-metric summaries, bootstrap confidence intervals, paired differences.

Quantiles use numpy's default (linear interpolation between order statistics, Hyndman & Fan
type 7). The 95% confidence interval of a mean is a percentile bootstrap: ``resamples`` means of
samples drawn with replacement, from a generator with a fixed seed, and their 2.5% and 97.5%
quantiles, so the same values always give the same interval. Paired differences compare two
variants game by game: game ``k`` of every variant has the same seed (common random numbers),
so ``x_b[k] - x_a[k]`` cancels most of the luck two independent samples would carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 19450809
QUANTILES = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}
# Columns that identify a game rather than measure its outcome.
IDENTITY = ("variant", "k", "seed")


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile-bootstrap confidence interval of the mean (None with no values)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    if n == 0:
        return None
    if n == 1 or np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = np.random.Generator(np.random.PCG64(seed))
    means = np.empty(resamples)
    chunk = max(1, min(resamples, 2_000_000 // n))  # bounded memory for large batches
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = x[idx].mean(axis=1)
    tail = (1.0 - level) / 2
    lo, hi = np.quantile(means, [tail, 1.0 - tail])
    return float(lo), float(hi)


def describe(values: Sequence[float] | np.ndarray) -> dict[str, Any]:
    """n, mean, sd, the quantiles and the bootstrap 95% CI of the mean of some values."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return {"n": 0}
    out: dict[str, Any] = {"n": int(x.size), "mean": float(x.mean())}
    out["sd"] = float(x.std(ddof=1)) if x.size > 1 else 0.0
    for name, q in QUANTILES.items():
        out[name] = float(np.quantile(x, q))
    ci = bootstrap_ci(x)
    out["ci95"] = list(ci) if ci is not None else None
    return out


def is_number(value: Any) -> bool:
    """A real number (booleans are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_columns(
    rows: Sequence[Mapping[str, Any]], skip_prefixes: Iterable[str] = ()
) -> list[str]:
    """Columns whose every present value is a number (identity and ``set.`` columns left out)."""
    skip = tuple(skip_prefixes) + ("set.",)
    order: dict[str, bool] = {}
    for row in rows:
        for key, value in row.items():
            if key in IDENTITY or key.startswith(skip):
                continue
            if value is None:
                order.setdefault(key, True)
                continue
            order[key] = order.get(key, True) and is_number(value)
    return [k for k, ok in order.items() if ok and any(is_number(r.get(k)) for r in rows)]


def values_of(rows: Iterable[Mapping[str, Any]], column: str) -> list[float]:
    """The numeric values of a column, missing ones left out."""
    return [float(r[column]) for r in rows if is_number(r.get(column))]


def shares(rows: Sequence[Mapping[str, Any]], column: str) -> dict[str, float]:
    """Share of games with each value of a categorical column (missing counted as ``none``)."""
    if not rows:
        return {}
    counts: dict[str, int] = {}
    for row in rows:
        value = row.get(column)
        key = "none" if value is None else str(value)
        counts[key] = counts.get(key, 0) + 1
    return {k: counts[k] / len(rows) for k in sorted(counts)}


def captured_shares(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Per place: share of games in which it was taken and still held by its taker at the end."""
    places = [k.split(".", 1)[1] for k in (rows[0] if rows else {}) if k.startswith("controller.")]
    out = {}
    for pid in places:
        taken = sum(
            1
            for r in rows
            if r.get(f"captured_by.{pid}") is not None
            and r.get(f"captured_by.{pid}") == r.get(f"controller.{pid}")
        )
        out[pid] = taken / len(rows)
    return out


def paired_differences(
    base: Sequence[Mapping[str, Any]], other: Sequence[Mapping[str, Any]], metrics: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Per metric: the summary of ``other - base`` over the games present in both (paired by k).

    A pair counts only when both games have the metric (a place taken in both, say); ``n`` says
    how many pairs there were.
    """
    by_k = {int(r["k"]): r for r in base}
    out: dict[str, dict[str, Any]] = {}
    for metric in metrics:
        diffs = []
        for r in other:
            b = by_k.get(int(r["k"]))
            if b is not None and is_number(r.get(metric)) and is_number(b.get(metric)):
                diffs.append(float(r[metric]) - float(b[metric]))
        out[metric] = describe(diffs)
    return out


def sensitivity(
    rows: Sequence[Mapping[str, Any]], set_paths: Sequence[str], metrics: Sequence[str]
) -> dict[str, dict[str, dict[str, float | None]]]:
    """For each swept path and each of its values: the mean of every metric over those games."""
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for path in set_paths:
        column = f"set.{path}"
        levels: dict[str, list[Mapping[str, Any]]] = {}
        for row in rows:
            levels.setdefault(str(row.get(column)), []).append(row)
        out[path] = {}
        for level, group in levels.items():
            means = {}
            for metric in metrics:
                vals = values_of(group, metric)
                means[metric] = float(np.mean(vals)) if vals else None
            out[path][level] = means
    return out
