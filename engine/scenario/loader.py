"""Load a scenario from YAML: read safely, validate against the schema, check cross-references.

Every problem is reported as ``file:line:column: field.path: message``; a misspelt key gets a
"did you mean" suggestion. Nothing is returned unless the whole scenario is valid.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from engine.errors import Problem, ScenarioError
from engine.paths import REPO_ROOT, scenario_path
from engine.scenario.checks import check_scenario
from engine.scenario.geometry import resolve_positions
from engine.scenario.model import Scenario
from engine.scenario.mods import (
    apply_mod,
    is_mod,
    misspelt_extends,
    mod_chain,
    not_a_mod,
    resolve_extends,
)
from engine.scenario.yamlsource import FieldPath, Position, SourceMap, format_path, read_yaml


def display_name(path: Path) -> str:
    """A file name for messages: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def read_scenario_data(path: Path) -> tuple[dict[str, Any], SourceMap]:
    """Read a scenario file and the files it ``include``s into one mapping with positions.

    ``include: [units.yaml, ...]`` names files beside the scenario file; each is a mapping whose
    lists are appended to the scenario's lists of the same key and whose other keys must be new.
    """
    data, smap = read_yaml(path, display_name(path))
    if not isinstance(data, dict):
        raise ScenarioError([smap.problem((), "a scenario file must be a mapping of sections")])
    includes = data.pop("include", [])
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise ScenarioError([smap.problem(("include",), "include must be a list of file names")])
    problems: list[Problem] = []
    for i, included_name in enumerate(includes):
        inc_path = path.parent / included_name
        if not inc_path.is_file():
            # Point at the include line, not at a file that does not exist.
            message = f"included file '{included_name}' not found beside {path.name}"
            problems.append(smap.problem(("include", i), message))
            continue
        try:
            inc_data, inc_map = read_yaml(inc_path, display_name(inc_path))
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(inc_data, dict):
            problems.append(inc_map.problem((), "an included file must be a mapping of sections"))
            continue
        if len(inc_data) == 1:
            (key,) = inc_data
            if key not in data and key == key:  # a new section (and no NaN, unequal to itself)
                # The usual include: one new section. Every position but the file's own is under
                # it (a key that did not make it into the data is a read error), so all of them
                # are taken over, in file order, without looking at each.
                data[key] = inc_data[key]
                positions = inc_map.positions.copy()
                positions.pop((), None)
                smap.positions.update(positions)
                continue
        # The included positions by section, in file order: one pass over them, not one a key
        # (the == test below only matters for a key unequal to itself, a NaN).
        by_key: dict[Any, list[tuple[FieldPath, Position]]] = {}
        for sub, pos in inc_map.positions.items():
            if sub:
                by_key.setdefault(sub[0], []).append((sub, pos))
        for key, value in inc_data.items():
            if key in data and isinstance(data[key], list) and isinstance(value, list):
                base = len(data[key])
                data[key].extend(value)
                for sub, pos in by_key.get(key, ()):
                    if sub[0] == key and len(sub) > 1 and isinstance(sub[1], int):
                        smap.positions[(key, base + sub[1], *sub[2:])] = pos
            elif key in data:
                problems.append(inc_map.problem((key,), f"'{key}' is already defined"))
            else:
                data[key] = value
                smap.positions.update(sp for sp in by_key.get(key, ()) if sp[0][0] == key)
    if problems:
        raise ScenarioError(problems)
    return data, smap


