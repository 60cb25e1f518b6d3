"""``report.html``: a batch's results on one self-contained page, plots embedded as PNG.

matplotlib is imported inside the functions that draw (through ``matplotlib.figure.Figure`` and
the Agg canvas, never pyplot), so the engine stays importable without it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.batch import stats
from engine.batch.variants import PreparedVariant
from engine.history import HistoryDate, read_history, turn_of_date
from engine.save import write_text_atomic
from engine.scenario.model import Scenario
from engine.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from engine.batch.runner import BatchConfig, Variant

MAX_MAP_VARIANTS = 4
MAX_PLOT_VARIANTS = 6
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


# ---------------------------------------------------------------- the page


def write_report(
    path: Path,
    config: BatchConfig,
    variants: Sequence[Variant],
    rows: Sequence[dict[str, Any]],
    summary: dict[str, Any],
    lines: dict[tuple[int, int], dict[str, Any]],
) -> None:
    """Draw every section and write the page atomically."""
    scenario = PreparedVariant(variants[0].spec).scenario
    world = World(scenario)
    history = read_history(config.scenario)
    first_side = scenario.side_order[0]
    key_places = [p for p in history if p in world.places] or _top_places(scenario, first_side)
    shown = list(variants[:MAX_PLOT_VARIANTS])
    by_variant = {v.id: [r for r in rows if r["variant"] == v.id] for v in variants}
    parts = [
        _head(scenario, config, variants, rows),
        _section_victory(shown, by_variant),
        _section_graded(scenario, shown, by_variant),
        _section_capture(scenario, world, shown, by_variant, key_places, history, first_side),
        _section_losses(scenario, shown, by_variant),
        _section_advance(scenario, shown, by_variant),
        _section_objectives(scenario, variants, summary),
        _section_maps(scenario, world, variants[:MAX_MAP_VARIANTS], config, lines, first_side),
    ]
    selected = _selected_metrics(scenario, rows, key_places)
    if config.sets:
        parts.append(_section_sensitivity(config, summary, selected))
    if len(variants) > 1:
        parts.append(_section_paired(variants, summary, selected))
    sampled = [c for c in (rows[0] if rows else {}) if c.startswith("sampled.")]
    if sampled:
        parts.append(_section_sampled(rows, sampled))
    parts.append(_section_plan_logs(variants, lines))
    text = _PAGE.format(title=html.escape(f"Batch: {scenario.name}"), body="\n".join(parts))
    write_text_atomic(path, text)


def _section_plan_logs(
    variants: Sequence[Variant], lines: dict[tuple[int, int], dict[str, Any]]
) -> str:
    """The AI players' plan logs of each variant's first game, folded."""
    out = []
    for v in variants:
        logs = lines.get((v.id, 0), {}).get("plan_log") or {}
        for side, entries in logs.items():
            if not entries:
                continue
            text = html.escape("\n".join(entries))
            out.append(
                f"<details><summary>Variant {v.id}, game 0, {html.escape(side)}: "
                f"{len(entries)} decisions</summary><pre>{text}</pre></details>"
            )
    if not out:
        return ""
    note = (
        '<p class="note">What the AI planned and why, turn by turn: its groups\' objectives, '
        "its attacks and holds with their odds, its landings and air supply (docs/ai.md).</p>"
    )
    return "<h2>The AI's plan logs (first game of each variant)</h2>" + note + "".join(out)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 1200px; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
img {{ max-width: 100%; }}
.note {{ color: #555; font-size: 0.9em; }}
</style></head><body>
{body}
</body></html>
"""


