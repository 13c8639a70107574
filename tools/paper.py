"""The paper record every part of autoresearch passes around, and arXiv id handling."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from tools.inputs import BadInput, nonblank

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


def split_arxiv_id(text: str) -> tuple[str, str]:
    """Split `2501.12948v2`, `arXiv:2501.12948` or an abs/pdf URL into (id, version).

    Raises ValueError when `text` holds no arXiv id.
    """
    match = ARXIV_ID_RE.search(text.strip())
    if not match:
        raise ValueError(f"not an arXiv id: {text!r}")
    return match.group("id"), match.group("version") or ""


class NotAPaperKey(BadInput):
    """Text that is neither an arXiv id (or arXiv URL) nor a library key."""


LOCAL_KEY_RE = re.compile(r"local-[0-9a-f]{6,64}")
"""The library key of a PDF without an arXiv id: `local-` and (the start of) its SHA-256."""
_BARE_ID_RE = re.compile(rf"(?i:arxiv:)?\s*{ARXIV_ID_RE.pattern}")
_ARXIV_URL_RE = re.compile(r"(?i:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)(?P<rest>.+?)(?i:\.pdf)?/?")
KEY_FORMS = "use 2501.12948, 2501.12948v2, arXiv:2501.12948, an arXiv URL or a local-… key"


def parse_paper_key(text: str, local: bool = True) -> tuple[str, str]:
    """The one reading of a paper as a person names it: (library key, version).

    Accepts an arXiv id with or without version and `arXiv:` prefix, an arxiv.org abs or pdf
    URL, and (with `local`) a library key `local-…`; the whole text must be that, so
    `2401.00001/../../x` is refused (`NotAPaperKey`, one message everywhere), never read as
    2401.00001. Where only arXiv ids make sense (`local=False`), a library key is refused too.
    """
    value = nonblank(text, "the paper id")
    if LOCAL_KEY_RE.fullmatch(value):
        if local:
            return value, ""
        raise NotAPaperKey(f"{value} is a library key (a PDF without an arXiv id); an arXiv id is needed here")
    url = _ARXIV_URL_RE.fullmatch(value)
    match = _BARE_ID_RE.fullmatch(url.group("rest") if url else value)
    if not match:
        raise NotAPaperKey(f"not an arXiv id or a library key: {text!r} ({KEY_FORMS})")
    return match.group("id"), match.group("version") or ""


def looks_like_paper_key(text: str) -> bool:
    """Whether text starts the way an arXiv id or a library key does (so it must parse as one)."""
    return bool(re.match(rf"\s*(?:(?i:arxiv:)\s*|local-|{_NEW_ID})", text))


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
