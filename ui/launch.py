"""``main.py play``: open the window on the start screen, or on the game the options choose.

The player's saved settings (``ui.settings``, in the folder of ``ui.userdata``) give the
window size, fullscreen, palette and animation speed; the flags given on the command line
override them for that run and do not change the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pygame

from engine.errors import IllegalOrder
from engine.game import Game
from engine.paths import portable_ref
from engine.scenario.loader import load_scenario
from ui.settings import Settings, load_settings
from ui.userdata import UserData, user_data

#: Seconds a scripted run (--frames with --turns) waits at most for the AI to play its turns.
SCRIPTED_WAIT = 600.0
#: SDL video drivers that draw into memory only: a window there is invisible.
HEADLESS_DRIVERS = frozenset({"dummy", "offscreen"})
#: What ``main.py play`` plays when no option says otherwise (the start screen's defaults).
DEFAULT_SCENARIO = "august_storm"
DEFAULT_SIDE = "soviet"


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


def wants_start_screen(args: argparse.Namespace) -> bool:
    """Whether ``main.py play`` opens on the start screen.

    It does with ``--menu``, and when no option chooses the game (scenario, mods, seed, sides,
    plans, turns, selection) nor scripts the window (``--frames``): ``main.py play`` alone.
    """
    if getattr(args, "menu", False):
        return True
    chosen = (
        args.scenario is not None,
        bool(args.mod),
        args.seed is not None,
        args.side is not None,
        args.hotseat,
        args.watch,
        args.turns is not None,
        args.select is not None,
        args.frames is not None,
        args.soviet != "ai",
        args.japanese != "ai",
        getattr(args, "no_fog", False),
        getattr(args, "victory", None) is not None,
        getattr(args, "replay", None) is not None,
        getattr(args, "turn", None) is not None,
        getattr(args, "pbem", None) is not None,
    )
    return not any(chosen)


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
    args.colour_blind = options.colour_blind  # the palette every screen of this run draws in
    size = options.window_size
    try:
        pygame.display.init()
    except pygame.error as exc:
        raise NoDisplay(str(exc)) from None
    driver = pygame.display.get_driver()
    if driver in HEADLESS_DRIVERS and args.frames is None:
        pygame.display.quit()
        raise NoDisplay(f"only SDL's '{driver}' video driver is available; --frames N runs it")
    start = wants_start_screen(args)
    saved = None
    opened = None
    if getattr(args, "turn", None):
        from engine.pbem import open_turn

        # TurnFileError (a SaveError): reported by main.py, nothing opened
        opened = open_turn(args.turn, args.side, previous=args.previous)
        start = False
    elif getattr(args, "replay", None):
        from engine.save import load_game

        saved = load_game(args.replay)  # SaveError: reported by main.py, nothing opened
        start = False
    elif not start:
        if getattr(args, "victory", None) is not None:
            from engine.scenario.schemes import scheme_mods

            args.mod = scheme_mods(args.scenario or DEFAULT_SCENARIO, args.mod, args.victory)
        scenario = load_scenario(args.scenario or DEFAULT_SCENARIO, mods=args.mod)
        game = Game(scenario, args.seed, fog=not args.no_fog)
        # references that find the same files from any folder, so that its saves load anywhere
        game.scenario_ref = portable_ref(args.scenario or DEFAULT_SCENARIO)
        game.mod_refs = [portable_ref(m) for m in args.mod]
        humans = _humans(args, scenario.side_order)
    try:
        from ui.app import App, open_window

        fullscreen = options.fullscreen and driver not in HEADLESS_DRIVERS
        screen = open_window(size, fullscreen=fullscreen)
    except pygame.error as exc:
        raise NoDisplay(str(exc)) from None
    if opened is not None:
        app = _pbem_reply_app(screen, opened, args)
    elif getattr(args, "pbem", None) and not start:
        app = _pbem_first_app(screen, game, humans, args)
    elif saved is not None:
        from ui.replay_scene import ReplayScene

        replay_scene = ReplayScene(
            saved.scenario,
            saved.seed,
            saved.order_log,
            screen.get_size(),
            fog=saved.fog,
            saved_hash=saved.state_hash(),
            colour_blind=options.colour_blind,
            speed=args.speed or "fast",
        )
        app = App(screen, replay_scene)
    elif start:
        app = _start_app(screen, args, options, data)
    else:
        a, b = scenario.side_order
        plans = {a: args.soviet, b: args.japanese}
        scene = game_scene(game, humans, plans, screen, args, options, data)
        app = App(screen, scene)
        attach_report(app, scene, args)
        for warning in warnings:
            scene.controller.toast(warning, None, kind="error")
    c = getattr(app.scene, "controller", None)  # None on the start screen and in a replay
    session = None if c is None else c.session
    if (
        args.frames is not None
        and args.turns is not None
        and session is not None
        and not session.human_turn
    ):
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


def _pbem_first_app(
    screen: pygame.Surface, game: Game, humans: list[str], args: argparse.Namespace
):  # noqa: ANN202 - ui.app.App
    """A new game by e-mail: the first side's turn played here, then its turn file written."""
    from pathlib import Path

    from ui.app import App
    from ui.pbem_scene import PbemScene

    first = game.scenario.side_order[0]
    if humans != [first]:
        raise IllegalOrder(
            "side", f"a game by e-mail is started by the side that moves first ({first})"
        )
    return App(
        screen,
        PbemScene(game, first, screen.get_size(), Path(args.pbem), colour_blind=args.colour_blind),
    )


