"""Benchmark of the map layer's frames: zooming through every step and back, and panning.

Run from the repository root::

    SDL_VIDEODRIVER=dummy .venv/bin/python benchmarks/bench_map_layer.py [--runs 3]

A 1600x900 window (``SDL_VIDEODRIVER=dummy`` works: ``set_mode`` still gives ``convert()`` its
format) and a map view of the whole window. Each run starts from a cold cache: a new
``MapLayer`` whose first frame, at the theatre step, is timed apart (relief raster, label plan and
the theatre tile, once a game). Then, per frame, only ``MapLayer.draw`` is timed:

* **zoom**: the wheel turns one notch every ``--every`` frames (6: ten notches a second at
  60 fps) about Mudanjiang's pixel, from the theatre step to the closest and back, then frames
  go on until the picture is complete. Target: p95 frame at most 16 ms;
* **pan**: at a close step (6 and 8), the view is dragged 12 px a frame for 240 frames (about
  2900 px: tiles keep coming in on the east). Target: median frame at most 8 ms. With
  ``idle``, each frame also gives ``MapLayer.idle`` what is left of 12 ms (the window's loop
  will), timed separately.

Both run with the default budget (``draw(..., budget_ms=DRAW_BUDGET_MS)``: missing tiles
rendered nearest the centre first within the budget, fallbacks meanwhile) and with the simple
path beside it (``budget_ms=None``: every missing tile rendered at once); the ratio of the
figures is printed. Percentiles are over the frames of all runs.

A "machine check" (a fixed numpy workload) is printed first: this machine's speed varies by up
to 2x from minute to minute, so compare figures taken with similar checks.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from benchmarks.timing import machine_check_ms, percentile  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.world import World  # noqa: E402
from ui.camera import ZOOM_STEPS, Camera  # noqa: E402
from ui.map_layer import DRAW_BUDGET_MS, MapLayer  # noqa: E402

SIZE = (1600, 900)
#: Most frames a run may take to finish its picture after the last move.
SETTLE_FRAMES = 600


def timed_draw(layer: MapLayer, screen: pygame.Surface, cam: Camera, budget: float | None):
    t0 = time.perf_counter()
    done = layer.draw(screen, cam, budget_ms=budget)
    return (time.perf_counter() - t0) * 1000.0, done


def fresh_layer(world: World, screen: pygame.Surface, budget: float | None, place: str):
    """A cold layer and a camera at the theatre step; the time of that first frame."""
    layer = MapLayer(world)
    cam = Camera(layer.layout, (0, 0, *SIZE), zoom=0)
    cam.centre_on(world.places[place].index)
    ms, _ = timed_draw(layer, screen, cam, budget)
    return layer, cam, ms


def zoom_run(world, screen, budget, every: int, place: str) -> tuple[list[float], float, int]:
    """A zoom in through every step and out again from a cold cache.

    Returns the frame times, the first (theatre) frame's time and how many frames showed a
    fallback somewhere.
    """
    layer, cam, first = fresh_layer(world, screen, budget, place)
    about = cam.hex_centre(world.places[place].index)
    steps = list(range(1, len(ZOOM_STEPS))) + list(range(len(ZOOM_STEPS) - 2, -1, -1))
    times: list[float] = []
    blurry = 0
    for step in steps:
        cam.zoom_to(step, about)
        for _ in range(every):
            ms, done = timed_draw(layer, screen, cam, budget)
            times.append(ms)
            blurry += not done
    done = layer.complete
    while not done and len(times) < len(steps) * every + SETTLE_FRAMES:
        ms, done = timed_draw(layer, screen, cam, budget)
        times.append(ms)
        blurry += not done
    return times, first, blurry


def sharpen_run(world, screen, step: int, place: str) -> tuple[int, float, float]:
    """A cold jump from the theatre step to ``step``.

    Returns the frames until the picture is complete, the time they took, and the simple
    path's one frame.
    """
    layer, cam, _ = fresh_layer(world, screen, DRAW_BUDGET_MS, place)
    cam.zoom_to(step, cam.hex_centre(world.places[place].index))
    frames, total, done = 0, 0.0, False
    while not done and frames < SETTLE_FRAMES:
        ms, done = timed_draw(layer, screen, cam, DRAW_BUDGET_MS)
        frames += 1
        total += ms
    layer.invalidate()
    layer.tile(0, 0, 0)
    simple, _ = timed_draw(layer, screen, cam, None)
    return frames, total, simple


def pan_run(world, screen, budget, step: int, idle_to: float | None, place: str):
    """Frame times of a drag east at one step (the start view rendered first)."""
    layer, cam, _ = fresh_layer(world, screen, budget, place)
    cam.zoom_to(step)
    layer.draw(screen, cam, budget_ms=None)
    times: list[float] = []
    idle: list[float] = []
    for _ in range(240):
        cam.pan(12, 0)
        ms, _done = timed_draw(layer, screen, cam, budget)
        times.append(ms)
        if idle_to is not None:
            t0 = time.perf_counter()
            layer.idle(cam, max(0.0, idle_to - ms))
            idle.append((time.perf_counter() - t0) * 1000.0)
    return times, idle


def summary(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):6.2f}  p95 {percentile(times, 95):6.2f}  "
        f"max {max(times):6.1f} ms  ({len(times)} frames, {sum(times) / 1000.0:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--every", type=int, default=6, help="frames between wheel notches")
    parser.add_argument("--place", default="mudanjiang")
    args = parser.parse_args()
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(SIZE)
    world = World(load_scenario("august_storm"))
    print(f"machine check: {machine_check_ms():.1f} ms")
    print(f"{SIZE[0]}x{SIZE[1]}, zoom about {args.place}, budget {DRAW_BUDGET_MS} ms\n")

    figures = {}
    for name, budget in (("budget", DRAW_BUDGET_MS), ("simple", None)):
        times, firsts, settles = [], [], []
        for _ in range(args.runs):
            gc.collect()
            t, first, settle = zoom_run(world, screen, budget, args.every, args.place)
            times += t
            firsts.append(first)
            settles.append(settle)
        figures[name] = times
        print(f"zoom {name:7s} {summary(times)}")
        print(
            f"             first theatre frame {statistics.median(firsts):.0f} ms, "
            f"frames with a fallback shown {statistics.median(settles):.0f}"
        )
    b, s = figures["budget"], figures["simple"]
    print(
        f"zoom simple/budget: p95 x{percentile(s, 95) / percentile(b, 95):.1f}, "
        f"max x{max(s) / max(b):.1f}, total x{sum(s) / sum(b):.2f}\n"
    )

    for step in (4, 8):
        frames, total, simple = sharpen_run(world, screen, step, args.place)
        print(
            f"theatre -> step {step}: complete after {frames} frames ({total:.0f} ms drawing, "
            f"{frames / 60.0:.2f} s at 60 fps); the simple path's one frame {simple:.0f} ms"
        )
    print()

    for step in (6, 8):
        runs = (("budget", DRAW_BUDGET_MS, None), ("budget+idle", DRAW_BUDGET_MS, 12.0))
        for name, budget, idle_to in (*runs, ("simple", None, None)):
            times, idle = [], []
            for _ in range(args.runs):
                gc.collect()
                t, i = pan_run(world, screen, budget, step, idle_to, args.place)
                times += t
                idle += i
            print(f"pan step {step} {name:11s} {summary(times)}")
            if idle:
                both = [a + c for a, c in zip(times, idle, strict=True)]
                print(f"{'':16s} draw+idle median {statistics.median(both):.2f} ms")
            figures[name] = times
        b, s = figures["budget"], figures["simple"]
        print(
            f"pan step {step} simple/budget: median x"
            f"{statistics.median(s) / max(1e-9, statistics.median(b)):.1f}, "
            f"p95 x{percentile(s, 95) / percentile(b, 95):.1f}, max x{max(s) / max(b):.1f}\n"
        )


if __name__ == "__main__":
    main()
