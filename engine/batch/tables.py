"""The batch's tables: a game's record flattened into one row, and rows written as CSV.

Column names are dotted paths into :class:`engine.simulate.SimulationResult` (see docs/batch.md
for every column). A value the game did not produce (a place never taken, a day not played, the
aircraft losses the engine does not model) is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Row = dict[str, Any]

# The columns every row starts with, in this order; the rest follow in order of first appearance.
HEAD = ("variant", "variant_label", "k", "seed")


def flatten(record: Mapping[str, Any]) -> Row:
    """One game's record (``SimulationResult`` as JSON data) as flat ``column -> value``."""
    row: Row = {
        "turns_played": record["turns_played"],
        "game_over": record["game_over"],
        "winner": record["winner"],
        "victory_level": record["victory_level"],
        "orders": record["orders"],
    }
    for side, name in record["players"].items():
        row[f"players.{side}"] = name
    for side, name in record.get("plans", {}).items():
        row[f"plans.{side}"] = name
    for side, vp in record["victory_points"].items():
        row[f"vp.{side}"] = vp
    for side, kinds in record["losses"].items():
        for kind, amount in kinds.items():
            row[f"losses.{side}.{kind}"] = amount
    for place in record["places"]:
        pid = place["id"]
        row[f"captured_turn.{pid}"] = place["captured_turn"]
        row[f"captured_by.{pid}"] = place["captured_by"]
        row[f"controller.{pid}"] = place["controller"]
    for obj in record["objectives"]:
        row[f"objective.{obj['id']}.status"] = obj["status"]
        row[f"objective.{obj['id']}.turn"] = obj["turn"]
        row[f"objective.{obj['id']}.vp"] = obj["vp"]
    for event in record["events"]:
        row[f"event.{event['id']}.turn"] = event["turn"]
    for front, days in record.get("advance_km", {}).items():
        row[f"advance_km.{front}.max"] = max(days) if days else None
        for day, km in enumerate(days, start=1):
            row[f"advance_km.{front}.day{day}"] = km
    if record.get("schemes"):
        row["scheme"] = record.get("scheme", "plans")
    for scheme, verdict in record.get("schemes", {}).items():
        row[f"victory.{scheme}.winner"] = verdict["winner"]
        row[f"victory.{scheme}.level"] = verdict["level"]
        row[f"victory.{scheme}.margin"] = verdict["margin"]
        for side, vp in verdict["victory_points"].items():
            row[f"victory.{scheme}.vp.{side}"] = vp
    for bench in record.get("graded", []):
        row[f"graded.{bench['key']}.ahead"] = bench["ahead"]
        row[f"graded.{bench['key']}.vp"] = bench["vp"]
        row[f"graded.{bench['key']}.side"] = bench["side"]
    for path, value in sorted(record.get("sampled", {}).items()):
        row[f"sampled.{path}"] = value
    row["state_hash"] = record["state_hash"]
    return row


def columns(rows: Iterable[Row], head: Sequence[str] = HEAD) -> list[str]:
    """Every column of ``rows``: ``head`` first, then each other in order of first appearance.

    ``state_hash`` goes last. The order depends only on the rows (and their order), so the same
    games give the same header whatever ran them.
    """
    seen: dict[str, None] = dict.fromkeys(head)
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    seen.pop("state_hash", None)
    return [*seen, "state_hash"]


def to_csv(rows: Sequence[Row], head: Sequence[str] = HEAD) -> str:
    """Rows as CSV text (one line per row, Unix line ends; missing values empty)."""
    out = io.StringIO()
    names = columns(rows, head)
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in names})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value
