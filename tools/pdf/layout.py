"""Read a page's text layer into lines and blocks, with font sizes, columns and reading order.

PyMuPDF's own blocks are a good start but not what a reader sees: one visual line is often split
in two (`Figure 1:` and the caption text beside it), and a caption or a heading can share a block
with the text before it. So lines on one baseline are merged, and blocks are split where the font
size changes or a vertical gap opens. Everything else in the parser works on these blocks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

BBox = tuple[float, float, float, float]
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
                           "ﬆ": "st", "\u00ad": "", "\u00a0": " "})


@dataclass
class Line:
    """One visual line of text."""

    text: str
    bbox: BBox
    size: float
    """Font size of the line's dominant span."""
    bold: bool = False
    horizontal: bool = True

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


@dataclass
class Block:
    """Consecutive lines of one size with no gap between them: a paragraph, heading or caption."""

    lines: list[Line]
    page: int
    role: str = ""
    """Set by later passes: `furniture` (headers, page numbers), `caption`, `heading`, `inside`
    (within a figure or table region)."""

    # Cached: a block's lines are final once `read_page` has returned it.
    @cached_property
    def bbox(self) -> BBox:
        return union([line.bbox for line in self.lines])

    @cached_property
    def size(self) -> float:
        """The font size covering most of the block's characters."""
        weights: dict[float, int] = defaultdict(int)
        for line in self.lines:
            weights[round(line.size, 1)] += len(line.text)
        return max(weights, key=weights.__getitem__) if weights else 0.0

    @cached_property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])


@dataclass
class PageText:
    """A page's blocks in reading order, and its size."""

    number: int
    """1-based."""
    width: float
    height: float
    blocks: list[Block] = field(default_factory=list)
    rotated: list[Line] = field(default_factory=list)
    """Vertical text (the arXiv stamp in the margin), kept out of the flow."""


@dataclass
class Style:
    """Document-wide typography: what body text looks like."""

    body_size: float
    column_width: float
    """The width of a full line of body text (one column)."""
    two_columns: bool = False


def union(boxes: list[BBox]) -> BBox:
    """The smallest box around `boxes`."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def join_lines(lines: list[str]) -> str:
    """Join lines into running text, undoing end-of-line hyphenation (`exist-` + `ing`)."""
    out = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].isupper():
            out += line  # a compound broken at its hyphen: "Perspective-" + "Free"
        else:
            out = f"{out} {line}" if out else line
    return re.sub(r"\s+", " ", out)


def read_page(page, number: int, flags: int) -> PageText:
    """Lines and blocks of one PyMuPDF page (`flags`: the text extraction flags)."""
    raw = page.get_text("dict", flags=flags)
    result = PageText(number=number, width=float(raw["width"]), height=float(raw["height"]))
    for raw_block in raw["blocks"]:
        lines = [line for line in (_line(raw_line) for raw_line in raw_block.get("lines", ())) if line]
        result.rotated.extend(line for line in lines if not line.horizontal)
        lines = _merge_baselines([line for line in lines if line.horizontal])
        for chunk in _split(lines):
            if result.blocks and _continues(result.blocks[-1].lines, chunk):
                result.blocks[-1].lines.extend(chunk)
            else:
                result.blocks.append(Block(chunk, number))
    return result


def _continues(above: list[Line], below: list[Line]) -> bool:
    """Whether a block directly continues the previous one (PyMuPDF split a paragraph)."""
    last, first = above[-1], below[0]
    gap = first.bbox[1] - last.bbox[3]
    overlap = min(last.bbox[2], first.bbox[2]) - max(last.bbox[0], first.bbox[0])
    return (-1.0 <= gap <= 0.5 * max(last.height, 1.0) and abs(last.size - first.size) <= 0.3
            and overlap >= 0.5 * min(last.width, first.width) and last.bold == first.bold)


def _line(raw_line: dict) -> Line | None:
    spans = [s for s in raw_line["spans"] if s["text"].strip()]
    if not spans:
        return None
    text = "".join(s["text"] for s in raw_line["spans"]).translate(LIGATURES).strip()
    main = max(spans, key=lambda s: len(s["text"].strip()))
    dx, dy = raw_line["dir"]
    bold = bool(main["flags"] & 16) or "bold" in main["font"].lower()
    return Line(text=text, bbox=tuple(raw_line["bbox"]), size=float(main["size"]), bold=bold,
                horizontal=abs(dy) < 0.1 and dx > 0)


def _merge_baselines(lines: list[Line]) -> list[Line]:
    """Merge pieces of one visual line (same baseline, small horizontal gap), left to right."""
    merged: list[Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if prev and _same_row(prev, line) and 0 <= line.bbox[0] - prev.bbox[2] < 3 * max(line.size, 4):
            size = prev.size if len(prev.text) >= len(line.text) else line.size
            gap = "\t" if line.bbox[0] - prev.bbox[2] > 1.5 * max(line.size, 4) else " "
            merged[-1] = Line(f"{prev.text}{gap}{line.text}", union([prev.bbox, line.bbox]), size,
                              prev.bold and line.bold)
        else:
            merged.append(line)
    return merged


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.height, b.height)


def _split(lines: list[Line]) -> list[list[Line]]:
    """Cut a PyMuPDF block where the size changes, a gap opens, or the text jumps column."""
    chunks: list[list[Line]] = []
    for line in lines:
        prev = chunks[-1][-1] if chunks else None
        if prev is None or _breaks(prev, line):
            chunks.append([line])
        else:
            chunks[-1].append(line)
    return chunks


def _breaks(prev: Line, line: Line) -> bool:
    gap = line.bbox[1] - prev.bbox[3]
    if gap > 0.6 * max(prev.height, line.height, 1.0):
        return True
    if gap < -0.5 * line.height:  # moved up: another column or a side block
        return True
    small = min(len(prev.text), len(line.text)) < 4  # superscripts and lone symbols
    return not small and abs(prev.size - line.size) > 0.8


def document_style(pages: list[PageText]) -> Style:
    """Find the body font size and column width from every page's text."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for block in page.blocks:
            for line in block.lines:
                sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    widths = sorted(line.width for page in pages for block in page.blocks for line in block.lines
                    if abs(line.size - body) <= 0.6 and len(line.text) > 20)
    column = widths[int(len(widths) * 0.9)] if widths else 450.0
    page_width = pages[0].width if pages else 612.0
    return Style(body_size=body, column_width=column, two_columns=column < 0.55 * page_width)


