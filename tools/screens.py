"""Screenshots of the window's screens for docs/ (start, settings, saves, by e-mail, help page).

    SDL_VIDEODRIVER=dummy .venv/bin/python tools/screens.py [--out docs/images]

Each picture is made by driving the real scenes headless, with the player's folder in a
temporary directory (so no real saves or settings are touched). The game, replay and
after-action pictures come from ``main.py play ... --screenshot`` and
``python -m tools.aar_screenshot``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame  # noqa: E402

from engine.game import Game  # noqa: E402
from engine.orders import EndPhase  # noqa: E402
from engine.save import save_game  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402
from main import build_parser  # noqa: E402
from ui.app import open_window  # noqa: E402
from ui.png import save_png  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.userdata import user_data  # noqa: E402

SIZE = (1600, 900)


def _args() -> argparse.Namespace:
    return build_parser().parse_args(["play", "--speed", "instant"])


def main() -> int:
    """Write the pictures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs/images")
    out = Path(parser.parse_args().out)
    from ui.launch import _start_app
    from ui.pbem_scene import PbemScene

    home = Path(tempfile.mkdtemp(prefix="screens-"))
    data = user_data({"AUGUST_STORM_HOME": str(home)})
    data.saves.mkdir(parents=True)
    scenario = load_scenario("august_storm")
    for seed, phases in ((1, 1), (2, 5)):
        game = Game(scenario, seed)
        for _ in range(phases):
            game.apply(EndPhase())
        save_game(game, data.saves / f"august_storm-day-{game.state.turn:02d}-seed-{seed}.json")
    screen = open_window(SIZE)

    app = _start_app(screen, _args(), Settings(window_size=SIZE), data)
    start = app.scene
    start._activate("settings")
    start.draw(app.screen)
    save_png(app.screen, out / "settings.png")
    start.settings_open = False
    start._activate("load")
    start.draw(app.screen)
    save_png(app.screen, out / "saves.png")

    game = Game(load_scenario("test_small"), 3)
    turn = PbemScene(game, "soviet", SIZE, data.root / "turns" / "turn-01-soviet.json")
    (data.root / "turns").mkdir(exist_ok=True)
    while not turn.turn_done():
        turn.scene.controller.end_phase()
    turn.update(1 / 60)
    turn.scene.settle()
    turn.draw(screen)
    save_png(screen, out / "pbem.png")
    turn.close()
    pygame.quit()
    for name in ("settings", "saves", "pbem"):
        print(f"wrote {out / (name + '.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
