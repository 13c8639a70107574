"""Key phrases and acronyms read from paper text (no model needed)."""

from __future__ import annotations

import numpy as np

from tools.text.keyphrases import Phrase, acronyms, candidate_phrases, contains, content_runs, mmr


def test_content_runs_split_at_stop_words_filler_and_punctuation() -> None:
    runs = content_runs("We propose a novel audio-driven talking head generation method, "
                        "based on diffusion models.")
    assert ["audio-driven", "talking", "head", "generation"] in runs
    assert ["diffusion", "models"] in runs
    assert all("propose" not in run and "method" not in run for run in runs)


def test_candidate_phrases_count_each_text_once_most_frequent_first() -> None:
    texts = ["Talking face generation. Talking face generation again.",
             "A talking face generation model.", "Lip sync for talking face videos."]
    phrases = candidate_phrases(texts)
    counts = {p.text: p.count for p in phrases}
    assert counts["talking face generation"] == 2
    assert counts["talking face"] == 3
    assert phrases[0].text == "talking face"
    assert all(2 <= len(p.text.split()) <= 4 for p in phrases)


def test_acronyms_come_with_the_long_form_they_abbreviate() -> None:
    found = acronyms([
        "Video anomaly detection (VAD) finds unusual events.",
        "Multimodal Large Language Models (MLLMs) and large vision-language models (LVLMs).",
        "We use a transformer (ViT) and a model (X) and results (see Table 2).",
    ])
    assert found["VAD"] == "video anomaly detection"
    assert found["MLLM"] == "multimodal large language models"
    assert found["LVLM"] == "large vision language models"
    assert "ViT" not in found and "X" not in found and "see" not in found


def test_contains_compares_stemmed_consecutive_words() -> None:
    assert contains("audio-driven talking heads", "talking head")
    assert not contains("talking face generation", "talking head")
    assert not contains("head talking", "talking head")


def test_mmr_trades_similarity_for_diversity() -> None:
    target = np.array([1.0, 0.0, 0.0])
    vectors = np.array([[0.99, 0.14, 0.0], [0.98, 0.2, 0.0], [0.8, 0.0, 0.6]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    phrases = [Phrase("a"), Phrase("a twin"), Phrase("another angle")]
    assert [p.text for p in mmr(phrases, vectors, target, 2, diversity=0.0)] == ["a", "a twin"]
    assert [p.text for p in mmr(phrases, vectors, target, 2, diversity=0.5)] == ["a", "another angle"]
