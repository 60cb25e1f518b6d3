"""Render the window's art samples (map at theatre and tactical zoom, a counter sheet) as PNGs.

Run from the repository root (headless; no window opens)::

    .venv/bin/python tools/art_samples.py [--out docs/images] [--colour-blind]

Writes ``map_theatre.png`` (August Storm at the theatre step, armies as single markers in their
front's colour), ``map_tactical.png`` (the Mudanjiang sector at a tactical step with the units'
counters, stacked) and ``counters.png`` (every branch and size, both sides, both palettes, the
condition marks and a stack), so a person can look at what the art code draws.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame  # noqa: E402

from engine.game import initial_state  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.world import World  # noqa: E402
from ui import fonts, style  # noqa: E402
from ui.camera import Camera  # noqa: E402
from ui.counters import (  # noqa: E402
    army_marker_surface,
    counter_surface,
    draw_stack,
    front_of,
    unit_counter,
)
from ui.map_image import save_png  # noqa: E402
from ui.map_layer import MapLayer  # noqa: E402


def _short(name: str) -> str:
    """A marker label from a formation name: '6th Guards Tank Army (K.)' -> '6 GTA'."""
    head = name.split(" (")[0].split(" - ")[0]
    words = head.replace("-", " ").split()
    num = "".join(ch for ch in words[0] if ch.isdigit()) if words else ""
    rest = [w for w in words[1:] if w[0].isupper()] if num else words
    letters = "".join(w[0] for w in rest if w.lower() != "army") + "A"
    return f"{num} {letters}".strip() if num else letters[:4]


def theatre(world: World, state, palette: style.Palette) -> pygame.Surface:
    """The whole map at the theatre step with one marker per army."""
    layer = MapLayer(world, palette)
    cam = Camera(layer.layout, (0, 0, 760, 700), zoom=0)
    cam.centre_on_world(layer.layout.width / 2, layer.layout.height / 2)
    screen = pygame.Surface(cam.view[2:])
    layer.draw(screen, cam, budget_ms=None)  # the whole picture now
    scenario = world.scenario
    parents = {f.id: f.parent for f in scenario.formations}
    names = {f.id: f.name for f in scenario.formations}
    armies: dict[str, list[tuple[float, float]]] = defaultdict(list)
    sides = {}
    for u in state.on_map_units():
        armies[u.parent].append(cam.hex_centre(world.index(*u.hex)))
        sides[u.parent] = u.side
    for army, points in sorted(armies.items()):
        if len(points) < 3:
            continue
        x = sum(p[0] for p in points) / len(points)
        y = sum(p[1] for p in points) / len(points)
        front = front_of(army, parents, palette)
        marker = army_marker_surface(sides[army], _short(names[army]), 30, palette, front)
        screen.blit(marker, marker.get_rect(center=(round(x), round(y))))
    return screen


def tactical(world: World, state, palette: style.Palette) -> pygame.Surface:
    """The Mudanjiang sector at a tactical step with every unit's counter."""
    layer = MapLayer(world, palette)
    cam = Camera(layer.layout, (0, 0, 960, 600), zoom=6)
    cam.centre_on(world.places["suifenhe"].index)
    cam.pan(-120, 0)
    screen = pygame.Surface(cam.view[2:])
    layer.draw(screen, cam, budget_ms=None)  # the whole picture now
    px = round(cam.radius * 1.25)
    stacks: dict[int, list] = defaultdict(list)
    for u in state.on_map_units():
        stacks[world.index(*u.hex)].append(u)
    visible = cam.visible_mask()
    for i, units in stacks.items():
        if not visible[i]:
            continue
        units.sort(key=lambda u: -(u.men + 30 * u.tanks))
        marks_of = [
            {"entrenched"} if u.entrenchment else set() for u in units
        ]  # a few marks for the sample
        surfs = [
            unit_counter(
                u.type,
                u.side,
                px,
                f"{u.men / 1000:.0f}" if u.men >= 1000 else f"{u.men}",
                marks,
                palette,
                u.movement_class,
                u.airborne,
            )
            for u, marks in zip(units, marks_of, strict=True)
        ]
        draw_stack(screen, cam.hex_centre(i), surfs, palette=palette)
    return screen


def sheet(palette: style.Palette) -> pygame.Surface:
    """Every branch and size for both sides in both palettes, the marks and a stack."""
    surf = pygame.Surface((760, 372))
    surf.fill(style.STANDARD.terrain_colour("clear"))
    label = fonts.font(fonts.BODY, bold=True)
    sizes = ["XX", "X", "XXX", "XX", "XX", "X", "XX", "XXXX", "X", "X"]
    y = 8
    for pal in (style.STANDARD, style.COLOUR_BLIND):
        for side in ("soviet", "japanese"):
            surf.blit(label.render(f"{side}, {pal.name}", True, pal.place_text), (10, y))
            y += 18
            x = 10
            for branch, size in zip(style.BRANCHES, sizes, strict=True):
                strength = "" if branch == "hq" else "12"
                surf.blit(counter_surface(branch, size, side, 48, strength, (), pal), (x, y))
                x += 54
            for px in (9, 14, 20):
                surf.blit(counter_surface("armour", "X", side, px, "", (), pal), (x, y))
                x += px + 6
            y += 56
    x = 10
    for marks in (
        ["out_of_supply"],
        ["low_fuel"],
        ["entrenched"],
        ["disorganised"],
        ["cease_fire"],
        ["selected"],
    ):
        surf.blit(counter_surface("infantry", "XX", "soviet", 48, "8", marks, palette), (x, y))
        x += 54
    stack = [
        counter_surface("armour", "XXX", "soviet", 40, "20", (), palette),
        counter_surface("infantry", "XX", "soviet", 40, "9", (), palette),
        counter_surface("artillery", "XX", "soviet", 40, "5", (), palette),
        counter_surface("hq", "XXXX", "soviet", 40, "", (), palette),
    ]
    draw_stack(surf, (x + 30, y + 26), stack, palette=palette)
    x += 80
    for text, front, side in (
        ("6 GTA", "sov_transbaikal_front", "soviet"),
        ("5 A", "sov_1fef", "soviet"),
        ("15 A", "sov_2fef", "soviet"),
        ("3 AA", "jp_3rd_area_army", "japanese"),
        ("1 AA", "jp_1st_area_army", "japanese"),
    ):
        surf.blit(army_marker_surface(side, text, 44, palette, front), (x, y + 6))
        x += 50
    return surf


def main(argv: list[str] | None = None) -> int:
    """Write the three sample pictures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/images")
    ap.add_argument("--colour-blind", action="store_true")
    args = ap.parse_args(argv)
    pygame.init()
    palette = style.COLOUR_BLIND if args.colour_blind else style.STANDARD
    scenario = load_scenario("august_storm")
    world = World(scenario)
    state = initial_state(scenario, world)
    out = Path(args.out)
    save_png(theatre(world, state, palette), out / "map_theatre.png")
    save_png(tactical(world, state, palette), out / "map_tactical.png")
    save_png(sheet(palette), out / "counters.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
