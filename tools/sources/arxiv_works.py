"""arXiv behind the `WorkSource` protocol: exact lookups by arXiv DOI, title search by phrase.

arXiv has no citation graph and no journal metadata, so `cited_by` and `search_biblio` find
nothing; resolving and importing still work with OpenAlex switched off, through the same code.
"""

from __future__ import annotations

import re

from tools.paper import Paper
from tools.search.arxiv import ArxivClient, ArxivError
from tools.sources.base import Work, arxiv_doi, arxiv_id_of_doi
from tools.sources.match import words

PHRASE_WORDS = 10
"""Words of a title searched as a phrase: enough to be unique, few enough to survive a misread."""


class ArxivWorks:
    """The arXiv API client as a source of works."""

    name = "arXiv"

    def __init__(self, client: ArxivClient) -> None:
        self.client = client

    @property
    def requests_made(self) -> int:
        """Requests the client sent (cache hits excluded)."""
        return self.client.requests_made

    def lookup(self, dois: list[str]) -> list[Work]:
        """arXiv papers by their arXiv DOIs (other DOIs are not arXiv's to answer)."""
        ids = [i for i in (arxiv_id_of_doi(d) for d in dois) if i]
        if not ids:
            return []
        try:
            return [paper_work(p) for p in self.client.fetch(ids)]
        except ArxivError:  # an id arXiv does not know
            return []

    def search_title(self, title: str, loose: bool = False) -> list[Work]:
        """arXiv papers whose title holds the title's first words as a phrase (`loose`: any word)."""
        found = words(title)[:PHRASE_WORDS]
        if not found:
            return []
        query = " OR ".join(f"ti:{w}" for w in found) if loose else f'ti:"{" ".join(found)}"'
        return [paper_work(p) for p in self.client.search(query, max_results=10)]

    def search_biblio(self, volume: str, first_page: str, year: str) -> list[Work]:
        """arXiv keeps no volumes or pages."""
        return []

    def cited_by(self, work_id: str, limit: int, sort: str = "cited_by_count") -> list[Work]:
        """arXiv does not know who cites a paper."""
        return []


def paper_work(paper: Paper) -> Work:
    """An arXiv record as a `Work`."""
    year = re.match(r"\d{4}", paper.published)
    return Work(id=paper.arxiv_id, title=paper.title, authors=paper.authors,
                year=int(year.group()) if year else None, published=paper.published,
                doi=arxiv_doi(paper.arxiv_id), arxiv_id=paper.arxiv_id, abstract=paper.abstract,
                source="arxiv")
