"""The paper record every part of autoresearch passes around, and arXiv id handling."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

# New-style ids (0704.0001 … 2501.12948) and old-style ids (astro-ph/0601001, math.GT/0309136).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?")


class Paper(BaseModel):
    """One arXiv paper's metadata, with how it was found when it came from a search."""

    arxiv_id: str
    """Versionless id: `2501.12948` or `astro-ph/0601001`."""
    version: str = ""
    """`v1`, `v2`, … (empty when unknown)."""
    title: str
    authors: list[str] = Field(default_factory=list)
    published: str = ""
    """Date of the first version, `YYYY-MM-DD` (empty when unknown)."""
    updated: str = ""
    categories: list[str] = Field(default_factory=list)
    primary_category: str = ""
    abstract: str = ""
    pdf_url: str = ""
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    score: float | None = None
    """Relevance to the query that found it, when ranked."""
    found_by: list[str] = Field(default_factory=list)
    """Queries (or citing papers) that brought this paper in."""

    @property
    def versioned_id(self) -> str:
        """`2501.12948v1`, or the bare id when the version is unknown."""
        return f"{self.arxiv_id}{self.version}"

    @property
    def abs_url(self) -> str:
        """The paper's abstract page on arxiv.org."""
        return f"https://arxiv.org/abs/{self.versioned_id}"

    @property
    def year(self) -> str:
        """Publication year, or empty."""
        return self.published[:4]

    def version_number(self) -> int:
        """The numeric version (0 when unknown), for picking the latest."""
        return int(self.version[1:]) if self.version[1:].isdigit() else 0


class Candidate(BaseModel):
    """A paper proposed at the papers gate, with why it is there and why it ranks where it does."""

    paper: Paper
    score: float = 0.0
    """Relevance to the topic (higher first)."""
    reasons: list[str] = Field(default_factory=list)
    """Human-readable explanation: the query or citing paper that found it, the score, …"""
    relevance: float | None = None
    """Closeness to the request in meaning, 0–1 (`tools.search.relevance`); None when not assessed."""
    reason: str = ""
    """One line: why the candidate is (or may not be) relevant."""
    flag: str = ""
    """Why it is proposed unticked ("" when it is not): far below the other candidates, or no
    abstract of its own. Approving the gate leaves flagged candidates out unless kept by name."""


def split_arxiv_id(text: str) -> tuple[str, str]:
    """Split `2501.12948v2`, `arXiv:2501.12948` or an abs/pdf URL into (id, version).

    Raises ValueError when `text` holds no arXiv id.
    """
    match = ARXIV_ID_RE.search(text.strip())
    if not match:
        raise ValueError(f"not an arXiv id: {text!r}")
    return match.group("id"), match.group("version") or ""


def dedupe_latest(papers: list[Paper]) -> list[Paper]:
    """Keep one record per versionless id (the latest version), in first-seen order."""
    best: dict[str, Paper] = {}
    for paper in papers:
        seen = best.get(paper.arxiv_id)
        if seen is None:
            best[paper.arxiv_id] = paper
        elif paper.version_number() > seen.version_number():
            merged = paper.model_copy(update={"found_by": _union(seen.found_by, paper.found_by)})
            best[paper.arxiv_id] = merged
        else:
            seen.found_by = _union(seen.found_by, paper.found_by)
    return list(best.values())


def _union(first: list[str], second: list[str]) -> list[str]:
    return first + [item for item in second if item not in first]
