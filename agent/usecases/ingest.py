"""Ingest: read papers in full and add them to the library (ids, URLs, PDF paths, titles).

What `autoresearch ingest`, the TUI's `/ingest` and the review's reading stage share: resolve every
item (a title becomes its best arXiv match), fetch the arXiv records in one request, then ingest
one by one, so one bad paper never stops the others. The version a person asked for (`2501.12948v1`)
is the version stored, and an encrypted local PDF opens with the password given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from agent.ingest.collection import ingest_collection
from agent.ingest.pipeline import IngestResult, ingest_local_pdf, ingest_paper, ingest_url
from agent.ingest.resolve import Resolution, resolve_items
from agent.services import Services
from tools.collections.entry import CollectionError
from tools.collections.match import Imported
from tools.errors import AutoresearchError, BadUsage
from tools.http import FetchError
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
    def ingested(self) -> int:
        """Items stored in full."""
        return sum(r.ok for r in self.results)

    @property
    def failed(self) -> int:
        """Items not stored in full (abstract only, or not at all)."""
        return len(self.results) - self.ingested

    def document(self) -> dict:
        """The report as `ingest --json` prints it."""
        return {"results": [r.model_dump(mode="json") for r in self.results],
                "resolutions": [r.model_dump(mode="json", exclude={"paper"}) for r in self.resolutions],
                "ingested": self.ingested, "failed": self.failed}

    def check(self) -> None:
        """Raise `NothingIngested` when not one item was stored in full."""
        if self.results and not self.ingested:
            first = next((r.error for r in self.results if r.error), "unknown reason")
            raise NothingIngested(f"nothing ingested: all {len(self.results)} failed (first: {first})")


def read_items(items: list[str], from_file: Path | None = None) -> list[str]:
    """The items to ingest: those given, then one a line of `from_file` (`#` starts a comment)."""
    lines = list(items)
    if from_file is not None:
        try:
            lines += from_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise BadUsage(f"cannot read {from_file}: {error.strerror or error}") from None
    if not any(line.strip() and not line.strip().startswith("#") for line in lines):
        raise BadUsage("nothing to ingest: give arXiv ids, URLs, PDF paths, or --from-file FILE")
    return lines


def ingest(services: Services, items: list[str], *, password: str | None = None,
           progress: ProgressFn | None = None, warn: WarnFn | None = None) -> IngestReport:
    """Resolve and ingest `items` one by one; a report with one result per resolved item."""
    resolutions = resolve_items(items, services.arxiv, services.embedder)
    records = _records(services, resolutions, warn)
    report = IngestReport(resolutions=resolutions)
    for done, resolution in enumerate(resolutions):
        if progress:
            progress(done, len(resolutions), resolution.item)
        report.results.append(_one(services, resolution, records, password))
    if progress:
        progress(len(resolutions), len(resolutions), "")
    return report


def _records(services: Services, resolutions: list[Resolution], warn: WarnFn | None) -> dict[str, Paper]:
    """arXiv records for every id in the list, in one API request (missing ones stay unknown)."""
    ids = sorted({r.arxiv_id + r.version for r in resolutions if r.kind == "arxiv" and r.ok})
    if not ids:
        return {}
    try:
        found = services.arxiv.fetch(ids)
    except FetchError as error:
        if warn:
            warn(f"no arXiv metadata ({error}); ingesting from the PDFs")
        return {}
    return {p.arxiv_id: p for p in found}


def _one(services: Services, resolution: Resolution, records: dict[str, Paper],
         password: str | None) -> IngestResult:
    """Ingest one resolved item."""
    library = services.library
    if not resolution.ok:
        return IngestResult(item=resolution.item, arxiv_id=resolution.arxiv_id, title=resolution.title,
                            status="failed", error=_why(resolution))
    if resolution.kind == "pdf":
        return ingest_local_pdf(Path(resolution.path), arxiv_client=services.arxiv, password=password,
                                item=resolution.item, library=library, store=library.papers,
                                settings=services.settings)
    if resolution.kind == "url":
        return ingest_url(resolution.url, downloader=services.downloader, arxiv_client=services.arxiv,
                          library=library, store=library.papers, settings=services.settings)
    paper = resolution.paper or records.get(resolution.arxiv_id) or Paper(
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
