"""The library: papers remembered across runs, searchable by meaning.

A paper is *in* the library once its entry in the `papers` collection exists: that entry is
written last, after the chunks, the figures and the record file, and removed first. Chunks and
figures are written pending (`memory/pending.py`): searches skip them until the entry is committed,
and opening the library cleans up what a killed writer left. So a process killed half-way leaves
no half-paper that `list()`, `stats()` or a search can see, and the next `add` does the job again
(ids are deterministic, `arxiv_id:version:chunk`, and every write is an upsert). The entry carries a
fingerprint of what was stored: re-adding the same content is a no-op, a new version's chunks
replace the old ones. Chroma's embedded client is not multi-process safe (concurrent writers
lose HNSW entries), so writes to an embedded store hold a lock file; embedding happens outside it,
so two ingesting processes still embed in parallel.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from memory.catalog import Catalog, Entries, record_from_entry
from memory.chroma import ChromaStore
from memory.chunking import Chunk, chunk_paper
from memory.embedder import query_vector
from memory.embeddings import Embedder, load_embedder
from memory.paperstore import PaperStore
from memory.pending import HIDDEN, Writer, halt, halt_after, pending_count, publish, recover, visible, writing
from memory.records import FigureHit, LibraryPaper, Passage
from memory.rerank import mmr
from memory.settings import MemorySettings
from memory.store import Hit, VectorStore
from tools.document import Figure, ParsedPaper
from tools.paper import Paper

INGEST_BATCH = 1024
"""Chunks embedded, then written, per step: bounded memory (the embedder bounds each pass by
tokens; a step's texts and vectors are a few MB), a kill loses at most one step, and enough chunks
per step that the embedder can group them by length: on a 300-page PDF, steps of 1,024 ingest at
0.92–0.98× the bare embedding throughput of the same chunks, steps of 256 at 0.84×."""
INGEST_TAIL = 128
"""Chunks in a long paper's last step. Each step is written while the next is embedded, but the
last step's write has nothing to hide behind: on a 300-page PDF a last step of 730 chunks took
0.8 s to write after the model had finished; one of 128 takes a fifth of that."""


def ingest_steps(total: int, size: int, tail: int = INGEST_TAIL) -> list[tuple[int, int]]:
    """(start, end) of each step over `total` chunks: at most `size` each; past two tails' worth,
    a last step of `tail` chunks (at most `size`) and the rest in even steps before it."""
    tail = min(tail, size)
    if total <= 2 * tail:
        return [(start, min(start + size, total)) for start in range(0, total, size)]
    head = total - tail
    count = -(-head // size)
    bounds = [round(head * number / count) for number in range(count + 1)]
    return [*pairwise(bounds), (head, total)]


class Library:
    """Add, find and remove papers; the one door to memory."""

    def __init__(self, store: VectorStore, papers: PaperStore, embedder: Embedder,
                 write_lock: FileLock | None = None, chunk_chars: int = 1200, chunk_overlap: int = 200,
                 files_root: Path | None = None, halt_at: str = "", locks: Path | None = None,
                 catalog: Catalog | None = None) -> None:
        self.store = store
        self.papers = papers
        self.embedder = embedder
        self.write_lock = write_lock
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.files_root = files_root
        """Figure images under this folder are deleted with their paper (never files elsewhere)."""
        self.locks = locks
        """Where writers keep the lock files that show they are alive (`memory/pending.py`)."""
        self.ingest_batch = INGEST_BATCH
        self.halt_after = halt_after(halt_at)
        """The crash-test hook (`memory.halt_at`): block after this many chunk batches (0: never)."""
        self.catalog = catalog
        """The papers collection's entries as a file (`memory.catalog`; embedded stores only)."""

    @classmethod
    def open(cls, settings: MemorySettings, data_dir: Path, embedder: Embedder | None = None) -> Library:
        """The library the settings describe: embedded Chroma in `data_dir`, or a server."""
        embedder = embedder or load_embedder(settings)
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        url = settings.chroma_url
        (data_dir / "locks").mkdir(parents=True, exist_ok=True)
        lock = None if url else FileLock(str(data_dir / "locks" / "library.lock"))
        # Opening writes too (a new store's schema, the collections): two processes creating one
        # store at once fail with "table collections already exists" unless serialised.
        locks = data_dir / "locks" / "writers"
        with lock if lock is not None else nullcontext():
            store = ChromaStore(embedder.name, path=None if url else data_dir / "chroma",
                                url=url, token=token)
            recover(store)
            catalog = None if url else Catalog(data_dir / "papers")
            if catalog is not None and not catalog.path.exists():  # a new store, or a writer died
                catalog.write(_entries(store))
        return cls(store, PaperStore(data_dir / "papers"), embedder, lock,
                   settings.chunk_chars, settings.chunk_overlap, data_dir, settings.halt_at, locks,
                   catalog)

    def _writing(self) -> AbstractContextManager:
        return self.write_lock if self.write_lock is not None else nullcontext()

    def _changing_papers(self) -> AbstractContextManager[Entries | None]:
        """Around a write to the papers collection, under `_writing` (`Catalog.changing`)."""
        return self.catalog.changing() if self.catalog is not None else nullcontext(None)

    # -- writes -------------------------------------------------------------------------------

    def add(self, paper: Paper, parsed: ParsedPaper | None = None) -> LibraryPaper:
        """Store a paper (its full text when parsed, else its abstract), replacing older versions.

        Figure descriptions a figure reader stored earlier are kept when the figure comes back
        with the same number and caption but no description (a re-parse does not undo them).
        """
        paper = _identified(paper, parsed)
        figures = self._keep_descriptions(paper.arxiv_id, parsed.figures if parsed else [])
        if parsed is not None:
            parsed = parsed.model_copy(update={"figures": figures})
        chunks = chunk_paper(paper, parsed, self.chunk_chars, self.chunk_overlap)
        fingerprint = _fingerprint(self.embedder.name, paper, chunks, figures)
        unchanged = self._unchanged(paper.arxiv_id, fingerprint, len(chunks), len(figures))
        if unchanged is not None:
            return unchanged
        record = LibraryPaper(paper=paper, parsed=parsed, abstract_only=parsed is None,
                              chunks=len(chunks), figures=len(figures),
                              added=datetime.now(UTC).isoformat(timespec="seconds"))
        with writing(self.locks, fingerprint) as writer:
            chunk_ids = self._put_chunks(paper, chunks, writer)
            figure_vectors = self.embedder.embed([_figure_text(f) for f in figures]) if figures else None
            paper_vector = self.embedder.embed([_paper_text(paper)])
            with self._writing():
                figure_ids = self._put_figures(paper, figures, figure_vectors, writer)
                self.papers.save(record)
                self._commit(record, paper_vector, fingerprint)
                publish(self.store, "chunks", sorted(chunk_ids))
                publish(self.store, "figures", sorted(figure_ids))
                self._drop_stale("chunks", paper.arxiv_id, chunk_ids)
                self._drop_stale("figures", paper.arxiv_id, figure_ids)
        return record

    def _put_chunks(self, paper: Paper, chunks: list[Chunk], writer: Writer) -> set[str]:
        """Embed and write chunks batch by batch, pending until the paper commits; the ids written.

        One batch is written (on a writer thread) while the next is embedded, so the store's
        work hides behind the model's; at most two batches are held at once, whatever the length.
        """
        vid = f"{paper.arxiv_id}:{paper.version}"
        base = {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
                **writer.marks()}

        def write(batch: list[Chunk], vectors: np.ndarray) -> None:
            with self._writing():
                self.store.upsert("chunks", [f"{vid}:{c.number}" for c in batch], vectors,
                                  [c.text for c in batch],
                                  [{**base, "section": c.section, "page": c.page, "chunk": c.number}
                                   for c in batch])

        written: Future[None] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chunk-writer") as pool:
            for number, (start, end) in enumerate(ingest_steps(len(chunks), self.ingest_batch), start=1):
                batch = chunks[start:end]
                vectors = self.embedder.embed([c.text for c in batch])  # outside the lock on purpose
                if written is not None:
                    written.result()
                written = pool.submit(write, batch, vectors)
                if number == self.halt_after:
                    written.result()
                    halt()
            if written is not None:
                written.result()
        return {f"{vid}:{c.number}" for c in chunks}

    def _commit(self, record: LibraryPaper, vector: np.ndarray, fingerprint: str) -> None:
        """Write the paper's entry: from now on it is in the library."""
        paper = record.paper
        meta = {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
                "published": paper.published, "chunks": record.chunks, "figures": record.figures,
                "abstract_only": record.abstract_only, "added": record.added,
                "fingerprint": fingerprint, "paper": paper.model_dump_json()}
        with self._changing_papers() as entries:
            self.store.upsert("papers", [paper.arxiv_id], vector, [_paper_text(paper)], [meta])
            if entries is not None:
                entries[paper.arxiv_id] = meta

    def _unchanged(self, arxiv_id: str, fingerprint: str, chunks: int, figures: int) -> LibraryPaper | None:
        """The stored paper when exactly this content is already stored in full, else None."""
        entry = self.store.get("papers", ids=[arxiv_id])
        if not entry or entry[0].metadata.get("fingerprint") != fingerprint:
            return None
        where = {"arxiv_id": arxiv_id}
        if len(self.store.ids("chunks", where)) != chunks or len(self.store.ids("figures", where)) != figures:
            return None
        return self._from_entry(entry[0])

    def update_figures(self, arxiv_id: str, figures: list[Figure]) -> None:
        """Replace a stored paper's figures (e.g. with a figure reader's descriptions)."""
        record = self.papers.load(arxiv_id)
        entry = self.store.get("papers", ids=[arxiv_id])
        if record is None or record.parsed is None or not entry:
            raise KeyError(f"{arxiv_id} is not in the library with its full text")
        vectors = self.embedder.embed([_figure_text(f) for f in figures]) if figures else None
        record.parsed.figures = figures
        record.figures = len(figures)
        chunks = chunk_paper(record.paper, record.parsed, self.chunk_chars, self.chunk_overlap)
        with self._writing():
            self._drop_stale("figures", arxiv_id, self._put_figures(record.paper, figures, vectors))
            self.papers.save(record)
            meta = {**entry[0].metadata, "figures": len(figures),
                    "fingerprint": _fingerprint(self.embedder.name, record.paper, chunks, figures)}
            vector = self.embedder.embed([entry[0].text])
            with self._changing_papers() as entries:
                self.store.upsert("papers", [arxiv_id], vector, [entry[0].text], [meta])
                if entries is not None:
                    entries[arxiv_id] = meta

    def remove(self, arxiv_id: str) -> bool:
        """Remove every trace of a paper (entry, chunks, figures, record, figure files)."""
        with self._writing():
            found = bool(self.store.get("papers", ids=[arxiv_id]))
            with self._changing_papers() as entries:
                self.store.delete("papers", ids=[arxiv_id])  # first: it is out of the library now
                if entries is not None:
                    entries.pop(arxiv_id, None)
            for collection in ("chunks", "figures"):
                ids = self.store.ids(collection, {"arxiv_id": arxiv_id})
                found = found or bool(ids)
                self.store.delete(collection, ids=ids)
            record = self.papers.load(arxiv_id)
            for figure in (record.parsed.figures if record and record.parsed else []):
                self._delete_file(figure.image_path)
            return self.papers.remove(arxiv_id) or found

    def _delete_file(self, path: str) -> None:
        """Delete a rendered figure if it lies under the data dir (never a user's own file)."""
        if not path or self.files_root is None:
            return
        target = Path(path).resolve()
        if target.is_file() and target.is_relative_to(self.files_root.resolve()):
            target.unlink()

    def _keep_descriptions(self, arxiv_id: str, figures: list[Figure]) -> list[Figure]:
        stored = self.papers.load(arxiv_id)
        old = {(f.number, f.caption): f for f in (stored.parsed.figures if stored and stored.parsed else [])}
        kept = []
        for figure in figures:
            before = old.get((figure.number, figure.caption))
            if before and before.description and not figure.description:
                figure = figure.model_copy(update={"description": before.description, "kind": before.kind})
            kept.append(figure)
        return kept

    def _put_figures(self, paper: Paper, figures: list[Figure], vectors: np.ndarray | None,
                     writer: Writer | None = None) -> set[str]:
        """Write a paper's figures (pending when part of an `add`); the ids written."""
        vid = f"{paper.arxiv_id}:{paper.version}"
        ids = [f"{vid}:fig{f.number}" for f in figures]
        marks = writer.marks() if writer else {}
        if figures and vectors is not None:
            metas = [{"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
                      "number": f.number, "caption": f.caption, "description": f.description,
                      "kind": f.kind, "image_path": f.image_path, "page": f.page, **marks} for f in figures]
            self.store.upsert("figures", ids, vectors, [_figure_text(f) for f in figures], metas)
        return set(ids)

    def _drop_stale(self, collection: str, arxiv_id: str, keep: set[str]) -> None:
        """Delete a paper's records that the latest write did not produce (an older version's)."""
        stale = [i for i in self.store.ids(collection, {"arxiv_id": arxiv_id}) if i not in keep]
        if stale:
            self.store.delete(collection, ids=stale)

    # -- reads --------------------------------------------------------------------------------

    def get(self, arxiv_id: str) -> LibraryPaper | None:
        """A stored paper (with its parsed text when this machine has it), or None."""
        entry = self.store.get("papers", ids=[arxiv_id])
        return self._from_entry(entry[0]) if entry else None

    def list(self, with_text: bool = True) -> list[LibraryPaper]:
        """Every stored paper, by id; `with_text=False` skips reading parsed papers from disk.

        From the catalog when there is one; else from Chroma, writing the catalog again."""
        entries = self.catalog.read() if self.catalog is not None else None
        if entries is None:
            with self._writing():
                entries = _entries(self.store)
                if self.catalog is not None:
                    self.catalog.write(entries)
        return [self._from_meta(key, entries[key], with_text) for key in sorted(entries)]

    def _from_entry(self, entry: Hit, with_text: bool = True) -> LibraryPaper:
        return self._from_meta(entry.id, entry.metadata, with_text)

    def _from_meta(self, arxiv_id: str, meta: dict[str, Any], with_text: bool = True) -> LibraryPaper:
        record = self.papers.load(arxiv_id) if with_text else None
        if record is not None and record.paper.version == meta.get("version"):
            return record
        return record_from_entry(arxiv_id, meta)

    def stats(self) -> dict[str, int]:
        """How much is stored (records of a write in flight are not counted yet)."""
        return {"papers": self.store.count("papers"),
                **{name: self.store.count(name) - pending_count(self.store, name) for name in HIDDEN}}

    def query_vector(self, text: str) -> np.ndarray:
        """Embed a query once (reuse it for chunks and figures)."""
        return query_vector(self.embedder, text)

    def search(self, query: str, k: int = 8, arxiv_ids: list[str] | None = None, *,
               vector: np.ndarray | None = None, diversity: float = 0.0, fetch_k: int = 0) -> list[Passage]:
        """The `k` chunks closest in meaning to `query`, optionally within some papers.

        With `diversity` > 0, `fetch_k` (default 4k) candidates are reranked by MMR.
        """
        vector = self.query_vector(query) if vector is None else vector
        where = visible(_within(arxiv_ids))
        if diversity <= 0:
            hits = self.store.query("chunks", vector, k, where)
        else:
            pool = self.store.query("chunks", vector, max(fetch_k, 4 * k), where, with_vectors=True)
            order = mmr(vector, np.asarray([h.vector for h in pool], dtype=np.float32), k, diversity) if pool else []
            hits = [pool[i] for i in order]
        return [Passage(arxiv_id=h.metadata["arxiv_id"], version=h.metadata.get("version", ""),
                        title=h.metadata.get("title", ""), section=h.metadata.get("section", ""),
                        page=int(h.metadata.get("page", 0)), chunk=int(h.metadata.get("chunk", 0)),
                        text=h.text, score=round(h.score, 4)) for h in hits]

    def search_figures(self, query: str, k: int = 5, arxiv_ids: list[str] | None = None, *,
                       vector: np.ndarray | None = None) -> list[FigureHit]:
        """Figures whose caption or description is closest in meaning to `query`."""
        vector = self.query_vector(query) if vector is None else vector
        hits = self.store.query("figures", vector, k, visible(_within(arxiv_ids)))
        return [FigureHit(arxiv_id=h.metadata["arxiv_id"], number=str(h.metadata.get("number", "")),
                          caption=h.metadata.get("caption", ""), description=h.metadata.get("description", ""),
                          kind=h.metadata.get("kind", ""), image_path=h.metadata.get("image_path", ""),
                          page=int(h.metadata.get("page", 0)), score=round(h.score, 4)) for h in hits]


def _entries(store: VectorStore) -> Entries:
    """The papers collection's entries as the catalog keeps them (`memory.catalog`)."""
    return {hit.id: hit.metadata for hit in store.get("papers")}


def _identified(paper: Paper, parsed: ParsedPaper | None) -> Paper:
    """Give a paper without an arXiv id the local key its PDF's hash makes."""
    if paper.arxiv_id:
        return paper
    if parsed and parsed.arxiv_id:
        return paper.model_copy(update={"arxiv_id": parsed.arxiv_id, "version": paper.version or parsed.version})
    if parsed and parsed.sha256:
        return paper.model_copy(update={"arxiv_id": f"local-{parsed.sha256[:12]}"})
    raise ValueError(f"paper {paper.title!r} has neither an arXiv id nor a parsed PDF hash")


def _fingerprint(model: str, paper: Paper, chunks: list[Chunk], figures: list[Figure]) -> str:
    """A digest of everything a write would store (the model's name included)."""
    digest = hashlib.sha256(model.encode())
    digest.update(paper.model_dump_json(exclude={"score", "found_by"}).encode())
    for chunk in chunks:
        digest.update(chunk.model_dump_json().encode())
    for figure in figures:
        digest.update(figure.model_dump_json().encode())
    return digest.hexdigest()


def _within(arxiv_ids: list[str] | None) -> dict[str, Any] | None:
    if not arxiv_ids:
        return None
    return {"arxiv_id": arxiv_ids[0]} if len(arxiv_ids) == 1 else {"arxiv_id": {"$in": list(arxiv_ids)}}


def _figure_text(figure: Figure) -> str:
    return f"Figure {figure.number}: {figure.caption} {figure.description}".strip()


def _paper_text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract}"
