"""Embedders: the ONNX MiniLM agrees with the full model (or is named apart), LangChain by setting."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from paperfactory import make_paper

from agent import services
from agent.settings import MemorySettings, load_settings
from memory import embed_onnx
from memory.chroma import EmbeddingMismatch
from memory.embed_langchain import LangChainEmbedder
from memory.embeddings import MINILM, MINILM_INT8, EmbeddingModelMissing, MiniLM, load_embedder

TEXTS = ["Which datasets do video anomaly detection papers evaluate on?",
         "We fine-tune the policy with group relative policy optimisation on math word problems, "
         "rewarding only final answers that match the reference exactly."]


@pytest.mark.slow
def test_onnx_and_sentence_transformers_agree_on_real_text() -> None:
    torch_model = load_embedder(MemorySettings(embedding_backend="torch"))
    onnx_model = load_embedder(MemorySettings(embedding_backend="onnx"))
    a, b = torch_model.embed(TEXTS), onnx_model.embed(TEXTS)
    assert a.shape == b.shape == (2, 384) and a.dtype == b.dtype == np.float32
    assert np.allclose(np.linalg.norm(b, axis=1), 1, atol=1e-4)
    assert float(np.min(np.sum(a * b, axis=1))) >= embed_onnx.AGREEMENT
    assert torch_model.name == onnx_model.name == MINILM  # one model identity: one collection


def test_auto_picks_onnx_and_keeps_the_full_models_name() -> None:
    model = load_embedder(MemorySettings())
    assert isinstance(model, MiniLM) and model.name == MINILM
    assert model.backend == "onnx-int8"
    assert model.embed(TEXTS).shape == (2, 384)


def test_a_disagreeing_onnx_model_gets_another_name_and_auto_falls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = json.loads(embed_onnx.REFERENCE.read_text())
    reference["vectors"] = [v[1:] + v[:1] for v in reference["vectors"]]  # another vector space
    forged = tmp_path / "reference.json"
    forged.write_text(json.dumps(reference))
    monkeypatch.setattr(embed_onnx, "REFERENCE", forged)
    assert load_embedder(MemorySettings(embedding_backend="onnx")).name == MINILM_INT8
    auto = load_embedder(MemorySettings())
    assert auto.name == MINILM and auto.backend == "torch"


def test_a_store_refuses_another_embedding_model(embedder) -> None:
    services.library(load_settings(), embedder).add(*make_paper("2403.00001"))
    other = load_embedder(MemorySettings(embedding_backend="onnx"))
    other.name = MINILM_INT8
    with pytest.raises(EmbeddingMismatch, match="built with the embedding model 'all-MiniLM-L6-v2'"):
        services.library(load_settings(), other)


def test_langchain_embeddings_fill_a_library_fake_embeddings_model() -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    fake = LangChainEmbedder(DeterministicFakeEmbedding(size=32), "langchain:fake:deterministic", 3)
    vectors = fake.embed(["a", "b", "c", "d"])
    assert vectors.shape == (4, 32) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    library = services.library(load_settings(), fake)
    library.add(*make_paper("2403.00002"))
    assert library.stats()["papers"] == 1
    assert library.store._collections["chunks"].metadata["embedding_model"] == "langchain:fake:deterministic"


def test_langchain_settings_fail_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(EmbeddingModelMissing, match="langchain:<provider>:<model>"):
        load_embedder(MemorySettings(embedding_model="langchain:openai"))
    missing = next(p for p, module in (("cohere", "langchain_cohere"), ("mistralai", "langchain_mistralai"),
                                       ("bedrock", "langchain_aws")) if importlib.util.find_spec(module) is None)
    with pytest.raises(EmbeddingModelMissing, match=r"pip install langchain-"):
        load_embedder(MemorySettings(embedding_model=f"langchain:{missing}:some-model"))
    if importlib.util.find_spec("langchain_openai") is not None:
        with pytest.raises(EmbeddingModelMissing, match="OPENAI_API_KEY"):
            load_embedder(MemorySettings(embedding_model="langchain:openai:text-embedding-3-small"))


def test_an_unknown_model_says_what_to_do() -> None:
    with pytest.raises(EmbeddingModelMissing, match="nothing is downloaded at run time"):
        load_embedder(MemorySettings(embedding_model="sentence-transformers/all-mpnet-base-v2"))


def test_a_sentence_transformers_folder_is_named_by_its_folder(tmp_path: Path) -> None:
    from memory.embeddings import SentenceTransformerEmbedder, minilm_path

    model = load_embedder(MemorySettings(embedding_model=str(minilm_path())))
    assert isinstance(model, SentenceTransformerEmbedder) and model.name == minilm_path().name
    assert model._model is None  # weights load on first use, not at start-up
    with pytest.raises(EmbeddingModelMissing, match="no sentence-transformers model"):
        load_embedder(MemorySettings(embedding_model=str(tmp_path)))
