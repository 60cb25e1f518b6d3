"""A headless demo game that prints each turn: what ``main.py play`` runs until the UI exists."""

from __future__ import annotations

from engine.game import Game
from engine.players import make_player, run_game
from engine.scenario.loader import load_scenario


def turn_report(game: Game, from_line: int) -> list[str]:
    """The printable lines of a finished turn: its log (less phase ends), VP and losses."""
    lines = ["  " + str(e) for e in game.state.log[from_line:] if e.kind != "phase"]
    vp = game.victory_points()
    losses = "; ".join(
        f"{sid} {s.losses['men']:,} men {s.losses['tanks']} tanks {s.losses['guns']} guns"
        for sid, s in game.state.sides.items()
    )
    lines.append("  VP " + ", ".join(f"{sid} {v:g}" for sid, v in vp.items()))
    lines.append("  losses so far: " + losses)
    return lines


def run_demo(
    scenario_name: str,
    seed: int | None,
    first: str,
    second: str,
    turns: int | None,
    mods: list[str] | None = None,
) -> int:
    """Play a scripted game and print it turn by turn; returns the exit status."""
    scenario = load_scenario(scenario_name, mods=mods or [])
    game = Game(scenario, seed)
    a, b = scenario.side_order
    players = {a: make_player(first, a, scenario), b: make_player(second, b, scenario)}
    print(f"{scenario.name} — seed {game.seed}, {a}: {first}, {b}: {second}")
    cursor = 0

    def show(g: Game) -> None:
        nonlocal cursor
        for line in turn_report(g, cursor):
            print(line)
        cursor = len(g.state.log)

    run_game(game, players, max_turns=turns, on_turn=show)
    if game.state.game_over:
        level = game.state.victory_level
        print(f"Result: {game.state.winner or 'no winner'} ({level})")
    print(f"Final state hash {game.state_hash()}")
    return 0