def _pbem_reply_app(screen: pygame.Surface, opened, args: argparse.Namespace):  # noqa: ANN001, ANN202 - engine.pbem.OpenedTurn, ui.app.App
    """An opponent's turn file: its last turn replayed under your fog, then your turn."""
    from pathlib import Path

    from ui.app import App
    from ui.pbem_scene import reply_path

    side = opened.next_side
    out = None
    if side is not None:
        given = Path(args.out) if args.out else None
        out = reply_path(Path(args.turn), given, opened.game, side)
    app: App | None = None
    app = App(screen, pbem_reply_scene(lambda: app, opened, out, args))
    return app


def pbem_reply_scene(app_of, opened, out: Path | None, args: argparse.Namespace):  # noqa: ANN001, ANN201 - () -> App, OpenedTurn, ReplayScene
    """The replay of an opponent's last turn under the opener's fog; Enter hands over the game.

    ``out`` is where the opener's reply goes when the turn is played (None: a finished game,
    only watched).
    """
    from ui.pbem_scene import PbemScene
    from ui.replay_scene import ReplayScene

    game = opened.game
    side = opened.next_side

    def play_turn() -> None:
        if side is None or out is None:
            return
        app = app_of()
        app.replace(
            PbemScene(game, side, app.screen.get_size(), out, colour_blind=args.colour_blind)
        )

    return ReplayScene(
        game.scenario,
        game.seed,
        game.order_log,
        pygame.display.get_surface().get_size(),  # the window is open, the app maybe not yet
        fog=game.fog,
        colour_blind=args.colour_blind,
        speed=args.speed or "normal",
        start=opened.last_turn_start,
        viewer=side if side is not None else getattr(args, "side", None),
        on_enter=play_turn,
    )


def attach_report(app, scene, args: argparse.Namespace) -> None:  # noqa: ANN001 - App, GameScene
    """Let a game scene open its after-action report over ``app`` (at the end, and on F10)."""
    from ui.aar_scene import open_after_action

    def report() -> None:
        c = scene.controller
        open_after_action(app, c.game, session=c.session, colour_blind=args.colour_blind)

    scene.open_report = report

    def quit_game() -> None:
        app.running = False

    scene.quit_game = quit_game


def _humans(args: argparse.Namespace, side_order: tuple[str, ...]) -> list[str]:
    """The sides played in the window, from --watch, --hotseat or --side."""
    if args.watch:
        return []
    if args.hotseat:
        return list(side_order)
    side = args.side or DEFAULT_SIDE
    if side not in side_order:
        raise IllegalOrder("side", f"no side '{side}' (sides: {', '.join(side_order)})")
    return [side]


