"""The paper record every part of autoresearch passes around, and arXiv id handling.

Most papers are arXiv papers, keyed by their arXiv id. A work found elsewhere (an OpenAlex work
with no arXiv version, an unmatched entry of a person's collection, a local PDF) is kept under a
key of its own in the same field: `W2741809807` (its OpenAlex id), `ref-<hash>` (an entry known
only by its metadata) or `local-<hash>` (a PDF without an id).
"""

from __future__ import annotations

import hashlib
import re

from pydantic import BaseModel, Field

from tools.inputs import BadInput, nonblank

# New-style ids (0704.0001 … 2501.12948) and old-style ids (astro-ph/0601001, math.GT/0309136).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?")
OTHER_KEY_RE = re.compile(r"W\d{2,12}|ref-[0-9a-f]{12}|local-[0-9a-f]{6,64}")
"""Keys of papers that are not on arXiv: an OpenAlex work, a collection entry, a local PDF."""


class Paper(BaseModel):
    """One paper's metadata, with how it was found when it came from a search."""

    arxiv_id: str
    """Versionless id: `2501.12948` or `astro-ph/0601001`; for a paper not on arXiv, its key
    (`W2741809807`, `ref-…`, `local-…`; see the module docstring)."""
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
    openalex_id: str = ""
    """The OpenAlex work id (`W2741809807`), when known."""
    cited_by_count: int | None = None
    """How many works cite it, according to OpenAlex (None: not looked up)."""

    @property
    def on_arxiv(self) -> bool:
        """Whether this paper is an arXiv paper (its PDF and record come from arXiv)."""
        return bool(ARXIV_ID_RE.fullmatch(self.arxiv_id))

    @property
    def versioned_id(self) -> str:
        """`2501.12948v1`, or the bare id when the version is unknown."""
        return f"{self.arxiv_id}{self.version}"

    @property
    def abs_url(self) -> str:
        """The paper's page: on arxiv.org, else its DOI or OpenAlex page (empty when none)."""
        if self.on_arxiv:
            return f"https://arxiv.org/abs/{self.versioned_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://openalex.org/{self.openalex_id}" if self.openalex_id else ""

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


class NotAPaperKey(BadInput):
    """Text that is neither an arXiv id (or arXiv URL) nor a library key."""


_BARE_ID_RE = re.compile(rf"(?i:arxiv:)?\s*{ARXIV_ID_RE.pattern}")
_ARXIV_URL_RE = re.compile(r"(?i:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)(?P<rest>.+?)(?i:\.pdf)?/?")
KEY_FORMS = "use 2501.12948, 2501.12948v2, arXiv:2501.12948, an arXiv URL or a local-… key"


def parse_paper_key(text: str, local: bool = True) -> tuple[str, str]:
    """The one reading of a paper as a person names it: (library key, version).

    Accepts an arXiv id with or without version and `arXiv:` prefix, an arxiv.org abs or pdf
    URL, and (with `local`) the key of a paper not on arXiv (`W…`, `ref-…`, `local-…`); the whole
    text must be that, so `2401.00001/../../x` is refused (`NotAPaperKey`, one message
    everywhere), never read as 2401.00001. Where only arXiv ids make sense (`local=False`), the
    other keys are refused too.
    """
    value = nonblank(text, "the paper id")
    if OTHER_KEY_RE.fullmatch(value):
        if local:
            return value, ""
        raise NotAPaperKey(f"{value} is not on arXiv (a library key); an arXiv id is needed here")
    url = _ARXIV_URL_RE.fullmatch(value)
    match = _BARE_ID_RE.fullmatch(url.group("rest") if url else value)
    if not match:
        raise NotAPaperKey(f"not an arXiv id or a library key: {text!r} ({KEY_FORMS})")
    return match.group("id"), match.group("version") or ""


def looks_like_paper_key(text: str) -> bool:
    """Whether text starts the way an arXiv id or a library key does (so it must parse as one)."""
    return bool(re.match(rf"\s*(?:(?i:arxiv:)\s*|local-|ref-|{_NEW_ID})", text))
def key_of(text: str) -> str:
    """The versionless arXiv id `text` names, or a key of a paper not on arXiv (`W…`, `ref-…`,
    `local-…`): `parse_paper_key`'s reading. Raises `NotAPaperKey` (a ValueError) when it is neither."""
    return parse_paper_key(text)[0]


def entry_key(*parts: str) -> str:
    """A stable `ref-<hash>` key for a paper known only by its metadata (title, year, …)."""
    digest = hashlib.sha256("\x1f".join(p.strip().lower() for p in parts).encode()).hexdigest()
    return f"ref-{digest[:12]}"


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
