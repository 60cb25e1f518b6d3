"""Run a batch: N games per variant, in this process, in local worker processes or on Dask.

Game ``k`` of every variant is played with seed ``S + k`` (common random numbers). Each finished
game is appended at once to ``DIR/runs.partial.jsonl``, so an interrupted batch resumes where it
stopped when the same command runs again; ``DIR/batch.json`` records the configuration and a hash
of the scenario and mod files, and a different batch in the same folder is refused. When every
game is in, the rows are sorted by (variant, k) and ``runs.csv``, ``summary.json`` and
``report.html`` are written, each atomically: the result does not depend on how many workers
played the games, nor in which order they finished.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from engine.batch.tables import flatten
from engine.batch.variants import (
    PreparedVariant,
    VariantCache,
    VariantSpec,
    base_file,
    mod_files,
)
from engine.errors import EngineError
from engine.paths import scenario_path
from engine.players import make_player
from engine.save import write_text_atomic
from engine.scenario.yamlsource import read_yaml
from engine.simulate import simulate_game

MANIFEST = "batch.json"
PARTIAL = "runs.partial.jsonl"
MANIFEST_FORMAT = "august-storm-batch"


class BatchError(EngineError):
    """A batch cannot run as asked (a different batch in the folder, a damaged results file)."""


class BatchConfig(BaseModel):
    """Everything that decides a batch's results (not how many workers play it)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str
    mods: list[str] = Field(default_factory=list)
    runs: int = Field(ge=1)
    seed: int
    sets: list[tuple[str, list[str]]] = Field(
        default_factory=list, description="Swept paths and their values, as typed."
    )
    compare_mod: str | None = None
    players: dict[str, str]
    control_days: list[int] = Field(default_factory=lambda: [5, 10, 15])


@dataclass(frozen=True)
class Variant:
    """One combination of the swept values (and of the compared mod)."""

    id: int
    label: str
    spec: VariantSpec
    sets: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class GameTask:
    """One game to play: picklable, so it travels to worker processes and Dask workers."""

    variant: int
    k: int
    seed: int
    spec: VariantSpec
    players: tuple[tuple[str, str], ...]
    control_days: tuple[int, ...]


@dataclass
class BatchResult:
    """What a finished batch left: its folder, the games played now and those found done."""

    out_dir: Path
    played: int
    resumed: int
    total: int
    seconds: float
    files: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- configuration


def normalise(config: BatchConfig) -> BatchConfig:
    """The config with files as absolute paths, so a rerun from another folder matches.

    A scenario named by its folder in ``scenarios/`` keeps its name.
    """

    def absolute(ref: str) -> str:
        if not Path(ref).exists():
            return ref  # a scenario name, or a missing file the loader will report
        return str(scenario_path(ref).resolve())

    return config.model_copy(
        update={
            "scenario": absolute(config.scenario),
            "mods": [absolute(m) for m in config.mods],
            "compare_mod": absolute(config.compare_mod) if config.compare_mod else None,
        }
    )


def variants(config: BatchConfig) -> list[Variant]:
    """The cartesian product of the swept values (outer: without and with the compared mod)."""
    mod_axis: list[tuple[str, ...]] = [()]
    if config.compare_mod:
        mod_axis.append((config.compare_mod,))
    levels = [[(path, value) for value in values] for path, values in config.sets]
    out = []
    for extra in mod_axis:
        for combo in itertools.product(*levels):
            parts = [f"{p}={v}" for p, v in combo]
            if extra:
                parts.append("+" + Path(extra[0]).stem)
            spec = VariantSpec(config.scenario, (*config.mods, *extra), tuple(combo))
            out.append(Variant(len(out), ", ".join(parts) or "base", spec, tuple(combo)))
    return out