def game_scene(
    game: Game,
    humans: list[str],
    plans: dict[str, str],
    screen: pygame.Surface,
    args: argparse.Namespace,
    options: Settings | None = None,
    data: UserData | None = None,
):  # noqa: ANN201 - a ui.game_scene.GameScene (imported late: pygame fonts)
    """The game scene for ``game``, with the window options of ``args`` and ``options`` applied.

    Raises:
        IllegalOrder: an unknown plan, unit (--select) or place (--centre).
    """
    from ui.game_scene import GameScene
    from ui.session import Session

    session = Session.create(game, humans, plans)
    session.stop_turn = None if args.turns is None else game.state.turn + args.turns
    colour_blind = options.colour_blind if options is not None else args.colour_blind
    scale = options.ui_scale if options is not None else 1.0
    scene = GameScene(
        session, screen.get_size(), colour_blind=colour_blind, data=data, ui_scale=scale
    )
    c = scene.controller
    if args.speed:
        c.ui.speed = args.speed
    elif not humans:
        c.ui.speed = "fast"
    else:
        c.ui.speed = options.animation_speed if options is not None else "normal"
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
    return scene


def _start_app(
    screen: pygame.Surface,
    args: argparse.Namespace,
    options: Settings | None = None,
    data: UserData | None = None,
):  # noqa: ANN202 - ui.app.App
    """The window opened on the start screen; Play puts the chosen game in its place."""
    from ui.app import App
    from ui.start_menu import StartChoices, catalogue
    from ui.start_scene import StartScene

    app: App | None = None

    def play(setup) -> None:  # noqa: ANN001 - a ui.start_menu.GameSetup
        assert app is not None
        game = Game(setup.scenario, setup.seed, fog=setup.fog)
        game.scenario_ref = portable_ref(setup.folder)
        game.mod_refs = [portable_ref(m) for m in setup.mods]
        if setup.pbem and data is not None:
            from ui.pbem_scene import PbemScene

            data.turns.mkdir(parents=True, exist_ok=True)
            first = setup.humans[0]
            out = data.turns / f"turn-{game.state.turn:02d}-{first}.json"
            app.replace(
                PbemScene(game, first, app.screen.get_size(), out, colour_blind=args.colour_blind)
            )
            return
        scene = game_scene(game, setup.humans, setup.plans, app.screen, args, options, data)
        app.replace(scene)
        attach_report(app, scene, args)
        scene.to_start = back_to_start
        if hook is not None:
            scene.open_settings = settings_over_game

    def quit_() -> None:
        assert app is not None
        app.running = False

    def back_to_start() -> None:
        assert app is not None
        app.replace(StartScene(choices, app.screen.get_size(), play, quit_, files, hook))

    def settings_over_game() -> None:
        assert app is not None
        page = StartScene(choices, app.screen.get_size(), play, quit_, None, hook, app.pop)
        app.push(page)

    choices = StartChoices(catalogue())
    files = None if data is None else _WindowFiles(data, lambda: app, args, options)
    hook = (
        None
        if data is None or options is None
        else _WindowSettings(data, lambda: app, args, options)
    )
    app = App(screen, StartScene(choices, screen.get_size(), play, quit_, files, hook))
    return app


def _is_turn_file(path: Path) -> bool:
    """Whether a file says it is a play-by-e-mail turn file (its ``format`` field)."""
    import json

    from engine.pbem import TURN_FORMAT

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(raw, dict) and raw.get("format") == TURN_FORMAT


