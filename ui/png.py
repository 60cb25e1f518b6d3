"""Pictures to files: a surface written as PNG all at once or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pygame


def save_png(surface: pygame.Surface, path: str | Path) -> None:
    """Write a surface as PNG through a temporary file and a rename (all or nothing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    try:
        pygame.image.save(surface, str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
