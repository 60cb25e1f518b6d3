"""Mods: small YAML files that extend a scenario (or another mod) and patch it.

A mod names what it extends and says what to change, in this order: ``remove`` items from the
scenario's lists by id, ``add`` new items, then ``set`` values by path::

    extends: august_storm              # a scenario name or path, or another mod file
    name: No surrender on 15 August
    remove:
      events: [broadcast]
    add:
      events:
        - {id: late_order, date: 1945-08-25, effects: [...]}
    set:
      turns: 30
      rules.combat.luck_sigma: 0.4
      units[jp_107_div].readiness: 0.6
      units[jp_107_div].at: hailar

A path is dotted field names; ``name[x]`` picks from a list the item whose ``id`` is ``x`` (or
the item at index ``x`` when ``x`` is a number). Mapping keys that do not exist yet are
created, so a mod may set a rules constant the scenario left at its default. ``set`` never
deletes an item (null) nor changes its ``id``. Several mods stack in order; the result is
validated like a scenario, and every value a mod brought in (or took out) is reported at the
mod's own file and line.

Setting a unit's ``at`` drops the ``hex`` it had, and setting its ``hex`` drops its ``at``.

A mod may also declare values it is unsure of, by the same paths, as distributions that batch
runs draw from afresh for each game (:mod:`engine.batch.sampling`)::

    uncertain:
      events[ceasefire_5a].date: {date_uniform: [1945-08-16, 1945-08-19]}
      units[jp_80_imb].readiness: {normal: [0.6, 0.1], clip: [0.3, 0.9]}
      rules.combat.luck_sigma: {uniform: [0.2, 0.4]}
      units[jp_107_div].at: {choice: [wuchagou, solun]}
      units[jp_119_div].quality: {triangular: [0.4, 0.5, 0.7]}

Loading such a mod sets each path to the distribution's central value (:meth:`Distribution.central`)
and validates that, so ``validate``, ``play`` and ``map`` see one definite scenario.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.errors import Problem, ScenarioError
from engine.paths import SCENARIOS_DIR, scenario_path
from engine.scenario.yamlsource import FieldPath, Position, SourceMap, read_yaml

_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]+)\])?$")
_MOD_KEYS = ("remove", "add", "set", "uncertain")
# Setting one of these on a mapping that has the other replaces it: a unit moved ``at`` a place
# by a mod must not stay on the ``hex`` the scenario gave it (``hex`` would win).
_EXCLUSIVE = {"at": "hex", "hex": "at"}


DISTRIBUTION_KINDS = ("uniform", "normal", "triangular", "choice", "date_uniform")


class Distribution(BaseModel):
    """How an uncertain value varies from game to game: exactly one kind, with its parameters."""

    model_config = ConfigDict(extra="forbid")

    uniform: tuple[float, float] | None = Field(None, description="[lo, hi], every value alike.")
    normal: tuple[float, float] | None = Field(None, description="[mean, standard deviation].")
    clip: tuple[float, float] | None = Field(
        None, description="With normal: [lo, hi]; a draw outside is moved to the nearer bound."
    )
    triangular: tuple[float, float, float] | None = Field(None, description="[lo, mode, hi].")
    choice: list[Any] | None = Field(None, description="Values, each as likely.")
    date_uniform: tuple[dt.date, dt.date] | None = Field(
        None, description="[first, last]: every day from first to last (both included) alike."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Distribution:
        given = [k for k in DISTRIBUTION_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            found = f" (found {' and '.join(given)})" if given else ""
            raise ValueError(
                f"give exactly one distribution of {', '.join(DISTRIBUTION_KINDS)}{found}"
            )
        if self.clip is not None and given[0] != "normal":
            raise ValueError("clip goes with normal only")
        if self.uniform is not None and self.uniform[0] > self.uniform[1]:
            raise ValueError("uniform: [lo, hi] needs lo <= hi")
        if self.normal is not None and self.normal[1] < 0:
            raise ValueError("normal: [mean, sd] needs sd >= 0")
        if self.clip is not None and self.clip[0] > self.clip[1]:
            raise ValueError("clip: [lo, hi] needs lo <= hi")
        if self.triangular is not None and not (
            self.triangular[0] <= self.triangular[1] <= self.triangular[2]
        ):
            raise ValueError("triangular: [lo, mode, hi] needs lo <= mode <= hi")
        if self.choice is not None and not self.choice:
            raise ValueError("choice needs at least one value")
        if self.date_uniform is not None and self.date_uniform[0] > self.date_uniform[1]:
            raise ValueError("date_uniform: [first, last] needs first <= last")
        return self

    def central(self) -> Any:
        """The value a plain load uses: midpoint, mean (clipped), mode, first choice, middle day."""
        if self.uniform is not None:
            return (self.uniform[0] + self.uniform[1]) / 2
        if self.normal is not None:
            value = self.normal[0]
            if self.clip is not None:
                value = min(max(value, self.clip[0]), self.clip[1])
            return value
        if self.triangular is not None:
            return self.triangular[1]
        if self.date_uniform is not None:
            first, last = self.date_uniform
            return first + dt.timedelta(days=(last - first).days // 2)
        assert self.choice is not None  # _one_kind guarantees one kind
        return self.choice[0]


class ModFile(BaseModel):
    """The schema of a mod file."""

    model_config = ConfigDict(extra="forbid")

    extends: str = Field(description="Scenario name or path, or a mod file, this mod patches.")
    name: str = ""
    description: str = ""
    remove: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Ids to remove, per list section (units, events, supply_sources, "
        "network.lines...).",
    )
    add: dict[str, list[Any]] = Field(
        default_factory=dict, description="Items to append, per list section."
    )
    set: dict[str, Any] = Field(
        default_factory=dict, description="Values to set, by path (rules.combat.luck_sigma)."
    )
    uncertain: dict[str, Distribution] = Field(
        default_factory=dict,
        description="Values batch runs draw for each game, by path: {path: distribution}.",
    )


def is_mod(data: Any) -> bool:
    """Whether data read from a file is a mod (it says what it ``extends``)."""
    return isinstance(data, dict) and "extends" in data


def misspelt_extends(data: Any, smap: SourceMap) -> Problem | None:
    """``extend:`` (or another near miss) for ``extends:`` in a file without ``extends``."""
    if not isinstance(data, dict) or "extends" in data:
        return None
    for key in data:
        if isinstance(key, str) and difflib.get_close_matches(key, ["extends"], cutoff=0.8):
            return smap.problem((key,), "unknown field (did you mean 'extends'?)")
    return None


def not_a_mod(data: Any, smap: SourceMap) -> Problem | None:
    """The problem of a file meant as a mod that does not say what it extends, or None.

    A file with ``set``, ``add`` or ``remove`` (or ``extend:``) but no ``extends`` and none of
    a scenario's own sections is a mod that lost its first line, not a scenario missing a dozen.
    """
    if not isinstance(data, dict) or "extends" in data:
        return None
    if any(key in data for key in ("map", "units", "include")):
        return None
    typo = misspelt_extends(data, smap)
    if typo is not None:
        return typo
    if any(key in data for key in _MOD_KEYS):
        message = "missing required field (a mod must name the scenario or mod it extends)"
        return smap.problem(("extends",), message)
    return None


def resolve_extends(target: str, mod_path: Path) -> Path:
    """The file a mod extends: a path relative to the mod, or a scenario name."""
    relative = (mod_path.parent / target).resolve()
    if relative.exists():
        return relative if relative.is_file() else relative / "scenario.yaml"
    return scenario_path(target) if (SCENARIOS_DIR / target).exists() else Path(target)


def mod_chain(path: Path, data: dict[str, Any], smap: SourceMap) -> tuple[Path, list[Path]]:
    """The base scenario file under a mod, and the mods from the lowest up to ``path``.

    Raises:
        ScenarioError: a mod extends something that does not exist, or mods extend in a loop.
    """
    chain = [path]
    seen = {path.resolve()}
    current_data, current_map, current = data, smap, path
    while True:
        target = current_data.get("extends")
        if not isinstance(target, str):
            raise ScenarioError([current_map.problem(("extends",), "extends must be a name")])
        base = resolve_extends(target, current)
        if not base.exists():
            message = f"extends unknown scenario or mod '{target}'"
            known = sorted(p.name for p in SCENARIOS_DIR.iterdir() if p.is_dir())
            close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            raise ScenarioError([current_map.problem(("extends",), message)])
        if base.resolve() in seen:
            names = " -> ".join(p.name for p in [*chain, base])
            raise ScenarioError(
                [current_map.problem(("extends",), f"mods extend in a loop: {names}")]
            )
        from engine.scenario.loader import display_name

        base_data, base_map = read_yaml(base, display_name(base))
        if not is_mod(base_data):
            problem = not_a_mod(base_data, base_map)
            if problem is not None:
                raise ScenarioError([problem])
            return base, list(reversed(chain))
        seen.add(base.resolve())
        chain.append(base)
        current_data, current_map, current = base_data, base_map, base


def apply_mod(
    data: dict[str, Any], smap: SourceMap, mod: dict[str, Any], mod_map: SourceMap
) -> list[Problem]:
    """Patch scenario ``data`` (and its source map) in place with one mod; returns problems."""
    try:
        spec = ModFile.model_validate(mod)
    except ValidationError as exc:
        from engine.scenario.loader import pydantic_problems

        return pydantic_problems(exc, mod_map, ModFile)
    problems: list[Problem] = []
    for section, ids in spec.remove.items():
        node, name, path = _list_home(data, section)
        items = node.get(name) if node is not None else None
        if node is None or not isinstance(items, list):
            where = ".".join(str(p) for p in path[:-1])
            message = _not_a_list(node if node is not None else {}, name, where)
            problems.append(mod_map.problem(("remove", section), message))
            continue
        for k, item_id in enumerate(ids):
            index = _index_of(items, item_id)
            if index is None:
                problems.append(
                    mod_map.problem(("remove", section, k), _no_item(section, items, item_id))
                )
                continue
            del items[index]
            _drop_index(smap, path, index)
            smap.removed.append((item_id, mod_map.problem(("remove", section, k), "")))
    for section, new_items in spec.add.items():
        node, name, path = _list_home(data, section)
        if node is None:
            where = ".".join(str(p) for p in path[:-1])
            problems.append(
                mod_map.problem(("add", section), f"the scenario has no section '{where}'")
            )
            continue
        if name not in node:
            # A new section: its key stands at the mod's line, where a misspelt one is reported.
            smap.positions[path] = mod_map.find(("add", section))
        items = node.setdefault(name, [])
        if not isinstance(items, list):
            problems.append(mod_map.problem(("add", section), f"'{section}' is not a list"))
            continue
        for k, item in enumerate(new_items):
            _graft(smap, mod_map, ("add", section, k), (*path, len(items)))
            items.append(item)
    for key, value in spec.set.items():
        problem = _set_path(data, smap, mod_map, ("set", key), value)
        if problem is not None:
            problems.append(problem)
    for key, dist in spec.uncertain.items():
        problem = _set_path(data, smap, mod_map, ("uncertain", key), dist.central())
        if problem is not None:
            problems.append(problem)
    return problems


def _set_path(
    data: dict[str, Any], smap: SourceMap, mod_map: SourceMap, mod_path: FieldPath, value: Any
) -> Problem | None:
    """Set the value of the path named by ``mod_path`` (``("set", path)``); None when done."""
    key = str(mod_path[1])
    try:
        target = _walk(data, key)
    except KeyError as exc:
        return mod_map.problem(mod_path, str(exc.args[0]))
    refusal = _refuse_set(target, value)
    if refusal is not None:
        return mod_map.problem(mod_path, refusal)
    where = mod_map.find(mod_path)
    for container, name, new, path in target.created:
        container[name] = new
        smap.positions[path] = where
    parent, last = target.parent, target.key
    other = _EXCLUSIVE.get(last) if isinstance(last, str) else None
    if other is not None and value is not None and other in parent:
        del parent[other]
        _forget(smap, (*target.path[:-1], other))
    parent[last] = value
    _graft(smap, mod_map, mod_path, target.path)
    return None


def _list_home(data: dict[str, Any], section: str) -> tuple[dict[str, Any] | None, str, FieldPath]:
    """The mapping that holds the list a remove/add ``section`` names, its key and field path.

    A section is a top-level list (``units``) or a dotted path to a list inside sections
    (``network.lines``). The mapping is None when a section on the way does not exist.
    """
    parts = section.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            break
    return (node if isinstance(node, dict) else None), parts[-1], tuple(parts)


def _index_of(items: list[Any], selector: str) -> int | None:
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == selector:
            return i
    if selector.isdigit() and int(selector) < len(items):
        return int(selector)
    return None


def _no_item(section: str, items: list[Any], selector: str) -> str:
    ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
    message = f"no item '{selector}' in {section}"
    close = difflib.get_close_matches(selector, ids, n=1, cutoff=0.6)
    return message + (f" (did you mean '{close[0]}'?)" if close else "")


def _not_a_list(node: dict[str, Any], name: str, where: str) -> str:
    """Why ``name`` in the mapping at path ``where`` cannot be picked from: missing, or no list."""
    if name in node:
        return f"'{name}' is not a list of items"
    lists = [str(k) for k, v in node.items() if isinstance(v, list)]
    close = difflib.get_close_matches(name, lists, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if not where:
        return f"the scenario has no section '{name}'{hint}"
    return f"'{where}' has no list '{name}'{hint}"


@dataclass
class _Target:
    """Where a set path lands: the container, the key or index in it, and its field path."""

    parent: Any
    key: str | int
    path: FieldPath
    # Mappings the path goes through that do not exist yet: (container, key, new mapping, path),
    # created only once the whole path is known to be good.
    created: list[tuple[dict[str, Any], str, dict[str, Any], FieldPath]] = field(
        default_factory=list
    )


def _walk(data: dict[str, Any], path: str) -> _Target:
    """Follow a mod's set ``path`` through ``data`` without changing it.

    Raises:
        KeyError: the path is malformed, or picks from a list that is missing or lacks the item.
    """
    steps = path.split(".")
    node: Any = data
    out: list[str | int] = []
    created: list[tuple[dict[str, Any], str, dict[str, Any], FieldPath]] = []
    for n, step in enumerate(steps):
        m = _STEP.match(step)
        if m is None:
            raise KeyError(f"cannot read path '{path}' at '{step}'")
        name, selector = m.group(1), m.group(2)
        last = n == len(steps) - 1
        if not isinstance(node, dict):
            raise KeyError(f"'{'.'.join(steps[:n])}' is not a mapping")
        out.append(name)
        if selector is None:
            if last:
                return _Target(node, name, tuple(out), created)
            if name not in node:
                new: dict[str, Any] = {}
                created.append((node, name, new, tuple(out)))
                node = new
            else:
                node = node[name]
            continue
        items = node.get(name)
        if not isinstance(items, list):
            raise KeyError(_not_a_list(node, name, ".".join(steps[:n])))
        index = _index_of(items, selector)
        if index is None:
            raise KeyError(_no_item(name, items, selector))
        out.append(index)
        if last:
            return _Target(items, index, tuple(out), created)
        node = items[index]
    raise KeyError(f"empty path '{path}'")  # pragma: no cover - split never gives nothing


def _refuse_set(target: _Target, value: Any) -> str | None:
    """Why a set that reaches ``target`` is refused (it would delete or rename an item)."""
    parent, key = target.parent, target.key
    if isinstance(parent, list):
        old = parent[key]
        old_id = old.get("id") if isinstance(old, dict) else None
        if value is None and isinstance(old, dict):
            message = "cannot set an item to null"
            if old_id is not None and len(target.path) == 2:
                return f"{message}; to delete it, use remove: {{{target.path[0]}: [{old_id}]}}"
            return message
        if old_id is not None and isinstance(value, dict) and "id" in value:
            return _renamed(old_id, value["id"])
        return None
    if key == "id" and len(target.path) >= 2 and isinstance(target.path[-2], int) and key in parent:
        return _renamed(parent["id"], value)
    return None


def _renamed(old_id: Any, new_id: Any) -> str | None:
    if new_id == old_id:
        return None
    return (
        f"cannot change the id '{old_id}' (the scenario and other mods refer to it by id); "
        "set its 'name' to rename it, or remove it and add a new one"
    )


def _graft(smap: SourceMap, mod_map: SourceMap, mod_path: FieldPath, data_path: FieldPath) -> None:
    """Point every position under ``data_path`` at the mod's lines for ``mod_path``."""
    _forget(smap, data_path)
    n = len(mod_path)
    for key, pos in mod_map.positions.items():
        if key[:n] == mod_path:
            smap.positions[(*data_path, *key[n:])] = pos
    if data_path not in smap.positions:
        smap.positions[data_path] = mod_map.find(mod_path)


def _forget(smap: SourceMap, data_path: FieldPath) -> None:
    """Drop the positions of a value removed from the data."""
    for key in [k for k in smap.positions if k[: len(data_path)] == data_path]:
        del smap.positions[key]


def _drop_index(smap: SourceMap, list_path: FieldPath, index: int) -> None:
    """Renumber positions after removing item ``index`` from the list at ``list_path``."""
    n = len(list_path)
    moved: dict[FieldPath, Position] = {}
    for key, pos in list(smap.positions.items()):
        if key[:n] != list_path or len(key) <= n or not isinstance(key[n], int):
            continue
        del smap.positions[key]
        if key[n] > index:
            moved[(*list_path, key[n] - 1, *key[n + 1 :])] = pos
        elif key[n] < index:
            moved[key] = pos
    smap.positions.update(moved)