def is_body(block: Block, style: Style) -> bool:
    """Whether a block is running body text (which bounds figure and table regions)."""
    if abs(block.size - style.body_size) > 0.6 or block.role in ("caption", "heading"):
        return False
    wide = [line for line in block.lines if line.width >= 0.7 * style.column_width]
    if len(block.lines) >= 2:
        return len(wide) >= max(1, len(block.lines) // 2)
    return bool(wide) and block.lines[0].width >= 0.85 * style.column_width


def reading_order(page: PageText) -> list[Block]:
    """Blocks as a reader goes: bands split by full-width blocks; left column, then right."""
    mid = page.width / 2
    ordered: list[Block] = []
    band: list[Block] = []
    for block in sorted(page.blocks, key=lambda b: (b.bbox[1], b.bbox[0])):
        x0, _, x1, _ = block.bbox
        if x0 < mid - 10 and x1 > mid + 10:
            ordered.extend(_columns(band, mid))
            ordered.append(block)
            band = []
        else:
            band.append(block)
    ordered.extend(_columns(band, mid))
    return ordered


def _columns(band: list[Block], mid: float) -> list[Block]:
    """Left column then right, first cutting the band where both columns are empty for a while."""
    cut = _common_gap(band, mid)
    if cut is not None:
        upper = [b for b in band if b.bbox[3] <= cut]
        return _columns(upper, mid) + _columns([b for b in band if b.bbox[3] > cut], mid)
    left = [b for b in band if (b.bbox[0] + b.bbox[2]) / 2 < mid]
    right = [b for b in band if (b.bbox[0] + b.bbox[2]) / 2 >= mid]
    return sorted(left, key=lambda b: b.bbox[1]) + sorted(right, key=lambda b: b.bbox[1])


def _common_gap(band: list[Block], mid: float, least: float = 24.0) -> float | None:
    """A y where both columns have an empty stretch of `least` points with text above and below.

    Such a stretch separates the page into bands read one after the other (an APS bibliography
    starting under both columns of text); ordinary column text never lines up gaps that tall.
    """
    sides = [[b.bbox for b in band if ((b.bbox[0] + b.bbox[2]) / 2 < mid) == left] for left in (True, False)]
    if not all(sides):
        return None
    for box in sorted(band, key=lambda b: b.bbox[3]):
        y = box.bbox[3]
        clear = all(not any(b[1] < y + least and b[3] > y for b in side) for side in sides)
        above = all(any(b[3] <= y for b in side) for side in sides)
        below = all(any(b[1] >= y + least for b in side) for side in sides)
        if clear and above and below:
            return y + least / 2
    return None


def mark_furniture(pages: list[PageText]) -> None:
    """Mark running headers, footers and page numbers (text repeated in the top or bottom margin)."""
    seen: Counter[str] = Counter()
    margins: list[tuple[Block, str]] = []
    for page in pages:
        for block in page.blocks:
            _, y0, _, y1 = block.bbox
            if y1 < 0.09 * page.height or y0 > 0.91 * page.height:
                key = re.sub(r"\d+", "#", block.text.lower())
                margins.append((block, key))
                seen[key] += 1
    for block, key in margins:
        if seen[key] >= 2 or re.fullmatch(r"[#\s\-–—|/ofpage.]*", key):
            block.role = "furniture"
