"""The after-action charts: VP, losses, advance and the front line by day, drawn by matplotlib.

Each chart is a ``matplotlib.figure.Figure`` drawn on the Agg canvas (no pyplot, no display) in
the window's palette (``ui.style`` sides and fronts, ``ui.panel_style`` panel colours), at the
pixel size it will be shown at. :func:`render_chart` gives an RGBA array for the window to blit;
:func:`chart_png` the same picture as PNG bytes for an export. Nothing here imports pygame, so a
report script can draw the charts without a window.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from engine.aar import AfterAction, DayFigures
from engine.world import World
from ui import panel_style as ps
from ui import style
from ui.style import Colour, Palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The charts with a page of their own, in the order of the screen's tabs.
CHARTS: tuple[str, ...] = ("vp", "losses", "advance", "fronts")
#: Every chart: the capture days against 1945 sit under the capture table, then the pages.
ALL_CHARTS: tuple[str, ...] = ("captures", *CHARTS)
CHART_TITLES: dict[str, str] = {
    "captures": "Capture days against 1945",
    "vp": "Victory points",
    "losses": "Losses per day",
    "advance": "Advance of each front",
    "fronts": "The front line by day",
}
#: Days of the front-line maps before the last one (the brief's 1, 4, 7, 10, 13, end).
FRONT_MAP_DAYS: tuple[int, ...] = (1, 4, 7, 10, 13)
DPI = 100
NOBODY: Colour = (196, 198, 200)
"""Land no side holds, on the front-line maps."""
GRID: Colour = (70, 76, 86)


def front_map_days(last: int, wanted: Sequence[int] = FRONT_MAP_DAYS) -> list[int]:
    """The days of the front-line maps of a game of ``last`` days: ``wanted`` before it, then it."""
    if last <= 0:
        return []
    return [d for d in wanted if d < last] + [last]


def render_chart(
    aar: AfterAction,
    kind: str,
    size: tuple[int, int],
    palette: Palette = style.STANDARD,
    world: World | None = None,
) -> np.ndarray:
    """A chart as an RGBA array of ``size`` (width, height) pixels.

    ``world`` is needed for the front-line maps (``fronts``).

    Raises:
        ValueError: an unknown chart, or ``fronts`` without a world.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = make_figure(aar, kind, size, palette, world)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def chart_png(
    aar: AfterAction,
    kind: str,
    size: tuple[int, int],
    palette: Palette = style.STANDARD,
    world: World | None = None,
) -> bytes:
    """A chart as PNG bytes (see :func:`render_chart`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = make_figure(aar, kind, size, palette, world)
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor=fig.get_facecolor())
    return buf.getvalue()


def make_figure(
    aar: AfterAction,
    kind: str,
    size: tuple[int, int],
    palette: Palette = style.STANDARD,
    world: World | None = None,
) -> Figure:
    """The figure of one chart (see :data:`CHARTS`).

    Raises:
        ValueError: an unknown chart, or ``fronts`` without a world.
    """
    from matplotlib.figure import Figure

    w, h = max(200, size[0]), max(150, size[1])
    fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, facecolor=_c(ps.PANEL_BG))
    if kind == "vp":
        _vp(fig, aar, palette)
    elif kind == "losses":
        _losses(fig, aar, palette)
    elif kind == "advance":
        _advance(fig, aar, palette)
    elif kind == "captures":
        _captures(fig, aar, palette)
    elif kind == "fronts":
        if world is None:
            raise ValueError("the front-line maps need the game's world")
        _fronts(fig, aar, palette, world)
    else:
        raise ValueError(f"unknown chart {kind!r} (charts: {', '.join(ALL_CHARTS)})")
    return fig


# ---------------------------------------------------------------- the charts


def _vp(fig: Figure, aar: AfterAction, palette: Palette) -> None:
    a, b = aar.side_order
    days = [0, *(d.day for d in aar.days)]
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for side in (a, b):
        top.plot(
            days,
            aar.vp_series(side),
            color=_c(palette.side_colour(side)),
            lw=2.2,
            marker="o",
            ms=3,
            label=_side(side),
        )
    _style(top, "VP at the end of each day")
    top.legend(loc="upper left", fontsize=9, facecolor=_c(ps.PANEL_BG_ALT), labelcolor=_c(ps.TEXT))
    margin = [x - y for x, y in zip(aar.vp_series(a), aar.vp_series(b), strict=True)]
    bottom.fill_between(days, margin, 0, color=_c(palette.side_colour(a)), alpha=0.35, lw=0)
    bottom.plot(days, margin, color=_c(ps.TEXT), lw=1.4)
    for name, value in aar.victory_levels:
        for sign in (1, -1):
            bottom.axhline(sign * value, color=_c(ps.TEXT_DIM), lw=0.8, ls="--")
        bottom.text(
            days[-1], value, f" {name}", color=_c(ps.TEXT_DIM), fontsize=8, va="bottom", ha="right"
        )
    bottom.axhline(0, color=_c(ps.TEXT_DIM), lw=0.8)
    _style(bottom, f"margin: {_side(a)} less {_side(b)} (dashed: the victory levels)")
    bottom.set_xlabel(_day_axis(aar), color=_c(ps.TEXT_DIM), fontsize=9)
    _day_ticks(bottom, days)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.1, hspace=0.28)


def _losses(fig: Figure, aar: AfterAction, palette: Palette) -> None:
    kinds = ("men", "tanks", "guns")
    axes = fig.subplots(2, 3, sharex=True)
    days = [d.day for d in aar.days]
    for r, side in enumerate(aar.side_order):
        colour = _c(palette.side_colour(side))
        for k, kind in enumerate(kinds):
            ax = axes[r][k]
            values = aar.losses_per_day(side, kind)
            ax.bar(days, values, color=colour, width=0.8)
            if kind == "men":
                prisoners = aar.prisoners_per_day(side)
                if any(prisoners):
                    ax.bar(
                        days,
                        prisoners,
                        color="none",
                        edgecolor=_c(ps.PANEL_BG),
                        hatch="////",
                        width=0.8,
                        lw=0,
                        label="surrendered",
                    )
                    ax.legend(
                        loc="upper left",
                        fontsize=8,
                        facecolor=_c(ps.PANEL_BG_ALT),
                        labelcolor=_c(ps.TEXT),
                    )
            total = sum(values)
            _style(ax, f"{_side(side)} {kind} ({total:,} in all)")
            ax.yaxis.set_major_formatter(_thousands())
            _day_ticks(ax, days)
    for ax in axes[1]:
        ax.set_xlabel(_day_axis(aar), color=_c(ps.TEXT_DIM), fontsize=9)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.1, hspace=0.3, wspace=0.25)


def _advance(fig: Figure, aar: AfterAction, palette: Palette) -> None:
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    days = [d.day for d in aar.days]
    fronts = aar.fronts
    width = 0.8 / max(1, len(fronts))
    for k, front in enumerate(fronts):
        colour = _c(palette.front_colour(front.id, front.side))
        label = front.name.split(" (")[0]
        top.plot(days, aar.advance_series(front.id), color=colour, lw=2.2, marker="o", ms=3)
        top.plot(days, aar.advance_series(front.id, mean=True), color=colour, lw=1.2, ls="--")
        offset = (k - (len(fronts) - 1) / 2) * width
        bottom.bar(
            [d + offset for d in days],
            aar.advance_per_day(front.id),
            width=width,
            color=colour,
            label=label,
        )
    _style(top, "km beyond the start frontier: the deepest unit (solid), the mean (dashed)")
    _style(bottom, "km gained by the deepest unit each day")
    bottom.axhline(0, color=_c(ps.TEXT_DIM), lw=0.8)
    if fronts:
        top.legend(
            handles=[
                _line(_c(palette.front_colour(f.id, f.side)), f.name.split(" (")[0]) for f in fronts
            ],
            loc="upper left",
            fontsize=9,
            facecolor=_c(ps.PANEL_BG_ALT),
            labelcolor=_c(ps.TEXT),
        )
    else:
        top.text(0.5, 0.5, "no front to follow", transform=top.transAxes, color=_c(ps.TEXT_DIM))
    bottom.set_xlabel(_day_axis(aar), color=_c(ps.TEXT_DIM), fontsize=9)
    _day_ticks(bottom, days)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.1, hspace=0.28)


def _captures(fig: Figure, aar: AfterAction, palette: Palette) -> None:
    first = aar.side_order[0]
    places = aar.places
    ax = fig.add_subplot()
    _style(ax, f"the day {_side(first)} forces took each key place and kept it (grey: 1945)")
    if not places:
        ax.text(0.5, 0.5, "no key places", transform=ax.transAxes, color=_c(ps.TEXT_DIM))
        return
    colour = _c(palette.side_colour(first))
    last = max([aar.turns, *(c.history_days[1] for c in places if c.history_days)])
    for k, c in enumerate(places):
        y = len(places) - 1 - k
        if c.history_days is not None:
            lo, hi = c.history_days
            ax.barh(y, hi - lo + 1, left=lo - 0.5, height=0.7, color=_c(NOBODY), alpha=0.45, lw=0)
        if c.first_taken_day is not None and c.first_taken_day != c.taken_day:
            ax.plot(c.first_taken_day, y, "o", mfc="none", mec=colour, ms=7, mew=1.5)
        if c.taken_day is not None:
            ax.plot(c.taken_day, y, "o", color=colour, ms=8, mec=_c(ps.TEXT), mew=0.8)
        elif c.history_days is not None:
            ax.text(last + 0.4, y, "not taken", color=_c(ps.TEXT_DIM), fontsize=8, va="center")
    ax.set_yticks(range(len(places)), [c.name for c in reversed(places)])
    ax.set_xlim(0.5, last + 3.5)
    ax.set_ylim(-0.6, len(places) - 0.4)
    days = list(range(1, last + 1))
    _day_ticks(ax, days)
    ax.set_xlabel(_day_axis(aar), color=_c(ps.TEXT_DIM), fontsize=9)
    fig.tight_layout(pad=0.6)


def _fronts(fig: Figure, aar: AfterAction, palette: Palette, world: World) -> None:
    if not aar.days:
        fig.text(0.5, 0.5, "no day played yet", color=_c(ps.TEXT_DIM), ha="center")
        return
    wanted = front_map_days(aar.days[-1].day)
    shown = [aar.day(d) for d in wanted if _has_day(aar, d)]
    n = len(shown)
    land = _raster(world, ~_water(world)) > 0
    start = _raster(world, aar.start.control)
    rows_, cols_ = _crop(world, aar)
    aspect = math.sqrt(3)
    shape = ((rows_.stop - rows_.start) * aspect) / (cols_.stop - cols_.start)
    w, h = fig.get_size_inches()
    # the grid of maps that shows each map largest
    cols = max(range(1, n + 1), key=lambda c: min(w / c * shape, h / math.ceil(n / c)))
    rows = math.ceil(n / cols)
    base = _terrain_raster(world, palette)
    for k, day in enumerate(shown):
        ax = fig.add_subplot(rows, cols, k + 1)
        image = base.copy()
        control = _raster(world, day.control)
        for s, side in enumerate(aar.side_order):
            held = (control == s) & land
            image[held] = _f(_blend(palette.side_colour(side), (255, 255, 255), 0.6))
            # ground taken since the start in the side's full colour: the advance reads at once
            image[held & (start != s)] = _f(palette.side_colour(side))
        image[(control < 0) & land] = _f(NOBODY)
        ax.imshow(image[rows_, cols_], aspect=aspect, interpolation="nearest")
        ax.contour(
            (start[rows_, cols_] == 0).astype(float),
            levels=[0.5],
            colors=[_c((30, 30, 30))],
            linewidths=0.8,
            linestyles="dashed",
        )
        _places(ax, aar, world, day, palette, rows_.start, cols_.start)
        title = f"day {day.day} · {day.date.day} {day.date:%b}"
        if not day.complete:
            title += " (so far)"
        ax.set_title(title, color=_c(ps.TEXT), fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(_c(GRID))
    a, b = aar.side_order
    fig.suptitle(
        f"Hex control at the end of the day: ground taken since the start in full colour "
        f"({_side(a)} {_colour_name(palette, a)}, {_side(b)} {_colour_name(palette, b)}); "
        "dashed: the start frontier; dots: key places in their holder's colour",
        color=_c(ps.TEXT_DIM),
        fontsize=9,
        y=0.995,
    )
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.01, wspace=0.04, hspace=0.14)


def _crop(world: World, aar: AfterAction) -> tuple[slice, slice]:
    """The rows and raster columns around where the war was, with a margin.

    That is the ground that changed hands, the second side's start ground and the key places.
    """
    g = world.grid
    start = aar.start.control
    active = start != 0
    for day in aar.days:
        active |= day.control != start
    for place in aar.places:
        info = world.places.get(place.id)
        if info is not None:
            active[info.index] = True
    if not active.any():
        return slice(0, g.height), slice(0, 2 * g.width + 1)
    grid = active.reshape(g.height, g.width)
    rows = np.flatnonzero(grid.any(axis=1))
    cols = np.flatnonzero(grid.any(axis=0))
    margin = 3
    r0, r1 = max(0, rows[0] - margin), min(g.height, rows[-1] + margin + 1)
    c0, c1 = max(0, cols[0] - margin), min(g.width, cols[-1] + margin + 1)
    return slice(int(r0), int(r1)), slice(int(2 * c0), int(2 * c1 + 1))


def _colour_name(palette: Palette, side: str) -> str:
    r, g, b = palette.side_colour(side)
    if b > r and b > g:
        return "blue"
    if r > 200 and g > 140:
        return "orange" if b < 60 and g < 190 else "ochre"
    return "red" if r > g else "green"


def _has_day(aar: AfterAction, number: int) -> bool:
    return any(d.day == number for d in aar.days)


def _places(
    ax: Axes,
    aar: AfterAction,
    world: World,
    day: DayFigures,
    palette: Palette,
    row0: int = 0,
    col0: int = 0,
) -> None:
    """The key places as dots in their holder's colour (on a map cropped at row0, col0)."""
    control = day.control
    xs, ys, colours = [], [], []
    for place in aar.places:
        info = world.places.get(place.id)
        if info is None:
            continue
        col, row = world.grid.offset(info.index)
        holder = int(control[info.index])
        side = aar.side_order[holder] if holder >= 0 else ""
        xs.append(2 * col + (row & 1) + 0.5 - col0)
        ys.append(row - row0)
        colours.append(_c(palette.side_colour(side)) if side else _c(NOBODY))
    if xs:
        ax.scatter(
            xs, ys, s=22, c=colours, edgecolors=_c((250, 250, 250)), linewidths=0.9, zorder=3
        )


