"""A work as any metadata source describes it, and the protocol every source implements."""

from __future__ import annotations

import re
from typing import Protocol

from pydantic import BaseModel, Field

from tools.paper import ARXIV_ID_RE, Paper

ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.I)
"""arXiv's DataCite DOIs (`10.48550/arXiv.2501.12948`): how OpenAlex knows arXiv preprints."""


class Work(BaseModel):
    """One scholarly work: what resolving, snowballing and collections need of it."""

    id: str
    """The source's own id (`W2741809807` for OpenAlex; the arXiv id for arXiv)."""
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    published: str = ""
    """`YYYY-MM-DD` (empty when unknown)."""
    doi: str = ""
    """Lower-case, without `https://doi.org/`."""
    arxiv_id: str = ""
    """The arXiv version of this work, when the source knows one (versionless)."""
    venue: str = ""
    volume: str = ""
    first_page: str = ""
    type: str = ""
    cited_by_count: int = 0
    referenced_works: list[str] = Field(default_factory=list)
    oa_pdf_url: str = ""
    """An open-access PDF, when the source knows one."""
    abstract: str = ""
    source: str = "openalex"
    """Which source described it."""

    def to_paper(self, found_by: list[str] | None = None) -> Paper:
        """The work as a `Paper`: keyed by its arXiv id when it has one, else by its own id."""
        key = self.arxiv_id or self.id
        return Paper(
            arxiv_id=key, title=self.title, authors=self.authors,
            published=self.published or (f"{self.year}-01-01" if self.year else ""),
            abstract=self.abstract, doi=self.doi, journal_ref=self._journal_ref(),
            pdf_url="" if self.arxiv_id else self.oa_pdf_url, found_by=found_by or [],
            openalex_id=self.id if self.source == "openalex" else "",
            cited_by_count=self.cited_by_count if self.source == "openalex" else None)

    def _journal_ref(self) -> str:
        parts = [self.venue, self.volume and f"vol. {self.volume}", self.first_page and f"p. {self.first_page}"]
        return ", ".join(p for p in parts if p)


def arxiv_id_of_doi(doi: str) -> str:
    """The arXiv id inside an arXiv DOI (`10.48550/arXiv.2501.12948` → `2501.12948`), else empty."""
    found = ARXIV_DOI.match(doi.strip())
    if not found:
        return ""
    match = ARXIV_ID_RE.fullmatch(found.group("id"))
    return match.group("id") if match else ""


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registered for a paper (lower case, as OpenAlex stores DOIs)."""
    return f"10.48550/arxiv.{arxiv_id}".lower()


class WorkSource(Protocol):
    """A source of works. Every method spends requests, may raise `tools.http.FetchError`, and
    returns what it found (an empty list, never a guess, when it found nothing)."""

    name: str
    @property
    def requests_made(self) -> int:
        """Requests sent so far (cache hits excluded)."""
        ...

    def lookup(self, dois: list[str]) -> list[Work]:
        """Works by DOI (arXiv papers by their arXiv DOI), several per request."""
        ...

    def search_title(self, title: str, loose: bool = False) -> list[Work]:
        """Works whose titles contain the title's words (`loose`: any of them), best first."""
        ...

    def search_biblio(self, volume: str, first_page: str, year: str) -> list[Work]:
        """Works by volume, first page and year (journal references without a title)."""
        ...

    def cited_by(self, work_id: str, limit: int, sort: str) -> list[Work]:
        """Works citing `work_id`, `sort` = `cited_by_count` or `publication_date` (highest first)."""
        ...
