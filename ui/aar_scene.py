"""The after-action screen: the verdict and its reasons, captures against 1945, and the charts.

A scene of the window's stack (``ui.app``), pushed over the game at its end or on demand with
:func:`open_after_action`. Its figures come from :mod:`engine.aar` (a replay of the game's order
log) and its charts from :mod:`ui.aar_charts`; both run in a worker thread, so no frame waits for
them: the screen says what it is preparing until they arrive. Pages are tabs (keys 1-6, Left and
Right, Tab, or a click); E writes the charts as PNG, J the game's record as the JSON that
``main.py simulate`` writes; Esc goes back to the game.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pygame

from engine.aar import AfterAction, Capture, export_record, replay_after_action
from engine.game import Game
from engine.simulate import plan_name
from engine.world import World
from ui import panel_style as ps
from ui import style
from ui.aar_charts import ALL_CHARTS, CHART_TITLES, CHARTS, chart_png, render_chart
from ui.panels.common import (
    blit_text,
    draw_button,
    fill_panel,
    fit_text,
    fmt_day_month,
    fmt_int,
    fmt_long_date,
    fmt_vp,
    line_height,
    side_label,
    wrap_text,
)
from ui.style import Colour, Palette

if TYPE_CHECKING:
    from ui.app import App
    from ui.session import Session

#: The pages, in tab order: two of text, then one per chart.
PAGES: tuple[str, ...] = ("outcome", "history", *CHARTS)
PAGE_TITLES: dict[str, str] = {
    "outcome": "Outcome",
    "history": "Against 1945",
    "vp": "Victory points",
    "losses": "Losses",
    "advance": "Advance",
    "fronts": "Front line",
}
BUTTONS: tuple[str, ...] = ("png", "json", "close")
BUTTON_LABELS: dict[str, str] = {
    "png": "Charts as PNG (E)",
    "json": "Record as JSON (J)",
    "close": "Back (Esc)",
}
#: Pixel size of each chart an export writes.
EXPORT_SIZE = (1600, 900)
#: The capture chart shows under the capture table when this many pixels are left for it.
MIN_CAPTURE_CHART = 150
HINT = "Left/Right, Tab or 1-6: pages  ·  E: charts as PNG  ·  J: the game's record  ·  Esc: back"
STATUS_WORDS: dict[str, tuple[str, Colour]] = {
    "achieved": ("achieved", ps.GOOD),
    "late": ("achieved late", ps.WARN),
    "held": ("held", ps.GOOD),
    "lost": ("lost", ps.BAD),
    "overdue": ("failed", ps.BAD),
    "open": ("open", ps.TEXT_DIM),
}
VP_SOURCE_LABELS: dict[str, str] = {
    "places": "places held",
    "objectives": "objectives",
    "events": "events",
    "enemy_losses": "enemy losses",
    "preserved": "forces preserved",
}


def default_export_dir() -> Path:
    """Where exports go unless told: the platform's per-user data folder, ``reports`` in it."""
    home = Path.home()
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "august-storm" / "reports"


# ---------------------------------------------------------------- layout


@dataclass
class AARLayout:
    """The screen's rectangles for one window size."""

    size: tuple[int, int]
    header: pygame.Rect
    tabs: dict[str, pygame.Rect]
    buttons: dict[str, pygame.Rect]
    body: pygame.Rect
    footer: pygame.Rect
    row: int
    sizes: tuple[int, int, int]
    """Small, normal and large text."""

    def hit(self, pos: tuple[int, int]) -> str | None:
        """``tab:NAME`` or ``button:NAME`` under a pixel, or None."""
        for name, rect in self.tabs.items():
            if rect.collidepoint(pos):
                return f"tab:{name}"
        for name, rect in self.buttons.items():
            if rect.collidepoint(pos):
                return f"button:{name}"
        return None