class _WindowSettings:
    """The start screen's settings page: saved to the player's file at once, and applied.

    The window's size and full screen change at once; the palette, the speed and the UI scale
    are what the next game of this run (and every later run) starts with.
    """

    def __init__(
        self,
        data: UserData,
        app_of,  # noqa: ANN001 - () -> ui.app.App (made after this)
        args: argparse.Namespace,
        options: Settings,
    ) -> None:
        self.data = data
        self._app_of = app_of
        self.args = args
        self.options = options

    def current(self) -> Settings:
        """The settings this run plays with."""
        return self.options

    def change(self, name: str, value: object) -> str | None:
        """Save one setting and apply it; a line saying why not, or None."""
        from pydantic import ValidationError

        from ui.settings import update_settings
        from ui.userdata import shown_path

        try:
            update_settings(self.data.settings_file, **{name: value})
            setattr(self.options, name, value)
        except (OSError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            return f"could not save {shown_path(self.data.settings_file)}: {first}"
        if name == "colour_blind":
            self.args.colour_blind = bool(value)
        if name in ("window_size", "fullscreen"):
            app = self._app_of()
            offscreen = pygame.display.get_driver() in HEADLESS_DRIVERS
            if self.options.fullscreen and not offscreen:
                app.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            else:
                flags = 0 if offscreen else pygame.RESIZABLE
                app.screen = pygame.display.set_mode(tuple(self.options.window_size), flags)
        return None


class _WindowFiles:
    """The start screen's Continue, Load and Replay, on the player's folder."""

    def __init__(
        self,
        data: UserData,
        app_of,  # noqa: ANN001 - () -> ui.app.App (made after this)
        args: argparse.Namespace,
        options: Settings | None,
    ) -> None:
        from ui.userdata import shown_path

        self.data = data
        self._app_of = app_of
        self.args = args
        self.options = options
        self.where = shown_path(data.saves)

    def list(self) -> list[Path]:
        """Saves, then autosaves, each newest first."""
        from ui.files import saves_in

        found = saves_in(self.data.saves) + saves_in(self.data.autosave)
        return found + saves_in(self.data.turns)

    def last(self) -> Path | None:
        """The save Continue opens."""
        from ui.files import continue_path

        return continue_path(self.data)

    def open(self, path: Path, how: str, choices) -> tuple[str | None, bool]:  # noqa: ANN001 - StartChoices
        """Open a save in the window (see :class:`ui.start_scene.StartFiles`)."""
        from engine.errors import SaveError
        from engine.save import load_game
        from ui.files import load_into_window
        from ui.game_scene import GameScene
        from ui.replay_scene import ReplayScene

        app = self._app_of()
        colour_blind = self.options.colour_blind if self.options is not None else False
        if path.parent == self.data.turns or _is_turn_file(path):  # by e-mail: watch, then play
            from engine.errors import EngineError
            from engine.pbem import open_turn

            try:
                opened = open_turn(path)
            except EngineError as exc:
                return str(exc), False
            side = opened.next_side
            out = None
            if side is not None:
                self.data.turns.mkdir(parents=True, exist_ok=True)
                out = self.data.turns / f"turn-{opened.game.state.turn:02d}-{side}.json"
            app.replace(pbem_reply_scene(self._app_of, opened, out, self.args))
            return None, False
        if how == "replay":
            try:
                saved = load_game(path)
            except SaveError as exc:  # a changed scenario too: its replay would not be this game
                return str(exc), False
            app.replace(
                ReplayScene(
                    saved.scenario,
                    saved.seed,
                    saved.order_log,
                    app.screen.get_size(),
                    fog=saved.fog,
                    saved_hash=saved.state_hash(),
                    colour_blind=colour_blind,
                )
            )
            return None, False
        plans = {side: choices.plan_of(side) for side in choices.info.sides}
        loaded = load_into_window(
            path, choices.humans(), plans, replay=how == "current", data=self.data
        )
        if loaded.session is None:
            return loaded.error, loaded.changed
        scale = self.options.ui_scale if self.options is not None else 1.0
        scene = GameScene(loaded.session, app.screen.get_size(), colour_blind, self.data, scale)
        if self.options is not None:
            scene.controller.ui.speed = self.options.animation_speed
        scene.controller.toast(loaded.message)
        app.replace(scene)
        attach_report(app, scene, self.args)
        return None, False
