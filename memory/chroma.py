"""The Chroma adapter: an embedded store in the data dir, or a `chroma run` server.

We always hand Chroma our own vectors, so its default embedding function (which downloads a
model) is never used. Each collection records the embedding model that filled it; opening it with
another model is refused instead of silently mixing vector spaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from memory.store import Hit

COLLECTIONS = ("papers", "chunks", "figures")


class EmbeddingMismatch(RuntimeError):
    """The store was filled by another embedding model."""


class ChromaStore:
    """`VectorStore` over chromadb (PersistentClient or HttpClient)."""

    def __init__(self, embedding_model: str, path: Path | None = None, url: str = "",
                 token: str | None = None, prefix: str = "autoresearch") -> None:
        import chromadb

        settings = chromadb.Settings(anonymized_telemetry=False)
        if url:
            parts = urlsplit(url)
            headers = {"Authorization": f"Bearer {token}"} if token else None
            self.client = chromadb.HttpClient(host=parts.hostname or "127.0.0.1", port=parts.port or 8000,
                                              ssl=parts.scheme == "https", headers=headers, settings=settings)
            self.where = url
        else:
            assert path is not None, "an embedded store needs a path"
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=settings)
            self.where = str(path)
        self.embedding_model = embedding_model
        self.prefix = prefix
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
        if ids:
            self._collections[collection].upsert(ids=ids, embeddings=vectors, documents=texts,
                                                 metadatas=metadatas)

    def delete(self, collection: str, ids: list[str] | None = None,
               where: dict[str, Any] | None = None) -> None:
        if ids or where:
            self._collections[collection].delete(ids=ids or None, where=where or None)

    def query(self, collection: str, vector: np.ndarray, k: int,
              where: dict[str, Any] | None = None) -> list[Hit]:
        col = self._collections[collection]
        if k <= 0 or col.count() == 0:
            return []
        found = col.query(query_embeddings=np.asarray([vector]), n_results=k, where=where or None,
                          include=["documents", "metadatas", "distances"])
        return [Hit(id=i, text=t or "", metadata=m or {}, score=1.0 - d)
                for i, t, m, d in zip(found["ids"][0], found["documents"][0], found["metadatas"][0],
                                      found["distances"][0], strict=True)]

    def ids(self, collection: str, where: dict[str, Any] | None = None) -> list[str]:
        return list(self._collections[collection].get(where=where or None, include=[])["ids"])

    def count(self, collection: str) -> int:
        return self._collections[collection].count()
