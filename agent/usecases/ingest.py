"""Ingest: read papers in full and add them to the library (ids, URLs, PDF paths, titles).

What `autoresearch ingest`, the TUI's `/ingest` and the review's reading stage share: resolve every
item (a title becomes its best arXiv match), fetch the arXiv records in one batched request beside
the reading, then ingest one by one, so one bad paper never stops the others. The version a person
asked for (`2501.12948v1`) is the version stored, and an encrypted local PDF opens with the password
given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from agent.ingest import metadata
from agent.ingest.collection import ingest_collection
from agent.ingest.metadata import MetadataLookup
from agent.ingest.pipeline import IngestResult, ingest_local_pdf, ingest_paper, ingest_url, report_counts
from agent.ingest.resolve import Resolution, expand_items, resolve_items
from agent.services import Services
from tools.collections.entry import CollectionError
from tools.collections.match import Imported
from tools.errors import AutoresearchError, BadUsage
from tools.paper import Paper

ProgressFn = Callable[[int, int, str], None]
"""`progress(done, total, item)`: before each item, and once more at the end."""
WarnFn = Callable[[str], None]


class NothingIngested(AutoresearchError):
    """Every item failed; the report still says why for each."""


class IngestReport(BaseModel):
    """One result per item, in order, and how each item was resolved."""

    results: list[IngestResult] = Field(default_factory=list)
    resolutions: list[Resolution] = Field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Stored in full (`ingested`), by the abstract only, at all (`stored`), not at all (`failed`)."""
        return report_counts(self.results)

    @property
    def ingested(self) -> int:
        """Items stored in full."""
        return self.counts["ingested"]

    @property
    def failed(self) -> int:
        """Items not stored at all (one kept by its abstract is stored)."""
        return self.counts["failed"]

    def document(self) -> dict:
        """The report as `ingest --json` prints it."""
        return {"results": [r.model_dump(mode="json") for r in self.results],
                "resolutions": [r.model_dump(mode="json", exclude={"paper"}) for r in self.resolutions],
                **self.counts}

    def check(self) -> None:
        """Raise `NothingIngested` when not one item was stored, in full or by its abstract."""
        if self.results and not self.counts["stored"]:
            first = next((r.error for r in self.results if r.error), "unknown reason")
            raise NothingIngested(f"nothing ingested: all {len(self.results)} failed (first: {first})")


def read_items(items: list[str], from_file: Path | None = None, recursive: bool = False) -> list[str]:
    """The items to ingest: those given, then one a line of `from_file` (`#` starts a comment),
    checked before any work (`expand_items`: a folder needs `recursive`, an id must be one)."""
    lines = list(items)
    if from_file is not None:
        try:
            lines += from_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise BadUsage(f"cannot read {from_file}: {error.strerror or error}") from None
    lines = expand_items(lines, recursive)
    if not lines:
        raise BadUsage("nothing to ingest: give arXiv ids, URLs, PDF paths, or --from-file FILE")
    return lines


def ingest(services: Services, items: list[str], *, password: str | None = None,
           progress: ProgressFn | None = None, warn: WarnFn | None = None) -> IngestReport:
    """Resolve and ingest `items` one by one; a report with one result per resolved item.

    The arXiv records come from one batched look-up on a background thread while the PDFs are
    read (`agent.ingest.metadata`): with arXiv unreachable, local PDFs are stored at once from
    what they say and enriched by a later ingest, after one retry cycle for the whole command.
    """
    resolutions = resolve_items(items, services.arxiv, services.embedder)
    library = services.library
    lookup = metadata.start(services.arxiv, resolutions, library, password)
    report = IngestReport(resolutions=resolutions)
    for done, resolution in enumerate(resolutions):
        if progress:
            progress(done, len(resolutions), resolution.item)
        result = _one(services, resolution, lookup, password)
        if result.status in ("abstract_only", "title_only") and warn:
            kept = "its abstract" if result.status == "abstract_only" else "its title and metadata"
            warn(f"{result.item}: stored from {kept} only ({result.error})")
        report.results.append(result)
    if progress:
        progress(len(resolutions), len(resolutions), "")
    if lookup.error and warn:
        warn(f"no arXiv metadata ({lookup.error}); papers were stored from their PDFs, "
             "and a later ingest adds their records")
    metadata.enrich(library, lookup)
    return report


def _one(services: Services, resolution: Resolution, lookup: MetadataLookup,
         password: str | None) -> IngestResult:
    """Ingest one resolved item."""
    library = services.library
    if not resolution.ok:
        return IngestResult(item=resolution.item, arxiv_id=resolution.arxiv_id, title=resolution.title,
                            status="failed", error=_why(resolution))
    if resolution.kind == "pdf":
        return ingest_local_pdf(Path(resolution.path), metadata=lookup, password=password,
                                item=resolution.item, library=library, store=library.papers,
                                settings=services.settings)
    if resolution.kind == "url":
        return ingest_url(resolution.url, downloader=services.downloader, arxiv_client=services.arxiv,
                          library=library, store=library.papers, settings=services.settings)
    paper = resolution.paper or lookup.get(resolution.arxiv_id, wait=True) or Paper(
        arxiv_id=resolution.arxiv_id, version=resolution.version, title="")
    if resolution.version and paper.version != resolution.version:
        paper = paper.model_copy(update={"version": resolution.version})
    return ingest_paper(paper, downloader=services.downloader, item=resolution.item, library=library,
                        store=library.papers, settings=services.settings)


def _why(resolution: Resolution) -> str:
    """Why an item could not be resolved (a title's best match, when there was one)."""
    if resolution.kind == "title" and resolution.title:
        return (f"{resolution.note} — best arXiv match “{resolution.title}” "
                f"(arXiv:{resolution.arxiv_id}, score {resolution.score:.2f})")
    return resolution.note or "could not be resolved"


class CollectionReport(BaseModel):
    """Each entry of a collection, the paper it matched, and each paper's ingest result."""

    imported: list[Imported] = Field(default_factory=list)
    results: list[IngestResult] = Field(default_factory=list)

    @property
    def matched(self) -> int:
        """Entries matched to a work on OpenAlex or arXiv."""
        return sum(i.matched for i in self.imported)

    def document(self) -> dict:
        """The report as `ingest --from-bib --json` prints it."""
        matches = [{"key": i.entry.key, "title": i.entry.title, "paper": i.paper.arxiv_id,
                    "matched": i.matched, "score": i.score, "how": i.how} for i in self.imported]
        return {"results": [r.model_dump(mode="json") for r in self.results], "matches": matches,
                "matched": self.matched, "ingested": sum(r.ok for r in self.results),
                "failed": sum(r.status == "failed" for r in self.results)}

    def check(self) -> None:
        """Raise `NothingIngested` when every entry failed."""
        if self.results and all(r.status == "failed" for r in self.results):
            raise NothingIngested(f"nothing ingested: all {len(self.results)} entries failed")


def ingest_collection_file(services: Services, path: Path) -> CollectionReport:
    """Match a collection's entries (BibTeX, RIS, CSL-JSON) on OpenAlex/arXiv and ingest the papers."""
    try:
        imported, results = ingest_collection(
            path, settings=services.settings, arxiv=services.arxiv, works=services.openalex,
            downloader=services.downloader, library=services.library)
    except CollectionError as error:
        raise BadUsage(str(error), hint=error.hint) from None
    return CollectionReport(imported=imported, results=results)
