"""The start screen: choose the scenario, its mods, who plays which side, the AI plans, the seed.

Three columns (scenarios with their dates, size and description; the chosen scenario's mods,
ticked to stack them, with what each changes, a broken one shown with its ``file:line`` error;
the players, plans and seed) over a bar of buttons. Everything works from the keyboard: Tab and
Shift-Tab move between the fields, the arrows move in a list or change a value, Space ticks a
mod, digits type a seed, R draws one, Enter plays, Esc quits. The choices live in
:class:`ui.start_menu.StartChoices`; this module draws them and maps input onto them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pygame

from engine.errors import EngineError
from ui import panel_style as ps
from ui.panels.common import (
    blit_text,
    draw_button,
    fill_panel,
    fit_text,
    fmt_date,
    fmt_int,
    line_height,
    side_label,
    wrap_text,
)
from ui.settings import Settings
from ui.start_menu import GameSetup, StartChoices

#: The fields Tab moves through, in order (``plan:<side>`` for each side of the scenario).
BUTTONS: tuple[str, ...] = ("play", "continue", "load", "settings", "quit")
BUTTON_LABELS: dict[str, str] = {
    "play": "Play  (Enter)",
    "continue": "Continue",
    "load": "Load or replay...",
    "settings": "Settings",
    "quit": "Quit  (Esc)",
}
#: The choices of the settings page.
WINDOW_SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1600, 900), (1920, 1080), (2560, 1440))
UI_SCALES: tuple[float, ...] = (1.0, 1.25, 1.5, 2.0)
SPEEDS: tuple[str, ...] = ("slow", "normal", "fast", "instant")
SETTING_ROWS: tuple[tuple[str, str], ...] = (
    ("window_size", "Window size"),
    ("fullscreen", "Full screen"),
    ("ui_scale", "Text and panel size (high-DPI screens)"),
    ("animation_speed", "Speed of the AI's moves"),
    ("colour_blind", "Colour-blind palette (blue against orange)"),
    ("sound", "Sound"),
)
#: What a save list's keys do, shown under it.
SAVES_HELP = (
    "Up/Down choose · Enter load · V replay it · R replay its orders on the current files · "
    "O open a file by its path · Esc back"
)
WHO_LABELS: dict[str, str] = {
    "first": "the {first} side against the AI",
    "second": "the {second} side against the AI",
    "hotseat": "both sides (hot-seat)",
    "watch": "neither: watch the AI",
    "pbem": "the {first} side against a friend, by e-mail",
}


@dataclass
class StartLayout:
    """The start screen's rectangles for one window size (drawn into and hit-tested alike)."""

    title: pygame.Rect
    columns: dict[str, pygame.Rect]
    rows: dict[str, list[pygame.Rect]] = field(default_factory=dict)
    """Clickable rows: ``scenario``, ``mods``, and one row each for who, the plans and seed."""
    buttons: dict[str, pygame.Rect] = field(default_factory=dict)
    row: int = 20
    text: int = 15

    def hit(self, pos: tuple[int, int]) -> tuple[str, int] | None:
        """The field and row index under a pixel (a button is its own field, row 0)."""
        for name, rect in self.buttons.items():
            if rect.collidepoint(pos):
                return name, 0
        for name, rects in self.rows.items():
            for k, rect in enumerate(rects):
                if rect.collidepoint(pos):
                    return name, k
        return None


