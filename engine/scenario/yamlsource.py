"""Safe YAML reading that remembers where every value came from (file, line, column).

Files are composed with PyYAML's C safe loader into nodes, then turned into plain Python data
while a side table maps each field path (``("units", 3, "men")``) to its position, so later
checks can point at the exact line. Nothing here can run code from a file: only the safe
constructor's plain types (mappings, lists, strings, numbers, booleans, null, dates).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from engine.errors import Problem, ScenarioError

try:
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader


def _nothing(*_args: object) -> None:
    return None


class _Loader(_SafeLoader):
    """PyYAML's safe loader, with the resolver calls it makes for every node made cheap.

    The composer calls ``resolve`` (the implicit tag of a value), ``descend_resolver`` and
    ``ascend_resolver`` once per node. Without path resolvers (none are registered) the last two
    do nothing and ``resolve`` depends on its arguments only, so it is memoised for the file:
    the same tags, from a C-level cache for the keys and values a file repeats.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        if not self.yaml_path_resolvers:
            self.resolve = functools.lru_cache(maxsize=None)(super().resolve)
            self.descend_resolver = _nothing
            self.ascend_resolver = _nothing

    def dispose(self) -> None:
        # Drop the cache (it holds a bound method of the loader: a reference cycle).
        self.__dict__.pop("resolve", None)
        super().dispose()


FieldPath = tuple[str | int, ...]

# Tags a mapping or sequence may carry: anything else (``!!python/object``, ``!!set``, local
# tags) would be silently reinterpreted as a plain mapping or list, so it is refused instead.
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
# A cap on the values one file may expand to, so nested aliases ("billion laughs") fail fast.
MAX_VALUES = 500_000


class Position(NamedTuple):
    """Where a value stands in a file."""

    file: str
    line: int
    column: int


@dataclass
class SourceMap:
    """Positions of every field path of the data read from one or more files."""

    positions: dict[FieldPath, Position] = field(default_factory=dict)
    default_file: str = ""
    # Items mods removed: (id, a problem located at the mod's remove line, with no message yet),
    # so that what still refers to the id is reported there rather than in the scenario.
    removed: list[tuple[str, Problem]] = field(default_factory=list)

    def find(self, path: FieldPath) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), Position(self.default_file, 0, 0))

    def resolve(self, loc: tuple[Any, ...]) -> FieldPath:
        """Map a pydantic error location onto a field path that exists in the file.

        Pydantic adds union tags and model names to locations (``effects.0.message.text``); the
        elements that do not exist in the data are skipped.
        """
        out: list[str | int] = []
        for element in loc:
            candidate = (*out, element)
            if candidate in self.positions:
                out.append(element)
        return tuple(out)

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A problem located at ``path``."""
        pos = self.find(path)
        return Problem(pos.file, pos.line, pos.column, format_path(path), message)

    def shifted(self, prefix: FieldPath) -> dict[FieldPath, Position]:
        """Positions re-rooted under ``prefix``."""
        return {(*prefix, *k): v for k, v in self.positions.items()}


def format_path(path: FieldPath) -> str:
    """``("units", 3, "men")`` → ``units[3].men``."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += f".{element}" if text else str(element)
    return text


def read_yaml(path: Path, display_name: str | None = None) -> tuple[Any, SourceMap]:
    """Read one YAML file safely; returns the data and its source map.

    Raises:
        ScenarioError: the file is missing, unreadable, not valid YAML, or has a duplicate key.
    """
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(name, 0, 0, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(name, 0, 0, "", f"cannot read the file: {exc}")]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> tuple[Any, SourceMap]:
    """Parse YAML text safely into data and a source map (see :func:`read_yaml`)."""
    with _cyclic_gc_paused():
        return _parse(text, name, _Loader, _build)


