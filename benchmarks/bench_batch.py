"""Benchmark of batch runs: games per minute on a full scenario with 1 and 2 local workers.

Run from the repository root::

    .venv/bin/python benchmarks/bench_batch.py [--games 4] [--workers 1,2] [--scenario august_storm]

For each worker count it plays ``--games`` games of the scenario (AI against AI, as a batch
does, unless ``--soviet-ai``/``--japanese-ai`` say otherwise) with
``engine.batch.runner.run_batch``, as ``main.py batch --runs GAMES --workers W`` does, in a fresh
temporary folder, and prints:

* **wall**: the whole batch, from loading the scenario to the last file written;
* **games**: the wall time less the fixed part (loading and checking the variant, writing
  runs.csv, summary.json and report.html), timed once more after the batch;
* **games/min**: games over the games time; **per game**: the median time of one game inside
  its worker (scenario setup included), from ``runs.partial.jsonl``.

A "machine check" (a fixed numpy workload) is printed first: this machine's speed varies by up
to 2x from minute to minute, so compare figures taken with similar checks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import machine_check_ms  # noqa: E402
from engine.batch.runner import (  # noqa: E402
    PARTIAL,
    BatchConfig,
    finish,
    normalise,
    read_partial,
    run_batch,
    variants,
)
from engine.batch.variants import PreparedVariant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=4)
    parser.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2,4")
    parser.add_argument("--scenario", default="august_storm")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--soviet-ai", default="ai")
    parser.add_argument("--japanese-ai", default="ai")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    print(f"machine check: {machine_check_ms():.1f} ms")
    config = BatchConfig(
        scenario=args.scenario,
        runs=args.games,
        seed=args.seed,
        players={"soviet": args.soviet_ai, "japanese": args.japanese_ai},
    )
    normalised = normalise(config)
    print(
        f"scenario {args.scenario}, {args.games} games (seeds {args.seed}..."
        f"{args.seed + args.games - 1}), players {args.soviet_ai} / {args.japanese_ai}"
    )
    print(f"{'workers':>8} {'wall s':>8} {'games s':>8} {'games/min':>10} {'per game s':>11}")
    hashes = []
    for workers in counts:
        with tempfile.TemporaryDirectory() as folder:
            t0 = time.perf_counter()
            run_batch(config, folder, workers=workers, quiet=True)
            wall = time.perf_counter() - t0
            # the fixed part, timed again: loading and checking the variant, writing the files
            t0 = time.perf_counter()
            for variant in variants(normalised):
                PreparedVariant(variant.spec).check_extremes()
            done = read_partial(Path(folder) / PARTIAL, normalised, args.games)
            finish(Path(folder), normalised, variants(normalised), done)
            fixed = time.perf_counter() - t0
            lines = list(done.values())
            hashes.append(sorted((e["k"], e["record"]["state_hash"]) for e in lines))
        games = max(wall - fixed, 1e-9)
        per_game = statistics.median(e["seconds"] for e in lines)
        print(
            f"{workers:>8} {wall:8.1f} {games:8.1f} {args.games / games * 60:10.1f} "
            f"{per_game:11.2f}"
        )
    same = all(h == hashes[0] for h in hashes)
    print(f"same games whatever the worker count: {'yes' if same else 'NO'}")
    print(
        "reproduce: .venv/bin/python benchmarks/bench_batch.py "
        f"--games {args.games} --workers {args.workers} --scenario {args.scenario}"
    )
    print(
        f"  (the batch itself: .venv/bin/python main.py batch --scenario {args.scenario} "
        f"--runs {args.games} --seed {args.seed} --workers {counts[-1]} --out DIR)"
    )


if __name__ == "__main__":
    main()
