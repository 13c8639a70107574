"""What on a PDF's pages is not the paper's prose, read straight from PyMuPDF for the taxonomy eval.

An inventory independent of the parser (`tools/pdf/`) and of the writers' sentence filter, so the
eval can catch either of them leaking: running headers and footers (lines in the top or bottom
margin, and lines repeated on several pages), page numbers, the arXiv margin stamp (rotated text),
captions (a block whose first line starts `Figure 3:` / `Table 2.`), table cells
(`page.find_tables()` on pages with a table caption), the reference list (after its heading) and
the affiliations above the abstract. A review statement is dirty when it shares a run of
`SHINGLE` words with that furniture which the page's prose does not also contain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SHINGLE = 6
"""Words in a run shared with furniture that make a statement dirty."""
MARGIN = 0.07
"""Share of the page height at the top and bottom that holds running heads and footers."""
_CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Tab\.)\s*\d+\s*[:.|]", re.IGNORECASE)
_REFERENCES = re.compile(r"^\s*(?:\d+\s*|[A-Z]\.?\s*)?(?:References|Bibliography|REFERENCES|"
                         r"BIBLIOGRAPHY)\s*$")
_AFFILIATION = re.compile(r"(?i)universit|institut|laborator|@|department|school of|college|"
                          r"academy|corporation|\binc\b|research (?:center|centre|lab)")
_ENTRY = re.compile(r"\b(?:19|20)\d\d\b|\bet al\b|arXiv|\bpp\.|\bProc\.|Proceedings")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words and numbers (the unit shingles are made of)."""
    return _WORD.findall(text.lower().replace("ﬁ", "fi").replace("ﬂ", "fl"))


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Every run of `size` consecutive words."""
    tokens = words(text)
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@dataclass
class Inventory:
    """A PDF's text split into prose and furniture (by kind)."""

    name: str
    prose: set[tuple[str, ...]] = field(default_factory=set)
    furniture: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)

    def add(self, kind: str, text: str) -> None:
        self.furniture.setdefault(kind, set()).update(shingles(text))

    def kind_of(self, statement: str) -> str:
        """The furniture kind a statement borrows from (`` when it is clean)."""
        runs = shingles(statement)
        for kind, found in self.furniture.items():
            if (runs & found) - self.prose:
                return kind
        return ""


def inventory(path: Path, password: str | None = None) -> Inventory:
    """Read a PDF's lines and sort them into prose and furniture."""
    import pymupdf

    doc = pymupdf.open(str(path))
    if doc.needs_pass and not doc.authenticate(password or ""):
        raise ValueError(f"{path.name} needs a password")
    pages = [_lines(page) for page in doc]
    repeated = Counter(_skeleton(text) for page in pages for text, _, _ in set(page) if len(text) > 6)
    found = Inventory(path.name)
    in_references = False
    for number, (page, lines) in enumerate(zip(doc, pages, strict=True)):
        first = {}
        for text, block, _ in lines:
            first.setdefault(block, text)
        caption_blocks = {block for block, text in first.items() if _CAPTION.match(text)}
        tables = _table_boxes(page, lines)
        runs: list[tuple[str, list[str]]] = []  # consecutive lines of one kind, joined
        for text, block, (y0, y1, rotated, x) in lines:
            if _REFERENCES.match(text):
                in_references = True
            inside = any(b[0] <= x <= b[2] and b[1] <= (y0 + y1) / 2 <= b[3] for b in tables)
            kind = "table" if inside else _kind(text, block, y0, y1, rotated, page.rect.height, caption_blocks,
                         in_references, repeated[_skeleton(text)] >= 3 and len(pages) >= 3,
                         number, lines)
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(text)
            else:
                runs.append((kind, [text]))
        for kind, texts in runs:
            if kind:
                found.add(kind, _join(texts))
            else:
                found.prose |= shingles(_join(texts))
    doc.close()
    return found


def _join(lines: list[str]) -> str:
    """Lines as one text, words broken by a hyphen at a line end joined again."""
    return re.sub(r"(?<=[a-z])- (?=[a-z])", "", " ".join(lines))


def _kind(text: str, block: int, y0: float, y1: float, rotated: bool, height: float,
          captions: set[int], in_references: bool, repeated: bool, page: int,
          lines: list) -> str:
    if rotated:
        return "stamp"
    if y1 < MARGIN * height or y0 > (1 - MARGIN) * height or repeated:
        return "header/footer"
    if block in captions:
        return "caption"
    if in_references and _ENTRY.search(" ".join(t for t, b, _ in lines if b == block)):
        return "reference"
    if page == 0 and _AFFILIATION.search(text) and _before_abstract(y0, lines):
        return "affiliation"
    return ""


def _before_abstract(y: float, lines: list) -> bool:
    starts = [geo[0] for text, _, geo in lines if re.match(r"(?i)\s*abstract\b", text)]
    return bool(starts) and y < min(starts)


def _lines(page) -> list[tuple[str, int, tuple[float, float, bool, float]]]:
    """(text, block number, (y0, y1, rotated, x centre)) for every text line of a page."""
    out = []
    for number, block in enumerate(page.get_text("dict")["blocks"]):
        for line in block.get("lines", []):
            text = " ".join(span["text"] for span in line["spans"]).strip()
            if text:
                rotated = abs(line["dir"][0]) < 0.5
                box = line["bbox"]
                out.append((text, number, (box[1], box[3], rotated, (box[0] + box[2]) / 2)))
    return out


def _skeleton(text: str) -> str:
    """A line with its numbers removed: page headers differ only by page number."""
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def _table_boxes(page, lines: list) -> list[tuple[float, float, float, float]]:
    """The boxes of the tables PyMuPDF finds on a page that captions a table."""
    if not any(re.match(r"(?i)\s*tab(?:le|\.)\s*\d", text) for text, _, _ in lines):
        return []
    return [tuple(table.bbox) for table in page.find_tables().tables]