def parse_yaml_simple(text: str, name: str) -> tuple[Any, SourceMap]:
    """:func:`parse_yaml` the plain way: PyYAML's own safe loader and a call a value.

    The same data, positions (in the same order) and problems, only slower; kept as the reference
    the fast path is tested against (tests/engine/scenario/test_yamlsource_speedpaths.py) and
    timed beside it (benchmarks/bench_load.py prints the ratio).
    """
    return _parse(text, name, _SafeLoader, _build_simple)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector (not reference counting) while a file is parsed.

    A parse makes no reference cycles, but its node tree (a few objects per value of the file)
    lives until the data is built, so the collector would walk it again and again and move it
    to its oldest generation, whose full collection then walks the whole process. Paused, the
    collector's time in loading a scenario falls from about a third of it to a few per cent.
    Left alone if it was already disabled.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse(text: str, name: str, loader_class: type, build: Any) -> tuple[Any, SourceMap]:
    smap = SourceMap(default_file=name)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        message = f"malformed YAML: {exc.problem or exc.context}"
        context = exc.context_mark
        if exc.problem and exc.context and context is not None and context.line + 1 != line:
            # An unclosed bracket is found lines later; say where it was opened.
            message += f" ({exc.context} started at line {context.line + 1})"
        raise ScenarioError([Problem(name, line, col, "", message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 0, 0, "", f"malformed YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        return None, smap
    problems: list[Problem] = []
    try:
        data = build(loader, node, (), name, smap, problems)
    except RecursionError:
        # An alias inside the collection it names (``a: &a [*a]``) never ends.
        msg = "an alias refers to the collection it is part of (a loop in the file)"
        raise ScenarioError([Problem(name, 0, 0, "", msg)]) from None
    if problems:
        raise ScenarioError(problems)
    return data, smap


_tuple_new = tuple.__new__
_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode


def _pos(name: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    # What Position(...) does, without its Python-level __new__ (this runs for every value).
    return _tuple_new(Position, (name, mark.line + 1, mark.column + 1))


def _build(
    loader: Any,
    node: yaml.Node,
    path: FieldPath,
    name: str,
    smap: SourceMap,
    problems: list[Problem],
) -> Any:
    """The data of ``node``, recording the position of ``path`` and of everything below it.

    The scalar children of mappings and sequences (most values of a file) are handled in the
    loops below rather than by a call each; what they do is what a call would do, in the same
    order: record the position, check the value cap, construct the value.
    """
    positions = smap.positions
    if path not in positions:
        positions[path] = _pos(name, node)
    limit = MAX_VALUES
    if len(positions) > limit:
        _too_many(name, node, path, limit)
    cls = type(node)
    if cls is not _ScalarNode and node.tag not in _PLAIN_COLLECTION_TAGS:
        pos = _pos(name, node)
        msg = f"unsupported YAML tag '{node.tag}'"
        problems.append(Problem(name, pos.line, pos.column, format_path(path), msg))
        return None
    if cls is _MappingNode:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _ScalarNode:
                pos = _pos(name, key_node)
                problems.append(
                    Problem(name, pos.line, pos.column, format_path(path), "keys must be plain")
                )
                continue
            tag = key_node.tag
            if tag == _STR_TAG:
                key = key_node.value
            elif tag == "tag:yaml.org,2002:merge":
                pos = _pos(name, key_node)
                msg = "YAML merge keys ('<<') are not supported; write the fields out"
                problems.append(Problem(name, pos.line, pos.column, format_path(path), msg))
                continue
            else:
                key = _scalar(loader, key_node, path, name, problems)
                if key is _FAILED:
                    continue
            child = (*path, key)
            if key in out:
                pos = _pos(name, key_node)
                msg = f"duplicate key '{key}'"
                problems.append(Problem(name, pos.line, pos.column, format_path(child), msg))
                continue
            # Point at the key, where a person looks for a misspelt or misplaced field.
            mark = key_node.start_mark
            positions[child] = _tuple_new(Position, (name, mark.line + 1, mark.column + 1))
            if type(value_node) is _ScalarNode:
                # _build(value_node, child) inline: child already has a position (the key's).
                if len(positions) > limit:
                    _too_many(name, value_node, child, limit)
                value = _scalar(loader, value_node, child, name, problems)
                out[key] = None if value is _FAILED else value
            else:
                out[key] = _build(loader, value_node, child, name, smap, problems)
            mark = value_node.start_mark
            positions[(*child, "__value__")] = _tuple_new(
                Position, (name, mark.line + 1, mark.column + 1)
            )
        return out
    if cls is _SequenceNode:
        items: list[Any] = []
        append = items.append
        for i, item in enumerate(node.value):
            child = (*path, i)
            if type(item) is not _ScalarNode:
                append(_build(loader, item, child, name, smap, problems))
                continue
            # _build(item, child) inline.
            if child not in positions:
                mark = item.start_mark
                positions[child] = _tuple_new(Position, (name, mark.line + 1, mark.column + 1))
            if len(positions) > limit:
                _too_many(name, item, child, limit)
            value = _scalar(loader, item, child, name, problems)
            append(None if value is _FAILED else value)
        return items
    value = _scalar(loader, node, path, name, problems)
    return None if value is _FAILED else value


def _build_simple(
    loader: Any,
    node: yaml.Node,
    path: FieldPath,
    name: str,
    smap: SourceMap,
    problems: list[Problem],
) -> Any:
    """What :func:`_build` does, one call a node and every scalar by the safe constructor."""
    smap.positions.setdefault(path, _pos(name, node))
    if len(smap.positions) > MAX_VALUES:
        _too_many(name, node, path, MAX_VALUES)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
        pos = _pos(name, node)
        msg = f"unsupported YAML tag '{node.tag}'"
        problems.append(Problem(name, pos.line, pos.column, format_path(path), msg))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                pos = _pos(name, key_node)
                problems.append(
                    Problem(name, pos.line, pos.column, format_path(path), "keys must be plain")
                )
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                pos = _pos(name, key_node)
                msg = "YAML merge keys ('<<') are not supported; write the fields out"
                problems.append(Problem(name, pos.line, pos.column, format_path(path), msg))
                continue
            key = _construct(loader, key_node, path, name, problems)
            if key is _FAILED:
                continue
            child = (*path, key)
            if key in out:
                pos = _pos(name, key_node)
                msg = f"duplicate key '{key}'"
                problems.append(Problem(name, pos.line, pos.column, format_path(child), msg))
                continue
            # Point at the key, where a person looks for a misspelt or misplaced field.
            smap.positions[child] = _pos(name, key_node)
            out[key] = _build_simple(loader, value_node, child, name, smap, problems)
            smap.positions[(*child, "__value__")] = _pos(name, value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build_simple(loader, item, (*path, i), name, smap, problems)
            for i, item in enumerate(node.value)
        ]
    value = _construct(loader, node, path, name, problems)
    return None if value is _FAILED else value


def _too_many(name: str, node: yaml.Node, path: FieldPath, limit: int) -> None:
    pos = _pos(name, node)
    msg = f"the file expands to more than {limit} values (aliases of aliases?)"
    raise ScenarioError([Problem(name, pos.line, pos.column, format_path(path), msg)])


_FAILED = object()
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_PLAIN_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^-?[0-9]+\.[0-9]+$")


def _scalar(
    loader: Any, node: yaml.Node, path: FieldPath, name: str, problems: list[Problem]
) -> Any:
    """The value of a scalar, as :func:`_construct` gives it, or _FAILED."""
    # Fast paths for the values that fill a map (tens of thousands of coordinates and ids),
    # giving what the safe constructor gives: a str-tagged scalar's text (in any style), and
    # plain ints and decimals whose patterns are strict subsets of the YAML 1.1 resolver's.
    tag = node.tag
    if tag == _STR_TAG:
        return node.value
    if not node.style:  # plain: None from the Python parser, '' from libyaml's
        if tag == _INT_TAG and _PLAIN_INT.match(node.value):
            return int(node.value)
        if tag == _FLOAT_TAG and _PLAIN_FLOAT.match(node.value):
            return float(node.value)
    return _construct(loader, node, path, name, problems)


def _construct(
    loader: Any, node: yaml.Node, path: FieldPath, name: str, problems: list[Problem]
) -> Any:
    """Construct a scalar with the safe constructor, or record why it cannot be (_FAILED)."""
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        message = exc.problem or "cannot read this value"
        if "constructor for the tag" in message:
            message = f"unsupported YAML tag '{node.tag}'"
    except yaml.MarkedYAMLError as exc:
        message = exc.problem or exc.context or "cannot read this value"
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        # e.g. a date such as 1945-08-32 matches the timestamp pattern but is no date.
        message = f"cannot read this value: {exc}"
    except (AttributeError, TypeError):
        # PyYAML's own constructors fail this way on a forced tag they cannot apply
        # (``!!timestamp x``).
        message = f"cannot read this value as '{node.tag}'"
    pos = _pos(name, node)
    problems.append(Problem(name, pos.line, pos.column, format_path(path), message))
    return _FAILED
