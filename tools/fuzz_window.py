"""Random input to the real window: thousands of clicks, drags, keys, wheel turns and resizes.

    SDL_VIDEODRIVER=dummy .venv/bin/python tools/fuzz_window.py --seeds 10 --events 20000
    SDL_VIDEODRIVER=dummy .venv/bin/python tools/fuzz_window.py --screens --seeds 5 --events 6000

Each run posts seeded random events to pygame's queue (a frame every few events), lets the AI
play its turns, and checks at the end that nothing raised and that the game's order log
replays to the same state hash. A failure prints the seed that reproduces it. The test suite
runs a small sample of this (tests/ui/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from engine.game import Game, replay  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from main import build_parser  # noqa: E402
from ui.app import App, open_window  # noqa: E402
from ui.game_scene import GameScene  # noqa: E402
from ui.session import Session  # noqa: E402

KEYS = [
    pygame.K_RETURN,
    pygame.K_BACKSPACE,
    pygame.K_ESCAPE,
    pygame.K_TAB,
    pygame.K_SPACE,
    pygame.K_F1,
    pygame.K_F2,
    pygame.K_HOME,
    pygame.K_c,
    pygame.K_v,
    pygame.K_r,
    pygame.K_p,
    pygame.K_l,
    pygame.K_f,
    pygame.K_1,
    pygame.K_2,
    pygame.K_3,
    pygame.K_4,
    pygame.K_5,
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_w,
    pygame.K_a,
    pygame.K_s,
    pygame.K_d,
    pygame.K_PLUS,
    pygame.K_MINUS,
    pygame.K_z,
    pygame.K_SLASH,
]


@dataclass
class FuzzResult:
    """What one run did."""

    seed: int
    events: int
    frames: int
    orders: int
    turn: int
    game_over: bool
    seconds: float


def _pos(rng: np.random.Generator, app: App, scene: GameScene) -> tuple[int, int]:
    """A random pixel, often on a unit's hex, a button or a panel row."""
    c = scene.controller
    w, h = app.screen.get_size()
    r = rng.random()
    units = c.shown.units_seen_by(c.viewer)
    if r < 0.35 and units:
        u = units[int(rng.integers(len(units)))]
        x, y = c.camera.hex_centre_int(u.hex)
        return int(x + rng.integers(-20, 21)), int(y + rng.integers(-20, 21))
    if r < 0.45 and c.layout.buttons:
        rects = list(c.layout.buttons.values()) + list(c.layout.attack_buttons().values())
        return rects[int(rng.integers(len(rects)))].center
    return int(rng.integers(0, w)), int(rng.integers(0, h))


def random_events(rng: np.random.Generator, app: App, scene: GameScene) -> list[pygame.event.Event]:
    """One random input gesture as pygame events."""
    r = rng.random()
    pos = _pos(rng, app, scene)
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    c = scene.controller
    movers = [u for u in c.shown.units if u.moves_left]
    if r < 0.15 and movers:
        # a player's gesture: click one of the side's units, then a hex a few hexes away
        u = movers[int(rng.integers(len(movers)))]
        dist = c.game.world.grid.distances_from(u.hex)
        near = np.flatnonzero((dist > 0) & (dist <= 3))
        dest = int(near[int(rng.integers(len(near)))]) if near.size else u.hex
        out = []
        for i in (u.hex, dest):
            p = c.camera.hex_centre_int(i)
            out += [
                pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=p, button=1),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=p, button=1),
            ]
        return out
    if r < 0.3:
        return [motion]
    if r < 0.5:
        button = 3 if rng.random() < 0.12 else 1
        return [
            motion,
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button),
        ]
    if r < 0.6:
        end = _pos(rng, app, scene)
        out = [motion, pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)]
        for k in range(1, 4):
            p = (pos[0] + (end[0] - pos[0]) * k // 3, pos[1] + (end[1] - pos[1]) * k // 3)
            out.append(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0)))
        out.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1))
        return out
    if r < 0.7:
        y = int(rng.choice([-1, 1]))
        return [
            motion,
            pygame.event.Event(
                pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y)
            ),
        ]
    if r < 0.985:
        key = KEYS[int(rng.integers(len(KEYS)))]
        mod = pygame.KMOD_CTRL if key == pygame.K_z else 0
        return [pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)]
    size = (int(rng.integers(640, 1921)), int(rng.integers(400, 1081)))
    return [pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)]