def fingerprint(config: BatchConfig) -> str:
    """SHA-256 of every scenario and mod file the batch reads (names and contents)."""
    files: dict[str, bytes] = {}
    for variant in variants(config):
        spec = variant.spec
        base = base_file(spec.scenario)
        found = [base]
        data, _ = read_yaml(base)
        for name in data.get("include", []) if isinstance(data, dict) else []:
            found.append(base.parent / name)
        found.extend(mod_files(spec.scenario, spec.mods))
        for path in found:
            files[str(path.resolve())] = path.read_bytes()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(Path(name).name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def manifest(config: BatchConfig) -> dict[str, Any]:
    """The content of ``batch.json``."""
    return {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "config": config.model_dump(mode="json"),
        "fingerprint": fingerprint(config),
        "variants": [
            {
                "id": v.id,
                "label": v.label,
                "mods": list(v.spec.mods),
                "sets": {p: t for p, t in v.sets},
            }
            for v in variants(config)
        ],
        "games": config.runs * len(variants(config)),
    }


def check_folder(out_dir: Path, wanted: dict[str, Any]) -> None:
    """Refuse a folder that holds a different batch; write the manifest into a new one.

    Raises:
        BatchError: the folder's batch has another configuration or other scenario files, or
            it has results but no manifest.
    """
    path = out_dir / MANIFEST
    if not path.exists():
        if (out_dir / PARTIAL).exists():
            raise BatchError(f"{out_dir} holds game results but no {MANIFEST}; use another --out")
        write_text_atomic(path, json.dumps(wanted, indent=2) + "\n")
        return
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BatchError(f"{path}: not a batch manifest ({exc})") from None
    if not isinstance(found, dict) or found.get("format") != MANIFEST_FORMAT:
        raise BatchError(f"{path}: not a batch manifest")
    differences = []
    old, new = found.get("config", {}), wanted["config"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            differences.append(f"{key}: {json.dumps(old.get(key))} -> {json.dumps(new.get(key))}")
    if found.get("fingerprint") != wanted["fingerprint"]:
        differences.append("the scenario or mod files changed since")
    if differences:
        raise BatchError(
            f"{out_dir} holds a different batch ({'; '.join(differences)}); "
            "rerun it as it was to resume, or use another --out"
        )


# ---------------------------------------------------------------- results file


def read_partial(path: Path, config: BatchConfig, total: int) -> dict[tuple[int, int], Any]:
    """The games already finished, by (variant, k); a cut-off last line is removed from the file.

    Raises:
        BatchError: a line before the last is damaged, or a game does not belong to this batch.
    """
    if not path.exists():
        return {}
    raw = path.read_bytes()
    end = raw.rfind(b"\n") + 1  # a last line without its newline was cut off mid-write
    lines = raw[:end].split(b"\n")[:-1]
    done: dict[tuple[int, int], Any] = {}
    offset = 0
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
            key = (int(entry["variant"]), int(entry["k"]))
            seed = int(entry["seed"])
        except (ValueError, KeyError, TypeError):
            if number == len(lines):
                end = offset  # damaged as it was written: play that game again
                break
            message = f"{path}:{number}: damaged line; delete it to play that game again"
            raise BatchError(message) from None
        offset += len(line) + 1
        runs = config.runs
        if not (0 <= key[1] < runs and 0 <= key[0] * runs + key[1] < total) or (
            seed != config.seed + key[1]
        ):
            raise BatchError(f"{path}:{number}: game {key} is not part of this batch")
        done.setdefault(key, entry)
    if end < len(raw):
        with open(path, "r+b") as fh:
            fh.truncate(end)
    return done


def encode_control(control: np.ndarray) -> str:
    """A control array (int8 side index per hex) as compressed base64 text."""
    return base64.b64encode(zlib.compress(control.astype(np.int8).tobytes(), 9)).decode("ascii")


def decode_control(text: str) -> np.ndarray:
    """Inverse of :func:`encode_control`."""
    return np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype=np.int8)


# ---------------------------------------------------------------- playing


_CACHE = VariantCache()


def play_task(task: GameTask) -> dict[str, Any]:
    """Play one game; its line of ``runs.partial.jsonl`` (what workers run)."""
    started = time.perf_counter()
    prepared = _CACHE.get(task.spec)
    scenario, world, drawn = prepared.game_setup(task.seed)
    run = simulate_game(
        scenario,
        task.seed,
        dict(task.players),
        world=world,
        scenario_ref=task.spec.scenario,
        mod_refs=task.spec.mods,
        sampled=drawn,
        control_days=task.control_days,
    )
    last_day = max(run.control)
    line = {
        "variant": task.variant,
        "k": task.k,
        "seed": task.seed,
        "record": run.record.model_dump(mode="json"),
        "control": {str(d): encode_control(c) for d, c in sorted(run.control.items())},
        "last_day": last_day,
        "seconds": round(time.perf_counter() - started, 3),
    }
    if task.k == 0 and any(run.plan_logs.values()):
        line["plan_log"] = run.plan_logs  # the AI's reasoning, for the report: one game a variant
    return line


def _in_process(tasks: Sequence[GameTask]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        yield play_task(task)


def _on_executor(executor: Executor, tasks: Sequence[GameTask]) -> Iterator[dict[str, Any]]:
    futures: list[Future[dict[str, Any]]] = [executor.submit(play_task, t) for t in tasks]
    try:
        for future in as_completed(futures):
            yield future.result()
    finally:
        for future in futures:
            future.cancel()


def execute(
    tasks: Sequence[GameTask], workers: int, cluster: str | None = None
) -> Iterator[dict[str, Any]]:
    """Play ``tasks`` and yield each game's line as it finishes (in any order)."""
    if not tasks:
        return
    if cluster:
        from dask.distributed import Client

        client = Client(cluster)
        try:
            yield from _on_executor(client.get_executor(), tasks)
        finally:
            client.close()
        return
    if workers <= 1:
        yield from _in_process(tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    executor = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context)
    try:
        yield from _on_executor(executor, tasks)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class Progress:
    """Games done of the total, games per minute and the time left, on one line of stderr."""

    def __init__(self, total: int, done: int, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.done = done
        self.start_done = done
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self._last = 0.0
        self._width = 0

    def update(self, force: bool = False) -> None:
        """Count one more game and redraw (at most a few times a second)."""
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.25 and self.done < self.total):
            return
        self._last = now
        played = self.done - self.start_done
        elapsed = max(now - self.started, 1e-9)
        rate = played / elapsed * 60
        eta = (self.total - self.done) / (played / elapsed) if played else None
        filled = int(30 * self.done / self.total) if self.total else 30
        text = (
            f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} games, "
            f"{rate:.1f} games/min, ETA {_duration(eta)}"
        )
        self._width = max(self._width, len(text))
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()

    def close(self) -> None:
        """End the progress line."""
        if self.enabled:
            self.update(force=True)
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def run_batch(
    config: BatchConfig,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    cluster: str | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
    max_games: int | None = None,
) -> BatchResult:
    """Play (or resume) a batch in ``out_dir`` and write its tables and report.

    ``max_games`` stops after that many newly played games without writing the final files
    (what an interruption leaves; used by tests).

    Raises:
        BatchError: the folder holds a different batch, or its results file is damaged.
        ScenarioError: a variant's scenario does not load.
        IllegalOrder: an unknown player name.
    """
    started = time.perf_counter()
    stream = stream if stream is not None else sys.stderr
    config = normalise(config)
    out = Path(out_dir)
    all_variants = variants(config)
    for variant in all_variants:  # load every variant once here: a bad --set fails at once
        prepared = PreparedVariant(variant.spec)
        prepared.check_extremes()
        sides = prepared.scenario.side_order
        if set(config.players) != set(sides):
            raise BatchError(f"players given for {sorted(config.players)}; the sides are {sides}")
        for side, name in config.players.items():
            make_player(name, side, prepared.scenario)
    out.mkdir(parents=True, exist_ok=True)
    check_folder(out, manifest(config))
    total = config.runs * len(all_variants)
    partial = out / PARTIAL
    done = read_partial(partial, config, total)
    resumed = len(done)
    players = tuple(sorted(config.players.items()))
    tasks = [
        GameTask(v.id, k, config.seed + k, v.spec, players, tuple(config.control_days))
        for v in all_variants
        for k in range(config.runs)
        if (v.id, k) not in done
    ]
    if max_games is not None:
        tasks = tasks[:max_games]
    progress = Progress(total, resumed, stream, enabled=not quiet and stream.isatty())
    played = 0
    workers = workers if workers is not None else (os.cpu_count() or 1)
    with open(partial, "a", encoding="utf-8") as fh:
        progress.update(force=True)
        for line in execute(tasks, workers, cluster):
            fh.write(json.dumps(line, separators=(",", ":")) + "\n")
            fh.flush()
            done[(line["variant"], line["k"])] = line
            played += 1
            progress.done += 1
            progress.update()
    progress.close()
    result = BatchResult(out, played, resumed, total, time.perf_counter() - started)
    if len(done) == total:
        result.files = finish(out, config, all_variants, done)
    return result


# ---------------------------------------------------------------- the outputs


def rows_of(
    config: BatchConfig, all_variants: Sequence[Variant], done: dict[tuple[int, int], Any]
) -> list[dict[str, Any]]:
    """Every game's row, in (variant, k) order."""
    labels = {v.id: v for v in all_variants}
    swept = [path for path, _ in config.sets]
    rows = []
    for key in sorted(done):
        line = done[key]
        variant = labels[key[0]]
        row: dict[str, Any] = {
            "variant": key[0],
            "variant_label": variant.label,
        }
        values = dict(variant.sets)
        for path in swept:
            row[f"set.{path}"] = values.get(path)
        row["k"] = key[1]
        row["seed"] = line["seed"]
        row.update(flatten(line["record"]))
        rows.append(row)
    return rows


def finish(
    out: Path,
    config: BatchConfig,
    all_variants: Sequence[Variant],
    done: dict[tuple[int, int], dict[str, Any]],
) -> list[Path]:
    """Write runs.csv, summary.json and report.html from every finished game."""
    from engine.batch.report import write_report
    from engine.batch.summary import summarise
    from engine.batch.tables import HEAD, to_csv

    rows = rows_of(config, all_variants, done)
    head = [*HEAD[:2], *(f"set.{p}" for p, _ in config.sets), *HEAD[2:]]
    write_text_atomic(out / "runs.csv", to_csv(rows, head))
    summary = summarise(config, all_variants, rows)
    write_text_atomic(out / "summary.json", json.dumps(summary, indent=1) + "\n")
    write_report(out / "report.html", config, all_variants, rows, summary, done)
    files = [out / MANIFEST, out / "runs.csv", out / "summary.json", out / "report.html"]
    for path in files:
        _shareable(path)
    return files[1:]


def _shareable(path: Path) -> None:
    """Give a written file the usual permissions (the atomic writer's temp file has 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)