def _table(header: Sequence[str], body: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(c))}</td>" for c in row) + "</tr>" for row in body
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _img(fig: Figure, alt: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _head(
    scenario: Scenario, config: BatchConfig, variants: Sequence[Variant], rows: Sequence[Any]
) -> str:
    body = [[v.id, v.label, ", ".join(Path(m).name for m in v.spec.mods) or "–"] for v in variants]
    players = ", ".join(f"{side}: {name}" for side, name in config.players.items())
    return (
        f"<h1>{html.escape(scenario.name)}</h1>"
        f'<p class="note">{len(rows)} games: {config.runs} per variant, seeds {config.seed} to '
        f"{config.seed + config.runs - 1} in every variant (common random numbers). Players: "
        f"{html.escape(players)}.</p>"
        "<h2>Variants</h2>" + _table(["id", "variant", "mods"], body)
    )


def _section_victory(variants: Sequence[Variant], by_variant: dict[int, list[Any]]) -> str:
    levels: list[str] = []
    for v in variants:
        for key in stats.shares(by_variant[v.id], "victory_level"):
            if key not in levels:
                levels.append(key)
    fig = _figure(7, 3)
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(variants))
    x = np.arange(len(levels))
    for n, v in enumerate(variants):
        share = stats.shares(by_variant[v.id], "victory_level")
        ax.bar(x + n * width, [share.get(k, 0) for k in levels], width, label=f"{v.id}: {v.label}")
    ax.set_xticks(x + width * (len(variants) - 1) / 2, levels)
    ax.set_ylabel("share of games")
    ax.legend(fontsize="small")
    winners: list[str] = sorted(
        {w for v in variants for w in stats.shares(by_variant[v.id], "winner")}
    )
    body = []
    for v in variants:
        win = stats.shares(by_variant[v.id], "winner")
        level = stats.shares(by_variant[v.id], "victory_level")
        body.append(
            [f"{v.id}: {v.label}"]
            + [f"{win.get(w, 0):.0%}" for w in winners]
            + [f"{level.get(k, 0):.0%}" for k in levels]
        )
    header = ["variant", *(f"winner {w}" for w in winners), *levels]
    return "<h2>Victory level</h2>" + _img(fig, "victory level distribution") + _table(header, body)


def _section_graded(
    scenario: Scenario, variants: Sequence[Variant], by_variant: dict[int, list[Any]]
) -> str:
    """Both schemes' verdicts, and each benchmark of the graded scheme against 1945."""
    graded = scenario.victory.graded
    if graded is None:
        return ""
    a, b = scenario.side_order
    body = []
    for v in variants:
        rows = by_variant[v.id]
        cells = [f"{v.id}: {v.label}"]
        for scheme in ("plans", "graded"):
            win = stats.shares(rows, f"victory.{scheme}.winner")
            margin = stats.values_of(rows, f"victory.{scheme}.margin")
            mid = f"{np.median(margin):+.1f}" if margin else "-"
            cells += [f"{win.get(a, 0):.0%}", f"{win.get(b, 0):.0%}", mid]
        body.append(cells)
    header = ["variant"] + [
        f"{scheme}: {what}"
        for scheme in ("plans", "graded")
        for what in (f"{a} wins", f"{b} wins", "median margin")
    ]
    keys = [f"timetable:{e.place}" for e in graded.timetable]
    keys += ["link_up"] if graded.link_up is not None else []
    keys += ["losses"] if graded.losses is not None else []
    keys += [f"hold:{e.place}" for e in graded.hold]
    bench = []
    for key in keys:
        cells = [key]
        for v in variants:
            rows = by_variant[v.id]
            ahead = stats.values_of(rows, f"graded.{key}.ahead")
            vp = stats.values_of(rows, f"graded.{key}.vp")
            sides = stats.shares(rows, f"graded.{key}.side")
            mid = f"{np.median(ahead):+g}" if ahead else "-"
            cells.append(
                f"{mid}; {a} {sides.get(a, 0):.0%}, {b} {sides.get(b, 0):.0%}; "
                f"{np.mean(vp) if vp else 0:.1f} VP"
            )
        bench.append(cells)
    return (
        "<h2>Against 1945 (the graded scheme)</h2>"
        f'<p class="note">The scheme that decides: {html.escape(scenario.victory.scheme)}. Each '
        "scheme's winners and median margin; then each benchmark: the median days (losses: "
        f"thousands of men) {html.escape(graded.attacker)} beat 1945 by (+) or missed it by "
        "(-), the share of games each side scored on it, and its mean VP (docs/rules.md, "
        '"Graded victory").</p>'
        + _table(header, body)
        + _table(["benchmark", *(f"{v.id}: {v.label}" for v in variants)], bench)
    )