def aar_layout(width: int, height: int) -> AARLayout:
    """The layout of the screen in a window of ``width`` x ``height`` pixels."""
    width, height = max(width, 640), max(height, 400)
    row = max(16, int(height * 0.022))
    sizes = ps.text_sizes(row)
    header_h = max(34, int(height * 0.05))
    tab_h = row + 12
    footer_h = row + 8
    pad = max(8, width // 160)
    header = pygame.Rect(0, 0, width, header_h)
    buttons: dict[str, pygame.Rect] = {}
    bw = max(150, int(width * 0.115))
    x = width - pad
    for name in reversed(BUTTONS):
        w = bw * 3 // 4 if name == "close" else bw
        x -= w
        buttons[name] = pygame.Rect(x, 6, w, header_h - 12)
        x -= 6
    tabs: dict[str, pygame.Rect] = {}
    tw = min(190, (width - 2 * pad) // len(PAGES) - 4)
    x = pad
    for name in PAGES:
        tabs[name] = pygame.Rect(x, header.bottom + 6, tw, tab_h)
        x += tw + 4
    body_top = header.bottom + 6 + tab_h + 6
    footer = pygame.Rect(0, height - footer_h, width, footer_h)
    body = pygame.Rect(pad, body_top, width - 2 * pad, footer.y - body_top - 6)
    return AARLayout((width, height), header, tabs, buttons, body, footer, row, sizes)


# ---------------------------------------------------------------- the scene


@dataclass
class _Work:
    """What the worker thread is doing or has done for the screen."""

    report: Future[AfterAction] | None = None
    progress: tuple[int, int] = (0, 0)
    charts: dict[tuple[str, int, int], Future[np.ndarray]] = field(default_factory=dict)
    export: Future[str] | None = None


class AfterActionScene:
    """The after-action screen of one game."""

    def __init__(
        self,
        game: Game,
        size: tuple[int, int],
        *,
        players: Mapping[str, str] | None = None,
        plans: Mapping[str, str] | None = None,
        palette: Palette = style.STANDARD,
        export_dir: str | Path | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.palette = palette
        self.world = game.world
        self.export_dir = Path(export_dir) if export_dir is not None else default_export_dir()
        self.on_close = on_close
        self.layout = aar_layout(*size)
        self.page = PAGES[0]
        self.hover: str | None = None
        self.message = ""
        self.error: str | None = None
        self.report: AfterAction | None = None
        self.revision = 0
        self.closed = False
        self._drawn: tuple[Any, ...] | None = None
        self._charts: dict[tuple[str, int, int], pygame.Surface] = {}
        self._last_chart: dict[str, pygame.Surface] = {}
        self._captures_size: tuple[int, int] | None = None
        """Where the history page last drew its capture chart (None: no room for it)."""
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="after-action")
        self._work = _Work()
        self.orders = len(game.order_log)
        # Copied here, in the thread that owns the game: the worker never touches it, and
        # replays on a world of its own (40 ms on August Storm) so no lazy cache is shared.
        self._work.report = self._pool.submit(
            replay_after_action,
            game.scenario,
            game.seed,
            list(game.order_log),
            scenario_ref=game.scenario_ref,
            mod_refs=list(game.mod_refs),
            expected_hash=game.state_hash(),
            players=dict(players) if players is not None else None,
            plans=dict(plans) if plans is not None else None,
            progress=self._on_progress,
        )

    # ------------------------------------------------------------ the loop's calls

    def handle(self, event: pygame.event.Event) -> None:
        """Keys and mouse: pages, exports, back."""
        if event.type == pygame.KEYDOWN:
            self._key(event.key, getattr(event, "mod", 0))
        elif event.type == pygame.MOUSEMOTION:
            hover = self.layout.hit(event.pos)
            if hover != self.hover:
                self.hover = hover
                self._touch()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = self.layout.hit(event.pos)
            if hit is not None:
                kind, name = hit.split(":", 1)
                if kind == "tab":
                    self.show(name)
                else:
                    self.press(name)

    def update(self, dt: float) -> None:
        """Take what the worker has finished."""
        work = self._work
        waiting = self.report is None and self.error is None
        if waiting and work.report is not None and work.report.done():
            try:
                self.report = work.report.result()
            except Exception as exc:  # noqa: BLE001 - the window says why, never a traceback
                self.error = f"the report could not be made: {type(exc).__name__}: {exc}"
            self._touch()
        for key, future in list(work.charts.items()):
            if future.done():
                del work.charts[key]
                try:
                    pixels = future.result()
                except Exception as exc:  # noqa: BLE001
                    self.message = f"the {key[0]} chart failed: {type(exc).__name__}: {exc}"
                else:
                    h, w = pixels.shape[:2]
                    surf = pygame.image.frombytes(pixels.tobytes(), (w, h), "RGBA")
                    # one picture per chart: the one at the latest size asked for
                    for old in [k for k in self._charts if k[0] == key[0]]:
                        del self._charts[old]
                    self._charts[key] = surf
                    self._last_chart[key[0]] = surf
                self._touch()
        if work.export is not None and work.export.done():
            try:
                self.message = work.export.result()
            except Exception as exc:  # noqa: BLE001
                self.message = f"export failed: {type(exc).__name__}: {exc}"
            work.export = None
            self._touch()
        if self.report is not None and self.page in CHARTS:
            self._want_chart(self.page, self.layout.body.size)

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether anything shown changed since the last frame drawn."""
        waiting = self.report is None and self.error is None
        key = (self.revision, surface.get_size(), self.page, self.hover, waiting and self.progress)
        if key != self._drawn:
            self._drawn = key
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole screen."""
        if surface.get_size() != self.layout.size:
            self.layout = aar_layout(*surface.get_size())
        lay = self.layout
        surface.fill(ps.PANEL_BG)
        self._draw_header(surface)
        body = lay.body
        if self.error is not None:
            self._centre_text(surface, body, [self.error], ps.BAD)
        elif self.report is None:
            done, total = self.progress
            lines = [f"Replaying the game's {fmt_int(self.orders)} orders to gather its figures…"]
            if total:
                lines.append(f"{100 * done // total}%")
            self._centre_text(surface, body, lines, ps.TEXT_DIM)
        elif self.page == "outcome":
            self._draw_outcome(surface, self.report)
        elif self.page == "history":
            self._draw_history(surface, self.report)
        else:
            self._draw_chart(surface, self.page)
        pygame.draw.rect(surface, ps.TOP_BAR_BG, lay.footer)
        small = lay.sizes[0]
        text = self.message or HINT
        colour = ps.ACCENT if self.message else ps.TEXT_DIM
        blit_text(
            surface,
            text,
            (lay.footer.x + 10, lay.footer.y + 4),
            small + 1,
            colour,
            max_width=lay.footer.width - 20,
        )

    def close(self) -> None:
        """Stop the worker: nothing queued runs; what runs finishes in the background."""
        self.closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def settle(self, timeout: float = 120.0) -> bool:
        """Wait for the figures and the shown chart (a screenshot, a test); returns if ready."""
        work = self._work
        # A failure is not raised here: update() puts it on the screen.
        if work.report is not None:
            _wait(work.report, timeout)
        self.update(0.0)
        for future in list(work.charts.values()):
            _wait(future, timeout)
        if work.export is not None:
            _wait(work.export, timeout)
        self.update(0.0)
        return self.ready

    # ------------------------------------------------------------ state and actions

    @property
    def progress(self) -> tuple[int, int]:
        """Orders replayed and to replay, while the figures are being gathered."""
        with self._lock:
            return self._work.progress

    @property
    def ready(self) -> bool:
        """Whether the figures, and the chart of a chart page, are on the screen."""
        if self.report is None:
            return self.error is not None
        if self.page in CHARTS:
            return self._chart_key(self.page, self.layout.body.size) in self._charts
        if self.page == "history" and self._captures_size is not None:
            return self._chart_key("captures", self._captures_size) in self._charts
        return True

    @property
    def exporting(self) -> bool:
        """Whether an export is being written."""
        return self._work.export is not None

    def show(self, page: str) -> None:
        """Go to a page."""
        if page in PAGES and page != self.page:
            self.page = page
            self._touch()

    def turn_page(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) page, round the ends."""
        self.show(PAGES[(PAGES.index(self.page) + step) % len(PAGES)])

    def press(self, button: str) -> None:
        """A header button: ``png``, ``json`` or ``close``."""
        if button == "close":
            self.back()
        elif button == "png":
            self.export_png()
        elif button == "json":
            self.export_json()

    def back(self) -> None:
        """Leave the screen (back to the game)."""
        if self.on_close is not None:
            self.on_close()
        else:
            self.close()

    def export_json(self) -> Path | None:
        """Write the game's record (as ``main.py simulate`` does); returns the file written."""
        if self.report is None:
            self.message = "the figures are not ready yet"
            self._touch()
            return None
        path = self.export_dir / f"{self.file_stem()}.json"
        try:
            export_record(self.report, path)
        except OSError as exc:
            self.message = f"could not write {path}: {exc.strerror or exc}"
        else:
            self.message = f"wrote the game's record to {path}"
        self._touch()
        return path

    def export_png(self) -> bool:
        """Start writing every chart as PNG (in the worker); returns whether it started."""
        if self.report is None:
            self.message = "the figures are not ready yet"
        elif self._work.export is not None:
            self.message = "an export is already being written"
        else:
            self.message = f"writing the charts to {self.export_dir}…"
            self._work.export = self._pool.submit(
                _write_charts,
                self.report,
                self.world,
                self.palette,
                self.export_dir,
                self.file_stem(),
            )
            self._touch()
            return True
        self._touch()
        return False

    def file_stem(self) -> str:
        """The stem of the exported files: scenario, seed and days played."""
        report = self.report
        if report is None:
            return "after-action"
        return f"aar-{report.scenario_id}-seed{report.seed}-day{report.record.turns_played}"

    def _key(self, key: int, mod: int) -> None:
        if key == pygame.K_ESCAPE:
            self.back()
        elif key in (pygame.K_RIGHT, pygame.K_PAGEDOWN) or (
            key == pygame.K_TAB and not mod & pygame.KMOD_SHIFT
        ):
            self.turn_page(1)
        elif key in (pygame.K_LEFT, pygame.K_PAGEUP, pygame.K_TAB):
            self.turn_page(-1)
        elif key == pygame.K_HOME:
            self.show(PAGES[0])
        elif key == pygame.K_END:
            self.show(PAGES[-1])
        elif pygame.K_1 <= key < pygame.K_1 + len(PAGES):
            self.show(PAGES[key - pygame.K_1])
        elif key == pygame.K_e or (key == pygame.K_s and mod & pygame.KMOD_CTRL):
            self.export_png()
        elif key == pygame.K_j:
            self.export_json()

    def _on_progress(self, done: int, total: int) -> None:
        with self._lock:
            self._work.progress = (done, total)

    def _touch(self) -> None:
        self.revision += 1

    @staticmethod
    def _chart_key(kind: str, size: tuple[int, int]) -> tuple[str, int, int]:
        return (kind, int(size[0]), int(size[1]))

    def _want_chart(self, kind: str, size: tuple[int, int]) -> None:
        """Ask the worker for a chart at ``size``, unless it is there or coming."""
        key = self._chart_key(kind, size)
        if key in self._charts or key in self._work.charts or self.closed:
            return
        if self.report is None:
            return
        self._work.charts[key] = self._pool.submit(
            render_chart, self.report, kind, (key[1], key[2]), self.palette, self.world
        )

    # ------------------------------------------------------------ drawing the pages

    def _draw_header(self, surface: pygame.Surface) -> None:
        lay = self.layout
        small, normal, large = lay.sizes
        pygame.draw.rect(surface, ps.TOP_BAR_BG, lay.header)
        report = self.report
        left = min(r.x for r in lay.buttons.values()) - 20
        drawn = blit_text(
            surface,
            "After-action report",
            (12, lay.header.centery - line_height(large, True) // 2),
            large,
            ps.TEXT_HEAD,
            bold=True,
        )
        if report is not None:
            about = f"{report.scenario_name}  ·  seed {report.seed}"
            if report.mods:
                about += "  ·  mods: " + ", ".join(Path(m).stem for m in report.mods)
            blit_text(
                surface,
                about,
                (drawn.right + 16, lay.header.centery - line_height(normal) // 2),
                normal,
                ps.TEXT_DIM,
                max_width=left - drawn.right - 16,
            )
        for name, rect in lay.buttons.items():
            state = "normal"
            if report is None and name != "close" or name == "png" and self.exporting:
                state = "off"
            elif self.hover == f"button:{name}":
                state = "hot"
            draw_button(surface, rect, BUTTON_LABELS[name], normal, state)
        for name, rect in lay.tabs.items():
            state = "on" if name == self.page else "normal"
            if state == "normal" and self.hover == f"tab:{name}":
                state = "hot"
            label = f"{PAGES.index(name) + 1}  {PAGE_TITLES[name]}"
            draw_button(surface, rect, label, normal, state)

    def _centre_text(
        self, surface: pygame.Surface, rect: pygame.Rect, lines: Sequence[str], colour: Colour
    ) -> None:
        normal = self.layout.sizes[1] + 2
        y = rect.centery - len(lines) * line_height(normal) // 2
        for line in lines:
            for part in wrap_text(line, normal, False, rect.width - 40):
                blit_text(surface, part, (rect.centerx, y), normal, colour, align="center")
                y += line_height(normal) + 4

    def _draw_outcome(self, surface: pygame.Surface, report: AfterAction) -> None:
        lay = self.layout
        small, normal, large = lay.sizes
        body = lay.body
        out = report.outcome
        x, y = body.x + 8, body.y + 6
        if out.game_over and out.winner:
            level = out.level or ""
            verdict = (
                f"{side_label(out.winner)} {level.replace('sudden death', 'sudden-death')} victory"
            )
            colour = self.palette.side_colour(out.winner)
        elif out.game_over:
            verdict, colour = "A draw", ps.TEXT_HEAD
        else:
            last = report.days[-1].day if report.days else 1
            verdict = f"The game goes on: day {last} of {report.turns}"
            colour = ps.TEXT_HEAD
        blit_text(
            surface, verdict, (x, y), int(large * 1.6), colour, bold=True, max_width=body.width - 16
        )
        y += line_height(int(large * 1.6), True) + 2
        if report.days:
            end = report.days[-1]
            span = (
                f"{fmt_long_date(report.start_date)} to {fmt_long_date(end.date)}  ·  "
                f"{len(report.complete_days)} days played  ·  "
                + ("VP against 1945 " if out.scheme == "graded" else "VP ")
                + " : ".join(f"{side_label(s)} {fmt_vp(out.vp[s])}" for s in report.side_order)
            )
            blit_text(
                surface, span, (x, y), normal, ps.ACCENT, bold=True, max_width=body.width - 16
            )
            y += line_height(normal, True) + 8
        for reason in out.reasons:
            for part in wrap_text("•  " + reason, normal, False, body.width - 24):
                blit_text(surface, part, (x + 4, y), normal, ps.TEXT)
                y += line_height(normal) + 2
        for note in report.notes:
            blit_text(surface, "!  " + note, (x + 4, y), normal, ps.WARN, max_width=body.width - 24)
            y += line_height(normal) + 2
        y += 10
        # two tables side by side: VP by source, losses; then the objectives under them
        gap = 16
        col_w = (body.width - gap) // 2
        left = pygame.Rect(body.x, y, col_w, 0)
        right = pygame.Rect(body.x + col_w + gap, y, col_w, 0)
        sides = report.side_order
        rows = [
            [VP_SOURCE_LABELS[k], *(fmt_vp(out.vp_sources[s][k]) for s in sides)]
            for k in VP_SOURCE_LABELS
        ]
        rows.append(["total", *(fmt_vp(sum(out.vp_sources[s].values())) for s in sides)])
        title = "victory points" if out.scheme == "plans" else "VP in the plans' scheme"
        bottom_left = self._table(
            surface,
            left,
            [title, *(side_label(s) for s in sides)],
            rows,
            [0.5, 0.25, 0.25],
            bold_last=True,
            head_colours=[None, *(self.palette.side_colour(s) for s in sides)],
        )
        losses = report.days[-1].losses if report.days else report.start.losses
        prisoners = report.days[-1].prisoners if report.days else report.start.prisoners
        rows = [
            [kind, *(fmt_int(losses[s][kind]) for s in sides)] for kind in ("men", "tanks", "guns")
        ]
        rows.insert(1, ["  of whom surrendered", *(fmt_int(prisoners[s]) for s in sides)])
        bottom_right = self._table(
            surface,
            right,
            ["losses", *(side_label(s) for s in sides)],
            rows,
            [0.5, 0.25, 0.25],
            head_colours=[None, *(self.palette.side_colour(s) for s in sides)],
        )
        y = max(bottom_left, bottom_right) + 14
        rows, colours = [], []
        for o in report.objectives:
            word, colour = STATUS_WORDS.get(o.status, (o.status, ps.TEXT))
            when = f"day {o.turn}" if o.turn is not None else "-"
            rows.append(
                [
                    report.objective_names.get(o.id, o.id),
                    side_label(o.side),
                    fmt_day_month(o.by),
                    word,
                    when,
                    fmt_vp(o.vp),
                ]
            )
            colours.append([None, self.palette.side_colour(o.side), None, colour, None, None])
        if rows:
            self._table(
                surface,
                pygame.Rect(body.x, y, body.width, 0),
                [
                    "objective" if out.scheme == "plans" else "the plans' objective",
                    "side",
                    "by",
                    "status",
                    "when",
                    "VP",
                ],
                rows,
                [0.56, 0.1, 0.08, 0.12, 0.07, 0.07],
                cell_colours=colours,
                limit=body.bottom,
            )

    def _draw_history(self, surface: pygame.Surface, report: AfterAction) -> None:
        if report.benchmarks:
            self._draw_graded(surface, report)
            return
        lay = self.layout
        small, normal, large = lay.sizes
        body = lay.body
        first = side_label(report.side_order[0])
        x, y = body.x + 8, body.y + 6
        dated = [c for c in report.places if c.history_days is not None]
        counts = {"earlier": 0, "within": 0, "later": 0, "not": 0}
        for c in dated:
            d = c.days_vs_1945
            key = "not" if d is None else "earlier" if d < 0 else "later" if d > 0 else "within"
            counts[key] += 1
        y = self._page_title(
            surface, f"Key places: the day {first} forces took each and kept it, beside 1945"
        )
        if dated:
            summary = (
                f"Of {len(dated)} places with a 1945 date: {counts['earlier']} taken earlier, "
                f"{counts['within']} within the historical dates, {counts['later']} later, "
                f"{counts['not']} not taken."
            )
        else:
            summary = "This scenario has no 1945 dates (history_dates.yaml): the game's days only."
        blit_text(surface, summary, (x, y), normal, ps.ACCENT, max_width=body.width - 16)
        y += line_height(normal) + 10
        rows, colours = [], []
        for c in report.places:
            cells, cell_colours = self._capture_row(report, c)
            rows.append(cells)
            colours.append(cell_colours)
        bottom = self._table(
            surface,
            pygame.Rect(body.x, y, body.width, 0),
            [
                "place",
                "VP",
                "held at the end",
                "taken in the game",
                "1945",
                "against 1945",
                "in 1945",
            ],
            rows,
            [0.17, 0.05, 0.1, 0.15, 0.13, 0.11, 0.29],
            cell_colours=colours,
            limit=body.bottom - 2 * line_height(small),
        )
        note = (
            "Day 1 is " + fmt_long_date(report.start_date) + ". Taken: the last change of hands "
            f"when {first} made it (as main.py simulate records it); an earlier capture that was "
            "lost again is named. The 1945 dates and their sources: the scenario's "
            "history_dates.yaml."
        )
        self._note_and_captures(surface, report, note, bottom + 6)

    def _draw_graded(self, surface: pygame.Surface, report: AfterAction) -> None:
        """The graded scheme's benchmarks: each against 1945, by how much, and to whom."""
        small, normal, large = self.layout.sizes
        body = self.layout.body
        x, y = body.x + 8, body.y + 6
        out = report.outcome
        deciding = "it decides the game" if out.scheme == "graded" else "the plans' scheme decides"
        y = self._page_title(
            surface, f"Against 1945: each benchmark beaten or missed, by how much ({deciding})"
        )
        totals = dict.fromkeys(report.side_order, 0.0)
        for b in report.benchmarks:
            if b.side in totals:
                totals[b.side] += b.vp
        summary = "Graded VP (each side's benchmarks) " + " : ".join(
            f"{side_label(s)} {fmt_vp(totals[s])}" for s in report.side_order
        )
        blit_text(surface, summary, (x, y), normal, ps.ACCENT, max_width=body.width - 16)
        y += line_height(normal) + 10
        rows, colours = [], []
        for b in report.benchmarks:
            if b.ahead is None:
                colour: Colour | None = ps.TEXT_DIM
            elif b.ahead > 0:
                colour = ps.GOOD
            elif b.ahead < 0:
                colour = ps.WARN
            else:
                colour = ps.TEXT_HEAD
            who = side_label(b.side) if b.side else "-"
            vp = fmt_vp(b.vp) if b.side else "-"
            rows.append([b.name, b.history, b.game, b.verdict(), who, vp, b.source])
            side_colour = self.palette.side_colour(b.side) if b.side else ps.TEXT_DIM
            colours.append([None, None, None, colour, side_colour, None, ps.TEXT_DIM])
        bottom = self._table(
            surface,
            pygame.Rect(body.x, y, body.width, 0),
            ["benchmark", "1945", "in the game", "against 1945", "VP to", "VP", "source"],
            rows,
            [0.2, 0.1, 0.12, 0.2, 0.08, 0.05, 0.25],
            cell_colours=colours,
            limit=body.bottom - 2 * line_height(small),
        )
        note = (
            "Day 1 is " + fmt_long_date(report.start_date) + ". A place is taken on the first "
            "day it is held at the day's end; one never taken counts as held through the last "
            "day. Ahead: the attacker beat 1945; behind: the defender held out longer. A game "
            'played as 1945 scores nothing (docs/rules.md, "Graded victory").'
        )
        self._note_and_captures(surface, report, note, bottom + 6)

    def _page_title(self, surface: pygame.Surface, text: str) -> int:
        """A page's title at the top of the body; returns the y below it."""
        large = self.layout.sizes[2]
        body = self.layout.body
        x, y = body.x + 8, body.y + 6
        blit_text(surface, text, (x, y), large, ps.TEXT_HEAD, bold=True, max_width=body.width - 16)
        return y + line_height(large, True) + 4

    def _note_and_captures(
        self, surface: pygame.Surface, report: AfterAction, note: str, top: int
    ) -> None:
        """A page's note under its table, then the capture-day chart in the room left, if any."""
        small = self.layout.sizes[0]
        body = self.layout.body
        x, bottom = body.x + 8, top
        for part in wrap_text(note, small, False, body.width - 16):
            blit_text(surface, part, (x, bottom), small, ps.TEXT_DIM)
            bottom += line_height(small)
        room = pygame.Rect(body.x, bottom + 8, body.width, body.bottom - bottom - 8)
        if room.height >= MIN_CAPTURE_CHART and report.places:
            self._captures_size = room.size
            self._draw_chart(surface, "captures", room)
        else:
            self._captures_size = None

    def _capture_row(
        self, report: AfterAction, c: Capture
    ) -> tuple[list[str], list[Colour | None]]:
        first = report.side_order[0]
        holder = side_label(c.holder) if c.holder else "nobody"
        vp = fmt_vp(c.vp.get(first, 0.0))
        if c.taken_day is not None:
            taken = f"day {c.taken_day} · {_day_date(report, c.taken_day)}"
            if c.first_taken_day is not None and c.first_taken_day < c.taken_day:
                taken += f" (first day {c.first_taken_day})"
        elif c.first_taken_day is not None:
            taken = f"lost again (taken day {c.first_taken_day})"
        else:
            taken = "not taken"
        hist, against, event = "", "", ""
        against_colour: Colour | None = None
        if c.history_days is not None and c.history is not None:
            lo, hi = c.history_days
            when = f"day {lo}" if lo == hi else f"day {lo}-{hi}"
            dates = (
                fmt_day_month(c.history.first)
                if c.history.first == c.history.last
                else f"{c.history.first.day}-{fmt_day_month(c.history.last)}"
            )
            hist = f"{when} · {dates}"
            event = c.history.event
            d = c.days_vs_1945
            if d is None:
                against, against_colour = "not taken", ps.BAD
            elif d < 0:
                against, against_colour = f"{-d} day{'s' if d < -1 else ''} earlier", ps.GOOD
            elif d > 0:
                against, against_colour = f"{d} day{'s' if d > 1 else ''} later", ps.WARN
            else:
                against, against_colour = "as in 1945", ps.TEXT_HEAD
        holder_colour = self.palette.side_colour(c.holder) if c.holder else ps.TEXT_DIM
        return (
            [c.name, vp, holder, taken, hist, against, event],
            [None, None, holder_colour, None, None, against_colour, ps.TEXT_DIM],
        )

    def _draw_chart(
        self, surface: pygame.Surface, kind: str, rect: pygame.Rect | None = None
    ) -> None:
        body = rect if rect is not None else self.layout.body
        surf = self._charts.get(self._chart_key(kind, body.size))
        if surf is None:
            self._want_chart(kind, body.size)
            old = self._last_chart.get(kind)
            if old is not None:  # a resize: the last picture scaled while the new one is drawn
                surface.blit(pygame.transform.smoothscale(old, body.size), body)
                return
            self._centre_text(
                surface, body, [f"Drawing the chart: {CHART_TITLES[kind]}…"], ps.TEXT_DIM
            )
            return
        surface.blit(surf, body)

    def _table(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        cell_colours: Sequence[Sequence[Colour | None]] | None = None,
        head_colours: Sequence[Colour | None] | None = None,
        bold_last: bool = False,
        limit: int | None = None,
    ) -> int:
        """A table from ``rect``'s top down: a bold header, then rows on alternate bands.

        Columns after the first are right-aligned when they hold numbers. Rows that would pass
        ``limit`` are left out with a last line saying how many. Returns the bottom.
        """
        small, normal, _ = self.layout.sizes
        h = line_height(normal) + 6
        xs = [rect.x]
        for w in widths:
            xs.append(xs[-1] + int(rect.width * w))
        y = rect.y
        fill_panel(surface, pygame.Rect(rect.x, y, rect.width, h), ps.TOP_BAR_BG)
        for k, text in enumerate(header):
            colour = (head_colours[k] if head_colours else None) or ps.TEXT_HEAD
            self._cell(surface, text, xs[k], xs[k + 1], y, h, normal, colour, True, rows, k)
        y += h
        for r, row in enumerate(rows):
            if limit is not None and y + 2 * h > limit and r < len(rows) - 1:
                left = len(rows) - r
                blit_text(surface, f"… and {left} more", (rect.x + 6, y + 3), small, ps.TEXT_DIM)
                return y + h
            if r % 2:
                pygame.draw.rect(surface, ps.PANEL_BG_ALT, (rect.x, y, rect.width, h))
            bold = bold_last and r == len(rows) - 1
            for k, text in enumerate(row):
                colour = (cell_colours[r][k] if cell_colours else None) or ps.TEXT
                self._cell(surface, text, xs[k], xs[k + 1], y, h, normal, colour, bold, rows, k)
            y += h
        pygame.draw.line(surface, ps.PANEL_EDGE, (rect.x, y), (rect.right, y))
        return y

    @staticmethod
    def _cell(
        surface: pygame.Surface,
        text: str,
        x0: int,
        x1: int,
        y: int,
        h: int,
        size: int,
        colour: Colour,
        bold: bool,
        rows: Sequence[Sequence[str]],
        column: int,
    ) -> None:
        numeric = column > 0 and all(_is_number(row[column]) for row in rows if column < len(row))
        width = x1 - x0 - 12
        text = fit_text(text, size, bold, max(0, width))
        top = y + (h - line_height(size, bold)) // 2
        if numeric:
            blit_text(surface, text, (x1 - 8, top), size, colour, bold=bold, align="right")
        else:
            blit_text(surface, text, (x0 + 6, top), size, colour, bold=bold)


def _wait(future: Future[Any], timeout: float) -> None:
    """Wait for a job of the worker; its failure is the screen's to report, not raised here."""
    with contextlib.suppress(Exception):
        future.result(timeout=timeout)


def _is_number(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").strip().isdigit()


def _day_date(report: AfterAction, day: int) -> str:
    """``16 Aug``: the date of a day played."""
    try:
        return fmt_day_month(report.day(day).date)
    except KeyError:
        return "?"


def _write_charts(
    report: AfterAction, world: World, palette: Palette, folder: Path, stem: str
) -> str:
    """Write every chart as ``{stem}-{chart}.png`` in ``folder``; returns what it did."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ALL_CHARTS:
        size = (EXPORT_SIZE[0], EXPORT_SIZE[1] * 2 // 3) if kind == "captures" else EXPORT_SIZE
        data = chart_png(report, kind, size, palette, world)
        path = folder / f"{stem}-{kind}.png"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written.append(path.name)
    return f"wrote {len(written)} charts to {folder}: " + ", ".join(written)


# ---------------------------------------------------------------- opening it


def open_after_action(
    app: App,
    game: Game,
    *,
    session: Session | None = None,
    colour_blind: bool = False,
    export_dir: str | Path | None = None,
) -> AfterActionScene:
    """Push the after-action screen of ``game`` over the window's current scene.

    Call it from the thread that owns the game while no AI worker is playing it (at the end of
    the game, or from a menu while a person has the turn). ``session`` names the players in the
    exported record (``human`` for a side played in the window); Esc pops the screen again.
    """
    players = plans = None
    if session is not None:
        players = {s: p.name if p is not None else "human" for s, p in session.players.items()}
        plans = {s: plan_name(p) if p is not None else "human" for s, p in session.players.items()}
    scene = AfterActionScene(
        game,
        app.screen.get_size(),
        players=players,
        plans=plans,
        palette=style.COLOUR_BLIND if colour_blind else style.STANDARD,
        export_dir=export_dir,
        on_close=app.pop,
    )
    app.push(scene)
    return scene
