"""The vector store interface memory is written against (Chroma is the real adapter)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel


class Hit(BaseModel):
    """One nearest-neighbour result."""

    id: str
    text: str
    metadata: dict[str, Any]
    score: float
    """1 - cosine distance: higher is closer."""


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
              where: dict[str, Any] | None = None) -> list[Hit]:
        """The `k` records nearest to `vector`, best first."""
        ...

    def ids(self, collection: str, where: dict[str, Any] | None = None) -> list[str]:
        """Ids of the records matching `where` (all when None)."""
        ...

    def count(self, collection: str) -> int:
        """How many records a collection holds."""
        ...
