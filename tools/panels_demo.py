"""Draw every panel for a real August Storm game onto a 1600x900 picture, and time a frame.

``python -m tools.panels_demo [out.png] [--scenario august_storm] [--turns 3]`` plays a few AI
turns, sets up a selection, an attack and a log, and saves the window's panels (the map area
shows the static map picture) so a person can look at them.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from engine import combat  # noqa: E402
from engine.game import Game  # noqa: E402
from engine.orders import EndPhase  # noqa: E402
from engine.players import make_player, run_game  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from ui import panels  # noqa: E402
from ui.camera import Camera, HexLayout  # noqa: E402
from ui.layout import layout_for  # noqa: E402
from ui.map_image import render, save_png  # noqa: E402
from ui.state import ContextMenu, PathPreview, PendingAttack, Toast, UIState  # noqa: E402
from ui.style import side_colour, unit_letter  # noqa: E402

HOTKEYS = [
    ("F1", "this help"),
    ("Enter", "end the phase"),
    ("Esc", "cancel the attack, close a menu"),
    ("Ctrl+Z", "undo the last order"),
    ("Space", "next unit that can still move"),
    ("Tab", "cycle the units of the hex"),
    ("A", "attack with the selected unit"),
    ("R", "rail move"),
    ("S", "supply overlay"),
    ("Z", "zones of control"),
    ("C", "control overlay"),
    ("O", "objectives"),
    ("F", "fog of war"),
    ("+ / -", "zoom in and out"),
    ("arrows", "pan the map"),
    ("Home", "centre on the selected unit"),
    ("1-4", "speed: slow, normal, fast, instant"),
    ("Ctrl+S", "save the game"),
]


@dataclass(frozen=True)
class DemoEntry:
    """A stand-in for the structured log entry (same attributes), parsed from a log line."""

    turn: int
    phase: str
    kind: str
    side: str
    units: tuple[str, ...]
    hexes: tuple[tuple[int, int], ...]
    text: str

    def __str__(self) -> str:
        return f"T{self.turn} {self.text}"


_KINDS = (
    ("attack", "combat"),
    ("is taken by", "capture"),
    ("surrender", "surrender"),
    ("supply", "supply"),
    ("event:", "event"),
    ("weather", "weather"),
    ("begins", "turn"),
    ("ends its", "phase"),
    ("objective", "victory"),
    ("arrives", "reinforcement"),
    ("rail", "rail"),
    ("moves", "move"),
)


def demo_entries(lines: list[str]) -> list[DemoEntry]:
    """Log lines turned into entries by a rough guess at their kind."""
    out = []
    for line in lines:
        m = re.match(r"T(\d+) (.*)", line)
        turn, text = (int(m.group(1)), m.group(2)) if m else (0, line)
        kind = next((k for word, k in _KINDS if word in text), "event")
        out.append(DemoEntry(turn, "", kind, "", (), (), text))
    return out


def stub_counter(unit: object, px: int) -> pygame.Surface:
    """A plain counter: the side's colour and the type letter (the real ones are elsewhere)."""
    return _stub(getattr(unit, "side", ""), getattr(unit, "type", "?"), px)