def _section_capture(
    scenario: Scenario,
    world: World,
    variants: Sequence[Variant],
    by_variant: dict[int, list[Any]],
    places: Sequence[str],
    history: dict[str, HistoryDate],
    side: str,
) -> str:
    fig = _figure(8, 0.55 * len(places) + 1.2)
    ax = fig.add_subplot()
    height = 0.8 / max(1, len(variants))
    table = []
    for n, pid in enumerate(places):
        y0 = len(places) - 1 - n
        hist = history.get(pid)
        if hist is not None:
            lo, hi = turn_of_date(scenario, hist.first), turn_of_date(scenario, hist.last)
            ax.fill_betweenx([y0 - 0.45, y0 + 0.45], lo - 0.5, hi + 0.5, color="#ddd", zorder=0)
        row: list[Any] = [world.places[pid].spec.name]
        if hist is not None:
            row += [_span(hist.first, hist.last), f"{lo}–{hi}" if lo != hi else lo]
        else:
            row += [None, None]
        for k, v in enumerate(variants):
            days = _capture_days(by_variant[v.id], pid, side)
            y = y0 + (len(variants) - 1) / 2 * height - k * height
            if days:
                ax.boxplot(
                    days,
                    positions=[y],
                    widths=height * 0.8,
                    orientation="horizontal",
                    manage_ticks=False,
                    patch_artist=True,
                    boxprops={"facecolor": COLOURS[k % len(COLOURS)], "alpha": 0.6},
                    flierprops={"markersize": 3},
                )
            group = by_variant[v.id]
            share = len(days) / len(group) if group else 0.0
            median = float(np.median(days)) if days else None
            row.extend([f"{share:.0%}", median])
        table.append(row)
    ax.set_yticks(range(len(places)), [world.places[p].spec.name for p in reversed(places)])
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=COLOURS[k % len(COLOURS)], alpha=0.6, label=f"{v.id}: {v.label}")
        for k, v in enumerate(variants)
    ]
    ax.legend(handles=handles, fontsize="x-small", loc="lower right")
    ax.set_xlabel(
        f"day taken by {side} (day 1 = {scenario.date_of_turn(1):%d %b %Y}); grey: history"
    )
    ax.set_xlim(0.5, scenario.turns + 0.5)
    header = ["place", "historical", "day"]
    for v in variants:
        header += [f"{v.id}: taken", f"{v.id}: median day"]
    note = (
        '<p class="note">Boxes: the day each key place was last taken by '
        f"{html.escape(side)} and still held at the end, over the games where it was (one box "
        "per variant, in variant order top to bottom); grey bands: the historical date or span "
        "(history_dates.yaml, with its sources).</p>"
    )
    return (
        "<h2>Capture days of key places against history</h2>"
        + _img(fig, "capture days")
        + note
        + _table(header, table)
    )


def _span(first: dt.date, last: dt.date) -> str:
    return f"{first:%d %b}" if first == last else f"{first:%d}–{last:%d %b}"


def _capture_days(rows: Sequence[dict[str, Any]], pid: str, side: str) -> list[float]:
    return [
        float(r[f"captured_turn.{pid}"])
        for r in rows
        if r.get(f"captured_by.{pid}") == side
        and r.get(f"controller.{pid}") == side
        and stats.is_number(r.get(f"captured_turn.{pid}"))
    ]


def _section_losses(
    scenario: Scenario, variants: Sequence[Variant], by_variant: dict[int, list[Any]]
) -> str:
    kinds = ("men", "tanks", "guns")
    fig = _figure(10, 2.6 * len(scenario.side_order))
    axes = fig.subplots(len(scenario.side_order), len(kinds), squeeze=False)
    for i, side in enumerate(scenario.side_order):
        for j, kind in enumerate(kinds):
            ax = axes[i][j]
            data = [stats.values_of(by_variant[v.id], f"losses.{side}.{kind}") for v in variants]
            if any(data):
                ax.boxplot([d or [np.nan] for d in data], tick_labels=[str(v.id) for v in variants])
            ax.set_title(f"{side} {kind} lost", fontsize="small")
            ax.set_xlabel("variant", fontsize="small")
    note = (
        '<p class="note">Aircraft losses are not modelled (the engine has no air combat): their '
        "column is empty.</p>"
    )
    return "<h2>Losses</h2>" + _img(fig, "loss distributions") + note


