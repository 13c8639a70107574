"""Colour and line statistics of a rendered figure PNG.

Raster figures hold no vector paths or words, so the CPU reader looks at their pixels: photographs
are colourful with little white; charts and diagrams are mostly white with a few flat colours;
charts have long straight dark lines (axes, frames) meeting at a corner. pymupdf reads the PNG
(no Pillow needed) and numpy does the counting.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

MAX_SIDE = 400
"""Statistics are taken on a copy no larger than this, so a 5000-pixel render costs the same."""


class PixelFacts(BaseModel):
    """What the picture looks like."""

    width: int = 0
    height: int = 0
    white: float = 0.0
    """Share of near-white pixels (background)."""
    colours: int = 0
    """Distinct colours among non-white pixels, at 4 bits per channel."""
    saturation: float = 0.0
    """Mean saturation of non-white pixels (0 grey … 1 vivid)."""
    smooth: float = 0.0
    """Share of non-white pixels that differ only slightly from their right neighbour (gradients, photos)."""
    dark_rows: int = 0
    """Rows with a dark straight run across at least half the width (axes, frames, rules)."""
    dark_cols: int = 0
    """Columns with a dark straight run down at least half the height."""


def measure_pixels(image_path: str) -> PixelFacts:
    """Measure the PNG at `image_path`; an unreadable file gives empty facts."""
    import pymupdf
    from pymupdf import mupdf

    try:
        pix = pymupdf.Pixmap(image_path)
    except (RuntimeError, ValueError, OSError, mupdf.FzErrorBase):  # missing or not an image
        return PixelFacts()
    if pix.alpha or pix.n != 3:
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix, 0)
    shrink = max(1, max(pix.width, pix.height) // MAX_SIDE)
    if shrink > 1:
        pix.shrink(int(shrink).bit_length() - 1)
    rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[..., :3]
    return _stats(rgb.astype(np.int16))


def _stats(rgb) -> PixelFacts:
    """Compute the statistics of an (h, w, 3) int array."""
    height, width = rgb.shape[:2]
    white = (rgb.min(axis=2) > 235)
    ink = ~white
    facts = PixelFacts(width=width, height=height, white=float(white.mean()))
    if not ink.any():
        return facts
    quantised = (rgb[ink] >> 4)
    facts.colours = int(np.unique(quantised[:, 0] * 256 + quantised[:, 1] * 16 + quantised[:, 2]).size)
    high, low = rgb.max(axis=2), rgb.min(axis=2)
    facts.saturation = float(((high - low) / np.maximum(high, 1))[ink].mean())
    step = np.abs(np.diff(rgb, axis=1)).sum(axis=2)
    gentle = (step > 0) & (step <= 30) & ink[:, 1:]
    facts.smooth = float(gentle.sum() / max(ink[:, 1:].sum(), 1))
    dark = rgb.max(axis=2) < 140
    facts.dark_rows = _long_runs(dark, width)
    facts.dark_cols = _long_runs(dark.T, height)
    return facts


def _long_runs(dark, length: int) -> int:
    """Rows of a boolean grid holding a contiguous True run of at least half `length`."""
    need = max(length // 2, 8)
    count = 0
    for row in dark:
        if row.sum() < need:
            continue
        edges = np.diff(np.concatenate(([0], row.astype(np.int8), [0])))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        count += bool(((ends - starts) >= need).any())
    return count
