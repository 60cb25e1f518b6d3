"""A batch variant: the scenario with its mods, swept ``--set`` values and uncertain values.

A variant is loaded once per process (:class:`PreparedVariant`) and gives, for each game's seed,
the scenario to play: the mods' data with the variant's ``--set`` values applied by the same
machinery as a mod's ``set:`` (:func:`engine.scenario.mods.apply_mod` on an in-memory mod), then
the values drawn for the mods' ``uncertain:`` paths (:mod:`engine.batch.sampling`). Without
uncertain values every game of the variant shares one validated scenario and one world.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.batch.sampling import Distribution, sample
from engine.errors import ScenarioError
from engine.paths import scenario_path
from engine.scenario.loader import display_name, read_with_mods, validate_data
from engine.scenario.model import Scenario
from engine.scenario.mods import apply_mod, is_mod, mod_chain
from engine.scenario.yamlsource import Position, SourceMap, parse_yaml, read_yaml
from engine.world import World

SET_SOURCE = "--set"


@dataclass(frozen=True)
class VariantSpec:
    """What a variant plays: scenario, mods in order, and ``--set`` values as typed (path, text)."""

    scenario: str
    mods: tuple[str, ...] = ()
    sets: tuple[tuple[str, str], ...] = ()


def parse_value(text: str) -> Any:
    """A ``--set`` value as YAML reads it (``0.6``, ``1945-08-16``, ``true``, ``[1, 2]``)."""
    data, _ = parse_yaml(text, SET_SOURCE)
    return data


def mod_files(name_or_path: str | Path, mods: Sequence[str | Path] = ()) -> list[Path]:
    """Every mod file a load applies, lowest first (the scenario itself is not listed).

    Call it after :func:`engine.scenario.loader.read_with_mods` has accepted the same arguments:
    it does not report problems again.
    """
    path = scenario_path(name_or_path)
    first, first_map = read_yaml(path, display_name(path))
    chain = mod_chain(path, first, first_map)[1] if is_mod(first) else []
    for extra in mods:
        extra_path = scenario_path(extra)
        data, smap = read_yaml(extra_path, display_name(extra_path))
        seen = {c.resolve() for c in chain}
        chain.extend(m for m in mod_chain(extra_path, data, smap)[1] if m.resolve() not in seen)
    return chain


def base_file(name_or_path: str | Path) -> Path:
    """The scenario file under a scenario name, path or mod."""
    path = scenario_path(name_or_path)
    first, first_map = read_yaml(path, display_name(path))
    return mod_chain(path, first, first_map)[0] if is_mod(first) else path


def uncertain_values(
    name_or_path: str | Path, mods: Sequence[str | Path] = ()
) -> dict[str, tuple[Distribution, Position]]:
    """The ``uncertain:`` paths of every mod applied, with where each is declared.

    Mods apply in order, each as remove, add, set, then uncertain: a later mod's declaration of
    the same path replaces an earlier one, a later mod's ``set`` of it fixes it (it is no longer
    drawn) and a later mod's ``remove`` of the item it lies in drops it.
    """
    out: dict[str, tuple[Distribution, Position]] = {}
    for path in mod_files(name_or_path, mods):
        data, smap = read_yaml(path, display_name(path))
        for section, ids in (data.get("remove") or {}).items():
            for item in ids or ():
                prefix = f"{section}[{item}]"
                for key in [k for k in out if k == prefix or k.startswith(prefix + ".")]:
                    del out[key]
        for key in data.get("set") or {}:
            out.pop(str(key), None)
        for key, raw in (data.get("uncertain") or {}).items():
            out[str(key)] = (Distribution.model_validate(raw), smap.find(("uncertain", key)))
    return out


def apply_values(
    data: dict[str, Any],
    smap: SourceMap,
    values: dict[str, Any],
    where: dict[str, Position] | None = None,
    source: str = SET_SOURCE,
) -> None:
    """Set ``values`` by mod path in ``data`` as a mod's ``set:`` would, in place.

    ``where`` gives the position to report a bad value at (an uncertain declaration's line);
    otherwise problems are reported against ``source``.

    Raises:
        ScenarioError: a path does not resolve, or the value may not be set there.
    """
    mod_map = SourceMap(default_file=source)
    for path, pos in (where or {}).items():
        mod_map.positions[("set", path)] = pos
    problems = apply_mod(data, smap, {"extends": source, "set": values}, mod_map)
    if problems:
        raise ScenarioError(problems)


class PreparedVariant:
    """A variant loaded once: gives each game's scenario, world and sampled values."""

    def __init__(self, spec: VariantSpec) -> None:
        self.spec = spec
        data, smap = read_with_mods(spec.scenario, spec.mods)
        fixed = {path: parse_value(text) for path, text in spec.sets}
        if fixed:
            apply_values(data, smap, fixed, source=_set_source(spec.sets))
        declared = uncertain_values(spec.scenario, spec.mods)
        # A swept --set value fixes its path: it is not drawn as well.
        self.uncertain = {p: d for p, d in declared.items() if p not in fixed}
        self._data = data
        self._smap = smap
        self._scenario: Scenario = validate_data(copy.deepcopy(data), smap)
        self._world: World | None = None

    @property
    def scenario(self) -> Scenario:
        """The variant's scenario with the uncertain values at their central values."""
        return self._scenario

    def game_setup(self, seed: int) -> tuple[Scenario, World, dict[str, Any]]:
        """The scenario, world and sampled values of the game played with ``seed``."""
        if not self.uncertain:
            if self._world is None:
                self._world = World(self._scenario)
            return self._scenario, self._world, {}
        drawn = sample({p: d for p, (d, _) in self.uncertain.items()}, seed)
        scenario = self._with(drawn, f"drawn for seed {seed}")
        return scenario, World(scenario), drawn

    def check_extremes(self) -> None:
        """Validate the scenario with every uncertain value at its lowest, then its highest.

        A batch checks this before it starts, so a distribution that reaches past what the
        scenario allows (a readiness above 1) is reported at once rather than in game 37.
        Choices are checked one by one; a normal without ``clip`` has no extremes to check.

        Raises:
            ScenarioError: at the uncertain declaration's line, saying which values broke it.
        """
        if not self.uncertain:
            return
        widest = max((len(d.choice or ()) for d, _ in self.uncertain.values()), default=0)
        for n in range(max(2, widest)):
            values = {}
            for path, (dist, _) in self.uncertain.items():
                bounds = _extremes(dist)
                if bounds:
                    values[path] = bounds[min(n, len(bounds) - 1)]
            label = "at their lowest" if n == 0 else "at their highest" if n == 1 else ""
            self._with(values, label or f"choice {n + 1}")

    def _with(self, values: dict[str, Any], label: str) -> Scenario:
        """The scenario with ``values`` set on the uncertain paths (problems name them)."""
        data = copy.deepcopy(self._data)
        smap = dataclasses.replace(self._smap, positions=dict(self._smap.positions))
        where = {p: pos for p, (_, pos) in self.uncertain.items()}
        try:
            apply_values(data, smap, values, where)
            return validate_data(data, smap)
        except ScenarioError as exc:
            lines = {(pos.file, pos.line): p for p, (_, pos) in self.uncertain.items()}
            problems = []
            for problem in exc.problems:
                path = lines.get((problem.file, problem.line))
                if path is not None and path in values:
                    extra = f" (uncertain values {label}: {_show(values[path])})"
                    field = problem.field.replace("set.", "uncertain.", 1)
                    problem = dataclasses.replace(
                        problem, field=field, message=problem.message + extra
                    )
                problems.append(problem)
            raise ScenarioError(problems) from None


def _show(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


def _extremes(dist: Distribution) -> list[Any]:
    """The values a distribution can reach at its ends (its choices, in order)."""
    if dist.uniform is not None:
        return list(dist.uniform)
    if dist.normal is not None:
        return list(dist.clip) if dist.clip is not None else []
    if dist.triangular is not None:
        return [dist.triangular[0], dist.triangular[2]]
    if dist.date_uniform is not None:
        return list(dist.date_uniform)
    return list(dist.choice or [])


def _set_source(sets: tuple[tuple[str, str], ...]) -> str:
    return SET_SOURCE + " " + " ".join(f"{p}={v}" for p, v in sets)


class VariantCache:
    """The last few prepared variants of this process (workers play one variant after another)."""

    def __init__(self, size: int = 3) -> None:
        self.size = size
        self._items: OrderedDict[VariantSpec, PreparedVariant] = OrderedDict()
        self._lock = threading.Lock()  # Dask workers may run games in threads

    def get(self, spec: VariantSpec) -> PreparedVariant:
        """The prepared variant, loading it on first use."""
        with self._lock:
            found = self._items.get(spec)
            if found is not None:
                self._items.move_to_end(spec)
                return found
            prepared = PreparedVariant(spec)
            self._items[spec] = prepared
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return prepared
