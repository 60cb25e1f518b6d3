"""``summary.json``: each numeric outcome per variant, shares, sensitivity, paired differences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.batch import stats

if TYPE_CHECKING:
    from engine.batch.runner import BatchConfig, Variant

# Categorical columns whose shares are summarised (besides every objective's status).
CATEGORICAL = (
    "winner",
    "victory_level",
    "victory.plans.winner",
    "victory.plans.level",
    "victory.graded.winner",
    "victory.graded.level",
)


def summarise(
    config: BatchConfig, variants: Sequence[Variant], rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The summary document of a finished batch (see docs/batch.md for its layout)."""
    metrics = stats.numeric_columns(rows)
    by_variant = {v.id: [r for r in rows if r["variant"] == v.id] for v in variants}
    doc: dict[str, Any] = {
        "config": config.model_dump(mode="json"),
        "statistics": {
            "quantiles": "numpy linear interpolation (Hyndman & Fan type 7)",
            "ci95": "percentile bootstrap of the mean",
            "bootstrap_resamples": stats.BOOTSTRAP_RESAMPLES,
            "bootstrap_seed": stats.BOOTSTRAP_SEED,
            "paired": "game k of each variant against game k of variant 0 (same seed)",
        },
        "variants": [
            {
                "id": v.id,
                "label": v.label,
                "mods": list(v.spec.mods),
                "sets": dict(v.sets),
                "games": len(by_variant[v.id]),
            }
            for v in variants
        ],
        "metrics": {},
        "shares": {},
        "captured_share": {},
    }
    for v in variants:
        group = by_variant[v.id]
        key = str(v.id)
        doc["metrics"][key] = {m: stats.describe(stats.values_of(group, m)) for m in metrics}
        categorical = [*CATEGORICAL, *_objective_status_columns(rows)]
        doc["shares"][key] = {c: stats.shares(group, c) for c in categorical}
        doc["captured_share"][key] = stats.captured_shares(group)
    if config.sets:
        doc["sensitivity"] = stats.sensitivity(rows, [p for p, _ in config.sets], metrics)
    if len(variants) > 1:
        base = by_variant[variants[0].id]
        doc["paired"] = {
            f"{v.id}-{variants[0].id}": stats.paired_differences(base, by_variant[v.id], metrics)
            for v in variants[1:]
        }
    return doc


def _objective_status_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows[:1]:
        for key in row:
            if key.startswith("objective.") and key.endswith(".status"):
                seen[key] = None
    return list(seen)
