"""Where the front end's files live: one path to ``assets/``, from this file, never the cwd."""

from __future__ import annotations

from pathlib import Path

#: The repository's ``assets/`` folder (fonts, licences, any generated art).
ASSETS = Path(__file__).resolve().parent.parent / "assets"
#: Shipped fonts and their licence files.
FONTS = ASSETS / "fonts"