def validate_data(data: dict[str, Any], smap: SourceMap) -> Scenario:
    """Validate raw scenario data against the schema and the cross-reference checks."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_blame_removals(pydantic_problems(exc, smap), smap)) from None
    problems = [smap.problem(path, msg) for path, msg in resolve_positions(scenario)]
    if problems:
        raise ScenarioError(_blame_removals(problems, smap))
    problems = check_scenario(scenario, smap)
    if problems:
        raise ScenarioError(_blame_removals(problems, smap))
    return scenario


def _blame_removals(problems: list[Problem], smap: SourceMap) -> list[Problem]:
    """Report what still refers to an item a mod removed once, at the mod's remove line.

    Without this, removing a formation that units still name gives one "unknown formation"
    per unit, each in the scenario the mod extends, and none in the mod.
    """
    mod_files = {where.file for _, where in smap.removed}
    out = list(problems)
    for item_id, where in smap.removed:
        quoted = f"'{item_id}'"
        users = [p for p in out if quoted in p.message and p.file not in mod_files]
        if not users:
            continue
        out = [p for p in out if p not in users]
        fields = [p.field or f"{p.file}:{p.line}" for p in users]
        listed = ", ".join(fields[:3]) + (f" and {len(fields) - 3} more" if len(fields) > 3 else "")
        files = ", ".join(sorted({p.file for p in users}))
        message = (
            f"{quoted} is removed but still used by {listed} (in {files}); set or remove those too"
        )
        out.append(replace(where, message=message))
    return out


def load_scenario(name_or_path: str | Path, mods: Sequence[str | Path] = ()) -> Scenario:
    """Load and fully validate a scenario by name (a folder of ``scenarios/``) or path.

    ``name_or_path`` may also be a mod file (it is loaded with everything it extends); ``mods``
    are further mod files applied in order, each of which must extend the same scenario.

    Raises:
        ScenarioError: with every problem found, each with its file, line and field.
    """
    data, smap = read_with_mods(name_or_path, mods)
    return validate_data(data, smap)


def read_with_mods(
    name_or_path: str | Path, mods: Sequence[str | Path] = ()
) -> tuple[dict[str, Any], SourceMap]:
    """The scenario data with every mod applied, and its positions (see :func:`load_scenario`)."""
    path = _existing(name_or_path)
    first, first_map = read_yaml(path, display_name(path))
    problem = not_a_mod(first, first_map)
    if problem is not None:
        raise ScenarioError([problem])
    base, chain = mod_chain(path, first, first_map) if is_mod(first) else (path, [])
    for extra in mods:
        extra_path = _existing(extra)
        extra_data, extra_map = read_yaml(extra_path, display_name(extra_path))
        if not is_mod(extra_data):
            problem = misspelt_extends(extra_data, extra_map)
            if problem is None:
                problem = extra_map.problem((), "not a mod: it has no 'extends'")
            raise ScenarioError([problem])
        extra_base, extra_chain = mod_chain(extra_path, extra_data, extra_map)
        if extra_base.resolve() != base.resolve():
            message = f"this mod extends {display_name(extra_base)}, not {display_name(base)}"
            raise ScenarioError([extra_map.problem(("extends",), message)])
        chain.extend(m for m in extra_chain if m.resolve() not in {c.resolve() for c in chain})
    data, smap = read_scenario_data(base)
    problems: list[Problem] = []
    for mod_path in chain:
        mod_data, mod_map = read_yaml(mod_path, display_name(mod_path))
        problems.extend(apply_mod(data, smap, mod_data, mod_map))
    if problems:
        raise ScenarioError(problems)
    return data, smap


def source_files(name_or_path: str | Path, mods: Sequence[str | Path] = ()) -> list[Path]:
    """Every file a scenario with mods is read from: base file, its includes, then each mod.

    A quick look for saves, which fingerprint the files one by one so that a changed scenario
    can name the file that changed. It reads only ``include`` and ``extends`` and never raises:
    a file that cannot be read ends its part of the list.
    """
    files: list[Path] = []
    chains: list[list[Path]] = []
    for start in (name_or_path, *mods):
        chain: list[Path] = []
        path = scenario_path(start).resolve()
        while path.is_file() and path not in chain and len(chain) < 64:
            chain.append(path)
            target = _quick_read(path).get("extends")
            if not isinstance(target, str):
                break
            path = resolve_extends(target, path)
        chains.append(chain)
    for chain in chains:
        if not chain:
            continue
        base = chain[-1]
        if base not in files:
            files.append(base)
            includes = _quick_read(base).get("include", [])
            if isinstance(includes, list):
                files.extend((base.parent / i).resolve() for i in includes if isinstance(i, str))
        files.extend(p for p in reversed(chain[:-1]) if p not in files)
    return files


def _quick_read(path: Path) -> dict[str, Any]:
    """A YAML file's top-level mapping without positions; empty if it cannot be read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _existing(name_or_path: str | Path) -> Path:
    path = scenario_path(name_or_path)
    if not path.exists():
        raise ScenarioError([Problem(str(name_or_path), 0, 0, "", "no such scenario or file")])
    return path


# ---------------------------------------------------------------- pydantic errors → problems


def pydantic_problems(
    exc: ValidationError, smap: SourceMap, root: type[BaseModel] = Scenario
) -> list[Problem]:
    """Turn pydantic's errors into located problems with friendly messages."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = smap.resolve(loc)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
            allowed = _allowed_fields(loc[:-1], root)
            if allowed:
                close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
                if close:
                    message += f" (did you mean '{close[0]}'?)"
        elif err["type"] == "missing":
            # Name the missing field in full, but point at the mapping that lacks it.
            parent = smap.resolve(loc[:-1])
            pos = smap.find(parent)
            field_path = format_path((*parent, loc[-1]))
            message = "missing required field"
            problems.append(Problem(pos.file, pos.line, pos.column, field_path, message))
            continue
        elif err["type"] == "union_tag_invalid":
            message = _unknown_tag_message(err.get("ctx", {}))
            tag_field = str(err.get("ctx", {}).get("discriminator", "")).strip("'\"")
            if (*path, tag_field) in smap.positions:
                path = (*path, tag_field)
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(smap.problem(path, message))
    return problems


def _unknown_tag_message(ctx: dict[str, Any]) -> str:
    """``unknown type 'teleport' (...)`` for a bad union tag such as an effect type."""
    tag = str(ctx.get("tag", ""))
    field_name = str(ctx.get("discriminator", "type")).strip("'\"")
    expected = [t.strip().strip("'\"") for t in str(ctx.get("expected_tags", "")).split(",")]
    expected = [t for t in expected if t]
    message = f"unknown {field_name} '{tag}'"
    close = difflib.get_close_matches(tag, expected, n=1, cutoff=0.6)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    elif expected:
        message += f" (expected one of: {', '.join(expected)})"
    return message


def _allowed_fields(loc: FieldPath, root: type[BaseModel] = Scenario) -> list[str]:
    """The field names a model accepts at a pydantic location (for "did you mean")."""
    annotation: Any = root
    for element in loc:
        annotation = _strip(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names = _field_lookup(annotation)
            if isinstance(element, str) and element in names:
                annotation = names[element]
                continue
            # A union tag or model name: stay on this model's union members.
            continue
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (list, tuple) and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            chosen = _union_member(members, element)
            if chosen is None:
                return []
            annotation = chosen
        else:
            return []
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out = []
        for name, info in annotation.model_fields.items():
            out.append(info.alias or name)
        return out
    return []


def _field_lookup(model: type[BaseModel]) -> dict[str, Any]:
    out = {}
    for name, info in model.model_fields.items():
        out[info.alias or name] = info.annotation
        out[name] = info.annotation
    return out


def _union_member(members: list[type[BaseModel]], tag: Any) -> type[BaseModel] | None:
    for member in members:
        type_field = member.model_fields.get("type")
        if type_field is not None and tag in typing.get_args(type_field.annotation):
            return member
    return members[0] if len(members) == 1 else None


def _strip(annotation: Any) -> Any:
    """Remove Annotated and Optional wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation
