"""`--translate zh` with the real tiny local model (SmolLM2-135M through llama.cpp).

The model's Chinese is poor; these tests check the plumbing: a real model is built from settings,
every translated field comes back filled and is not the English handed back, nothing fails
silently. Inputs are kept short so the tests stay quick on two CPU cores.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from agent import services
from agent.cli.app import main
from agent.settings import Settings, load_settings
from agent.summary.extract import FIELDS
from evals.mirror import MirrorServer
from tools.paper import Paper

pytestmark = pytest.mark.slow
SHORT_ABSTRACT = ("Video anomaly detection is important for public safety. Existing detectors are slow. "
                  "We propose FrameGate, a gated transformer. It reaches 87.4% AUC on UCF-Crime. "
                  "It does not yet handle moving cameras.")


@pytest.fixture
def smollm2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged SmolLM2 as the translator, with short replies to keep the test quick."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (extra: llamacpp)")
    for key, value in {"TRANSLATOR": "llamacpp:smollm2", "TEMPERATURE": "0", "MAX_OUTPUT_TOKENS": "64",
                       "CONTEXT_WINDOW": "2048"}.items():
        monkeypatch.setenv(f"AUTORESEARCH_LLM__{key}", value)


def test_digest_translate_zh_fills_both_languages(mirror_settings: Settings, mirror: MirrorServer,
                                                  smollm2: None, capsys: pytest.CaptureFixture[str]) -> None:
    mirror.corpus.add({"arxiv_id": "2611.00042", "title": "Gated Frame Scoring for Video Anomalies",
                       "abstract": "We score video frames with a gated transformer.",
                       "published": datetime.now(UTC).date().isoformat()})
    assert main(["digest", "--keyword", "Gated Frame Scoring", "--translate", "zh", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    (paper,) = document["keywords"][0]["papers"]
    assert document["language"] == "zh" and "translation_error" not in paper
    assert paper["title_zh"].strip() and paper["title_zh"] != paper["title"]
    assert paper["abstract_zh"].strip() and paper["abstract_zh"] != paper["abstract"]


def test_summarize_translate_zh_fills_every_field(smollm2: None, embedder,
                                                  capsys: pytest.CaptureFixture[str]) -> None:

    services.library(load_settings(), embedder).add(
        Paper(arxiv_id="2501.00009", version="v1", title="FrameGate", abstract=SHORT_ABSTRACT))
    assert main(["summarize", "2501.00009", "--translate", "zh", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    translation = summary["translation"]
    assert translation["language"] == "zh" and translation["title"].strip()
    for name in FIELDS:
        english = summary[name] if isinstance(summary[name], list) else [summary[name]]
        translated = translation["fields"][name]
        assert translated and all(t.strip() for t in translated), name
        assert translated != english, name
