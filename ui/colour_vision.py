"""Colour vision deficiency, simulated: how a colour or a screenshot looks to a protan or deutan.

The window's colour-blind palette must keep the two sides apart for players with red-green
colour blindness. This module simulates dichromacy with the matrices of Machado, Oliveira and
Fernandes (2009, "A physiologically-based model for simulation of color vision deficiency",
IEEE TVCG 15(6), severity 1.0), applied in linear sRGB, and measures colour differences as CIE
ΔE*ab (1976) in CIELAB under D65: about 2.3 is a just-noticeable difference, 10 a plain one,
20 and more two colours nobody mixes up at a glance. No pygame here: arrays of 8-bit RGB.

    .venv/bin/python -m ui.colour_vision shot.png deutan out.png   # a screenshot as seen
"""

from __future__ import annotations

import sys
from typing import Literal

import numpy as np

Deficiency = Literal["protan", "deutan", "tritan"]

#: Machado et al. (2009), Table 1, severity 1.0 (dichromacy), for linear RGB.
MATRICES: dict[str, np.ndarray] = {
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritan": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
#: sRGB (linear) to CIE XYZ, D65.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB (any shape ending in 3) to linear RGB in 0-1."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear RGB in 0-1 to 8-bit sRGB (clipped)."""
    c = np.clip(linear, 0.0, 1.0)
    s = np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)
    return np.round(s * 255.0).astype(np.uint8)


def simulate(rgb: np.ndarray, deficiency: Deficiency) -> np.ndarray:
    """``rgb`` (8-bit, shape ``(..., 3)``) as a dichromat of that kind sees it."""
    linear = to_linear(rgb)
    return to_srgb(linear @ MATRICES[deficiency].T)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB to CIELAB (D65)."""
    xyz = to_linear(rgb) @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    lab = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return lab


def delta_e(a: np.ndarray, b: np.ndarray) -> float | np.ndarray:
    """CIE ΔE*ab (1976) between 8-bit sRGB colours."""
    d = np.linalg.norm(to_lab(np.asarray(a)) - to_lab(np.asarray(b)), axis=-1)
    return float(d) if np.ndim(d) == 0 else d


def seen_difference(
    a: tuple[int, int, int], b: tuple[int, int, int], deficiency: Deficiency
) -> float:
    """ΔE between two colours as a dichromat of that kind sees them."""
    return float(delta_e(simulate(np.array(a), deficiency), simulate(np.array(b), deficiency)))


def _main(argv: list[str]) -> int:
    """Write a screenshot as a dichromat sees it (a developer's check)."""
    if len(argv) != 3 or argv[1] not in MATRICES:
        print("usage: python -m ui.colour_vision IN.png protan|deutan|tritan OUT.png")
        return 2
    import pygame

    from ui.png import save_png

    image = pygame.image.load(argv[0])
    pixels = pygame.surfarray.array3d(image)
    out = pygame.surfarray.make_surface(simulate(pixels, argv[1]))  # type: ignore[arg-type]
    save_png(out, argv[2])
    print(f"wrote {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