def fuzz(
    seed: int,
    events: int,
    scenario: str = "test_small",
    humans: tuple[str, ...] = ("soviet",),
) -> FuzzResult:
    """Post ``events`` random events to a new window; raise on any failure."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    screen = open_window((1600, 900))
    pygame.event.clear()
    game = Game(load_scenario(scenario), seed)
    scene = GameScene(Session.create(game, list(humans)), screen.get_size())
    scene.controller.ui.speed = "instant"
    app = App(screen, scene)
    sent = 0
    try:
        while sent < events:
            batch = random_events(rng, app, scene)
            for e in batch:
                pygame.event.post(e)
            sent += len(batch)
            if rng.random() < 0.35:
                app.frame(1 / 60)
            if scene.controller.runner.busy:
                scene.controller.runner._thread.join(0.05)  # type: ignore[union-attr]
        app.frame(1 / 60)
    finally:
        scene.close()
        pygame.event.clear()
    again = replay(game.scenario, game.seed, game.order_log)
    if again.state_hash() != game.state_hash():
        raise AssertionError(f"seed {seed}: the order log does not replay to the game's hash")
    return FuzzResult(
        seed,
        sent,
        app.stats.frames,
        len(game.order_log),
        game.state.turn,
        game.state.game_over,
        time.perf_counter() - start,
    )


SCREEN_KEYS = [
    *KEYS,
    pygame.K_F5,
    pygame.K_F9,
    pygame.K_F10,
    pygame.K_PAGEUP,
    pygame.K_PAGEDOWN,
    pygame.K_END,
    pygame.K_n,
    pygame.K_b,
    pygame.K_e,
    pygame.K_j,
    pygame.K_6,
    pygame.K_0,
    pygame.K_9,
]
#: The screens the all-screens run visits, in turn.
SCREENS: tuple[str, ...] = ("start", "game", "help", "report", "replay", "pbem")


def _any_events(rng: np.random.Generator, size: tuple[int, int]) -> list[pygame.event.Event]:
    """One random gesture for any screen: a click, a drag, a key (with text), the wheel."""
    w, h = size
    pos = (int(rng.integers(0, w)), int(rng.integers(0, h)))
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    r = rng.random()
    if r < 0.3:
        return [
            motion,
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1),
        ]
    if r < 0.4:
        y = int(rng.choice([-1, 1]))
        return [
            motion,
            pygame.event.Event(
                pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y)
            ),
        ]
    if r < 0.5:
        return [motion]
    key = SCREEN_KEYS[int(rng.integers(len(SCREEN_KEYS)))]
    text = pygame.key.name(key) if len(pygame.key.name(key)) == 1 else ""
    mod = pygame.KMOD_SHIFT if rng.random() < 0.1 else 0
    return [pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=text, scancode=0)]


def fuzz_screens(seed: int, events: int, out_dir: Path | None = None) -> FuzzResult:
    """Random input to every screen in turn: start, game, help, report, replay, by e-mail.

    Each screen gets an equal share of ``events``; a screen that closes itself (Esc on the
    start screen or the report) is opened again. Raises on any exception; the game played
    along the way must replay to its hash.
    """
    import tempfile

    from ui.aar_scene import open_after_action
    from ui.launch import _start_app, attach_report
    from ui.pbem_scene import PbemScene
    from ui.replay_scene import ReplayScene
    from ui.start_menu import StartChoices, catalogue
    from ui.start_scene import StartScene

    start_time = time.perf_counter()
    rng = np.random.default_rng(seed)
    screen = open_window((1600, 900))
    pygame.event.clear()
    folder = Path(out_dir or tempfile.mkdtemp(prefix="fuzz-screens-"))
    args = build_parser().parse_args(["play", "--speed", "instant"])
    small = [info for info in catalogue() if info.folder == "test_small"]
    scenario = load_scenario("test_small")
    game = Game(scenario, seed)
    sent = frames = 0
    share = max(1, events // len(SCREENS))
    for name in SCREENS:
        if name == "start":
            app = _start_app(screen, args)
            app.scenes[-1] = StartScene(
                StartChoices(small), screen.get_size(), lambda setup: None, lambda: None
            )
        elif name in ("game", "help", "report"):
            scene = GameScene(Session.create(game, ["soviet"]), screen.get_size())
            scene.controller.ui.speed = "instant"
            app = App(screen, scene)
            attach_report(app, scene, args)
            if name == "help":
                scene.controller.ui.help = True
            if name == "report":
                open_after_action(app, game, export_dir=folder)
        elif name == "replay":
            app = App(screen, ReplayScene(scenario, seed, list(game.order_log), screen.get_size()))
        else:
            turn_game = Game(scenario, seed + 1)
            app = App(screen, PbemScene(turn_game, "soviet", screen.get_size(), folder / "t.json"))
        bottom = app.scenes[0]
        done = 0
        try:
            while done < share:
                for e in _any_events(rng, app.screen.get_size()):
                    pygame.event.post(e)
                    done += 1
                if rng.random() < 0.35 or not app.running:
                    if not app.running or not app.scenes:
                        app.scenes, app.running = [bottom], True  # closed itself: open again
                    app.frame(1 / 60)
                    frames += 1
                runner = getattr(getattr(app.scene, "controller", None), "runner", None)
                if runner is not None and runner.busy:
                    runner._thread.join(0.05)  # type: ignore[union-attr]
        finally:
            for scene in reversed(app.scenes):
                scene.close()
            pygame.event.clear()
        sent += done
    again = replay(game.scenario, game.seed, game.order_log)
    if again.state_hash() != game.state_hash():
        raise AssertionError(f"seed {seed}: the order log does not replay to the game's hash")
    return FuzzResult(
        seed,
        sent,
        frames,
        len(game.order_log),
        game.state.turn,
        game.state.game_over,
        time.perf_counter() - start_time,
    )


def main() -> int:
    """Run the seeds asked for; print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--scenario", default="test_small")
    parser.add_argument("--hotseat", action="store_true", help="both sides human")
    parser.add_argument(
        "--screens",
        action="store_true",
        help="every screen in turn: start, game, help, report, replay, by e-mail",
    )
    args = parser.parse_args()
    humans = ("soviet", "japanese") if args.hotseat else ("soviet",)
    total = 0
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        if args.screens:
            r = fuzz_screens(seed, args.events)
        else:
            r = fuzz(seed, args.events, args.scenario, humans)
        total += r.events
        print(
            f"seed {r.seed}: {r.events} events, {r.frames} frames, {r.orders} orders, "
            f"turn {r.turn}{' (game over)' if r.game_over else ''}, {r.seconds:.1f} s: ok"
        )
    print(f"{args.seeds} runs, {total} events: no exception, every game replays to its hash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