# ---------------------------------------------------------------- rasters of the hex map


def _raster(world: World, values: np.ndarray) -> np.ndarray:
    """A per-hex layer as an image: two pixels a hex, odd rows shifted by one (odd-r offset).

    Pixels are ``sqrt(3)`` times taller than wide, so show it with ``aspect=sqrt(3)``.
    """
    g = world.grid
    grid = np.asarray(values).reshape(g.height, g.width)
    out = np.full((g.height, 2 * g.width + 1), -1, dtype=np.int16)
    doubled = np.repeat(grid, 2, axis=1).astype(np.int16)
    out[0::2, : 2 * g.width] = doubled[0::2]
    out[1::2, 1:] = doubled[1::2]
    return out


def _water(world: World) -> np.ndarray:
    ids = np.array([t.id in style.WATER_TERRAIN for t in world.terrain_types])
    return ids[world.terrain]


def _terrain_raster(world: World, palette: Palette) -> np.ndarray:
    """The map's background: water in its colour, the rest left for the control tint."""
    water = _raster(world, _water(world)) > 0
    image = np.empty((*water.shape, 3))
    image[:] = np.array(ps.PANEL_BG) / 255.0
    image[water] = np.array(palette.terrain_colour("sea")) / 255.0
    return image


# ---------------------------------------------------------------- looks


