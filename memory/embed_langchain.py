"""Any LangChain `Embeddings` (OpenAI, Ollama, …) behind our `Embedder` interface.

Selected by `memory.embedding_model = "langchain:<provider>:<model>"`; the provider package
(`langchain-openai`, `langchain-ollama`, …) and its credentials come from the user. langchain is
imported only when such a model is asked for. These models run elsewhere, so they are the one
way embeddings may leave the machine: never the default.
"""

from __future__ import annotations

import numpy as np

from memory.embedder import EmbeddingModelMissing


class LangChainEmbedder:
    """Wrap a LangChain `Embeddings`: batches, float32, unit-length rows."""

    backend = "langchain"

    def __init__(self, embeddings, name: str, batch_size: int = 64) -> None:
        self.embeddings = embeddings
        self.name = name
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            rows.extend(self.embeddings.embed_documents(texts[start:start + self.batch_size]))
        return _unit(rows)

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector (some providers embed queries differently from documents)."""
        return _unit([self.embeddings.embed_query(text)])[0]


def _unit(rows: list[list[float]]) -> np.ndarray:
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(rows, dtype=np.float32)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


def langchain_embedder(spec: str, batch_size: int = 64) -> LangChainEmbedder:
    """Build `langchain:<provider>:<model>` through `langchain.embeddings.init_embeddings`."""
    _, _, rest = spec.partition(":")
    provider, _, model = rest.partition(":")
    if not provider or not model:
        raise EmbeddingModelMissing(
            f"embedding model {spec!r}: write it as langchain:<provider>:<model>, "
            "e.g. langchain:openai:text-embedding-3-small or langchain:ollama:nomic-embed-text")
    try:
        from langchain.embeddings import init_embeddings
    except ImportError as error:
        raise EmbeddingModelMissing(f"{spec} needs the langchain package: pip install langchain") from error
    try:
        embeddings = init_embeddings(model, provider=provider)
    except ImportError as error:
        package = f"langchain-{provider.replace('_', '-')}"
        raise EmbeddingModelMissing(f"{spec} needs its provider package: pip install {package} ({error})") from error
    except Exception as error:  # noqa: BLE001 - providers raise their own types (missing key, bad name)
        raise EmbeddingModelMissing(
            f"cannot start the embedding model {spec}: {str(error).splitlines()[0]} "
            f"(set the provider's API key, e.g. {provider.upper()}_API_KEY, or its base URL)") from error
    return LangChainEmbedder(embeddings, spec, batch_size)