@lru_cache(maxsize=64)
def _stub(side: str, utype: str, px: int) -> pygame.Surface:
    s = pygame.Surface((px, px))
    s.fill(side_colour(side))
    pygame.draw.rect(s, (0, 0, 0), s.get_rect(), 2)
    f = pygame.font.Font(None, px // 2)
    img = f.render(unit_letter(utype), True, (0, 0, 0))
    s.blit(img, img.get_rect(center=s.get_rect().center))
    return s


def find_attack(game: Game) -> PendingAttack | None:
    """The biggest attack the side to play could make now, as the controller would set it up."""
    best = None
    side = game.active_side
    targets: dict[int, list[str]] = {}
    for u in game.state.units_of(side):
        for t in combat.attack_targets(game.world, game.state, u):
            targets.setdefault(t, []).append(u.id)
    for t, ids in targets.items():
        if best is None or len(ids) > len(best[1]):
            best = (t, ids)
    if best is None:
        return None
    t, ids = best
    chosen = ids[: max(1, len(ids) - 1)]
    pv = game.preview_attack(chosen, game.world.coord(t))
    return PendingAttack(target=t, attackers=chosen, candidates=ids, preview=pv)


def busy_hex(game: Game) -> int:
    """A place with the most to say about it: fort, rivers, rail and road, units."""
    w = game.world

    def score(i: int) -> int:
        return (
            2 * int(w.fort_level[i] > 0)
            + int((w.river[i] > 0).sum() > 0)
            + len({k for _a, _b, k in w.network.edges(i, keys=True)})
        )

    return max((info.index for info in w.places.values()), key=score)


def build(scenario: str = "august_storm", turns: int = 3, seed: int = 1) -> dict:
    """A game a few turns in and a window state showing a bit of everything."""
    game = Game(load_scenario(scenario), seed)
    players = {s: make_player("ai", s, game.scenario) for s in game.scenario.side_order}
    run_game(game, players, max_turns=turns)
    game.apply(EndPhase())  # into the combat phase
    ui = UIState()
    attack = find_attack(game)
    ui.attack = attack
    if attack is not None:
        ui.selection.unit_id = attack.attackers[0]
    unit = game.state.units[ui.selection.unit_id] if ui.selection.unit_id else None
    units_here = [u for u in game.state.on_map_units() if unit is not None and u.hex == unit.hex]
    if unit is not None:
        ui.selection.hex = game.world.index(*unit.hex)
        ui.hovered = ui.selection.hex
        ui.path = PathPreview(unit.id, ui.hovered, [ui.hovered], 3.5, False, True)
    ui.last_result = next((s[3:] for s in reversed(game.state.log) if "attack" in s), "")
    return {"game": game, "ui": ui, "units_here": units_here, "unit": unit}


def draw_all(surface, layout, game, ui, units_here, entries, minimap, camera, explanation=None):
    """Every panel, as a frame would draw them."""
    panels.draw_top_bar(
        surface, layout, game, ui, players_text="you: Soviet vs AI", can_undo=True, ai_busy=False
    )
    panels.draw_unit_panel(
        surface, layout, game, ui, units_here, stub_counter, explanation=explanation
    )
    panels.draw_info_panel(surface, layout, game, ui, units_here)
    panels.draw_log(surface, layout, entries, ui, game.scenario.date_of_turn)
    units = [(game.world.index(*u.hex), u.side) for u in game.state.on_map_units()]
    minimap.draw(surface, layout, camera.world_rect(), game.state.control, units)


def main() -> None:
    """Render the demo pictures and print the frame time."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", nargs="?", default="docs/images/panels.png")
    ap.add_argument("--scenario", default="august_storm")
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--size", default="1600x900", help="window size, WIDTHxHEIGHT")
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    pygame.init()
    d = build(args.scenario, args.turns)
    game, ui = d["game"], d["ui"]
    layout = layout_for(width, height)
    surface = pygame.Surface(layout.size)
    surface.fill((0, 0, 0))
    hl = HexLayout(game.world.grid)
    camera = Camera(hl, tuple(layout.map))
    camera.zoom = 3
    if d["unit"] is not None:
        camera.centre_on(game.world.index(*d["unit"].hex))
    # the map area: the static map picture at the camera's scale, so the panels sit in context
    picture = render(game.world, game.state, hex_radius=camera.radius)
    left, top = camera.to_screen(0, 0)
    surface.set_clip(layout.map)
    surface.blit(picture, (left - 20, top - 50))
    surface.set_clip(None)
    entries = demo_entries(game.state.log)
    minimap = panels.Minimap(game.world, hl)
    explanation = game.explain_supply(d["unit"].id) if d["unit"] is not None else None
    draw_all(surface, layout, game, ui, d["units_here"], entries, minimap, camera, explanation)
    ui.toasts = [
        Toast("Not adjacent to the target", (700, 400), time.monotonic() + 5, "error"),
        Toast("Soviet combat: 3 attacks left", None, time.monotonic() + 5, "info"),
    ]
    panels.draw_toasts(surface, ui, time.monotonic())
    panels.draw_tooltip(surface, (400, 300), ["Hex 45,60 · Hills", "held by Japanese", "rail E W"])
    ui.menu = ContextMenu((900, 500), 0, [("Rail move", None), ("Air supply 200 t", None)], 1)
    panels.draw_menu(surface, ui.menu)
    save_png(surface, args.out)
    # the sheets
    # the hex view: no attack, nothing selected, the mouse on a busy place
    ui2 = UIState(hovered=busy_hex(game), last_result=ui.last_result)
    here = [u for u in game.state.on_map_units() if game.world.index(*u.hex) == ui2.hovered]
    other = surface.copy()
    panels.draw_unit_panel(other, layout, game, ui2, here, stub_counter)
    panels.draw_info_panel(other, layout, game, ui2, here)
    save_png(other, args.out.replace(".png", "_hex.png"))
    sheets = surface.copy()
    panels.draw_banner(sheets, layout, "Day 4 — 12 August 1945", 220)
    save_png(sheets, args.out.replace(".png", "_banner.png"))
    sheets = surface.copy()
    panels.draw_help(sheets, layout, HOTKEYS)
    save_png(sheets, args.out.replace(".png", "_help.png"))
    sheets = surface.copy()
    losses = {s: game.state.sides[s].losses for s in game.scenario.side_order}
    panels.draw_game_over(
        sheets, layout, "soviet", "decisive", game.victory_points(), losses, "Esc: back to the map"
    )
    save_png(sheets, args.out.replace(".png", "_gameover.png"))
    sheets = surface.copy()
    panels.draw_handover(sheets, "Japanese")
    save_png(sheets, args.out.replace(".png", "_handover.png"))
    # timing: the panels a frame draws, with warm caches
    ui.toasts = []
    ui.menu = None
    times = []
    for _ in range(400):
        t0 = time.perf_counter()
        draw_all(surface, layout, game, ui, d["units_here"], entries, minimap, camera, explanation)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        f"panels: {times[len(times) // 2]:.2f} ms a frame median, "
        f"{times[int(len(times) * 0.9)]:.2f} ms at the 90th percentile (400 frames)"
    )


if __name__ == "__main__":
    main()
