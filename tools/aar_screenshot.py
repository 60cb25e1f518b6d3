"""Pictures of the after-action screen for the docs: an AI game, then the screen's pages.

``python -m tools.aar_screenshot [--scenario august_storm] [--seed 1] [--size 1600x900]
[--page outcome --page fronts ...] [--out docs/images]`` plays the game AI against AI, opens the
after-action screen in a headless window and saves each page asked for as ``aar.png`` (the
first) and ``aar_<page>.png`` (the others).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from engine.paths import DOCS_DIR  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from engine.simulate import simulate_game  # noqa: E402
from ui.aar_scene import PAGES, AfterActionScene  # noqa: E402
from ui.app import App, open_window  # noqa: E402
from ui.png import save_png  # noqa: E402


def shoot(
    scenario: str,
    seed: int,
    size: tuple[int, int],
    pages: list[str],
    out: Path,
    colour_blind: bool = False,
) -> list[Path]:
    """Play the game, open the screen and save the pages; returns the files written."""
    from ui import style

    run = simulate_game(load_scenario(scenario), seed, {"soviet": "ai", "japanese": "ai"})
    screen = open_window(size)
    scene = AfterActionScene(
        run.game,
        size,
        players=run.record.players,
        plans=run.record.plans,
        palette=style.COLOUR_BLIND if colour_blind else style.STANDARD,
        export_dir=out / "exports",
    )
    app = App(screen, scene)
    written = []
    for k, page in enumerate(pages):
        scene.show(page)
        scene.settle()  # the figures
        app.frame(1 / 60, events=[], force=True)  # the page asks for its charts
        scene.settle()
        app.frame(1 / 60, events=[], force=True)
        path = out / ("aar.png" if k == 0 else f"aar_{page}.png")
        save_png(app.screen, path)
        written.append(path)
    scene.close()
    return written


def main() -> None:
    """Parse the arguments and save the pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="august_storm")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1600x900")
    parser.add_argument("--page", action="append", choices=PAGES, default=[])
    parser.add_argument("--out", type=Path, default=DOCS_DIR / "images")
    parser.add_argument("--colour-blind", action="store_true")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    t0 = time.perf_counter()
    files = shoot(
        args.scenario, args.seed, (w, h), args.page or ["outcome"], args.out, args.colour_blind
    )
    for f in files:
        print(f"wrote {f}")
    print(f"{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
