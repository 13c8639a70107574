"""The library: list, show, remove, count, and copy it to a Chroma server.

`autoresearch library …` and the TUI's library screen read the same records through these;
a paper is named by its arXiv id (any version, or its URL) or a local PDF's `local-…` key.
"""

from __future__ import annotations

from typing import Any

from filelock import FileLock

from agent.services import Services
from agent.settings import Settings
from memory import catalog
from memory.chroma import ChromaStore
from memory.library import Library
from memory.migrate import MigrationReport, open_source
from memory.migrate import migrate as copy_library
from memory.records import LibraryPaper
from tools.errors import AutoresearchError
from tools.paper import parse_paper_key


class NotInLibrary(AutoresearchError, LookupError):
    """The paper asked for is not in the library."""


class MigrationIncomplete(AutoresearchError):
    """Some records did not reach the server; running the copy again finishes it."""


def paper_key(text: str) -> str:
    """The library key for `2501.12948v2`, an arXiv URL, or a `local-…` (`W…`, `ref-…`) key: the one
    reading of `tools.paper.parse_paper_key`; anything else is a `NotAPaperKey` (bad usage)."""
    return parse_paper_key(text)[0]


def find(library: Library, text: str) -> LibraryPaper:
    """A stored paper by whatever names it (key, versioned id, URL); `NotInLibrary` if none."""
    record = library.get(paper_key(text))
    if record is None:
        raise NotInLibrary(f"{text} is not in the library: add it with `autoresearch ingest {text}`")
    return record


def entry(record: LibraryPaper) -> dict[str, Any]:
    """One library entry as plain JSON (what `library list --json` prints per paper)."""
    paper = record.paper
    return {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
            "authors": paper.authors, "published": paper.published, "chunks": record.chunks,
            "figures": record.figures, "abstract_only": record.abstract_only, "added": record.added}


def papers(services: Services) -> list[LibraryPaper]:
    """Every stored paper, without its parsed text: from an embedded library's catalog without
    opening Chroma (`memory.catalog`), else from the store."""
    settings = services.settings
    if not settings.memory.chroma_url and not services.opened("library"):
        listed = catalog.listed(settings.data_dir / "papers")
        if listed is not None:
            return listed
    return services.library.list(with_text=False)


def show(services: Services, text: str) -> tuple[LibraryPaper, dict[str, Any]]:
    """One paper as stored, and its details as `library show --json` prints them."""
    key = paper_key(text)  # checked before the library is opened
    record = services.library.get(key)
    if record is None:
        raise NotInLibrary(f"{text} is not in the library")
    parsed = record.parsed
    document = {**entry(record), "abstract": record.paper.abstract,
                "sections": [{"path": path, "page": s.page, "paragraphs": len(s.paragraphs)}
                             for path, s in (parsed.section_paths() if parsed else [])],
                "figures_list": [f.model_dump(include={"number", "caption", "page", "image_path", "kind",
                                                       "description"})
                                 for f in (parsed.figures if parsed else [])],
                "warnings": parsed.warnings if parsed else []}
    return record, document


def remove(services: Services, text: str) -> str:
    """Remove a paper and everything stored for it; its key."""
    key = paper_key(text)
    if not services.library.remove(key):
        raise NotInLibrary(f"{text} is not in the library")
    return key


def stats(services: Services) -> dict[str, Any]:
    """Papers, chunks and figures stored; where, and with which embedding model."""
    library, settings = services.library, services.settings
    return {**library.stats(), "embedding_model": library.embedder.name,
            "backend": getattr(library.embedder, "backend", ""),
            "store": settings.memory.chroma_url or str(settings.data_dir / "chroma")}


def migrate(settings: Settings, to: str, token: str | None = None) -> MigrationReport:
    """Copy this data dir's embedded library to the Chroma server at `to`, vectors as stored."""
    secret = token or (settings.memory.chroma_token.get_secret_value() if settings.memory.chroma_token else None)
    # The library's write lock: no process adds to the embedded store while it is read.
    with FileLock(str(settings.path("locks", "library.lock"))):
        source = open_source(settings.data_dir / "chroma")
        target = ChromaStore(source.embedding_model, url=to, token=secret)
        return copy_library(source, target)


def check_migrated(report: MigrationReport, to: str) -> None:
    """Raise `MigrationIncomplete` unless every record reached the server."""
    if not report.verified:
        raise MigrationIncomplete(f"{sum(c.missing for c in report.collections)} records did not reach {to}; "
                                  "run it again")
