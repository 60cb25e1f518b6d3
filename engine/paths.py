"""Where the repository's data folders are: found from this file, never from the working folder."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = REPO_ROOT / "scenarios"
ASSETS_DIR = REPO_ROOT / "assets"
DOCS_DIR = REPO_ROOT / "docs"


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a scenario given as a path or as the name of a folder in ``scenarios/``.

    A folder resolves to its ``scenario.yaml``.
    """
    candidate = Path(name_or_path)
    if not candidate.exists():
        named = SCENARIOS_DIR / str(name_or_path)
        if named.exists():
            candidate = named
    if candidate.is_dir():
        candidate = candidate / "scenario.yaml"
    return candidate


def portable_ref(name_or_path: str | Path) -> str:
    """A scenario or mod reference that finds the same file from any working folder.

    A scenario's name stays a name; a file under ``scenarios/`` becomes its path from there
    (``august_storm/mods/dry_august.yaml``), which :func:`scenario_path` finds wherever the
    program runs; any other file becomes an absolute path. Saves keep references this way.
    """
    candidate = Path(name_or_path)
    if not candidate.exists():
        return str(name_or_path)
    full = candidate.resolve()
    try:
        inside = full.relative_to(SCENARIOS_DIR.resolve())
    except ValueError:
        return str(full)
    if inside.name == "scenario.yaml" and len(inside.parts) == 2:
        return inside.parts[0]
    return inside.as_posix()
