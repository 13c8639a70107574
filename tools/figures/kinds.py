"""Decide a figure's kind from measured evidence, and say which evidence decided it.

Each kind collects points from what the region holds (axes with ticks, tick labels in a linear
row or column, bars, boxes and arrows, a grid of numbers, colourful raster pixels) and from words
in the caption. The kind with the most points wins; with no evidence at all the answer is `other`.
The reasons travel into the description, so a reader can check the call.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from tools.figures.axes import Scale, number, tick_scales
from tools.figures.base import FigureKind
from tools.figures.pixels import PixelFacts
from tools.figures.region import RegionFacts

CAPTION_CUES: dict[str, re.Pattern[str]] = {
    "plot": re.compile(
        r"\b(plots?|curves?|histograms?|scatter|bar (?:chart|plot)|versus|vs\.?|as a function of|"
        r"accuracy|loss|error|performance|distribution|probabilit\w*|coefficients?|average|"
        r"number of|during (?:the )?(?:\w+ )?(?:training|process)|over time|ablation|scaling|trend)\b",
        re.IGNORECASE),
    "diagram": re.compile(
        r"\b(overview|architecture|pipeline|framework|schematic|diagrams?|workflow|flow ?chart|"
        r"illustration|illustrates?|module|structure|system|design|depiction|graph of)\b",
        re.IGNORECASE),
    "table-image": re.compile(r"\b(tables?|matrix of numbers|spreadsheet)\b", re.IGNORECASE),
    "photo": re.compile(
        r"\b(photos?|photographs?|pictures?|sample (?:results|images)|input images?|frames?|"
        r"scenes?|qualitative|camera|faces?|portraits?)\b", re.IGNORECASE),
    "other": re.compile(r"\b(screenshots?|user interface|interface|UI|page|browser|extension)\b"),
}


class KindCall(BaseModel):
    """The decided kind and the evidence behind it."""

    kind: FigureKind
    scores: dict[str, float]
    reasons: list[str] = Field(default_factory=list)


def numeric_grid(facts: RegionFacts) -> tuple[int, int]:
    """(rows, columns) of a grid of numbers: rows holding 2+ numbers, columns holding 3+."""
    numeric = [w for w in facts.words if number(w.text) is not None and not w.vertical]
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for word in numeric:
        rows[round(word.cy / 3)] = rows.get(round(word.cy / 3), 0) + 1
        cols[round(word.cx / 8)] = cols.get(round(word.cx / 8), 0) + 1
    return sum(n >= 2 for n in rows.values()), sum(n >= 3 for n in cols.values())


def _axes_with_ticks(facts: RegionFacts) -> int:
    """Long lines carrying three or more evenly spaced tick marks (at most 2 counted)."""
    return min(len(facts.ticked_axes), 2)


def _vector_evidence(facts: RegionFacts, x: Scale | None, y: Scale | None, add) -> None:
    """Points from the region's paths and words."""
    if _axes_with_ticks(facts):
        add("plot", 2.0 + _axes_with_ticks(facts) / 2, f"{facts.ticks} tick marks on long axis lines")
    # One numeric row or column alone may be a table's; with a partner or an axis line it is an axis.
    framed = bool((x and y) or _axes_with_ticks(facts) or facts.long_horizontal or facts.long_vertical)
    if x is not None:
        add("plot", 2.0 if framed else 1.0, f"x tick labels {x.values[0]:g}…{x.values[-1]:g} in a linear row")
    if y is not None:
        add("plot", 2.0 if framed else 1.0, f"y tick labels in a linear column ({len(y.values)} ticks)")
    if facts.bars:
        add("plot", 2.5, f"{facts.bars} bars on a shared baseline")
    if facts.series and (x or y or _axes_with_ticks(facts)):
        add("plot", 1.0, f"{len(facts.series)} data line(s) between the axes")
    cells = facts.cells
    if cells >= 4:
        add("table-image", 2.0, f"{cells} adjoining cells")
    boxes = facts.boxes - facts.bars - cells
    if boxes >= 3:
        add("diagram", 1.5 + min(boxes, 20) / 10, f"{boxes} boxes")
    if facts.arrowheads >= 2:
        add("diagram", 1.5, f"{facts.arrowheads} arrowheads")
    labels = [w for w in facts.words if number(w.text) is None]
    if len(labels) >= 6 and not (x or y) and facts.raster_fraction < 0.5:
        add("diagram", 1.0, f"{len(labels)} label words")
    rows, cols = numeric_grid(facts)
    if rows >= 3 and cols >= 2 and not (x and y):
        add("table-image", 2.0 + min(rows * cols, 30) / 10, f"a {rows}×{cols} grid of numbers")


def _pixel_evidence(facts: RegionFacts, pixels: PixelFacts, add) -> None:
    """Points from the picture itself (what decides raster figures)."""
    if facts.raster_fraction >= 0.5 and pixels.white < 0.3 and pixels.smooth >= 0.3:
        add("photo", 4.0, f"raster image, {pixels.white:.0%} white, smooth colour gradients")
    elif facts.raster_fraction >= 0.5 and pixels.white < 0.5 and pixels.colours >= 400:
        add("photo", 2.0, f"raster image with {pixels.colours} colours")
    if facts.raster_fraction >= 0.5 and pixels.dark_rows and pixels.dark_cols and pixels.white >= 0.8:
        add("plot", 1.0, "long straight dark lines across and down the picture (a frame or axes)")


def _caption_evidence(text: str, add) -> None:
    """Points from the caption's words: its first sentence (the figure's title) counts most."""
    head, rest = _split_first(text)
    for kind, cue in CAPTION_CUES.items():
        found = cue.search(head)
        if found:
            add(kind, 1.5, f"the caption's first sentence says “{found.group(0)}”")
        elif (found := cue.search(rest)):
            add(kind, 0.5, f"the caption mentions “{found.group(0)}”")


def _split_first(text: str) -> tuple[str, str]:
    """(first sentence, the rest)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(\[])", text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def classify(facts: RegionFacts, pixels: PixelFacts, caption: str) -> KindCall:
    """The figure's kind, from its region, its pixels and its caption."""
    scores: dict[FigureKind, float] = {"plot": 0.0, "diagram": 0.0, "table-image": 0.0, "photo": 0.0, "other": 0.0}
    reasons: dict[FigureKind, list[str]] = {kind: [] for kind in scores}

    def add(kind: FigureKind, points: float, why: str) -> None:
        scores[kind] += points
        reasons[kind].append(why)

    x, y = tick_scales(facts.words)
    _vector_evidence(facts, x, y, add)
    _pixel_evidence(facts, pixels, add)
    text = re.sub(r"^\s*(?:Figure|Fig\.?|FIG\.?)\s*[A-Z]?\d+\s*[.:|]?", "", caption, flags=re.IGNORECASE)
    _caption_evidence(text, add)
    best = max(scores, key=lambda k: scores[k])  # ties go to the first kind listed
    if scores[best] < 1.0:
        return KindCall(kind="other", scores={**scores}, reasons=["no decisive evidence"])
    return KindCall(kind=best, scores={**scores}, reasons=reasons[best])
