"""Tables: read the region under (or over) a "Table N" caption as Markdown.

A table ruled with vertical and horizontal lines is read by PyMuPDF's `find_tables` (line
strategy, layout analyser off, clipped to the region — never whole pages, which is slow and finds
"tables" in body text). Most arXiv tables are booktabs tables with horizontal rules only; for those
the words in the region are laid on a grid: rows by baseline, columns by the gaps that the table's
fullest rows share (so a header spanning two columns does not merge them). When neither reads a
grid, the table keeps its region and caption with empty Markdown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from statistics import median

from tools.pdf.graphics import Graphic
from tools.pdf.layout import BBox

log = logging.getLogger(__name__)
MIN_CELLS = 4


def read_table(page, region: BBox, graphics: list[Graphic]) -> tuple[BBox, str]:
    """The table's box and Markdown inside `region` (the region and "" when none is read)."""
    verticals = [g for g in graphics if g.kind == "rule" and _within(g.bbox, region)
                 and g.bbox[3] - g.bbox[1] > g.bbox[2] - g.bbox[0]]
    if len(verticals) >= 2:
        found = _ruled(page, region)
        if found:
            return found
    words = page.get_text("words", clip=region)
    markdown = to_markdown(word_grid(words))
    return region, markdown


def _ruled(page, region: BBox) -> tuple[BBox, str] | None:
    clip = (region[0] - 3, region[1] - 3, region[2] + 3, region[3] + 3)
    try:
        found = page.find_tables(clip=clip, strategy="lines", use_layout=False)
    except (ValueError, RuntimeError, IndexError) as error:  # malformed geometry in the finder
        log.debug("find_tables failed on page %s: %s", page.number + 1, error)
        return None
    tables = [t for t in found.tables if t.row_count * t.col_count >= MIN_CELLS and t.col_count >= 2]
    if not tables:
        return None
    best = max(tables, key=lambda t: _area(_intersect(tuple(t.bbox), region)))
    markdown = to_markdown(best.extract())
    return (tuple(best.bbox), markdown) if markdown else None


def word_grid(words: list[tuple]) -> list[list[str]]:
    """Lay words (PyMuPDF `get_text("words")` tuples) on a grid of rows and columns."""
    rows = _rows(words)
    if len(rows) < 2:
        return []
    phrases = [_phrases(row) for row in rows]
    counts = sorted(len(p) for p in phrases)
    fullest = [p for p in phrases if len(p) >= counts[len(counts) // 2]]
    columns = _columns([cell for row in fullest for cell in row])
    if len(columns) < 2:
        return []
    grid = []
    for row in phrases:
        cells = [""] * len(columns)
        for x0, x1, text in row:
            centre = (x0 + x1) / 2
            j = min(range(len(columns)), key=lambda k: _distance(centre, columns[k]))
            cells[j] = f"{cells[j]} {text}".strip()
        grid.append(cells)
    return grid


def _rows(words: list[tuple]) -> list[list[tuple]]:
    rows: list[list[tuple]] = []
    for word in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        middle = (word[1] + word[3]) / 2
        if rows and abs(middle - median((w[1] + w[3]) / 2 for w in rows[-1])) < 0.4 * (word[3] - word[1]):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w[0]) for row in rows]


def _phrases(row: list[tuple]) -> list[tuple[float, float, str]]:
    """Words joined into cell phrases where the gap is about a space wide."""
    out: list[list] = []
    for x0, y0, x1, y1, text, *_ in row:
        if out and x0 - out[-1][1] < 0.55 * (y1 - y0):
            out[-1][1] = x1
            out[-1][2] += " " + text
        else:
            out.append([x0, x1, text])
    return [(a, b, t) for a, b, t in out]


def _columns(cells: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    """Column extents: the union of the cells' x-intervals, split at the gaps."""
    spans: list[list[float]] = []
    for x0, x1, _ in sorted(cells):
        if spans and x0 <= spans[-1][1] + 1.0:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    return [(a, b) for a, b in spans]


def _distance(x: float, span: tuple[float, float]) -> float:
    return 0.0 if span[0] <= x <= span[1] else min(abs(x - span[0]), abs(x - span[1]))


def to_markdown(rows: Sequence[Sequence[str | None]]) -> str:
    """Cells as a GitHub Markdown table (first row as the header), blank columns dropped."""
    cleaned = [[_cell(c) for c in row] for row in rows if any(_cell(c) for c in row)]
    if len(cleaned) < 2:
        return ""
    width = max(len(r) for r in cleaned)
    cleaned = [r + [""] * (width - len(r)) for r in cleaned]
    keep = [j for j in range(width) if any(r[j] for r in cleaned)]
    if len(keep) < 2 or len(keep) * len(cleaned) < MIN_CELLS:
        return ""
    cleaned = [[r[j] for j in keep] for r in cleaned]
    lines = ["| " + " | ".join(cleaned[0]) + " |", "|" + "---|" * len(keep)]
    lines.extend("| " + " | ".join(r) + " |" for r in cleaned[1:])
    return "\n".join(lines)


def _cell(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").replace("|", "\\|").strip()


def _within(box: BBox, region: BBox) -> bool:
    return box[0] >= region[0] - 2 and box[2] <= region[2] + 2 and box[1] >= region[1] - 2 and box[3] <= region[3] + 2


def _intersect(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])
