"""Split a parsed paper into section-aware, overlapping chunks for retrieval."""

from __future__ import annotations

import re

from pydantic import BaseModel

from tools.document import ParsedPaper
from tools.paper import Paper


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
        pieces.extend(("Abstract", 1, text) for text in _pack([abstract], size, overlap))
    if parsed:
        for path, section in parsed.section_paths():
            paragraphs = [p for p in section.paragraphs if p.text.strip()]
            if not paragraphs:
                continue
            page = paragraphs[0].page
            for text in _pack([p.text for p in paragraphs], size, overlap):
                pieces.append((path, page, text))
    return [Chunk(section=s, page=p, number=i, text=t) for i, (s, p, t) in enumerate(pieces)]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])", text.strip()) if s]


def _pack(paragraphs: list[str], size: int, overlap: int) -> list[str]:
    """Pack sentences into chunks of about `size` characters with `overlap` carried over."""
    sentences = [s for p in paragraphs for s in _sentences(p)]
    chunks: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and len(" ".join(current)) + len(sentence) + 1 > size:
            chunks.append(" ".join(current))
            carried: list[str] = []
            for previous in reversed(current):
                if len(" ".join(carried)) + len(previous) > overlap:
                    break
                carried.insert(0, previous)
            current = carried
        current.append(sentence)
    if current:
        chunks.append(" ".join(current))
    return chunks
