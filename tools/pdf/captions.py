"""Find figure and table captions: the anchors of every figure and table region.

A caption starts a block with a label and a number followed by a delimiter (`Figure 3:`,
`Fig. 2.`, `FIG. 1.`, `Table 4 |`, `TABLE II`). Sentences that merely mention a figure
("Figure 6 shows…", "Table 1, 2, and 3…") are not captions: they continue with a lower-case word or
a comma. When one number has several candidates, the one that looks most like the document's other
captions wins; tiny labels inside screenshots lose on font size.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tools.pdf.layout import BBox, Block, PageText, Style, join_lines

_LABEL = r"(?P<label>Figure|FIGURE|Fig\.?|FIG\.?|Table|TABLE|Tab\.)"
_NUMBER = r"(?P<number>(?:[A-Z]\.?)?\d+(?:\.\d+)?|[IVXL]+(?![a-z]))"
CAPTION_RE = re.compile(rf"^{_LABEL}\s*{_NUMBER}(?P<rest>.*)$")
_DELIMITED = re.compile(r"^\s*(?:[:.|—–]|-\s)")
_UPPER_NEXT = re.compile(r"^\s+[A-Z\"“(]")


@dataclass
class Caption:
    """A figure or table caption."""

    kind: str
    """`figure` or `table`."""
    number: str
    text: str
    page: int
    bbox: BBox
    size: float
    block: Block
    score: float = 0.0


def caption_start(block: Block) -> tuple[str, str, float] | None:
    """(kind, number, score) when the block opens with a caption label, else None."""
    first = block.lines[0]
    match = CAPTION_RE.match(first.text.strip())
    if not match:
        return None
    label, number, rest = match.group("label"), match.group("number"), match.group("rest")
    kind = "table" if label.lower().startswith("tab") else "figure"
    if number[0] in "IVXL" and label not in ("TABLE", "FIG.", "FIG", "FIGURE"):
        return None  # roman numerals only in the all-caps (IEEE) style
    if _DELIMITED.match(rest) or not rest.strip():
        score = 2.0
    elif _UPPER_NEXT.match(rest) and (first.bold or len(block.lines) > 1):
        score = 1.0
    else:
        return None
    return kind, number.rstrip("."), score + (0.5 if first.bold else 0.0)


def find_captions(pages: list[PageText], style: Style) -> list[Caption]:
    """Every figure and table caption, one per (kind, number), in page order."""
    candidates: list[Caption] = []
    for page in pages:
        for block in page.blocks:
            if block.role == "furniture":
                continue
            start = caption_start(block)
            if start is None or block.size < 0.7 * style.body_size:
                continue
            kind, number, score = start
            candidates.append(Caption(kind, number, _caption_text(block), page.number, block.bbox,
                                      block.size, block, score))
    typical = Counter(round(c.size) for c in candidates if c.score >= 2).most_common(1)
    usual = typical[0][0] if typical else style.body_size
    best: dict[tuple[str, str], Caption] = {}
    for caption in candidates:
        caption.score -= abs(caption.size - usual) / 2
        key = (caption.kind, caption.number)
        if key not in best or caption.score > best[key].score:
            best[key] = caption
    chosen = sorted(best.values(), key=lambda c: (c.page, c.bbox[1], c.bbox[0]))
    for caption in chosen:
        caption.block.role = "caption"
    return chosen


def _caption_text(block: Block) -> str:
    return join_lines([line.text for line in block.lines])
