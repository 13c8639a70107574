"""Split a parsed paper into section-aware, overlapping chunks for retrieval."""

from __future__ import annotations

import re

from pydantic import BaseModel

from tools.document import ParsedPaper
from tools.paper import Paper

TITLE_ONLY = "Title and metadata"
"""The section of the one chunk of a paper known by its title and metadata alone (no PDF, no
abstract): it can still be found, grouped and cited, and says what it is."""


def title_and_metadata(paper: Paper) -> str:
    """"Title. By A, B and C (2021). cs.CV. Comment." — what a paper with no text says of itself."""
    authors = paper.authors[:3] + (["others"] if len(paper.authors) > 3 else [])
    by = (", ".join(authors[:-1]) + " and " + authors[-1]) if len(authors) > 1 else "".join(authors)
    year = f" ({paper.published[:4]})" if paper.published else ""
    parts = [paper.title.strip().rstrip(".") + ".", f"By {by}{year}." if by else year.strip(),
             " ".join(paper.categories) + "." if paper.categories else "",
             paper.comment.strip(), paper.journal_ref.strip()]
    return " ".join(p for p in parts if p)


class Chunk(BaseModel):
    """One piece of a paper's text with where it came from."""

    section: str
    page: int
    number: int
    text: str


def chunk_paper(paper: Paper, parsed: ParsedPaper | None, size: int = 1200, overlap: int = 200) -> list[Chunk]:
    """Chunks of the abstract and every section; never crossing a section boundary.

    Paragraphs are packed up to `size` characters; a paragraph longer than that is split at
    sentence ends, and consecutive chunks of one section share about `overlap` characters.
    """
    pieces: list[tuple[str, int, str]] = []
    abstract = (parsed.abstract if parsed and parsed.abstract else paper.abstract).strip()
    if abstract:
        pieces.extend(("Abstract", page, text) for page, text in _pack([(1, abstract)], size, overlap))
    elif parsed is None and paper.title.strip():
        pieces.append((TITLE_ONLY, 1, title_and_metadata(paper)))
    if parsed:
        for path, section in parsed.section_paths():
            paragraphs = [(p.page, p.text) for p in section.paragraphs if p.text.strip()]
            pieces.extend((path, page, text) for page, text in _pack(paragraphs, size, overlap))
    return [Chunk(section=s, page=p, number=i, text=t) for i, (s, p, t) in enumerate(pieces)]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])", text.strip()) if s]


def _pack(paragraphs: list[tuple[int, str]], size: int, overlap: int) -> list[tuple[int, str]]:
    """Pack (page, paragraph) sentences into (page, chunk) of about `size` characters.

    A chunk never spans a page break, so its page is exact for a citation; about `overlap`
    characters of a chunk's last sentences open the next one (from the previous page, if need be).
    """
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    fresh = 0
    start_page = paragraphs[0][0] if paragraphs else 1
    for page, sentence in ((page, s) for page, text in paragraphs for s in _sentences(text)):
        full = len(" ".join(current)) + len(sentence) + 1 > size
        if fresh and (full or page != start_page):
            chunks.append((start_page, " ".join(current)))
            current, fresh = _tail(current[-fresh:], overlap), 0
        if not fresh:
            start_page = page
        current.append(sentence)
        fresh += 1
    if fresh:
        chunks.append((start_page, " ".join(current)))
    return chunks


def _tail(sentences: list[str], overlap: int) -> list[str]:
    """The last sentences of a chunk that fit in `overlap` characters."""
    carried: list[str] = []
    for previous in reversed(sentences):
        if len(" ".join(carried)) + len(previous) > overlap:
            break
        carried.insert(0, previous)
    return carried
