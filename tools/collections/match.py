"""Find a collection's entries on OpenAlex (or arXiv) and make each a paper for the papers gate.

An entry found as a work with an arXiv version becomes that arXiv paper (its full record fetched
from arXiv, so its PDF can be read); a work without one becomes a metadata-only paper keyed by its
OpenAlex id (read from its open-access PDF when OpenAlex knows one); an entry found nowhere stays a
paper of its own metadata (`ref-…`), reviewed from its title and abstract. Every one says how it
was matched and how well, so the person at the gate can judge.
"""

from __future__ import annotations

from pydantic import BaseModel

from tools.collections.entry import Entry
from tools.http import FetchError
from tools.paper import Candidate, Paper, entry_key
from tools.search.arxiv import ArxivClient
from tools.sources.base import WorkSource
from tools.sources.resolve import resolve_references


class Imported(BaseModel):
    """One entry of a collection and the paper it became."""

    entry: Entry
    paper: Paper
    matched: bool
    score: float | None = None
    how: str = ""
    """"title matched on OpenAlex (title 0.99, first author agrees, year agrees)", or why not."""

    def candidate(self, rank: int) -> Candidate:
        """The paper as a papers-gate candidate, with where it came from and how it was matched."""
        reasons = [f"from {self.entry.origin or 'your collection'}" + (f" ({self.entry.key})" if self.entry.key else "")]
        if self.matched:
            reasons.append(f"matched: {self.how}; match score {self.score:.2f}")
        else:
            reasons.append(f"not matched ({self.how}): reviewed from its metadata")
        if self.paper.cited_by_count is not None:
            reasons.append(f"cited by {self.paper.cited_by_count:,} (OpenAlex)")
        reasons.append(f"rank {rank}: the collection's order")
        return Candidate(paper=self.paper, score=self.score or 0.0, reasons=reasons)


def match_entries(entries: list[Entry], source: WorkSource, arxiv: ArxivClient | None,
                  threshold: float, stop: tuple[type[BaseException], ...] = ()) -> list[Imported]:
    """Resolve every entry; arXiv papers get their full arXiv record when arXiv answers."""
    resolved = resolve_references([e.to_reference() for e in entries], source, threshold, stop)
    out = []
    for entry, item in zip(entries, resolved, strict=True):
        origin = [f"collection {entry.origin}"] if entry.origin else []
        if item.match is not None:
            paper = item.match.work.to_paper(found_by=origin)
            out.append(Imported(entry=entry, paper=paper, matched=True, score=item.match.score, how=item.match.how))
        else:
            out.append(Imported(entry=entry, paper=metadata_paper(entry, origin), matched=False,
                                how=item.note or "no work fits well enough"))
    if arxiv is not None:
        _full_arxiv_records(out, arxiv)
    return out


def metadata_paper(entry: Entry, found_by: list[str]) -> Paper:
    """A paper known only from the entry (or, with a printed arXiv id, that arXiv paper)."""
    key = entry.arxiv_id or entry_key(entry.title, entry.year, entry.authors[0] if entry.authors else "")
    return Paper(arxiv_id=key, title=entry.title or entry.key or key, authors=entry.authors,
                 published=f"{entry.year}-01-01" if entry.year else "", abstract=entry.abstract,
                 doi=entry.doi, journal_ref=", ".join(p for p in [entry.venue, entry.volume, entry.pages] if p),
                 found_by=found_by)


def _full_arxiv_records(imported: list[Imported], arxiv: ArxivClient) -> None:
    """Swap in arXiv's own record for arXiv papers (abstract, categories, version), in one request."""
    wanted = sorted({i.paper.arxiv_id for i in imported if i.paper.on_arxiv})
    if not wanted:
        return
    try:
        records = {p.arxiv_id: p for p in arxiv.fetch(wanted)}
    except FetchError:
        return  # the OpenAlex metadata stands in; ingest fetches the PDF by id all the same
    for item in imported:
        record = records.get(item.paper.arxiv_id)
        if record is not None:
            item.paper = record.model_copy(update={
                "found_by": item.paper.found_by, "openalex_id": item.paper.openalex_id,
                "cited_by_count": item.paper.cited_by_count, "doi": record.doi or item.paper.doi})
            if not item.matched:
                item.matched, item.score, item.how = True, 1.0, "arXiv id in the entry, found on arXiv"
