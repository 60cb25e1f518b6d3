#!/usr/bin/env python3
"""August Storm command line: play, validate, schema, simulate, batch, replay.

Run ``python main.py --help`` for the subcommands and ``python main.py COMMAND --help`` for each.
Bad input ends with a message on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def _cmd_validate(args: argparse.Namespace) -> int:
    from engine.errors import ScenarioError
    from engine.scenario.loader import load_scenario

    status = 0
    for path in args.paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        print(f"{path}: OK ({scenario.name}: {len(scenario.units)} units, {scenario.turns} turns)")
    return status


def _cmd_schema(args: argparse.Namespace) -> int:
    from engine.save import write_text_atomic
    from engine.scenario.model import Scenario

    text = json.dumps(Scenario.model_json_schema(by_alias=True), indent=2) + "\n"
    if args.out:
        write_text_atomic(Path(args.out), text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _players(args: argparse.Namespace, side_order: tuple[str, str]) -> dict[str, str]:
    """Player names by side: ``--soviet-ai`` for the first side, ``--japanese-ai`` the second."""
    a, b = side_order
    return {a: args.soviet, b: args.japanese}


def _cmd_simulate(args: argparse.Namespace) -> int:
    from engine.batch.variants import PreparedVariant, VariantSpec
    from engine.save import read_order_log, write_text_atomic
    from engine.simulate import simulate_game

    mods = tuple(str(m) for m in args.mod)
    prepared = PreparedVariant(VariantSpec(str(args.scenario), mods))
    scenario, world, sampled = prepared.game_setup(args.seed)
    run = simulate_game(
        scenario,
        args.seed,
        _players(args, scenario.side_order),
        world=world,
        scenario_ref=str(args.scenario),
        mod_refs=mods,
        sampled=sampled,
        orders=read_order_log(args.orders) if args.orders else (),
        progress=_turn_progress(scenario.turns) if scenario.turns > PROGRESS_FROM_TURNS else None,
    )
    record = run.record
    write_text_atomic(Path(args.out), record.model_dump_json(indent=2) + "\n")
    if args.plan_log:
        text = "".join(
            f"# {side} ({record.players[side]})\n" + "".join(line + "\n" for line in lines)
            for side, lines in run.plan_logs.items()
        )
        write_text_atomic(Path(args.plan_log), text)
    if args.save:
        from engine.save import save_game

        if sampled:
            # The save names its scenario by reference; the values drawn for this game go in a
            # small mod beside it, so that loading (and replaying) it finds the same scenario.
            extra = _write_sampled_mod(Path(args.save), str(args.scenario), sampled)
            run.game.mod_refs = [*mods, str(extra)]
        save_game(run.game, args.save)
    drawn = f", {len(sampled)} uncertain values drawn" if sampled else ""
    print(
        f"{scenario.name}, seed {args.seed}: {record.turns_played} turns, "
        f"winner {record.winner or 'none'} ({record.victory_level}){drawn}, "
        f"hash {record.state_hash[:16]} -> {args.out}"
    )
    return 0


#: A game longer than this many turns prints its progress on standard error.
PROGRESS_FROM_TURNS = 40


def _turn_progress(turns: int):  # noqa: ANN202 - a turn hook
    """A turn hook that says on standard error how far a long game has got, every tenth turn."""

    def show(game) -> None:  # noqa: ANN001
        turn = game.state.turn
        if game.state.game_over:
            print(f"  game over after turn {turn}", file=sys.stderr, flush=True)
        elif turn % 10 == 0:
            print(f"  turn {turn} of {turns} begins", file=sys.stderr, flush=True)

    return show


def _write_sampled_mod(save: Path, scenario_ref: str, sampled: dict[str, object]) -> Path:
    import yaml

    from engine.batch.variants import base_file
    from engine.save import write_text_atomic

    path = save.with_name(save.stem + ".sampled.yaml")
    doc = {
        "extends": str(base_file(scenario_ref).resolve()),
        "name": f"Values drawn for {save.name}",
        "set": dict(sampled),
    }
    write_text_atomic(path, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return path


def _cmd_batch(args: argparse.Namespace) -> int:
    from engine.batch.runner import BatchConfig, run_batch

    sets = []
    for item in args.set:
        path, sep, values = item.partition("=")
        if not sep or not path.strip() or not values.strip():
            print(f"--set {item}: expected PATH=V1,V2,...", file=sys.stderr)
            return EXIT_BAD_INPUT
        sets.append((path.strip(), [v.strip() for v in values.split(",")]))
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    config = BatchConfig(
        scenario=str(args.scenario),
        mods=[str(m) for m in args.mod],
        runs=args.runs,
        seed=args.seed,
        sets=sets,
        compare_mod=args.compare_mod,
        players={"soviet": args.soviet, "japanese": args.japanese},
        control_days=args.map_days,
    )
    try:
        result = run_batch(
            config, args.out, workers=args.workers, cluster=args.cluster, quiet=args.quiet
        )
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: the finished games are kept in {args.out}; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    rate = result.played / result.seconds * 60 if result.seconds else 0.0
    print(
        f"{result.played} games played, {result.resumed} found done, {result.total} in all "
        f"({rate:.1f} games/min) -> {args.out}"
    )
    for path in result.files:
        print(f"wrote {path}")
    return 0


def _cmd_replay(args: argparse.Namespace) -> int:
    from engine.game import replay
    from engine.save import load_game, read_order_log
    from engine.scenario.loader import load_scenario

    if args.save:
        game = load_game(args.save)
        print(f"{args.save}: turn {game.state.turn}, {len(game.order_log)} orders")
        replayed = replay(game.scenario, game.seed, game.order_log, world=game.world, fog=game.fog)
        same = replayed.state_hash() == game.state_hash()
        print(f"replayed hash {replayed.state_hash()} {'matches' if same else 'DIFFERS'}")
        return 0 if same else 1
    if not (args.scenario and args.orders is not None):
        print("replay needs --save FILE, or --scenario, --seed and --orders", file=sys.stderr)
        return EXIT_BAD_INPUT
    scenario = load_scenario(args.scenario, mods=args.mod)
    game = replay(scenario, args.seed, read_order_log(args.orders))
    print(f"turn {game.state.turn} {game.state.phase} of {game.active_side}")
    print(f"state hash {game.state_hash()}")
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    from engine.game import initial_state
    from engine.scenario.loader import load_scenario
    from engine.world import World
    from ui.map_image import render
    from ui.png import save_png

    scenario = load_scenario(args.scenario, mods=args.mod)
    world = World(scenario)
    state = initial_state(scenario, world)
    title = scenario.name + (" + " + ", ".join(args.mod) if args.mod else "")
    save_png(render(world, state, hex_radius=args.hex_px, title=title), args.out)
    print(f"wrote {args.out}")
    return 0


def _cmd_play(args: argparse.Namespace) -> int:
    from engine.demo import run_demo

    if not args.text:
        from ui.launch import NoDisplay, play_window

        try:
            return play_window(args)
        except NoDisplay as exc:
            print(f"no display ({exc}): playing the text game instead", file=sys.stderr)
    scenario = args.scenario or "august_storm"
    return run_demo(scenario, args.seed, args.soviet, args.japanese, args.turns, args.mod)


def _player_options(p: argparse.ArgumentParser, default: str = "ai") -> None:
    # Names are looked up in engine.players.PLAYERS when the game starts (an unknown one is
    # reported with the list), not here: building the parser stays free of engine imports.
    for side, flag in (("soviet", "--soviet-ai"), ("japanese", "--japanese-ai")):
        p.add_argument(
            flag,
            f"--{side}",
            dest=side,
            default=default,
            metavar="PLAN",
            help=f"player or AI plan for the {side} side: ai, a plan of the scenario (e.g. "
            f"historical), random, rush, scripted or passive (default: {default}; an unknown "
            "name lists them all)",
        )


def _victory_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--victory",
        choices=["plans", "graded"],
        default=None,
        help="which victory scheme decides the game: graded (against 1945) or plans (the "
        "plans' dated objectives); default: the scenario's. Adds the scenario's shipped "
        "mods/<scheme>_victory.yaml when needed, so it is saved with the game",
    )


def _day_list(text: str) -> list[int]:
    try:
        days = [int(d) for d in text.split(",") if d.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected days like 5,10,15, not '{text}'") from None
    if any(d < 1 for d in days):
        raise argparse.ArgumentTypeError("days start at 1")
    return days


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="August Storm: an operational wargame of the Soviet invasion of "
        "Manchuria, August 1945.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "play",
        help="play in the window: the start screen, or the game the options choose",
        description="Open the game window. Alone, it opens on the start screen (scenario, "
        "mods, sides, AI plans, seed; Enter plays the Soviet side of August Storm against the "
        "AI); an option that chooses the game (--scenario, --mod, --seed, --side, --hotseat, "
        "--watch, --soviet, --japanese, --turns, --select) or --frames opens that game at once. "
        "Without a display (or with --text) the game is played AI against AI as text, each "
        "turn printed. With --frames N the window runs N frames and closes (headless under "
        "SDL_VIDEODRIVER=dummy), writing --screenshot.",
    )
    p.add_argument("--scenario", default=None, help="scenario name or path (default: august_storm)")
    p.add_argument("--menu", action="store_true", help="open on the start screen regardless")
    p.add_argument(
        "--replay",
        metavar="SAVE.json",
        help="watch a saved game played back from its orders (the replay viewer)",
    )
    p.add_argument(
        "--pbem",
        metavar="TURN.json",
        help="start a game by e-mail: play the first side's turn, then write its turn file here",
    )
    p.add_argument(
        "--turn",
        metavar="TURN.json",
        help="open the opponent's turn file: watch their turn, play yours, write the reply",
    )
    p.add_argument("--out", metavar="TURN.json", help="where --turn writes your reply")
    p.add_argument(
        "--previous", metavar="TURN.json", help="the turn file you sent last (checked against)"
    )
    p.add_argument(
        "--no-fog", action="store_true", help="play without fog of war: every side sees everything"
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (default: scenario's)")
    _player_options(p)
    p.add_argument(
        "--turns", type=int, default=None, help="the AI plays at most this many turns, then waits"
    )
    p.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    _victory_option(p)
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--side", default=None, help="the side you play against the AI (default: soviet)"
    )
    who.add_argument("--hotseat", action="store_true", help="both sides played in the window")
    who.add_argument("--watch", action="store_true", help="watch the AI play both sides")
    p.add_argument("--text", action="store_true", help="the text game, without a window")
    p.add_argument("--frames", type=int, default=None, help="run N frames, then close")
    p.add_argument("--screenshot", metavar="FILE.png", help="save the last frame as PNG")
    p.add_argument(
        "--size", default=None, metavar="WxH", help="window size (default: the saved setting)"
    )
    p.add_argument("--zoom", type=int, default=None, help="zoom step (0: whole theatre)")
    p.add_argument("--centre", metavar="PLACE", help="look at a place (id, name or col,row)")
    p.add_argument(
        "--overlay",
        action="append",
        default=[],
        choices=["supply", "zoc", "control", "objectives", "fog"],
        help="switch an overlay on (repeatable)",
    )
    p.add_argument(
        "--speed",
        default=None,
        choices=["slow", "normal", "fast", "instant"],
        help="how fast the AI's moves are shown (default: the saved setting; fast when watching)",
    )
    p.add_argument("--select", metavar="UNIT", help="select a unit at the start (its id)")
    p.add_argument(
        "--colour-blind", action="store_true", help="the colour-blind palette (also a setting)"
    )
    p.set_defaults(func=_cmd_play)

    p = sub.add_parser("map", help="draw a scenario's map with its units as a PNG picture")
    p.add_argument("--scenario", required=True, help="scenario name or path (or a mod file)")
    p.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--hex-px", type=float, default=10.0, help="hex radius in pixels")
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser("validate", help="check scenario or mod files; print OK or every error")
    p.add_argument("paths", nargs="+", help="scenario or mod files, folders or names")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("schema", help="write the JSON Schema of scenario files")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("simulate", help="play a headless game to its end and write a result")
    p.add_argument("--scenario", required=True, help="scenario name or path")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True, help="result record (JSON) to write")
    p.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    p.add_argument("--orders", help="order log to replay first (text, one order per line)")
    _victory_option(p)
    _player_options(p)
    p.add_argument("--save", help="also save the final game to this file")
    p.add_argument("--plan-log", help="also write the AI players' plan logs to this text file")
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "batch",
        help="play many headless games (seeds, swept values, sampled uncertainties) and report",
        description="Play --runs games per variant; game k uses seed --seed + k in every "
        "variant. Writes DIR/runs.csv, DIR/summary.json and DIR/report.html; rerun the same "
        "command to resume an interrupted batch. See docs/batch.md.",
    )
    p.add_argument("--scenario", required=True, help="scenario name or path")
    p.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    _victory_option(p)
    p.add_argument("--runs", type=int, required=True, help="games per variant")
    p.add_argument("--seed", type=int, default=0, help="seed of game 0 (game k: seed + k)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=V1,V2,...",
        help="sweep a scenario value by a mod's set path (repeatable: the variants are the "
        "cartesian product), e.g. units[jp_80_imb].readiness=0.4,0.7",
    )
    p.add_argument(
        "--compare-mod", help="mod file to compare against: every variant with and without it"
    )
    _player_options(p)
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="local worker processes (default: one per core; 1 plays in this process)",
    )
    p.add_argument("--cluster", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument(
        "--map-days",
        type=_day_list,
        default=[5, 10, 15],
        metavar="D1,D2,...",
        help="days whose hex control the report maps, besides the last (default 5,10,15)",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("replay", help="replay an order log or check a saved game")
    p.add_argument("--save", help="saved game to load and verify by replaying its orders")
    p.add_argument("--scenario", help="scenario name or path (with --orders)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--orders", help="order log (text)")
    p.add_argument("--mod", action="append", default=[], help="mod file to apply (repeatable)")
    p.set_defaults(func=_cmd_replay)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from engine.errors import EngineError, ScenarioError

    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "victory", None) is not None:
            from engine.scenario.schemes import scheme_mods

            # The scheme is the scenario's shipped mod: saved, replayed and reported as one.
            ref = args.scenario or "august_storm"
            args.mod = scheme_mods(ref, args.mod, args.victory)
        return int(args.func(args))
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
