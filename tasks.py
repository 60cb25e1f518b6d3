#!/usr/bin/env python3
"""Set up the project's virtual environment if needed, then play the game or run the tests.

    python3 tasks.py play [main.py play options]   # set up, then start the game
    python3 tasks.py test [pytest options]         # set up, then run the whole test suite

Idempotent: the environment in ``.venv`` is created once and reinstalled only when
``pyproject.toml`` changes (a stamp file records the hash of what was installed).
Needs only Python 3.11+ and access to the package index.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"


def venv_python() -> Path:
    """Path of the environment's interpreter."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment() -> Path:
    """Create and install the environment unless it is already current."""
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under any python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the project and its dependencies ...", flush=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[dev]",
        ],
        check=True,
    )
    STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    """Dispatch ``play`` or ``test``."""
    if not argv or argv[0] not in ("play", "test"):
        print(__doc__)
        return 2
    python = ensure_environment()
    env = dict(os.environ)
    if argv[0] == "play":
        command = [str(python), str(ROOT / "main.py"), "play", *argv[1:]]
    else:
        env.setdefault("SDL_VIDEODRIVER", "dummy")
        env.setdefault("SDL_AUDIODRIVER", "dummy")
        command = [str(python), "-m", "pytest", *argv[1:]]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
