"""The engine is a headless library: it imports without pygame, the UI or a plotting toolkit."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import engine

REPO_ROOT = Path(__file__).resolve().parents[2]

# Modules the engine must have; listed so a missing one fails here instead of being skipped.
REQUIRED = [
    "engine",
    "engine.errors",
    "engine.paths",
    "engine.rng",
    "engine.hexgrid",
    "engine.world",
    "engine.state",
    "engine.zoc",
    "engine.orders",
    "engine.movement",
    "engine.supply",
    "engine.combat",
    "engine.airborne",
    "engine.turn",
    "engine.save",
    "engine.game",
    "engine.scenario.model",
    "engine.scenario.yamlsource",
    "engine.scenario.checks",
    "engine.scenario.loader",
    "engine.scenario.builder",
]

# Toolkits the engine may use only inside a function (matplotlib) or never (pygame, ui, tkinter).
FORBIDDEN = ["pygame", "ui", "matplotlib", "tkinter"]

# Runs in a fresh interpreter: blocks the toolkits (or not), imports every module of a package
# that pkgutil.walk_packages finds plus the required list, and prints what happened as JSON.
PROBE = """
import importlib, json, pkgutil, sys
if {block}:
    for name in {forbidden!r}:
        sys.modules[name] = None  # now "import pygame" raises ImportError
package = importlib.import_module({package!r})
names = sorted(
    {{{package!r}}}
    | {{m.name for m in pkgutil.walk_packages(package.__path__, {package!r} + ".")}}
    | set({required!r})
)
failed = {{}}
for name in names:
    try:
        importlib.import_module(name)
    except BaseException as exc:  # report every module, not just the first
        failed[name] = f"{{type(exc).__name__}}: {{exc}}"
loaded = sorted(
    m for m in sys.modules
    if sys.modules[m] is not None and m.split(".")[0] in {forbidden!r}
)
print(json.dumps({{"imported": names, "failed": failed, "loaded": loaded}}))
"""


def run_probe(
    block: bool, package: str = "engine", required: list[str] = REQUIRED, path: Path = REPO_ROOT
) -> dict:
    code = PROBE.format(block=block, forbidden=FORBIDDEN, package=package, required=required)
    env = {**os.environ, "PYTHONPATH": str(path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_required_module_exists() -> None:
    found = {m.name for m in pkgutil.walk_packages(engine.__path__, "engine.")} | {"engine"}
    missing = sorted(set(REQUIRED) - found)
    assert not missing, f"engine modules not written yet: {missing}"


def test_engine_imports_with_pygame_and_ui_blocked() -> None:
    report = run_probe(block=True)
    assert set(REQUIRED) <= set(report["imported"])
    assert not report["failed"], "\n".join(f"{k}: {v}" for k, v in report["failed"].items())


def test_engine_does_not_load_pygame_even_when_it_is_installed() -> None:
    # Catches a module that imports pygame inside try/except ImportError, which the blocked run
    # above cannot see.
    report = run_probe(block=False)
    assert not report["failed"], report["failed"]
    assert report["loaded"] == [], f"the engine loaded {report['loaded']}"


def test_the_probe_catches_a_module_that_imports_pygame(tmp_path: Path) -> None:
    # A probe that cannot fail would prove nothing: run it on a package that does import pygame.
    pkg = tmp_path / "leaky"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "draws.py").write_text("import pygame\n")
    (pkg / "quiet.py").write_text("try:\n    import pygame\nexcept ImportError:\n    pass\n")
    blocked = run_probe(block=True, package="leaky", required=[], path=tmp_path)
    assert "leaky.sub.draws" in blocked["imported"]
    assert list(blocked["failed"]) == ["leaky.sub.draws"]
    unblocked = run_probe(block=False, package="leaky", required=[], path=tmp_path)
    assert "pygame" in unblocked["loaded"]
