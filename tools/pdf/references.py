"""Bibliographies: split the reference list into entries and read each entry's fields.

Entries are split by their markers when the list is numbered (`[12]`, `12.`, a superscript 12),
else by hanging indent (an entry's first line sits left of its continuation lines) or, failing
that, by the gaps between blocks. Fields are read with patterns that hold across the common styles
(ACL/natbib "Authors. Year. Title.", IEEE/CVPR "Authors. Title. Venue, Year.", APS
"Authors, Journal Vol, Page (Year).", quoted titles); what cannot be read stays empty, and the raw
string is always kept.
"""

from __future__ import annotations

import re
from collections import Counter

from tools.document import Reference
from tools.pdf.layout import Line, join_lines

MARKER = re.compile(r"^\s*(?:\[(?P<br>\d{1,3})\]|(?P<num>\d{1,3})\.?(?=\s+\S))\s*")
ARXIV = re.compile(r"(?:arXiv\s*[:.]?\s*|arxiv\.org/(?:abs|pdf)/|abs/)(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)?", re.I)
DOI = re.compile(r"\b(?:doi\s*:?\s*|doi\.org/)?(?P<doi>10\.\d{4,9}/[^\s,;\]]+)", re.I)
YEAR = re.compile(r"(?<![\d./:–-])(?P<y>(?:19|20)\d{2})[a-z]?(?![\d]|\.\d|\s*[–-]\s*\d)")
"""A year, not a page: "35(8):1915–1929, 2013" reads 2013."""
QUOTED = re.compile(r"[“\"](?P<t>[^”\"]{8,})[”\"]")
_ABBREV = re.compile(r"(?:\b[A-Z]|\bProc|\bConf|\bInt|\bVol|\bvol|\bpp|\bNo|\bJ|\bRev|\bPhys|"
                     r"\bLett|\bTrans|\bInf|\bComput|\bSci|\bAdv|\bEng|\bUniv|\bDept|\bSt|\bJr|\bMr|\bDr|"
                     r"\bvs|\be\.g|\bi\.e)$")
VENUE_WORDS = re.compile(r"^(?:In\b|Proceedings|Proc\.|Journal|Trans|IEEE|ACM|arXiv|CoRR|Advances|"
                         r"Phys\.|Nature|Science|URL|http|Technical report|PhD|Master)", re.I)


def split_entries(lines: list[Line]) -> list[str]:
    """Split the bibliography's lines into raw entry strings."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return []
    numbered = _numbered_starts(lines)
    if numbered:
        starts = numbered
    else:
        starts = _hanging_starts(lines)
    entries = []
    for first, last in zip(starts, starts[1:] + [len(lines)], strict=True):
        text = join_lines([line.text for line in lines[first:last]])
        if len(text) > 10:
            entries.append(text)
    return entries


def _numbered_starts(lines: list[Line]) -> list[int]:
    """Line indices where entries 1, 2, 3, … start, if most lines' markers count up."""
    starts, expected = [], 1
    for i, line in enumerate(lines):
        match = MARKER.match(line.text)
        if match and int(match.group("br") or match.group("num")) == expected:
            starts.append(i)
            expected += 1
    return starts if len(starts) >= 3 and starts[0] <= 1 else []


def _hanging_starts(lines: list[Line]) -> list[int]:
    """Entry starts by hanging indent (per column), else by vertical gaps."""
    lefts = _column_lefts(lines)
    indented = sum(1 for line in lines if line.bbox[0] > lefts[_col(line, lefts)] + 3)
    starts = []
    for i, line in enumerate(lines):
        left = lefts[_col(line, lefts)]
        prev = lines[i - 1] if i else None
        gap = line.bbox[1] - prev.bbox[3] if prev else 99.0
        if indented >= 0.2 * len(lines):
            if line.bbox[0] <= left + 3 and (prev is None or prev.bbox[0] > left + 3 or gap > 0.3 * line.height
                                               or gap < -line.height):
                starts.append(i)
        elif prev is None or gap > 0.35 * line.height or gap < -line.height:
            starts.append(i)
    return starts or [0]


def _column_lefts(lines: list[Line]) -> list[float]:
    """The left edges of the bibliography's columns (most common smallest x positions)."""
    xs = Counter(round(line.bbox[0]) for line in lines)
    lefts: list[float] = []
    for x, _ in sorted(xs.items()):
        if not lefts or x - lefts[-1] > 60:
            lefts.append(float(x))
        elif xs[round(x)] > xs[round(lefts[-1])] and x - lefts[-1] < 2:
            lefts[-1] = float(x)
    return lefts


def _col(line: Line, lefts: list[float]) -> int:
    return max(i for i, left in enumerate(lefts) if line.bbox[0] >= left - 3) if line.bbox[0] >= lefts[0] - 3 else 0


def parse_reference(raw: str) -> Reference:
    """Read title, authors, year, arXiv id and DOI from one entry (empty where unsure)."""
    text = MARKER.sub("", raw, count=1).strip()
    arxiv = ARXIV.search(text)
    doi = DOI.search(text)
    years = [m.group("y") for m in YEAR.finditer(text)]
    authors_part, title = _authors_and_title(text)
    return Reference(
        raw=raw, title=title, authors=_authors(authors_part), year=years[0] if years else "",
        arxiv_id=(arxiv.group("id") + (arxiv.group("v") or "")) if arxiv else "",
        doi=doi.group("doi").rstrip(".") if doi else "")


def _authors_and_title(text: str) -> tuple[str, str]:
    quoted = QUOTED.search(text)
    if quoted:
        return text[:quoted.start()].strip(" ,."), quoted.group("t").strip(" ,.")
    parts = _sentences(text)
    if len(parts) < 2:
        return "", ""
    authors, rest = parts[0], parts[1:]
    if re.fullmatch(r"\(?(?:19|20)\d{2}[a-z]?\)?\.?", rest[0].strip()):
        rest = rest[1:]  # ACL / ACM: "Authors. 2020. Title."
    authors = re.sub(r"\s*\(?(?:19|20)\d{2}[a-z]?\)?$", "", authors)
    if not rest:
        return authors, ""
    title = rest[0].strip().rstrip(".")
    if VENUE_WORDS.match(title) or len(title.split()) < 2:
        return authors, ""
    return authors, title


def _sentences(text: str) -> list[str]:
    """Split at ". " except after initials and common abbreviations."""
    parts, start = [], 0
    for match in re.finditer(r"[.?!]\s+(?=[A-Z0-9“\"(\[]|arXiv|abs/)", text):
        before = text[start:match.start()]
        if _ABBREV.search(before) or not before.strip():
            continue
        parts.append(text[start:match.start() + 1].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _authors(part: str) -> list[str]:
    """Names from an author list ("A. Smith, B. Jones, and C. Wu" or "Smith, A., Jones, B.")."""
    part = re.sub(r"\bet al\.?", "", part)
    pieces = [p.strip(" .,*") for p in re.split(r"\s*(?:,\s*and\s+|,|\band\s+|&|;)\s*", part)
              if p.strip(" .,*")]
    if len(pieces) >= 2 and all(_initials(p) for p in pieces[1::2]) and not any(_initials(p) for p in pieces[::2]):
        pieces = [f"{initials} {surname}" for surname, initials in zip(pieces[::2], pieces[1::2])]
    names = [p for p in pieces if _looks_like_name(p)]
    return names if len(names) >= max(1, len(pieces) // 2) else []


def _initials(text: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.?[\s-]*){1,3}", text.strip()))


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 6 and any(w[:1].isupper() for w in words) and not re.search(r"\d", text)