def _c(colour: Sequence[int]) -> tuple[float, float, float]:
    """A 0-255 colour as matplotlib's 0-1 floats."""
    return (colour[0] / 255.0, colour[1] / 255.0, colour[2] / 255.0)


def _f(colour: Sequence[int]) -> np.ndarray:
    """A 0-255 colour as an image pixel of 0-1 floats."""
    return np.array(colour[:3], dtype=float) / 255.0


def _blend(a: Sequence[int], b: Sequence[int], t: float) -> Colour:
    """``a`` moved a fraction ``t`` of the way to ``b``."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _side(side: str) -> str:
    return side.replace("_", " ").capitalize()


def _day_axis(aar: AfterAction) -> str:
    return f"day (day 1 = {aar.start_date.day} {aar.start_date:%B %Y})"


def _day_ticks(ax: Axes, days: Sequence[int]) -> None:
    if not days:
        return
    step = max(1, math.ceil(len(days) / 13))
    ax.set_xticks([d for d in days if (d - days[0]) % step == 0])


def _style(ax: Axes, title: str) -> None:
    ax.set_facecolor(_c(ps.PANEL_BG_ALT))
    ax.set_title(title, color=_c(ps.TEXT), fontsize=10, loc="left")
    ax.tick_params(colors=_c(ps.TEXT_DIM), labelsize=8)
    ax.grid(True, color=_c(GRID), lw=0.6, alpha=0.8)
    ax.set_axisbelow(True)
    for spine in ax.spines.values():
        spine.set_color(_c(GRID))


def _thousands():  # noqa: ANN202 - a matplotlib formatter
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _line(colour: tuple[float, float, float], label: str):  # noqa: ANN202 - a legend handle
    from matplotlib.lines import Line2D

    return Line2D([0], [0], color=colour, lw=2.2, label=label)
