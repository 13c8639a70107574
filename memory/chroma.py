"""The Chroma adapter: an embedded store in the data dir, or a `chroma run` server.

We always hand Chroma our own vectors, so its default embedding function (which downloads a
model) is never used. Each collection records the embedding model that filled it; opening it with
another model is refused instead of silently mixing vector spaces. chromadb is imported here only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

import numpy as np

from memory.store import Hit, StoreUnavailable
from tools.errors import AutoresearchError

if TYPE_CHECKING:
    from chromadb.api.types import Include, Metadata

COLLECTIONS = ("papers", "chunks", "figures")
READ_RETRIES = 4
"""Tries for a read that meets Chroma's transient "Error creating hnsw segment reader: Nothing found
on disk": a query racing the first flush of a collection another client is writing (seen with
`chroma run` 1.5.9 under concurrent writers; the next try, 50 ms later, succeeds)."""


T = TypeVar("T")


def _read(call: Callable[[], T]) -> T:
    """Run a read, retrying the transient segment-reader race with a short backoff."""
    from chromadb.errors import InternalError

    for attempt in range(READ_RETRIES):
        try:
            return call()
        except InternalError as error:
            if "hnsw segment reader" not in str(error) or attempt == READ_RETRIES - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")


class EmbeddingMismatch(AutoresearchError, RuntimeError):
    """The store was filled by another embedding model."""


def _client(path: Path | None, url: str, token: str | None):
    """A PersistentClient on `path`, or an HttpClient on `url` (checked with a heartbeat)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if not url:
        if path is None:
            raise StoreUnavailable("an embedded Chroma store needs a path")
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreUnavailable(f"memory.chroma_url {url!r} is not an http(s) URL (http://host:8000)")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    try:
        client = chromadb.HttpClient(host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 8000),
                                     ssl=parts.scheme == "https", headers=headers, settings=settings)
        client.heartbeat()
    except (ValueError, ConnectionError, OSError) as error:
        if any(word in str(error) for word in ("Unauthorized", "Forbidden", "401", "403")):
            raise StoreUnavailable(f"the Chroma server at {url} refused the request ({error}): "
                                   f"{'check' if token else 'set'} memory.chroma_token (env "
                                   "AUTORESEARCH_MEMORY__CHROMA_TOKEN)") from error
        raise StoreUnavailable(f"cannot reach the Chroma server at {url} ({error}); start it with "
                               "`chroma run --path DIR --port N`, or unset memory.chroma_url") from error
    return client


class ChromaStore:
    """`VectorStore` over chromadb (PersistentClient or HttpClient)."""

    def __init__(self, embedding_model: str, path: Path | None = None, url: str = "",
                 token: str | None = None, prefix: str = "autoresearch") -> None:
        self.client = _client(path, url, token)
        self.where = url or str(path)
        self.embedding_model = embedding_model
        self.prefix = prefix
        self.batch = max(1, min(self.client.get_max_batch_size(), 4096))
        self._collections = {name: self._open(name) for name in COLLECTIONS}

    def _open(self, name: str):
        collection = self.client.get_or_create_collection(
            f"{self.prefix}-{name}", embedding_function=None,
            metadata={"embedding_model": self.embedding_model, "hnsw:space": "cosine"})
        recorded = (collection.metadata or {}).get("embedding_model")
        if recorded and recorded != self.embedding_model:
            raise EmbeddingMismatch(
                f"the library at {self.where} was built with the embedding model {recorded!r}, not "
                f"{self.embedding_model!r}: set memory.embedding_model back, or use another data dir")
        return collection

    def upsert(self, collection: str, ids: list[str], vectors: np.ndarray, texts: list[str],
               metadatas: list[dict[str, Any]]) -> None:
        """Insert or replace, in slices no larger than the server accepts at once."""
        col = self._collections[collection]
        for start in range(0, len(ids), self.batch):
            end = start + self.batch
            col.upsert(ids=ids[start:end], embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                       documents=texts[start:end], metadatas=cast("list[Metadata]", metadatas[start:end]))

    def delete(self, collection: str, ids: list[str] | None = None,
               where: dict[str, Any] | None = None) -> None:
        if ids:
            for start in range(0, len(ids), self.batch):
                self._collections[collection].delete(ids=ids[start:start + self.batch])
        elif where:
            self._collections[collection].delete(where=where)

    def query(self, collection: str, vector: np.ndarray, k: int,
              where: dict[str, Any] | None = None, with_vectors: bool = False) -> list[Hit]:
        if k <= 0:
            return []
        include: Include = ["documents", "metadatas", "distances"]
        if with_vectors:
            include.append("embeddings")
        found = _read(lambda: self._collections[collection].query(
            query_embeddings=np.asarray([vector], dtype=np.float32), n_results=k,
            where=where or None, include=include))
        vectors = found.get("embeddings")
        rows = vectors[0] if vectors is not None else [None] * len(found["ids"][0])
        texts, metadatas, distances = found["documents"], found["metadatas"], found["distances"]
        assert texts is not None and metadatas is not None and distances is not None  # all in `include`
        return [Hit(id=i, text=t or "", metadata=dict(m or {}), score=1.0 - d,
                    vector=None if v is None else [float(x) for x in v])
                for i, t, m, d, v in zip(found["ids"][0], texts[0], metadatas[0], distances[0], rows, strict=True)]

    def get(self, collection: str, ids: list[str] | None = None,
            where: dict[str, Any] | None = None) -> list[Hit]:
        if ids is not None and not ids:
            return []
        found = _read(lambda: self._collections[collection].get(ids=ids, where=where or None,
                                                                include=["documents", "metadatas"]))
        texts, metadatas = found["documents"], found["metadatas"]
        assert texts is not None and metadatas is not None  # both in `include`
        return [Hit(id=i, text=t or "", metadata=dict(m or {}))
                for i, t, m in zip(found["ids"], texts, metadatas, strict=True)]

    def ids(self, collection: str, where: dict[str, Any] | None = None) -> list[str]:
        return list(_read(lambda: self._collections[collection].get(where=where or None, include=[]))["ids"])

    def count(self, collection: str) -> int:
        return _read(self._collections[collection].count)

    # -- copying a store (`autoresearch library migrate`) -----------------------------------------

    def page(self, collection: str, offset: int, limit: int) -> tuple[list[str], np.ndarray, list[str], list[Any]]:
        """Records `offset`…`offset+limit` as stored, vectors included: (ids, vectors, texts, metadatas)."""
        found = self._collections[collection].get(offset=offset, limit=limit,
                                                  include=["embeddings", "documents", "metadatas"])
        vectors = found.get("embeddings")
        rows = np.asarray(vectors if vectors is not None else [], dtype=np.float32)
        return list(found["ids"]), rows, list(found["documents"] or []), list(found["metadatas"] or [])

    def present(self, collection: str, ids: list[str]) -> set[str]:
        """Which of `ids` this store holds."""
        have: set[str] = set()
        for start in range(0, len(ids), self.batch):
            have.update(self._collections[collection].get(ids=ids[start:start + self.batch], include=[])["ids"])
        return have


def recorded_model(path: Path) -> str | None:
    """The embedding model an embedded store at `path` was filled with (None: no library there)."""
    if not (path / "chroma.sqlite3").is_file():
        return None
    from chromadb.errors import NotFoundError

    client = _client(path, "", None)
    for name in COLLECTIONS:
        try:
            metadata = client.get_collection(f"autoresearch-{name}").metadata or {}
        except NotFoundError:
            continue
        if metadata.get("embedding_model"):
            return str(metadata["embedding_model"])
    return None
