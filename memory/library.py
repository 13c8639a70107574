"""The library: papers remembered across runs, searchable by meaning.

Every write is idempotent: ids are deterministic (`arxiv_id:version:chunk`), re-adding the same
version replaces records in place, a new version's chunks replace the old version's, and the
paper's record file is written last, so a process killed mid-way leaves a paper that simply gets
re-added on the next ingest. Writers on one embedded store are serialised by a lock file (Chroma's
embedded client is not multi-process safe).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timezone
from typing import Any

from filelock import FileLock

from agent.settings import Settings
from memory.chunking import chunk_paper
from memory.embeddings import Embedder, load_embedder
from memory.paperstore import PaperStore
from memory.records import FigureHit, LibraryPaper, Passage
from memory.store import VectorStore
from tools.document import Figure, ParsedPaper
from tools.paper import Paper


class Library:
    """Add, find and remove papers; the one door to memory."""

    def __init__(self, store: VectorStore, papers: PaperStore, embedder: Embedder,
                 write_lock: FileLock | None = None, chunk_chars: int = 1200, chunk_overlap: int = 200) -> None:
        self.store = store
        self.papers = papers
        self.embedder = embedder
        self.write_lock = write_lock
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> "Library":
        """The library the settings describe: embedded Chroma in the data dir, or a server."""
        from memory.chroma import ChromaStore

        embedder = embedder or load_embedder(settings.memory)
        token = settings.memory.chroma_token.get_secret_value() if settings.memory.chroma_token else None
        url = settings.memory.chroma_url
        store = ChromaStore(embedder.name, path=None if url else settings.data_dir / "chroma", url=url, token=token)
        lock = None if url else FileLock(str(settings.path("locks", "library.lock")))
        return cls(store, PaperStore(settings.data_dir / "papers"), embedder, lock,
                   settings.memory.chunk_chars, settings.memory.chunk_overlap)

    def _writing(self) -> AbstractContextManager:
        return self.write_lock if self.write_lock is not None else nullcontext()

    # -- writes -------------------------------------------------------------------------------

    def add(self, paper: Paper, parsed: ParsedPaper | None = None) -> LibraryPaper:
        """Store a paper (its full text when parsed, else its abstract), replacing older versions."""
        chunks = chunk_paper(paper, parsed, self.chunk_chars, self.chunk_overlap)
        figures = parsed.figures if parsed else []
        with self._writing():
            vid = f"{paper.arxiv_id}:{paper.version}"
            ids = [f"{vid}:{c.number}" for c in chunks]
            vectors = self.embedder.embed([c.text for c in chunks]) if chunks else None
            base = {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title}
            self.store.upsert("chunks", ids, vectors, [c.text for c in chunks],
                              [{**base, "section": c.section, "page": c.page, "chunk": c.number} for c in chunks])
            self._drop_stale("chunks", paper.arxiv_id, set(ids))
            self._put_figures(paper, figures)
            self.store.upsert("papers", [paper.arxiv_id], self.embedder.embed([_paper_text(paper)]),
                              [_paper_text(paper)], [{**base, "published": paper.published}])
            record = LibraryPaper(paper=paper, parsed=parsed, abstract_only=parsed is None,
                                  chunks=len(chunks), figures=len(figures),
                                  added=datetime.now(timezone.utc).isoformat(timespec="seconds"))
            self.papers.save(record)
        return record

    def update_figures(self, arxiv_id: str, figures: list[Figure]) -> None:
        """Replace a stored paper's figures (e.g. with a figure reader's descriptions)."""
        record = self.papers.load(arxiv_id)
        if record is None or record.parsed is None:
            raise KeyError(f"{arxiv_id} is not in the library with its full text")
        with self._writing():
            record.parsed.figures = figures
            self._put_figures(record.paper, figures)
            self.papers.save(record)

    def remove(self, arxiv_id: str) -> bool:
        """Remove every trace of a paper; False when it was not there."""
        with self._writing():
            found = bool(self.store.ids("papers", {"arxiv_id": arxiv_id}))
            for collection in ("chunks", "figures", "papers"):
                self.store.delete(collection, where={"arxiv_id": arxiv_id})
            return self.papers.remove(arxiv_id) or found

    def _put_figures(self, paper: Paper, figures: list[Figure]) -> None:
        vid = f"{paper.arxiv_id}:{paper.version}"
        ids = [f"{vid}:fig{f.number}" for f in figures]
        texts = [f"Figure {f.number}: {f.caption} {f.description}".strip() for f in figures]
        if figures:
            metas = [{"arxiv_id": paper.arxiv_id, "version": paper.version, "number": f.number,
                      "caption": f.caption, "description": f.description, "kind": f.kind,
                      "image_path": f.image_path, "page": f.page} for f in figures]
            self.store.upsert("figures", ids, self.embedder.embed(texts), texts, metas)
        self._drop_stale("figures", paper.arxiv_id, set(ids))

    def _drop_stale(self, collection: str, arxiv_id: str, keep: set[str]) -> None:
        """Delete a paper's records that the latest write did not produce (an older version's)."""
        stale = [i for i in self.store.ids(collection, {"arxiv_id": arxiv_id}) if i not in keep]
        if stale:
            self.store.delete(collection, ids=stale)

    # -- reads --------------------------------------------------------------------------------

    def get(self, arxiv_id: str) -> LibraryPaper | None:
        """A stored paper, or None."""
        return self.papers.load(arxiv_id)

    def list(self) -> list[LibraryPaper]:
        """Every stored paper."""
        return self.papers.all()

    def stats(self) -> dict[str, int]:
        """How much is stored."""
        return {"papers": self.store.count("papers"), "chunks": self.store.count("chunks"),
                "figures": self.store.count("figures")}

    def search(self, query: str, k: int = 8, arxiv_ids: list[str] | None = None) -> list[Passage]:
        """The `k` chunks closest in meaning to `query`, optionally within some papers."""
        where = _within(arxiv_ids)
        hits = self.store.query("chunks", self.embedder.embed([query])[0], k, where)
        return [Passage(arxiv_id=h.metadata["arxiv_id"], version=h.metadata.get("version", ""),
                        section=h.metadata.get("section", ""), page=int(h.metadata.get("page", 0)),
                        chunk=int(h.metadata.get("chunk", 0)), text=h.text, score=round(h.score, 4))
                for h in hits]

    def search_figures(self, query: str, k: int = 5, arxiv_ids: list[str] | None = None) -> list[FigureHit]:
        """Figures whose caption or description is closest in meaning to `query`."""
        hits = self.store.query("figures", self.embedder.embed([query])[0], k, _within(arxiv_ids))
        return [FigureHit(arxiv_id=h.metadata["arxiv_id"], number=str(h.metadata.get("number", "")),
                          caption=h.metadata.get("caption", ""), description=h.metadata.get("description", ""),
                          kind=h.metadata.get("kind", ""), image_path=h.metadata.get("image_path", ""),
                          page=int(h.metadata.get("page", 0)), score=round(h.score, 4)) for h in hits]


def _within(arxiv_ids: list[str] | None) -> dict[str, Any] | None:
    if not arxiv_ids:
        return None
    return {"arxiv_id": arxiv_ids[0]} if len(arxiv_ids) == 1 else {"arxiv_id": {"$in": list(arxiv_ids)}}


def _paper_text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract}"
