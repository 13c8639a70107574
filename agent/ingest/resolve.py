"""Turn the lines of an `ingest --from-file` list into things to ingest.

A line is an arXiv id (`2501.12948`, `arXiv:2501.12948v1`), an arXiv URL, a PDF URL, a path to a
PDF, or a paper's title — usually pasted from a web page, with authors, venue and year run together.
A title is looked up with an arXiv title search and every candidate scored against the line; the
best is taken only when the score is high, a weak match is reported for the user to confirm (never
guessed), and a line with nothing close says so.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from tools.http import FetchError
from tools.inputs import pdfs_in
from tools.paper import ARXIV_ID_RE, Paper, looks_like_paper_key, parse_paper_key
from tools.search.arxiv import ArxivClient
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS

STRONG = 0.85
"""A title match at least this good is taken."""
WEAK = 0.6
"""Between WEAK and STRONG a match is reported but not taken."""
_ARXIV_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<rest>\S+?)(?:\.pdf)?/?$", re.I)
_BARE_ID = re.compile(rf"^(?:arxiv:\s*)?{ARXIV_ID_RE.pattern}$", re.I)
_URL = re.compile(r"^https?://", re.I)


class Resolution(BaseModel):
    """What one line of the list turned out to be."""

    item: str
    kind: Literal["arxiv", "pdf", "url", "title", "invalid"]
    arxiv_id: str = ""
    version: str = ""
    path: str = ""
    url: str = ""
    title: str = ""
    """The matched paper's title (title lines only)."""
    score: float | None = None
    """How well the matched title fits the line, 0–1 (title lines only)."""
    status: Literal["ok", "weak", "none", "error"] = "ok"
    note: str = ""
    paper: Paper | None = None
    """The arXiv record found by a title search."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def expand_items(lines: list[str], recursive: bool = False) -> list[str]:
    """The items to ingest, checked before any work starts (each problem is a `BadInput`).

    Blank lines and `#` comments go; a folder becomes the PDFs in it, and only with `recursive`
    (else it would be searched for as a title); a single word that starts like an arXiv id or a
    library key must be one (`2401.00001/../../x` is refused, not searched for).
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        path = Path(line).expanduser()
        if path.is_dir():
            out.extend(str(pdf) for pdf in pdfs_in(path, recursive))
            continue
        single_word = len(line.split()) == 1
        if single_word and not path.exists() and not _URL.match(line) and looks_like_paper_key(line):
            parse_paper_key(line, local=False)
        out.append(line)
    return out


def resolve_items(lines: list[str], arxiv_client: ArxivClient, embedder=None) -> list[Resolution]:
    """Resolve each non-empty, non-comment line (one arXiv title search per title line)."""
    out = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        out.append(classify(line) or resolve_title(line, arxiv_client, embedder))
    return out


def classify(line: str) -> Resolution | None:
    """An id, URL or path line resolved without the network; None for a title."""
    url = _ARXIV_URL.match(line)
    if url:
        match = ARXIV_ID_RE.fullmatch(url.group("rest"))
        if match:
            return Resolution(item=line, kind="arxiv", arxiv_id=match.group("id"),
                              version=match.group("version") or "")
    bare = _BARE_ID.match(line)
    if bare:
        return Resolution(item=line, kind="arxiv", arxiv_id=bare.group("id"), version=bare.group("version") or "")
    if _URL.match(line):
        return Resolution(item=line, kind="url", url=line)
    path = Path(line).expanduser()
    if line.lower().endswith(".pdf") or path.is_file():
        if path.is_file():
            return Resolution(item=line, kind="pdf", path=str(path))
        return Resolution(item=line, kind="invalid", status="error", note=f"no such file: {line}")
    return None


def title_guess(line: str) -> str:
    """The part of a messy line most likely to be the title (the longest non-author segment)."""
    text = re.sub(r"^\s*(?:\[\d+\]|\d+[.)]|[-*•])\s*", "", line)
    quoted = re.search(r"[“\"](?P<t>[^”\"]{10,})[”\"]", text)
    if quoted:
        return quoted.group("t").strip(" .,")
    segments = [s.strip(" .,;:") for s in re.split(r"(?<![A-Z])\.\s+|\s+[|–—]\s+|\s+-\s+", text)]
    segments = [s for s in segments if len(s.split()) >= 2 and not _authorish(s)]
    return max(segments, key=lambda s: len(s.split()), default=text).strip()


def _authorish(segment: str) -> bool:
    """An author list ("A. Smith, B. Jones and C. Wu") or a venue-and-year tail."""
    names = re.findall(r"\b[A-Z]\.\s*[A-Z][a-z]+|\b[A-Z][a-z]+,\s*[A-Z]\.", segment)
    if len(names) >= 2 or re.search(r"\bet al\b", segment):
        return True
    return bool(re.fullmatch(r"(?:In\s+)?[A-Za-z&\s]*\d{4}[a-z]?", segment))


def resolve_title(line: str, client: ArxivClient, embedder=None) -> Resolution:
    """Search arXiv for a title and score the candidates against the line."""
    guess = title_guess(line)
    words = [w for w in re.findall(r"[A-Za-z0-9]+", guess.lower()) if w not in FUNCTION_WORDS | DOCUMENT_WORDS and len(w) > 1]
    if not words:
        return Resolution(item=line, kind="invalid", status="error", note="nothing to search for")
    try:
        candidates = client.search(" AND ".join(f"ti:{w}" for w in words[:12]), max_results=10)
        if not candidates:
            candidates = client.search(" OR ".join(f"ti:{w}" for w in words[:12]), max_results=25)
    except FetchError as error:
        return Resolution(item=line, kind="title", status="error", note=f"title search failed: {error}")
    if not candidates:
        return Resolution(item=line, kind="title", status="none", note="no arXiv paper with such a title")
    scores = match_scores(line, guess, [c.title for c in candidates], embedder)
    best = int(np.argmax(scores))
    paper, score = candidates[best], round(float(scores[best]), 3)
    status = "ok" if score >= STRONG else "weak" if score >= WEAK else "none"
    note = {"ok": "", "weak": "weak match: check it and list the arXiv id to ingest it",
            "none": "no close match on arXiv"}[status]
    return Resolution(item=line, kind="title", arxiv_id=paper.arxiv_id, version=paper.version,
                      title=paper.title, score=score, status=status, note=note,
                      paper=paper if status == "ok" else None)


def match_scores(line: str, guess: str, titles: list[str], embedder=None) -> list[float]:
    """How well each candidate title fits a pasted line, 0–1.

    Half is how much of the candidate's title the line contains (robust to authors and venue run
    together with it), half how closely it matches the guessed title span; with an embedder, a
    fifth of the score is meaning (for reworded titles), all candidates embedded in one batch.
    """
    line_tokens = _tokens(line)
    lexical = []
    for title in titles:
        tokens = _tokens(title)
        contained = len(tokens & line_tokens) / len(tokens) if tokens else 0.0
        lexical.append(0.5 * contained + 0.5 * SequenceMatcher(None, _flat(guess), _flat(title)).ratio())
    if embedder is None or not titles:
        return lexical
    vectors = embedder.embed([guess, *titles])
    meaning = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
    return [0.8 * lex + 0.2 * float(m) for lex, m in zip(lexical, meaning, strict=True)]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _flat(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
