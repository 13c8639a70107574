"""What every embedding model is to the library: an `Embedder`, and the error when it is missing.

Apart from `memory.embeddings` (which picks and loads a model) so that each backend module can
raise the error without importing the module that chooses between them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from tools.errors import AutoresearchError


class EmbeddingModelMissing(AutoresearchError, RuntimeError):
    """The configured embedding model is not on this machine (or cannot be started)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str
    """A stable identifier recorded in every collection this model fills."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed a batch: float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """A query's vector: the model's own query form (`embed_query`) where it has one."""
    embed_query = getattr(embedder, "embed_query", None)
    return embed_query(text) if embed_query else embedder.embed([text])[0]
