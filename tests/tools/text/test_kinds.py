"""Surveys and dataset/benchmark papers are recognised by what they say they are."""

from __future__ import annotations

import pytest

from tools.text.kinds import paper_kind


@pytest.mark.parametrize(("title", "abstract", "kind"), [
    ("A Survey on Multimodal Large Language Models", "", "survey"),
    ("Multimodal Large Language Models: A Survey", "", "survey"),
    ("Deep Video Anomaly Detection: Opportunities and Challenges",
     "In this survey we review the recent progress of deep learning for video anomaly detection.", "survey"),
    ("Video Anomaly Detection for Smart Surveillance",
     "In this paper, we provide a brief overview of the recent research progress on video anomaly detection.",
     "survey"),
    ("ALLVB: All-in-One Long Video Understanding Benchmark", "We build a benchmark.", "dataset"),
    ("DocLayNet: A Large Human-Annotated Dataset for Document-Layout Analysis", "", "dataset"),
    ("ComplexVAD: Detecting Interaction Anomalies in Video",
     "Here we introduce a new large-scale dataset: ComplexVAD. The dataset has many scenes; a benchmark "
     "of methods on the dataset shows they fail.", "dataset"),
    ("LaVy: Vietnamese Multimodal Large Language Model",
     "We introduce LaVy, a Vietnamese MLLM. We also introduce LaVy-Bench benchmark for evaluation, a "
     "benchmark of visual questions; the benchmark is open.", "paper"),
    ("SPOT! Revisiting Video-Language Models for Event Understanding",
     "We introduce SPOT Prober, to benchmark existing video-language models.", "paper"),
    ("Code Review Automation with Transformers", "We propose a model that writes code reviews.", "paper"),
])
def test_kind(title: str, abstract: str, kind: str) -> None:
    assert paper_kind(title, abstract) == kind
