"""The vector store interface memory is written against (Chroma is the real adapter)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel

from tools.errors import AutoresearchError


class StoreUnavailable(AutoresearchError, RuntimeError):
    """The vector store cannot be opened or reached (a server down, a bad URL, a bad token)."""


class Hit(BaseModel):
    """One record from a collection: a nearest-neighbour result, or a plain read."""

    id: str
    text: str
    metadata: dict[str, Any]
    score: float = 0.0
    """1 - cosine distance: higher is closer (0 for plain reads)."""
    vector: list[float] | None = None
    """The stored vector, when asked for (MMR reranking needs it)."""


class VectorStore(Protocol):
    """Named collections of (id, vector, text, metadata)."""

    def upsert(self, collection: str, ids: list[str], vectors: np.ndarray, texts: list[str],
               metadatas: list[dict[str, Any]]) -> None:
        """Insert or replace records by id."""
        ...

    def delete(self, collection: str, ids: list[str] | None = None,
               where: dict[str, Any] | None = None) -> None:
        """Delete records by id, or every record whose metadata matches `where`."""
        ...

    def query(self, collection: str, vector: np.ndarray, k: int,
              where: dict[str, Any] | None = None, with_vectors: bool = False) -> list[Hit]:
        """The `k` records nearest to `vector`, best first."""
        ...

    def get(self, collection: str, ids: list[str] | None = None,
            where: dict[str, Any] | None = None) -> list[Hit]:
        """Records by id or metadata filter (every record when both are None), with metadata."""
        ...

    def ids(self, collection: str, where: dict[str, Any] | None = None) -> list[str]:
        """Ids of the records matching `where` (all when None)."""
        ...

    def count(self, collection: str) -> int:
        """How many records a collection holds."""
        ...
