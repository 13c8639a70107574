"""`ingest --from-bib`: read a person's collection into the library.

Each entry of a BibTeX, RIS or CSL-JSON file is matched on OpenAlex (or arXiv when OpenAlex is
off), then read like any paper: an arXiv paper from arXiv, a work with an open-access PDF from
that PDF, the rest from their metadata. One entry that fails never stops the others.
"""

from __future__ import annotations

from pathlib import Path

from agent.ingest.pipeline import IngestResult, ingest_paper
from agent.settings import Settings
from tools.collections.load import load_collection
from tools.collections.match import Imported, match_entries
from tools.download import Downloader
from tools.search.arxiv import ArxivClient
from tools.sources.arxiv_works import ArxivWorks
from tools.sources.base import WorkSource


def ingest_collection(path: Path, *, settings: Settings, arxiv: ArxivClient, works: WorkSource | None,
                      downloader: Downloader, library) -> tuple[list[Imported], list[IngestResult]]:
    """(each entry and the paper it matched, each paper's ingest result); `CollectionError` for a bad file."""
    entries = load_collection(path)
    origin = Path(path).name
    entries = [e.model_copy(update={"origin": origin}) for e in entries]
    imported = match_entries(entries, works or ArxivWorks(arxiv), arxiv, settings.openalex.min_match)
    results = [ingest_paper(item.paper, downloader=downloader, library=library, store=library.papers,
                            settings=settings, item=item.entry.key or item.entry.title[:60])
               for item in imported]
    return imported, results
