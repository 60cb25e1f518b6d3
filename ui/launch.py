"""``main.py play``: open the window on a scenario with the chosen players and options.

The player's saved settings (``ui.settings``, in the folder of ``ui.userdata``) give the
window size, fullscreen, palette and animation speed; the flags given on the command line
override them for that run and do not change the file.
"""

from __future__ import annotations

import argparse
import sys

import pygame

from engine.errors import IllegalOrder
from engine.game import Game
from engine.paths import portable_ref
from engine.scenario.loader import load_scenario
from ui.settings import Settings, load_settings
from ui.userdata import user_data

#: Seconds a scripted run (--frames with --turns) waits at most for the AI to play its turns.
SCRIPTED_WAIT = 600.0
#: SDL video drivers that draw into memory only: a window there is invisible.
HEADLESS_DRIVERS = frozenset({"dummy", "offscreen"})


class NoDisplay(Exception):
    """No window can be opened here (the caller falls back to the text game)."""


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise IllegalOrder("size", f"--size {text}: expected WIDTHxHEIGHT, e.g. 1600x900") from None
    if w < 640 or h < 400:
        raise IllegalOrder("size", f"--size {text}: the window needs at least 640x400")
    return w, h


def find_hex(game: Game, where: str) -> int:
    """A hex from a place id, a place name or ``col,row``.

    Raises:
        IllegalOrder: nothing of that name (rule ``place``).
    """
    world = game.world
    if "," in where:
        try:
            col, row = (int(v) for v in where.split(","))
        except ValueError:
            raise IllegalOrder("place", f"'{where}' is not col,row") from None
        if not world.grid.contains(col, row):
            raise IllegalOrder("place", f"hex {col},{row} is off the map")
        return world.index(col, row)
    key = where.strip().lower()
    for pid, info in world.places.items():
        if pid.lower() == key or info.spec.name.lower() == key:
            return info.index
    known = ", ".join(sorted(world.places)[:12])
    raise IllegalOrder("place", f"no place '{where}' (places include {known}, ...)")


def run_settings(args: argparse.Namespace, saved: Settings) -> Settings:
    """The settings for this run: the saved ones, with the command line's flags over them.

    ``--size`` and ``--speed`` replace the saved size and speed, ``--colour-blind`` turns the
    palette on; a watched game is shown fast unless ``--speed`` says otherwise.

    Raises:
        IllegalOrder: ``--size`` is not WIDTHxHEIGHT of at least 640x400 (rule ``size``).
    """
    changes: dict[str, object] = {}
    if getattr(args, "size", None):
        changes["window_size"] = _size(args.size)
    if getattr(args, "colour_blind", False):
        changes["colour_blind"] = True
    if getattr(args, "speed", None):
        changes["animation_speed"] = args.speed
    elif getattr(args, "watch", False):
        changes["animation_speed"] = "fast"
    return saved.model_copy(update=changes)


def play_window(args: argparse.Namespace) -> int:
    """Run the window as ``main.py play`` asks; returns the exit status.

    Raises:
        NoDisplay: no window can be opened (no display, or a headless video driver without
            ``--frames``, which would run an invisible window for ever).
    """
    data = user_data()
    settings, warnings = load_settings(data.settings_file)
    for warning in warnings:
        print(f"settings: {warning}", file=sys.stderr)
    options = run_settings(args, settings)
    size = options.window_size
    try:
        pygame.display.init()
    except pygame.error as exc:
        raise NoDisplay(str(exc)) from None
    driver = pygame.display.get_driver()
    if driver in HEADLESS_DRIVERS and args.frames is None:
        pygame.display.quit()
        raise NoDisplay(f"only SDL's '{driver}' video driver is available; --frames N runs it")
    scenario = load_scenario(args.scenario, mods=args.mod)
    game = Game(scenario, args.seed)
    # references that find the same files from any folder, so that its saves load anywhere
    game.scenario_ref = portable_ref(args.scenario)
    game.mod_refs = [portable_ref(m) for m in args.mod]
    a, b = scenario.side_order
    if args.watch:
        humans: list[str] = []
    elif args.hotseat:
        humans = [a, b]
    else:
        if args.side not in scenario.side_order:
            raise IllegalOrder(
                "side", f"no side '{args.side}' (sides: {', '.join(scenario.side_order)})"
            )
        humans = [args.side]
    plans = {a: args.soviet, b: args.japanese}
    try:
        from ui.app import App, open_window

        fullscreen = options.fullscreen and driver not in HEADLESS_DRIVERS
        screen = open_window(size, fullscreen=fullscreen)
    except pygame.error as exc:
        raise NoDisplay(str(exc)) from None
    from ui.game_scene import GameScene
    from ui.session import Session

    session = Session.create(game, humans, plans)
    session.stop_turn = None if args.turns is None else game.state.turn + args.turns
    scene = GameScene(session, screen.get_size(), colour_blind=options.colour_blind, data=data)
    c = scene.controller
    c.ui.speed = options.animation_speed
    for warning in warnings:
        c.toast(warning, None, kind="error")
    for name in args.overlay:
        c.ui.overlays[name] = True
    if args.zoom is not None:
        c.camera.zoom_to(args.zoom)
    if args.centre:
        c.camera.centre_on(find_hex(game, args.centre))
    if args.select:
        c.select_unit(args.select)
        unit = c.selected_unit()
        if unit is None:
            raise IllegalOrder("unit", f"no unit '{args.select}' in play")
        if not args.centre:
            c.camera.centre_on(unit.hex)
    app = App(screen, scene)
    if args.frames is not None and args.turns is not None and not session.human_turn:
        # a scripted run with --turns: let the AI play them out before counting the frames
        app.run_until(lambda: c.ui.mode in ("paused", "game_over"), timeout=SCRIPTED_WAIT)
    before = app.stats.frames
    stats = app.run(
        max_frames=None if args.frames is None else before + args.frames, screenshot=args.screenshot
    )
    if args.screenshot:
        waited = f" (after {before} frames of the AI's turns)" if before else ""
        print(f"wrote {args.screenshot}: frame {stats.frames - before}{waited}")
    pygame.quit()
    return 0
