"""The window's speed at 1600x900, offscreen: panning, zooming, selecting, hovering, the AI's turn.

    SDL_VIDEODRIVER=dummy .venv/bin/python benchmarks/bench_ui.py [--frames 300]

Prints medians and 95th percentiles of frame times (milliseconds), and beside the cached frame a
naive one that renders everything again (map tiles, overlays, counters, text) as a ratio.
Targets (issue 10): median frame <= 8 ms panning the theatre with every unit drawn; p95 <= 16 ms
zooming; a unit selected (reach computed and shaded) and a path hovered within 30 ms; the AI's
animated turn keeps the window at 60 FPS or more.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame  # noqa: E402

from benchmarks.timing import machine_check_ms  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from ui import counters  # noqa: E402
from ui.app import IDLE_UNTIL_MS, App, open_window  # noqa: E402
from ui.camera import ZOOM_STEPS  # noqa: E402
from ui.game_scene import GameScene  # noqa: E402
from ui.panels import common  # noqa: E402
from ui.session import Session  # noqa: E402

SIZE = (1600, 900)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of some values."""
    data = sorted(values)
    k = min(len(data) - 1, max(0, round(q * (len(data) - 1))))
    return data[k]


def timed_frames(app: App, n: int, before=None) -> list[float]:  # noqa: ANN001
    """Run ``n`` frames (``before(k)`` first in each) and return their times in ms.

    A frame's time is its work (events, update, drawing, tiles rendered within the frame's
    budget); the spare time the loop then lends to warming tiles is reported apart (IDLE).
    """
    first = len(app.stats.frame_ms)
    idle_first = len(app.stats.idle_ms)
    for k in range(n):
        if before is not None:
            before(k)
        app.frame(1 / 60, events=[])
    IDLE.extend(app.stats.idle_ms[idle_first:])
    return app.stats.frame_ms[first:]


IDLE: list[float] = []


def scene_for(humans: list[str], show_all: bool) -> tuple[App, GameScene]:
    screen = pygame.display.get_surface()
    game = Game(load_scenario("august_storm"), 1)
    scene = GameScene(Session.create(game, humans), SIZE)
    scene.controller.ui.show_all = show_all
    return App(screen, scene), scene


def naive(scene: GameScene) -> None:
    """Forget every cache a frame uses: the redraw-everything frame."""
    scene.map.invalidate()
    scene.overlays._layers.clear()
    counters.cache_clear()
    common.render_text.cache_clear() if hasattr(common.render_text, "cache_clear") else None


def _panner(c):  # noqa: ANN001, ANN202
    """A frame hook that pans the camera, turning back at the map's edge."""
    direction = [1]

    def pan(_k: int) -> None:
        cam = c.camera
        before = cam.cx
        cam.pan(12 * direction[0], 3 * direction[0])
        if cam.cx == before:
            direction[0] *= -1

    return pan


