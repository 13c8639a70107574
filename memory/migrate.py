"""Copy an embedded library to a Chroma server, vectors and all, without embedding anything again.

Records are read page by page with their stored vectors and upserted by id, so a second run
changes nothing (and finishes a copy that was interrupted). Chunks and figures go first and the
`papers` entries last, as `Library.add` writes them: a paper is in the library once its entry
exists, so a half-done copy never shows half a paper. The copy is verified id by id.

Parsed papers (`<data dir>/papers/*.json`) and rendered figure images stay on disk where they are:
the server holds vectors, texts and metadata; docs/deploy.md says how machines share the rest.
"""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel

from memory.chroma import ChromaStore, recorded_model
from memory.store import StoreUnavailable

ORDER = ("chunks", "figures", "papers")
PAGE = 500
"""Records read from the embedded store per step (bounded memory whatever the library's size)."""


class CollectionCopy(BaseModel):
    """What happened to one collection."""

    name: str
    source: int
    """Records in the embedded store."""
    new: int = 0
    """Records the server did not have."""
    replaced: int = 0
    """Records the server had already (rewritten with the same id: a re-run is harmless)."""
    missing: int = 0
    """Source records the server still lacks after the copy (0 when verified)."""
    target: int = 0
    """Records on the server afterwards (more than `source` when it held other papers too)."""


class MigrationReport(BaseModel):
    """The outcome of `autoresearch library migrate`."""

    source: str
    target: str
    embedding_model: str
    collections: list[CollectionCopy]
    verified: bool
    """Every source record is on the server."""
    seconds: float


def open_source(chroma_dir: Path) -> ChromaStore:
    """The embedded store to copy from, opened with the model it was filled with."""
    model = recorded_model(chroma_dir)
    if model is None:
        raise StoreUnavailable(f"no embedded library at {chroma_dir} (nothing to migrate)")
    return ChromaStore(model, path=chroma_dir)


def migrate(source: ChromaStore, target: ChromaStore, page: int = PAGE) -> MigrationReport:
    """Copy every record of `source` to `target` (opened with the same embedding model), then verify."""
    started = time.perf_counter()
    copies = [_copy(source, target, name, page) for name in ORDER]
    for copy in copies:
        copy.missing = _missing(source, target, copy.name, page)
        copy.target = target.count(copy.name)
    return MigrationReport(source=source.where, target=target.where, embedding_model=source.embedding_model,
                           collections=copies, verified=not any(c.missing for c in copies),
                           seconds=round(time.perf_counter() - started, 3))


def _copy(source: ChromaStore, target: ChromaStore, name: str, page: int) -> CollectionCopy:
    copy = CollectionCopy(name=name, source=source.count(name))
    for offset in range(0, copy.source, page):
        ids, vectors, texts, metadatas = source.page(name, offset, page)
        if not ids:
            break
        had = target.present(name, ids)
        target.upsert(name, ids, vectors, texts, metadatas)
        copy.replaced += len(had)
        copy.new += len(ids) - len(had)
    return copy


def _missing(source: ChromaStore, target: ChromaStore, name: str, page: int) -> int:
    ids = source.ids(name)
    return sum(len(set(ids[i:i + page]) - target.present(name, ids[i:i + page])) for i in range(0, len(ids), page))
