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
