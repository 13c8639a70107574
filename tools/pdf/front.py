"""Front and back matter: the title, the authors, the arXiv stamp, and where the bibliography is.

arXiv stamps every PDF it serves with `arXiv:2203.00274v2 [cs.CL] 3 May 2022` in the left margin
(vertical text), which gives the id and version. The title is the document metadata's when that
looks like a title, else the largest text near the top of page one. Authors are best effort (the
arXiv record is the authority); the bibliography starts at its heading, or — for styles that print
none (APS) — at the last run of entries numbered 1, 2, 3, … in the document.
"""

from __future__ import annotations

import re

from tools.pdf.layout import Block, Line, PageText, Style, is_body, reading_order
from tools.pdf.sections import KNOWN, REFERENCE_TITLES, Heading, norm

STAMP = re.compile(r"arXiv:\s*(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)")
_NOT_NAME = re.compile(r"(?i)universit|institut|laborator|\blab\b|research|\binc\b|google|microsoft|"
                       r"department|school|college|cent(?:er|re)|academy|\bai\b|technolog|corporation|"
                       r"\busa\b|china|germany|\buk\b|@|http|abstract|seattle|beijing|equal contribution")
_NAME_SPLIT = re.compile(r"\s*(?:[,;∗*†‡§¶♠♣♦♥⋆♮#]|\d+|\band\b|\t)\s*")
_ENTRY_ONE = re.compile(r"^\s*(?:\[1\]|1\.?\s+[A-Z])")


def arxiv_stamp(page: PageText) -> tuple[str, str] | None:
    """(id, version) from the arXiv margin stamp on page one, when there is one."""
    for line in page.rotated + [line for block in page.blocks[:40] for line in block.lines]:
        match = STAMP.search(line.text)
        if match:
            return match.group("id"), match.group("v")
    return None


def find_title(page: PageText, metadata_title: str, body_size: float) -> str:
    """The paper's title: the metadata's if plausible, else the first large text on page one.

    "Large" is at least 15% over the body size; the first such block wins (not the largest:
    a logo or a figure's big label may be larger), joined with same-size blocks right under it.
    """
    meta = re.sub(r"\s+", " ", metadata_title).strip()
    if 10 <= len(meta) <= 300 and not re.search(r"(?i)untitled|microsoft word|\.dvi|\.tex|\.pdf", meta):
        return meta
    top = sorted((b for b in page.blocks if b.role != "furniture" and b.bbox[1] < page.height * 0.5
                  and sum(c.isalpha() for c in b.text) >= 6), key=lambda b: (b.bbox[1], b.bbox[0]))
    large = [b for b in top if b.size >= 1.15 * body_size and len(b.lines) <= 4]
    if not large:
        return ""  # no text set larger than the body: no printed title to trust
    parts = [large[0]]
    for block in top[top.index(large[0]) + 1:]:
        if abs(block.size - parts[0].size) < 0.6 and block.bbox[1] - parts[-1].bbox[3] < 1.5 * block.size:
            parts.append(block)
        else:
            break
    return re.sub(r"\s+", " ", " ".join(b.text for b in parts)).strip()[:300]


def authors_after_title(page: PageText, title: str, style: Style) -> list[str]:
    """Names printed between the title and the abstract (best effort)."""
    blocks = sorted((b for b in page.blocks if b.role != "furniture"), key=lambda b: (b.bbox[1], b.bbox[0]))
    start = next((i for i, b in enumerate(blocks) if title and norm(b.text) and norm(b.text) in norm(title)), None)
    if start is None:
        return []
    names: list[str] = []
    for block in blocks[start + 1:start + 12]:
        if norm(block.text) in norm(title):
            continue
        if is_body(block, style) or re.match(r"(?i)\s*abstract", block.text):
            break
        for line in block.lines[:2]:
            names.extend(n for n in (_clean(p) for p in _NAME_SPLIT.split(line.text)) if n)
    unique = list(dict.fromkeys(names))
    return unique[:40]


def _clean(piece: str) -> str:
    piece = piece.strip(" .")
    words = piece.split()
    if not 2 <= len(words) <= 5 or _NOT_NAME.search(piece):
        return ""
    particles = {"de", "van", "der", "von", "la", "da", "di", "le", "du", "del", "den"}
    if all(w[:1].isupper() or w in particles for w in words) and not piece.isupper():
        return piece
    return ""


def reference_lines(pages: list[PageText], headings: list[Heading], heading: Heading | None,
                    skip: set[int]) -> tuple[list[Line], set[int]]:
    """The bibliography's lines in reading order, and the ids of the blocks they came from."""
    flow = [b for page in pages for b in reading_order(page) if id(b) not in skip]
    heading_ids = {id(h.block): h for h in headings}
    start = None
    if heading is not None:
        start = next((i + 1 for i, b in enumerate(flow) if b is heading.block), None)
    if start is None:
        start = next((i + 1 for i, b in enumerate(flow) if _titled_references(b)), None)
    if start is None:
        start = _numbered_run(flow)
    if start is None:
        return [], set()
    taken: list[Block] = []
    for block in flow[start:]:
        if id(block) in heading_ids or _ends_references(block):
            break
        taken.append(block)
    return [line for b in taken for line in b.lines], {id(b) for b in taken}


def reference_heading_block(pages: list[PageText]) -> Block | None:
    """A "References" block that the heading pass did not recognise (no outline entry)."""
    for page in pages:
        for block in page.blocks:
            if block.role not in ("caption", "furniture", "inside") and _titled_references(block):
                return block
    return None


def _titled_references(block: Block) -> bool:
    return len(block.lines) <= 2 and norm(re.sub(r"^\s*[\dIVX]+\.?\s+", "", block.text)) in {
        norm(t) for t in REFERENCE_TITLES}


def _ends_references(block: Block) -> bool:
    text = block.text.strip().lower().rstrip(".:")
    return len(block.lines) <= 2 and (text in KNOWN - REFERENCE_TITLES or bool(
        re.match(r"^(?:appendix|appendices|supplementary)\b", text)))


def _numbered_run(flow: list[Block]) -> int | None:
    """Where the last run of blocks starting 1, 2, 3, … begins (a heading-less bibliography)."""
    candidates = [i for i, b in enumerate(flow) if _ENTRY_ONE.match(b.lines[0].text)]
    for i in reversed(candidates):
        following = " \n".join(line.text for b in flow[i:i + 12] for line in b.lines)
        dated = len(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", following))
        if re.search(r"(?m)^\s*(?:\[2\]|2\.?\s+[A-Z])", following) and dated >= 3 and \
                re.search(r"(?m)^\s*(?:\[3\]|3\.?\s+[A-Z])", following):
            return i
    return None