def bench_pan(frames: int) -> None:
    app, scene = scene_for(["soviet"], show_all=True)
    c = scene.controller
    for step, name in ((0, "theatre"), (4, "operational"), (6, "tactical")):
        c.camera.zoom_to(step)
        c.camera.centre_on(c.game.world.index(60, 55))
        pan = _panner(c)
        scene.map.prerender(c.camera)
        timed_frames(app, 30, pan)  # warm: tiles around the route
        cached = timed_frames(app, frames, pan)

        def pan_naive(k: int, pan=pan) -> None:  # noqa: ANN001
            pan(k)
            naive(scene)

        slow = timed_frames(app, max(10, frames // 10), pan_naive)
        print(
            f"pan {name:11s} (every unit): median {statistics.median(cached):6.2f} ms, "
            f"p95 {pct(cached, 0.95):6.2f} ms, {scene.counters_drawn} counters; "
            f"naive redraw {statistics.median(slow):7.1f} ms "
            f"({statistics.median(slow) / statistics.median(cached):.0f}x)"
        )
    scene.close()


def bench_zoom(frames: int) -> None:
    app, scene = scene_for(["soviet"], show_all=True)
    c = scene.controller
    c.camera.centre_on(c.game.world.index(62, 52))
    point = c.layout.map.center
    steps = len(ZOOM_STEPS)
    seq = list(range(steps)) + list(range(steps - 2, -1, -1))

    def zoom(k: int) -> None:
        c.camera.zoom_to(seq[(k // 3) % len(seq)], point)  # a wheel notch every 3 frames

    timed_frames(app, 60)  # the first second at the fitted zoom, as a player looks at the map
    cold = timed_frames(app, 3 * len(seq), zoom)
    warm = timed_frames(app, frames, zoom)
    print(
        f"zoom in and out about a point: cold pass median {statistics.median(cold):6.2f} ms, "
        f"p95 {pct(cold, 0.95):6.2f} ms, max {max(cold):6.1f} ms; then median "
        f"{statistics.median(warm):6.2f} ms, p95 {pct(warm, 0.95):6.2f} ms"
    )
    scene.close()


def bench_select(runs: int) -> None:
    app, scene = scene_for(["soviet"], show_all=False)
    c = scene.controller
    c.camera.zoom_to(6)
    units = [u for u in c.shown.units if u.side == "soviet" and u.moves_left][:runs]
    select_ms, hover_ms = [], []
    for u in units:
        c.camera.centre_on(u.hex)
        for _ in range(100):  # the player looks at the map before clicking
            app.frame(1 / 60, events=[])
            if scene.map.complete:
                break
        t0 = time.perf_counter()
        c.select_unit(u.id)
        select = (time.perf_counter() - t0) * 1000.0
        app.frame(1 / 60, events=[])  # the reach shaded and drawn
        select_ms.append(select + app.stats.frame_ms[-1])
        if os.environ.get("BENCH_VERBOSE"):
            print(f"  {u.id}: select {select:.1f} ms + frame {app.stats.frame_ms[-1]:.1f} ms")
        x, y = c.camera.hex_centre_int(u.hex)
        for dx in (60, 120, -90):
            pos = (x + dx, y + dx // 3)
            ev = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
            app.frame(1 / 60, events=[ev])
            hover_ms.append(app.stats.frame_ms[-1])
    print(
        f"select a unit (reach + shading + frame): median {statistics.median(select_ms):6.2f} "
        f"ms, max {max(select_ms):6.1f} ms over {len(select_ms)} units; hover a path "
        f"(path + frame): median {statistics.median(hover_ms):6.2f} ms, "
        f"p95 {pct(hover_ms, 0.95):6.2f} ms"
    )
    scene.close()


def bench_ai_turn(seconds: float) -> None:
    app, scene = scene_for([], show_all=False)
    c = scene.controller
    c.ui.speed = "normal"
    c.camera.zoom_to(3)
    clock = pygame.time.Clock()
    intervals, work = [], []
    last = time.perf_counter()
    end = last + seconds
    busy_frames = 0
    while time.perf_counter() < end:
        app.frame(1 / 60, events=[])
        work.append(app.stats.frame_ms[-1])
        busy_frames += c.runner.busy
        clock.tick(60)
        now = time.perf_counter()
        intervals.append((now - last) * 1000.0)
        last = now
    fps = 1000.0 / statistics.median(intervals)
    print(
        f"AI turn animated (watch, normal speed, {seconds:.0f} s, AI thread busy in "
        f"{busy_frames} of {len(work)} frames): frame work median "
        f"{statistics.median(work):5.2f} ms, p95 {pct(work, 0.95):5.2f} ms; frame interval median "
        f"{statistics.median(intervals):5.2f} ms ({fps:.0f} FPS), p95 {pct(intervals, 0.95):5.2f}"
        f" ms ({1000.0 / pct(intervals, 0.95):.0f} FPS); {c.animator.steps_shown} AI orders "
        f"shown ({c.ai_steps} played), "
        f"turn {c.game.state.turn}"
    )
    scene.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--ai-seconds", type=float, default=8.0)
    args = parser.parse_args()
    open_window(SIZE)
    print(f"machine check {machine_check_ms():.1f} ms (higher: a busier machine)")
    driver = os.environ["SDL_VIDEODRIVER"]
    print(f"{threading.active_count()} threads; 1600x900, SDL_VIDEODRIVER={driver}")
    bench_pan(args.frames)
    bench_zoom(args.frames)
    bench_select(12)
    bench_ai_turn(args.ai_seconds)
    if IDLE:
        print(
            f"spare time lent to warming tiles after frames: median {statistics.median(IDLE):.2f}"
            f" ms, max {max(IDLE):.1f} ms ({len(IDLE)} frames; idle work is given what is left of"
            f" {IDLE_UNTIL_MS:g} ms after a frame)"
        )
    print(f"machine check {machine_check_ms():.1f} ms")


if __name__ == "__main__":
    main()