def start_layout(size: tuple[int, int], choices: StartChoices, scale: float = 1.0) -> StartLayout:
    """The layout of the start screen at ``size`` for these choices (``scale``: the UI scale)."""
    w, h = size
    row = max(22, int(h * 0.032 * scale))
    text = max(13, int(h * 0.018 * scale))
    top = max(44, int(h * 0.07))
    bar = max(48, int(h * 0.08))
    gap = max(8, int(w * 0.01))
    body = pygame.Rect(gap, top, w - 2 * gap, h - top - bar - gap)
    col_w = (body.width - 2 * gap) // 3
    cols = {
        "scenario": pygame.Rect(body.x, body.y, col_w, body.height),
        "mods": pygame.Rect(body.x + col_w + gap, body.y, col_w, body.height),
        "players": pygame.Rect(body.x + 2 * (col_w + gap), body.y, col_w, body.height),
    }
    lay = StartLayout(pygame.Rect(0, 0, w, top), cols, row=row, text=text)

    def rows_in(rect: pygame.Rect, count: int) -> list[pygame.Rect]:
        y0 = rect.y + row + 10
        return [pygame.Rect(rect.x + 6, y0 + k * row, rect.width - 12, row) for k in range(count)]

    lay.rows["scenario"] = rows_in(cols["scenario"], len(choices.scenarios))
    lay.rows["mods"] = rows_in(cols["mods"], len(choices.info.mods))
    # each setting: a label row, then its value row
    players = cols["players"]
    settings = [n for n in field_names(choices)[2:] if n not in BUTTONS]
    for k, name in enumerate(settings):
        y = players.y + 2 * row + 10 + 2 * k * row
        lay.rows[name] = [pygame.Rect(players.x + 6, y, players.width - 12, row)]
    bw = max(140, int(w * 0.12))
    x = w - gap
    for name in reversed(BUTTONS):
        x -= bw
        lay.buttons[name] = pygame.Rect(x, h - bar + (bar - row - 8) // 2, bw, row + 8)
        x -= gap
    return lay


def field_names(choices: StartChoices) -> list[str]:
    """The fields in Tab order: scenario, mods, who, a plan per side, seed, then the buttons."""
    plans = [f"plan:{side}" for side in choices.info.sides]
    return ["scenario", "mods", "who", *plans, "fog", "victory", "seed", *BUTTONS]


class StartScene:
    """The start screen as a scene of :class:`ui.app.App`."""

    def __init__(
        self,
        choices: StartChoices,
        size: tuple[int, int],
        on_play: Callable[[GameSetup], None],
        on_quit: Callable[[], None],
        files: StartFiles | None = None,
        settings: SettingsHook | None = None,
        settings_only: Callable[[], None] | None = None,
    ) -> None:
        self.files = files
        self.settings_only = settings_only
        """The settings page over a game: closing it calls this (the game comes back)."""
        self.settings_hook = settings
        """Reads and writes the player's settings (None: the screen has no settings page)."""
        self.settings_open = settings_only is not None
        self.settings_cursor = 0
        """Continue, Load and Replay (None: the screen offers only new games)."""
        self.saves: list[Path] | None = None
        """The save list while it is open (Load or replay...), newest first."""
        self.save_cursor = 0
        self.path_entry: str | None = None
        """A file's path being typed (O in the save list), or None."""
        self.changed_save: Path | None = None
        """A save whose scenario changed since: R replays its orders on the current files."""
        self.choices = choices
        self.size = size
        self.on_play = on_play
        self.on_quit = on_quit
        self.focus = "scenario"
        self.cursor: dict[str, int] = {"scenario": choices.scenario, "mods": 0}
        self.hover: tuple[str, int] | None = None
        self.message = ""
        self.message_is_error = False
        self.seed_text = "" if choices.seed is None else str(choices.seed)
        self._dirty = True
        self.layout = start_layout(size, choices)
        self._relayout(size)

    # ------------------------------------------------------------ input

    def handle(self, event: pygame.event.Event) -> None:
        """Take one input event."""
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEMOTION:
            hit = self.layout.hit(event.pos)
            if hit != self.hover:
                self.hover = hit
                self._dirty = True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.saves is not None:
                hit = self._save_hit(event.pos)
            elif self.settings_open:
                hit = self._setting_hit(event.pos)
            else:
                hit = self.layout.hit(event.pos)
            if hit is not None:
                self._click(*hit)
        elif event.type == pygame.VIDEORESIZE:
            self._relayout((event.w, event.h))

    def _key(self, event: pygame.event.Event) -> None:
        key, shift = event.key, bool(event.mod & pygame.KMOD_SHIFT)
        self._dirty = True
        if self.saves is not None:
            self._saves_key(key, event.unicode or "")
            return
        if self.settings_open:
            self._settings_key(key)
            return
        if key == pygame.K_ESCAPE:
            self.on_quit()
        elif key == pygame.K_TAB:
            self._move_focus(-1 if shift else 1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._activate(self.focus if self.focus in BUTTONS else "play")
        elif key in (pygame.K_UP, pygame.K_DOWN):
            self._up_down(-1 if key == pygame.K_UP else 1)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self._change(self.focus, -1 if key == pygame.K_LEFT else 1)
        elif key == pygame.K_SPACE:
            if self.focus == "mods":
                self._toggle(self.cursor["mods"])
            elif self.focus in BUTTONS:
                self._activate(self.focus)
            else:
                self._change(self.focus, 1)
        elif self.focus == "seed":
            self._seed_key(event)

    def _saves_key(self, key: int, text: str = "") -> None:
        assert self.saves is not None
        if self.path_entry is not None:
            self._path_key(key, text)
            return
        if key == pygame.K_o:
            self.path_entry = ""
            self._say("type the path of a save or turn file, then Enter (Esc: back to the list)")
            return
        if key == pygame.K_ESCAPE:
            self.saves = None
            self.changed_save = None
        elif key in (pygame.K_UP, pygame.K_DOWN) and self.saves:
            step = -1 if key == pygame.K_UP else 1
            self.save_cursor = (self.save_cursor + step) % len(self.saves)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_v, pygame.K_r) and self.saves:
            path = self.saves[self.save_cursor]
            if key == pygame.K_r and self.changed_save != path:
                self._say("R replays a save whose scenario changed since; this one has not", True)
                return
            how = {pygame.K_v: "replay", pygame.K_r: "current"}.get(key, "load")
            self._open(path, how)

    def _path_key(self, key: int, text: str) -> None:
        """Typing a file's path: Enter opens it, Esc gives up, Backspace erases."""
        assert self.path_entry is not None
        if key == pygame.K_ESCAPE:
            self.path_entry = None
            self._say("")
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            path = Path(self.path_entry.strip()).expanduser()
            if not path.is_file():
                self._say(f"no such file: {path}", True)
                return
            self.path_entry = None
            self._open(path, "load")
        elif key == pygame.K_BACKSPACE:
            self.path_entry = self.path_entry[:-1]
        elif text and text.isprintable() and len(self.path_entry) < 400:
            self.path_entry += text

    def _settings_key(self, key: int) -> None:
        if key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.settings_open = False
            if self.settings_only is not None:
                self.settings_only()
        elif key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB):
            step = -1 if key == pygame.K_UP else 1
            self.settings_cursor = (self.settings_cursor + step) % len(SETTING_ROWS)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_SPACE):
            step = -1 if key == pygame.K_LEFT else 1
            self._change_setting(SETTING_ROWS[self.settings_cursor][0], step)

    def _change_setting(self, name: str, step: int) -> None:
        """Change one setting and have it saved and applied (the hook says if it could not be)."""
        assert self.settings_hook is not None
        now = self.settings_hook.current()

        def cycled(values: tuple, value: object) -> object:
            k = values.index(value) if value in values else -1
            return values[(k + step) % len(values)]

        if name == "window_size":
            value: object = cycled(WINDOW_SIZES, tuple(now.window_size))
        elif name == "ui_scale":
            value = cycled(UI_SCALES, now.ui_scale)
        elif name == "animation_speed":
            value = cycled(SPEEDS, now.animation_speed)
        elif name == "sound":
            self._say("the game makes no sound yet: sound stays off")
            return
        else:
            value = not getattr(now, name)
        error = self.settings_hook.change(name, value)
        self._say(error or f"saved: {self._setting_text(name)}", error is not None)
        if name == "ui_scale":
            self._relayout(self.size)

    def _setting_text(self, name: str) -> str:
        assert self.settings_hook is not None
        value = getattr(self.settings_hook.current(), name)
        if name == "window_size":
            return f"{value[0]} x {value[1]}"
        if name == "ui_scale":
            return f"{value:.0%}"
        if isinstance(value, bool):
            return "on" if value else "off"
        return str(value)

    def _open(self, path: Path, how: str) -> None:
        """Load, replay or replay-on-the-current-files a save; say why not if it fails."""
        assert self.files is not None
        error, changed = self.files.open(path, how, self.choices)
        if error is None:
            return
        self.changed_save = path if changed else None
        more = " (R: replay its orders on the current files, Esc: refuse)" if changed else ""
        self._say(error.splitlines()[0] + more, True)

    def _seed_key(self, event: pygame.event.Event) -> None:
        if event.key == pygame.K_BACKSPACE:
            self.seed_text = self.seed_text[:-1]
        elif event.key == pygame.K_r:
            self.seed_text = str(self.choices.random_seed())
        elif event.unicode and event.unicode.isdigit() and len(self.seed_text) < 6:
            self.seed_text += event.unicode
        self.choices.seed = int(self.seed_text) if self.seed_text else None

    def _move_focus(self, step: int) -> None:
        names = field_names(self.choices)
        self.focus = names[(names.index(self.focus) + step) % len(names)]

    def _up_down(self, step: int) -> None:
        if self.focus == "scenario":
            k = (self.cursor["scenario"] + step) % len(self.choices.scenarios)
            self._pick_scenario(k)
        elif self.focus == "mods" and self.choices.info.mods:
            self.cursor["mods"] = (self.cursor["mods"] + step) % len(self.choices.info.mods)
        else:
            self._move_focus(step)

    def _click(self, name: str, k: int) -> None:
        self._dirty = True
        if self.saves is not None:
            if name == "save" and k < len(self.saves):
                self.save_cursor = k
                self._open(self.saves[k], "load")
            return
        if self.settings_open:
            if name == "setting":
                self.settings_cursor = k
                self._change_setting(SETTING_ROWS[k][0], 1)
            return
        if name in BUTTONS:
            self.focus = name
            self._activate(name)
            return
        self.focus = name
        if name == "scenario":
            self._pick_scenario(k)
        elif name == "mods":
            self.cursor["mods"] = k
            self._toggle(k)
        elif name != "seed":
            self._change(name, 1)

    def _pick_scenario(self, k: int) -> None:
        self.cursor["scenario"] = k
        self.choices.choose_scenario(k)
        self.cursor["mods"] = 0
        self.message = ""
        self._relayout(self.size)

    def _toggle(self, k: int) -> None:
        if not self.choices.info.mods:
            return
        error = self.choices.toggle_mod(k)
        self._say(f"this mod cannot be used: {error}" if error else "", error is not None)

    def _change(self, name: str, step: int) -> None:
        if name == "who":
            self.choices.cycle_who(step)
        elif name.startswith("plan:"):
            self.choices.cycle_plan(name.split(":", 1)[1], step)
        elif name == "fog":
            self.choices.fog = not self.choices.fog
        elif name == "victory":
            self.choices.cycle_victory(step)
        elif name == "seed":
            base = self.choices.seed if self.choices.seed is not None else 0
            self.choices.seed = max(0, base + step)
            self.seed_text = str(self.choices.seed)
        elif name == "scenario":
            self._up_down(step)

    def _activate(self, name: str) -> None:
        if name == "quit":
            self.on_quit()
            return
        if name == "settings":
            if self.settings_hook is None:
                self._say("no settings file here", True)
            else:
                self.settings_open = True
            return
        if name == "continue":
            last = self.files.last() if self.files is not None else None
            if last is None:
                self._say("no game to continue yet", True)
            else:
                self._open(last, "load")
            return
        if name == "load":
            if self.files is None:
                self._say("no saves folder here", True)
                return
            self.saves = self.files.list()
            self.save_cursor = 0
            if not self.saves:
                self._say(f"no saves yet in {self.files.where}: O opens a file by its path")
            return
        try:
            setup = self.choices.build()
        except EngineError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._say(f"cannot start: {first}", True)
            return
        self.on_play(setup)

    def _say(self, text: str, error: bool = False) -> None:
        self.message, self.message_is_error = text, error

    def _relayout(self, size: tuple[int, int]) -> None:
        self.size = size
        scale = self.settings_hook.current().ui_scale if self.settings_hook is not None else 1.0
        self.layout = start_layout(size, self.choices, scale)
        self._dirty = True

    # ------------------------------------------------------------ scene protocol

    def update(self, dt: float) -> None:
        """Nothing moves on its own here."""

    def needs_redraw(self, surface: pygame.Surface) -> bool:
        """Whether the screen changed (or the window did)."""
        if surface.get_size() != self.size:
            self._relayout(surface.get_size())
        return self._dirty

    def close(self) -> None:
        """Nothing to release."""

    # ------------------------------------------------------------ drawing

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole screen."""
        self._dirty = False
        if len(self.layout.rows["mods"]) != len(self.choices.info.mods) or set(
            field_names(self.choices)[2:]
        ) - set(BUTTONS) - set(self.layout.rows):
            self._relayout(self.size)  # the scenario was changed from outside the screen
        lay, c = self.layout, self.choices
        surface.fill(ps.TOP_BAR_BG)
        big = lay.text + 8
        left = lay.columns["scenario"].x
        title = blit_text(surface, "August Storm", (left, 8), big, ps.TEXT_HEAD, bold=True)
        sub = "an operational wargame of Manchuria, 1945 · choose a game"
        blit_text(
            surface,
            sub,
            (title.right + 16, title.bottom - line_height(lay.text) - 2),
            lay.text,
            ps.TEXT_DIM,
        )
        self._draw_scenarios(surface)
        if self.saves is not None:
            self._draw_saves(surface)
        elif self.settings_open:
            self._draw_settings(surface)
        else:
            self._draw_mods(surface)
            self._draw_players(surface)
        for name, rect in lay.buttons.items():
            state = "hot" if self.focus == name else "normal"
            if name == "play" and c.info.error is not None:
                state = "off"
            if name in ("continue", "load") and self.files is None:
                state = "off"
            if name == "settings" and self.settings_hook is None:
                state = "off"
            if name == "continue" and self.files is not None and self.files.last() is None:
                state = "off"
            draw_button(surface, rect, BUTTON_LABELS[name], lay.text, state)
        if self.message:
            colour = ps.BAD if self.message_is_error else ps.TEXT
            bar = lay.buttons["play"]
            left = lay.columns["scenario"].x
            blit_text(
                surface,
                self.message,
                (left, bar.y + (bar.height - lay.text) // 2),
                lay.text,
                colour,
                max_width=bar.x - left - 12,
            )

    def _heading(self, surface: pygame.Surface, name: str, title: str) -> None:
        rect = self.layout.columns[name]
        fill_panel(surface, rect)
        colour = ps.ACCENT if self.focus == name else ps.TEXT_HEAD
        blit_text(surface, title, (rect.x + 8, rect.y + 6), self.layout.text + 2, colour, bold=True)

    def _row_bg(
        self, surface: pygame.Surface, name: str, k: int, rect: pygame.Rect, on: bool
    ) -> None:
        if on:
            pygame.draw.rect(surface, ps.SELECTED_BG, rect)
        elif self.hover == (name, k):
            pygame.draw.rect(surface, ps.HOVER_BG, rect)
        if self.focus == name and self.cursor.get(name, 0) == k:
            pygame.draw.rect(surface, ps.ACCENT, rect, 1)

    def _paragraph(
        self,
        surface: pygame.Surface,
        text: str,
        rect: pygame.Rect,
        y: int,
        colour: tuple[int, int, int],
    ) -> int:
        size = self.layout.text
        for line in wrap_text(text, size, False, rect.width - 16):
            if y + line_height(size) > rect.bottom - 4:
                break
            blit_text(surface, line, (rect.x + 8, y), size, colour)
            y += line_height(size)
        return y

    def _draw_scenarios(self, surface: pygame.Surface) -> None:
        lay, c = self.layout, self.choices
        self._heading(surface, "scenario", "Scenario")
        rows = lay.rows["scenario"]
        for k, (info, rect) in enumerate(zip(c.scenarios, rows, strict=True)):
            self._row_bg(surface, "scenario", k, rect, k == c.scenario)
            colour = ps.BAD if info.error else ps.TEXT
            blit_text(
                surface,
                info.name,
                (rect.x + 6, rect.y + 3),
                lay.text,
                colour,
                max_width=rect.width - 12,
            )
        col = lay.columns["scenario"]
        y = (rows[-1].bottom if rows else col.y + lay.row) + lay.row
        info = c.info
        if info.error:
            self._paragraph(surface, f"broken: {info.error}", col, y, ps.BAD)
            return
        if info.start is not None and info.last_day is not None:
            when = f"{fmt_date(info.start)} - {fmt_date(info.last_day)}"
            facts = f"{when} · {info.turns} days · {fmt_int(info.units)} units"
            blit_text(
                surface,
                facts,
                (col.x + 8, y),
                lay.text,
                ps.TEXT_HEAD,
                bold=True,
                max_width=col.width - 16,
            )
            y += line_height(lay.text, True) + 6
        sides = " against ".join(side_label(s) for s in info.sides)
        blit_text(surface, sides, (col.x + 8, y), lay.text, ps.TEXT_DIM, max_width=col.width - 16)
        y += line_height(lay.text) + 6
        self._paragraph(surface, info.description, col, y, ps.TEXT)

    def _draw_mods(self, surface: pygame.Surface) -> None:
        lay, c = self.layout, self.choices
        self._heading(surface, "mods", f"Mods ({len(c.mods)} of {len(c.info.mods)} chosen)")
        col = lay.columns["mods"]
        rows = lay.rows["mods"]
        if not c.info.mods:
            blit_text(
                surface,
                "this scenario has no mods",
                (col.x + 8, col.y + lay.row + 14),
                lay.text,
                ps.TEXT_DIM,
            )
            return
        for k, (mod, rect) in enumerate(zip(c.info.mods, rows, strict=True)):
            self._row_bg(surface, "mods", k, rect, False)
            box = pygame.Rect(
                rect.x + 4, rect.y + (rect.height - lay.text) // 2, lay.text, lay.text
            )
            pygame.draw.rect(surface, ps.BUTTON_EDGE, box, 1)
            if k in c.mods:
                pygame.draw.rect(surface, ps.ACCENT, box.inflate(-6, -6))
            colour = ps.BAD if mod.error else ps.TEXT
            label = c.info.mod_label(mod) + ("  (broken)" if mod.error else "")
            blit_text(
                surface,
                label,
                (box.right + 8, rect.y + 3),
                lay.text,
                colour,
                max_width=rect.right - box.right - 12,
            )
        shown = self.hover[1] if self.hover and self.hover[0] == "mods" else self.cursor["mods"]
        mod = c.info.mods[min(shown, len(c.info.mods) - 1)]
        y = rows[-1].bottom + lay.row
        blit_text(
            surface, mod.path.name, (col.x + 8, y), lay.text, ps.TEXT_DIM, max_width=col.width - 16
        )
        y += line_height(lay.text) + 4
        if mod.error:
            y = self._paragraph(surface, mod.error, col, y, ps.BAD) + 6
        y = self._paragraph(surface, mod.description, col, y, ps.TEXT) + 6
        for change in mod.changes:
            y = self._paragraph(surface, "· " + change, col, y, ps.TEXT_DIM)

    def _draw_players(self, surface: pygame.Surface) -> None:
        lay, c = self.layout, self.choices
        self._heading(surface, "players", "Players")
        sides = c.info.sides or ("first", "second")
        values = {
            "who": WHO_LABELS[c.who].format(
                first=side_label(sides[0]), second=side_label(sides[-1])
            ),
            "seed": (self.seed_text or f"the scenario's ({c.info.seed})")
            + ("_" if self.focus == "seed" else ""),
        }
        values["fog"] = (
            "on: each side sees what its units see" if c.fog else "off: every side sees every unit"
        )
        schemes = {"plans": "the plans' dated objectives", "graded": "graded against 1945"}
        own = schemes.get(c.info.scheme, c.info.scheme)
        values["victory"] = (
            f"the scenario's: {own}" if c.victory is None else schemes.get(c.victory, c.victory)
        )
        labels = {
            "who": "You play",
            "fog": "Fog of war",
            "victory": "Victory",
            "seed": "Seed (digits to type, R: random)",
        }
        for side in c.info.sides:
            values[f"plan:{side}"] = c.info.plan_label(side, c.plan_of(side))
            labels[f"plan:{side}"] = f"{side_label(side)} AI plan"
        for name in [n for n in field_names(c)[2:] if n in lay.rows]:
            (rect,) = lay.rows[name]
            blit_text(
                surface, labels[name], (rect.x + 2, rect.y - lay.row + 4), lay.text, ps.TEXT_DIM
            )
            self._row_bg(surface, name, 0, rect, False)
            if self.focus == name:
                pygame.draw.rect(surface, ps.ACCENT, rect, 1)
            arrows = "" if name == "seed" else "<  "
            text = fit_text(
                arrows + values[name] + ("  >" if arrows else ""), lay.text, True, rect.width - 12
            )
            blit_text(surface, text, (rect.x + 6, rect.y + 3), lay.text, ps.TEXT_HEAD, bold=True)
        col = lay.columns["players"]
        humans = c.humans()
        others = ", ".join(side_label(s) for s in c.info.sides if s not in humans) or "no side"
        if c.who == "pbem":
            note = (
                f"Your friend plays {others}: when your turn ends, the turn file to send is "
                "written to the turns folder; open theirs with Load or replay."
            )
        else:
            note = f"The AI plays {others}; a human sees only what their side sees."
        last = max(r.bottom for n in lay.rows if n not in ("scenario", "mods") for r in lay.rows[n])
        self._paragraph(surface, note, col, last + lay.row, ps.TEXT_DIM)

    # ------------------------------------------------------------ the save list

    def _saves_rect(self) -> pygame.Rect:
        mods, players = self.layout.columns["mods"], self.layout.columns["players"]
        return mods.union(players)

    def _save_rows(self) -> list[pygame.Rect]:
        rect, row = self._saves_rect(), self.layout.row
        count = len(self.saves or ())
        return [
            pygame.Rect(rect.x + 6, rect.y + row + 10 + k * row, rect.width - 12, row)
            for k in range(count)
            if rect.y + row + 10 + (k + 1) * row < rect.bottom - 2 * row
        ]

    def _save_hit(self, pos: tuple[int, int]) -> tuple[str, int] | None:
        for k, rect in enumerate(self._save_rows()):
            if rect.collidepoint(pos):
                return "save", k
        return None

    def _draw_saves(self, surface: pygame.Surface) -> None:
        lay = self.layout
        rect = self._saves_rect()
        fill_panel(surface, rect)
        where = self.files.where if self.files is not None else ""
        blit_text(
            surface,
            f"Saved games ({where})",
            (rect.x + 8, rect.y + 6),
            lay.text + 2,
            ps.ACCENT,
            bold=True,
            max_width=rect.width - 16,
        )
        for k, row in enumerate(self._save_rows()):
            path = (self.saves or [])[k]
            if k == self.save_cursor:
                pygame.draw.rect(surface, ps.SELECTED_BG, row)
            label = f"{path.parent.name}/{path.name}"
            colour = ps.WARN if path == self.changed_save else ps.TEXT
            blit_text(
                surface, label, (row.x + 6, row.y + 3), lay.text, colour, max_width=row.width - 12
            )
        if self.path_entry is not None:
            entry = pygame.Rect(
                rect.x + 6, rect.bottom - 3 * lay.row - 8, rect.width - 12, lay.row + 4
            )
            pygame.draw.rect(surface, ps.SELECTED_BG, entry)
            pygame.draw.rect(surface, ps.ACCENT, entry, 1)
            blit_text(
                surface,
                "path: " + self.path_entry + "_",
                (entry.x + 6, entry.y + 3),
                lay.text,
                ps.TEXT_HEAD,
                max_width=entry.width - 12,
            )
        blit_text(
            surface,
            SAVES_HELP,
            (rect.x + 8, rect.bottom - lay.row - 4),
            lay.text,
            ps.TEXT_DIM,
            max_width=rect.width - 16,
        )

    # ------------------------------------------------------------ the settings page

    def _setting_rows(self) -> list[pygame.Rect]:
        rect, row = self._saves_rect(), self.layout.row
        return [
            pygame.Rect(rect.x + 6, rect.y + 2 * row + 10 + 2 * k * row, rect.width - 12, row)
            for k in range(len(SETTING_ROWS))
        ]

    def _setting_hit(self, pos: tuple[int, int]) -> tuple[str, int] | None:
        for k, rect in enumerate(self._setting_rows()):
            if rect.collidepoint(pos):
                return "setting", k
        return None

    def _draw_settings(self, surface: pygame.Surface) -> None:
        lay = self.layout
        rect = self._saves_rect()
        fill_panel(surface, rect)
        blit_text(
            surface,
            "Settings: saved at once, for the next game (size and text size now)",
            (rect.x + 8, rect.y + 6),
            lay.text + 2,
            ps.ACCENT,
            bold=True,
            max_width=rect.width - 16,
        )
        rows = zip(SETTING_ROWS, self._setting_rows(), strict=True)
        for k, ((name, label), row) in enumerate(rows):
            blit_text(surface, label, (row.x + 2, row.y - lay.row + 4), lay.text, ps.TEXT_DIM)
            if k == self.settings_cursor:
                pygame.draw.rect(surface, ps.SELECTED_BG, row)
                pygame.draw.rect(surface, ps.ACCENT, row, 1)
            text = "<  " + self._setting_text(name) + "  >"
            blit_text(surface, text, (row.x + 6, row.y + 3), lay.text, ps.TEXT_HEAD, bold=True)
        help_text = "Up/Down choose · Left/Right change · Esc or Enter back"
        blit_text(
            surface, help_text, (rect.x + 8, rect.bottom - lay.row - 4), lay.text, ps.TEXT_DIM
        )


class SettingsHook(Protocol):
    """The player's settings, as the start screen reads and changes them (``ui.launch``)."""

    def current(self) -> Settings:
        """The settings now."""
        ...

    def change(self, name: str, value: object) -> str | None:
        """Set one setting, save the file and apply what applies at once; an error, or None."""
        ...


class StartFiles(Protocol):
    """What the start screen asks of the player's files (``ui.launch`` gives it them)."""

    where: str
    """The saves folder, as the screen shows it."""

    def list(self) -> list[Path]:
        """Saves and autosaves, newest first."""
        ...

    def last(self) -> Path | None:
        """The save Continue opens."""
        ...

    def open(self, path: Path, how: str, choices: StartChoices) -> tuple[str | None, bool]:
        """Open a save in the window, in the start screen's place.

        ``how``: ``load``, ``replay`` (the replay viewer) or ``current`` (its orders replayed
        on the current files). Returns (the error, whether the scenario changed since), or
        (None, False) when the window has it.
        """
        ...