def _section_advance(
    scenario: Scenario, variants: Sequence[Variant], by_variant: dict[int, list[Any]]
) -> str:
    fronts = [f for f in scenario.formations if f.kind == "front"]
    if not fronts:
        return ""
    fig = _figure(10, 2.8 * ((len(fronts) + 1) // 2))
    axes = fig.subplots((len(fronts) + 1) // 2, 2, squeeze=False).ravel()
    for ax, front in zip(axes, fronts, strict=False):
        for k, v in enumerate(variants):
            days, mean, lo, hi = [], [], [], []
            for day in range(1, scenario.turns + 1):
                vals = stats.values_of(by_variant[v.id], f"advance_km.{front.id}.day{day}")
                if vals:
                    days.append(day)
                    mean.append(np.mean(vals))
                    lo.append(np.quantile(vals, 0.05))
                    hi.append(np.quantile(vals, 0.95))
            colour = COLOURS[k % len(COLOURS)]
            ax.plot(days, mean, color=colour, label=f"{v.id}")
            ax.fill_between(days, lo, hi, color=colour, alpha=0.15)
        ax.set_title(front.name, fontsize="small")
        ax.set_xlabel("day", fontsize="small")
        ax.set_ylabel("km", fontsize="small")
        ax.legend(fontsize="x-small", title="variant", title_fontsize="x-small")
    for ax in axes[len(fronts) :]:
        ax.set_visible(False)
    note = (
        '<p class="note">Deepest advance of each front at the end of each day: the greatest '
        "distance from any of its units on the map to the nearest hex its side held at the "
        "start (mean, and the band of 5% to 95% of games).</p>"
    )
    return "<h2>Advance per front</h2>" + _img(fig, "advance per front") + note


def _section_objectives(
    scenario: Scenario, variants: Sequence[Variant], summary: dict[str, Any]
) -> str:
    if not scenario.victory.objectives:
        return '<h2>Objectives</h2><p class="note">The scenario has no dated objectives.</p>'
    body = []
    for obj in scenario.victory.objectives:
        row: list[Any] = [obj.name or obj.id, obj.side, obj.kind, f"{obj.by:%d %b}"]
        for v in variants:
            share = summary["shares"][str(v.id)].get(f"objective.{obj.id}.status", {})
            good = share.get("achieved", 0.0) + share.get("held", 0.0)
            row.append(f"{good:.0%}")
        body.append(row)
    header = ["objective", "side", "kind", "by", *(f"{v.id}: success" for v in variants)]
    note = '<p class="note">Success: achieved by its date, or held to the end.</p>'
    return "<h2>Objectives</h2>" + _table(header, body) + note


def _section_maps(
    scenario: Scenario,
    world: World,
    variants: Sequence[Variant],
    config: BatchConfig,
    lines: dict[tuple[int, int], dict[str, Any]],
    side: str,
) -> str:
    from matplotlib.collections import PolyCollection

    from engine.batch.runner import decode_control

    mine = scenario.side_order.index(side)
    days = [str(d) for d in config.control_days if d <= scenario.turns] + ["last"]
    grid = world.grid
    x = np.sqrt(3) * (grid.cols + 0.5 * (grid.rows & 1))
    y = 1.5 * grid.rows
    angles = np.deg2rad(np.arange(6) * 60 + 30)
    polygons = np.stack([x[:, None] + np.cos(angles), y[:, None] + np.sin(angles)], axis=-1)
    water = np.isinf(world.terrain_move["foot"][world.terrain])
    out = ["<h2>Control maps</h2>"]
    for v in variants:
        ncols = min(len(days), 2)
        nrows = (len(days) + ncols - 1) // ncols
        fig = _figure(5.0 * ncols, 5.0 * nrows * grid.height / grid.width)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax in axes[len(days) :]:
            ax.set_visible(False)
        for ax, day in zip(axes, days, strict=False):
            held = []
            for (vid, _k), line in lines.items():
                if vid != v.id:
                    continue
                key = str(line["last_day"]) if day == "last" else day
                if key in line["control"]:
                    held.append(decode_control(line["control"][key]) == mine)
            ax.set_aspect("equal")
            ax.axis("off")
            ax.set_title(f"day {day} ({len(held)} games)", fontsize="small")
            if not held:
                continue
            share = np.mean(held, axis=0)
            colours = np.where(water[:, None], [[0.8, 0.9, 1.0, 1.0]], _reds(share))
            ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="none"))
            ax.autoscale_view()
            ax.invert_yaxis()
            for info in world.places.values():
                if info.spec.vp.get(side, 0) >= 6:
                    ax.plot(x[info.index], y[info.index], "k.", markersize=2)
        out.append(f"<h3>Variant {v.id}: {html.escape(v.label)}</h3>")
        out.append(_img(fig, f"control map of variant {v.id}"))
    out.append(
        f'<p class="note">Each hex coloured by the share of games in which {html.escape(side)} '
        "held it at the end of the day (white: never, dark red: always; blue: water). "
        "Dots: places worth 6 VP or more to it.</p>"
    )
    return "\n".join(out)


def _reds(share: np.ndarray) -> np.ndarray:
    from matplotlib import colormaps

    return colormaps["Reds"](share)


def _selected_metrics(
    scenario: Scenario, rows: Sequence[dict[str, Any]], places: Sequence[str]
) -> list[str]:
    present = set(stats.numeric_columns(rows))
    wanted = ["turns_played"]
    wanted += [f"vp.{s}" for s in scenario.side_order]
    wanted += [f"losses.{s}.{k}" for s in scenario.side_order for k in ("men", "tanks", "guns")]
    wanted += [f"advance_km.{f.id}.max" for f in scenario.formations if f.kind == "front"]
    wanted += [f"captured_turn.{p}" for p in places]
    return [m for m in wanted if m in present]


def _section_sensitivity(
    config: BatchConfig, summary: dict[str, Any], metrics: Sequence[str]
) -> str:
    out = ["<h2>Sensitivity</h2>"]
    for path, values in config.sets:
        means = summary["sensitivity"][path]
        body = [[m, *(means.get(v, {}).get(m) for v in values)] for m in metrics]
        out.append(f"<h3>{html.escape(path)}</h3>")
        out.append(_table(["mean of", *values], body))
        shown = metrics[:8]
        fig = _figure(10, 2.4 * ((len(shown) + 3) // 4))
        axes = fig.subplots((len(shown) + 3) // 4, 4, squeeze=False).ravel()
        for ax, metric in zip(axes, shown, strict=False):
            ys = [means.get(v, {}).get(metric) for v in values]
            ax.plot(range(len(values)), [np.nan if y is None else y for y in ys], "o-")
            ax.set_xticks(range(len(values)), values, fontsize="x-small")
            ax.set_title(metric, fontsize="x-small")
        for ax in axes[len(shown) :]:
            ax.set_visible(False)
        out.append(_img(fig, f"sensitivity to {path}"))
    out.append(
        '<p class="note">Mean of each outcome over the games with each value of the swept '
        "path (all other swept values pooled).</p>"
    )
    return "\n".join(out)


def _section_paired(
    variants: Sequence[Variant], summary: dict[str, Any], metrics: Sequence[str]
) -> str:
    out = ["<h2>Paired differences against variant 0</h2>"]
    for v in variants[1:]:
        diffs = summary["paired"][f"{v.id}-{variants[0].id}"]
        body = []
        for m in metrics:
            d = diffs.get(m, {"n": 0})
            ci = d.get("ci95")
            body.append([m, d["n"], d.get("mean"), ci[0] if ci else None, ci[1] if ci else None])
        out.append(
            f"<h3>{v.id}: {html.escape(v.label)} minus 0: {html.escape(variants[0].label)}</h3>"
        )
        out.append(
            _table(["metric", "pairs", "mean difference", "95% CI low", "95% CI high"], body)
        )
    out.append(
        '<p class="note">Game k of each variant is played with the same seed, so differences '
        "are taken game by game; the interval is a percentile bootstrap of the mean difference. "
        "A metric counts a pair only when both games have it (a place taken in both).</p>"
    )
    return "\n".join(out)


def _section_sampled(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    fig = _figure(10, 2.4 * ((len(columns) + 2) // 3))
    axes = fig.subplots((len(columns) + 2) // 3, 3, squeeze=False).ravel()
    for ax, column in zip(axes, columns, strict=False):
        values = [r.get(column) for r in rows if r.get(column) is not None]
        if values and all(stats.is_number(v) for v in values):
            ax.hist(values, bins=min(20, max(5, len(values) // 3)))
        else:
            labels = sorted({str(v) for v in values})
            ax.bar(labels, [sum(1 for v in values if str(v) == lab) for lab in labels])
            ax.tick_params(axis="x", labelsize="x-small", rotation=45)
        ax.set_title(column.removeprefix("sampled."), fontsize="x-small")
    for ax in axes[len(columns) :]:
        ax.set_visible(False)
    return "<h2>Sampled uncertain values</h2>" + _img(fig, "sampled values")


def _top_places(scenario: Scenario, side: str, n: int = 8) -> list[str]:
    ranked = sorted(scenario.places, key=lambda p: (-p.vp.get(side, 0), p.id))
    return [p.id for p in ranked[:n] if p.vp.get(side, 0) > 0]
