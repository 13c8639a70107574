"""The CPU figure reader: deterministic descriptions from what the PDF already holds.

No model and no guessing: the kind comes from the region's vector paths, words and pixels
(`kinds.classify`), a plot's axes, legend and trends are read off its tick labels and data paths
(`axes.read_plot`), and everything else is quoted from the caption and the words inside the figure.
It is the default reader wherever no vision-language model is configured, and the GPU reader's
fallback for a figure the model cannot take.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from tools.figures.axes import PlotReading, number, read_plot
from tools.figures.base import FigureDescription, FigureInput
from tools.figures.kinds import KindCall, classify
from tools.figures.pixels import PixelFacts, measure_pixels
from tools.figures.region import RegionFacts, Word, measure_region

log = logging.getLogger(__name__)

KIND_NAMES = {"plot": "a plot", "diagram": "a diagram", "table-image": "a table rendered as a figure",
              "photo": "a photograph or image", "other": "a figure"}
MAX_LABELS = 12


def caption_text(figure: FigureInput) -> str:
    """The caption without its `Figure 3:` label."""
    return re.sub(r"^\s*(?:Figure|Fig\.?|FIG\.?)\s*[A-Z]?\d+\s*[.:|]?\s*", "", figure.caption,
                  flags=re.IGNORECASE).strip()


def first_sentence(text: str, limit: int = 200) -> str:
    """The caption's first sentence, cut at `limit` characters."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z(\[])", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


class CPUReader:
    """Describe figures from their PDF region, rendered pixels and caption; no model needed."""

    name = "cpu"

    def describe(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """One description per input, in order; a figure that cannot be measured still gets one."""
        return [self.describe_one(figure) for figure in figures]

    def describe_one(self, figure: FigureInput) -> FigureDescription:
        """Measure, classify and write up one figure."""
        facts, note = _region_facts(figure)
        pixels = measure_pixels(figure.image_path) if figure.image_path else PixelFacts()
        call = classify(facts, pixels, figure.caption)
        reading = read_plot(facts) if call.kind == "plot" else PlotReading()
        return _write(figure, facts, call, reading, note)


def _region_facts(figure: FigureInput) -> tuple[RegionFacts, str]:
    """The region's measurements, or the words we were given when the PDF cannot be opened."""
    from pymupdf import mupdf

    if figure.pdf_path and figure.bbox and figure.page > 0 and Path(figure.pdf_path).is_file():
        try:
            return measure_region(figure.pdf_path, figure.page, figure.bbox), ""
        except (RuntimeError, ValueError, IndexError, mupdf.FzErrorBase) as error:
            # a broken or encrypted PDF, or a page it does not have
            log.warning("figure %s: could not measure its region: %s", figure.number, error)
            note = f"its PDF region could not be read ({error})"
    else:
        note = "" if not figure.pdf_path else "its PDF region was not available"
    words = [Word(text=t, bbox=(0, 0, 0, 0)) for t in figure.text_inside.split()]
    return RegionFacts(words=words, raster_fraction=1.0, measured=False), note


def _labels(facts: RegionFacts, reading: PlotReading) -> list[str]:
    """Distinct non-numeric words inside the figure, in reading order, minus axis titles."""
    used = set(" ".join(s.title for s in (reading.x, reading.y) if s).split())
    used |= set(" ".join(reading.legend).split())
    seen: list[str] = []
    for word in sorted(facts.words, key=lambda w: (round(w.cy / 4), w.cx)):
        text = word.text.strip("()[],;:")
        if len(text) > 1 and number(text) is None and text not in used and text not in seen:
            seen.append(text)
    return seen[:MAX_LABELS]


def _medium(facts: RegionFacts) -> str:
    """How the figure is drawn: vector, raster, or both."""
    if not facts.measured:
        return "an image (its PDF region was not measured)"
    if facts.raster_fraction >= 0.5:
        return "a raster image" if facts.paths < 5 else "a raster image with vector overlays"
    if facts.paths:
        return f"vector graphics ({facts.paths} paths)"
    return "an image"


def _plot_sentences(reading: PlotReading, facts: RegionFacts) -> list[str]:
    """What the axes, legend and series say."""
    out = []
    for scale in (reading.x, reading.y):
        if scale is not None:
            title = f"“{scale.title}”" if scale.title else "no readable title"
            out.append(f"The {scale.axis} axis has {title}, ticks {scale.values[0]:g} to {scale.values[-1]:g}.")
    if reading.legend:
        out.append("Legend: " + "; ".join(reading.legend) + ".")
    if facts.bars:
        out.append(f"It has {facts.bars} bars on a shared baseline.")
    out += [t[0].upper() + t[1:] + "." for t in reading.trends[:4]]
    return out


def _write(figure: FigureInput, facts: RegionFacts, call: KindCall, reading: PlotReading,
           note: str) -> FigureDescription:
    """Compose the description from the measurements (every clause traceable to the page)."""
    caption = caption_text(figure)
    kind_name = KIND_NAMES[call.kind]
    summary = f"{kind_name[0].upper()}{kind_name[1:]}: {first_sentence(caption)}" if caption else \
        f"{kind_name[0].upper()}{kind_name[1:]} without a caption."
    sentences = [f"Figure {figure.number} is {kind_name}, drawn as {_medium(facts)}; "
                 f"judged from {', '.join(call.reasons)}."]
    if call.kind == "plot":
        sentences += _plot_sentences(reading, facts)
    labels = _labels(facts, reading)
    if labels:
        sentences.append("Words inside it: " + ", ".join(labels) + ".")
    if caption:
        sentences.append(f"The caption reads: {caption}")
    if note:
        sentences.append(f"(Measured from the picture only: {note}.)")
    axes = [s.label() for s in (reading.x, reading.y) if s is not None]
    return FigureDescription(number=figure.number, kind=call.kind, summary=summary, axes=axes,
                             legend=reading.legend, trends=reading.trends,
                             description=" ".join(sentences), reader="cpu")
