"""A review that starts from a person's collection instead of an arXiv search.

The collection (a BibTeX, RIS or CSL-JSON file, or a Zotero library) is read, every entry is
matched on OpenAlex (or on arXiv when OpenAlex is off) with a score, and the entries become the
papers gate's candidates, most relevant to the topic first, each saying where it came from and how
well it was matched. Unmatched entries stay, reviewed from their metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.review.context import ReviewError, ReviewServices
from agent.review.state import CollectionSpec
from agent.settings import Settings
from tools.collections.entry import CollectionError, Entry
from tools.collections.load import load_collection
from tools.collections.match import Imported, match_entries
from tools.collections.zotero import default_sqlite, read_zotero_sqlite, read_zotero_web
from tools.paper import Candidate
from tools.search.explain import Vectors, score_pool
from tools.sources.arxiv_works import ArxivWorks


def read_entries(spec: CollectionSpec, settings: Settings) -> list[Entry]:
    """The collection's entries; `ReviewError` says what is wrong with it."""
    try:
        if spec.kind == "zotero-web":
            entries = read_zotero_web(settings.zotero, spec.name)
        elif spec.kind == "zotero":
            entries = read_zotero_sqlite(Path(spec.path).expanduser() if spec.path else default_sqlite(settings.zotero),
                                         spec.name)
        else:
            entries = load_collection(Path(spec.path), spec.kind)
    except CollectionError as error:
        raise ReviewError(str(error)) from None
    if not entries:
        raise ReviewError(f"{spec.describe()} holds no papers")
    origin = spec.describe()
    return [e.model_copy(update={"origin": origin}) for e in entries]


def import_collection(spec: CollectionSpec, topic: str, limit: int, services: ReviewServices,
                      settings: Settings) -> tuple[list[Candidate], dict[str, Any], list[str]]:
    """(candidates for the papers gate, the search summary, warnings)."""
    entries = read_entries(spec, settings)
    source = services.openalex or ArxivWorks(services.arxiv)
    imported = match_entries(entries, source, services.arxiv, settings.openalex.min_match)
    ranked = _by_relevance(topic, imported, services)
    warnings = []
    if len(ranked) > limit:
        warnings.append(f"{len(ranked) - limit} of the collection's {len(ranked)} papers were less relevant to the "
                        f"topic and are not proposed (raise --max-papers to see them)")
    candidates = [item.candidate(rank) for rank, item in enumerate(ranked[:limit], start=1)]
    matched = sum(i.matched for i in imported)
    summary = {"collection": spec.describe(), "entries": len(entries), "matched": matched,
               "unmatched": len(entries) - matched, "matched_by": source.name, "requests": source.requests_made,
               "queries": [], "stopped": "the collection"}
    return candidates, summary, warnings


def _by_relevance(topic: str, imported: list[Imported], services: ReviewServices) -> list[Imported]:
    """The entries, most relevant to the topic first (one paper per id: duplicates merge)."""
    unique = {i.paper.arxiv_id: i for i in reversed(imported)}
    scored = score_pool(topic, [i.paper for i in unique.values()], Vectors(services.embedder, topic))
    return [unique[s.paper.arxiv_id] for s in scored]
