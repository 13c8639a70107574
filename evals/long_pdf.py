"""A long, dense paper built with PyMuPDF: the input for memory and throughput benchmarks.

`long_paper(path, pages)` writes an arXiv-style two-column paper of any length: a margin stamp, an
abstract, a numbered section every few pages, full columns of varied prose, a vector plot every
ten pages and a numbered bibliography at the end. Its text is varied enough that chunks differ
(an embedder cannot shortcut repeated input), and it is deterministic for a given length.
Nothing here is copied from a real paper.
"""

from __future__ import annotations

import random
from pathlib import Path

from evals.sample_pdfs import LEFT, RIGHT, H, W, _caption, _heading, _plot

VOCABULARY = (
    "layout analysis detects regions such as paragraphs titles tables figures and captions on "
    "scanned and born digital pages table structure recognition recovers rows columns spanning "
    "cells and headers from an image or a PDF drawing a transformer encoder reads the page while "
    "a decoder emits the structure as tokens we measure tree edit distance on public benchmarks "
    "and compare against detection based pipelines that first find cells and then group them "
    "errors come from merged cells rotated pages dense financial statements and missing ruling "
    "lines which the model must infer from alignment and whitespace alone").split()


def prose(rng: random.Random, words: int) -> str:
    """`words` words of varied prose in sentences of 8 to 24 words."""
    out: list[str] = []
    while len(out) < words:
        sentence = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 24))]
        sentence[0] = sentence[0].capitalize()
        out.extend(sentence[:-1] + [sentence[-1] + "."])
    return " ".join(out[:words]).rstrip(".") + "."


def long_paper(path: Path, pages: int = 300, stamp: str = "arXiv:2409.00001v1  [cs.CV]  1 Sep 2024",
               seed: int = 7) -> Path:
    """Write a `pages`-page two-column paper to `path`; returns `path`."""
    import pymupdf

    rng = random.Random(seed)
    doc = pymupdf.open()
    section = 0
    for number in range(1, pages + 1):
        page = doc.new_page(width=W, height=H)
        top = 60.0
        if number == 1:
            top = _front(page, rng, stamp)
        if number == pages:
            _references(page, rng)
        else:
            if number % 4 == 1:
                section += 1
                top = _heading(page, LEFT[0], top, f"{section} Part {section} of the study")
            _columns(page, rng, top, with_plot=number % 10 == 5, number=number)
        page.insert_text((300, 770), str(number), fontsize=9)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def _front(page, rng: random.Random, stamp: str) -> float:
    """Title, authors, stamp and abstract; the y where the body starts."""
    page.insert_textbox((54, 56, 558, 90), "Reading Layouts and Tables at Length", fontsize=18,
                        fontname="hebo", align=1)
    page.insert_textbox((54, 92, 558, 112), "Grace Hopper, Edsger Dijkstra", fontsize=11, align=1)
    page.insert_text((30, 560), stamp, fontsize=14, rotate=90, color=(0.5, 0.5, 0.5))
    y = _heading(page, 280, 118, "Abstract")
    page.insert_textbox((90, y, 522, y + 90), prose(rng, 110), fontsize=9, fontname="tiro")
    return y + 100


def _columns(page, rng: random.Random, top: float, with_plot: bool, number: int) -> None:
    """Fill both columns with prose (the right one with a captioned plot on some pages)."""
    page.insert_textbox((LEFT[0], top, LEFT[1], 750), prose(rng, 430), fontsize=9.5, fontname="tiro")
    if with_plot:
        _plot(page, (RIGHT[0] + 10, top, RIGHT[1] - 10, top + 140))
        y = _caption(page, RIGHT, top + 154, f"Figure {number // 10 + 1}: Accuracy against page density.")
        page.insert_textbox((RIGHT[0], y + 4, RIGHT[1], 750), prose(rng, 220), fontsize=9.5, fontname="tiro")
    else:
        page.insert_textbox((RIGHT[0], top, RIGHT[1], 750), prose(rng, 430), fontsize=9.5, fontname="tiro")


def _references(page, rng: random.Random) -> None:
    """A numbered bibliography."""
    y = _heading(page, LEFT[0], 60, "References")
    for number in range(1, 25):
        column = LEFT if number <= 12 else RIGHT
        if number == 13:
            y = 60.0
        entry = f"[{number}] A. Author and B. Author. {prose(rng, 9)[:-1].title()}. In Proceedings, 20{10 + number % 14}."
        spare = page.insert_textbox((column[0], y, column[1], y + 48), entry, fontsize=8, fontname="tiro")
        y += 48 - max(spare, 0) + 4
