"""One side of a play-by-e-mail game, played by the AI through turn files in a folder.

Used by ``tests/engine/test_pbem.py`` to play a game between two processes; run one per side::

    python tests/engine/pbem_side.py SIDE FOLDER [--scenario test_small] [--seed 7]

The first side of the scenario starts the game. Turn files are ``FOLDER/turn-001.json``,
``turn-002.json``, ... in the order the side turns were played; each process waits for the
other's next file, opens it (checking it continues the file it sent last), plays its side's
turn with ``make_player('ai', side)`` and writes the next one, until the game is over. It prints
one line per file it writes: ``wrote NUMBER STATE_HASH``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.pbem import open_turn, write_turn_file  # noqa: E402
from engine.players import make_player  # noqa: E402
from engine.scenario.loader import load_scenario  # noqa: E402


def wait_for(path: Path, timeout: float) -> None:
    """Wait until ``path`` exists (turn files appear whole: they are written and renamed)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {path}")
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scenario", default="test_small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    player = make_player("ai", args.side, scenario)
    first = scenario.side_order[0] == args.side
    number = 1 if first else 2
    sent: Path | None = None
    if first:
        game = Game(scenario, args.seed)
        game.scenario_ref = args.scenario
    while True:
        if not (first and number == 1):
            incoming = args.folder / f"turn-{number - 1:03d}.json"
            wait_for(incoming, args.timeout)
            game = open_turn(incoming, args.side, previous=sent).game
            if game.state.game_over:
                return 0
        match = Match(game, {args.side: player})
        while not game.state.game_over and game.active_side == args.side:
            match.step()
        sent = args.folder / f"turn-{number:03d}.json"
        write_turn_file(game, sent, args.side)
        print(f"wrote {number} {game.state_hash()}", flush=True)
        if game.state.game_over:
            return 0
        number += 2


if __name__ == "__main__":
    sys.exit(main())
