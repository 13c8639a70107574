"""The statement rules: what may be quoted or paraphrased as a paper's own words, and what may
motivate a field (examples from the issue and from real papers' furniture)."""

from __future__ import annotations

import pytest

from tools.text.clean import is_clean_statement, is_motivation, motivation_problem, statement_problem

PROSE = [
    "Anomaly detection in surveillance videos is an important research problem in computer vision.",
    "We propose a transformer that reads long documents at a fraction of the cost of dense attention.",
    "Our method outperforms the previous state of the art by a wide margin on both benchmarks.",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_clean(text: str) -> None:
    assert is_clean_statement(text), statement_problem(text)


@pytest.mark.parametrize(("text", "reason"), [
    ("In phase four, we trained the staff. KDD ’22, August 14–18, 2022, Washington, DC, USA Figure 2: "
     "Distribution of DocLayNet pages across document categories.", "running header or footer"),
    ("arXiv:2203.00274v2 [cs.CL] 3 May 2022 Understanding tables is an important problem.", "arXiv stamp"),
    ("Figure 3: The architecture of our model with the encoder on the left.", "caption"),
    ("Table 2. Results on the test set for every model we trained.", "caption"),
    ("[12] A. Vaswani, N. Shazeer, and N. Parmar. Attention is all you need. In Proceedings of NeurIPS, "
     "pages 5998-6008, 2017.", "reference-list entry"),
    ("Beltagy, I., Lo, K., and Cohan, A. SciBERT: A pretrained language model for scientific text.",
     "reference-list entry"),
    ("BERT-Base SCIBERT Frozen Finetuned NER PICO DEP Average", "table"),
    ("Model 71.2 68.4 80.1 77.9 64.0 Ours 73.5", "table"),
    ("The loss is L = ∑ log p(y|x) + λ ‖θ‖ over the batch.", "equation"),
    ("Department of Computer Science, University of Washington, Seattle, jdoe@cs.uw.edu", "affiliation"),
    ("Copyright 2022 held by the owner and the authors of this work.", "running header or footer"),
    ("7 Conclusion and future work in this direction", "page number"),
])
def test_furniture_is_not_a_statement(text: str, reason: str) -> None:
    assert statement_problem(text) == reason


def test_a_running_header_repeating_the_title_is_caught() -> None:
    title = "DocLayNet: A Large Human-Annotated Dataset for Document-Layout Analysis"
    glued = f"{title} The pages in DocLayNet can be grouped into six distinct categories."
    assert statement_problem(glued, title=title) == "running header or footer"
    assert is_clean_statement("The pages in DocLayNet can be grouped into six distinct categories.", title=title)


@pytest.mark.parametrize(("text", "reason"), [
    ("Keeping with past work, we report macro F1 scores for NER and PICO.", "about one paper, not the field"),
    ("Following prior work, results are averaged over five random seeds on the test split.",
     "evaluation protocol or results, not the field"),
    ("Accuracy improves from 71.2% to 80.4% with the larger backbone.",
     "evaluation protocol or results, not the field"),
    ("The cat sat on the mat near the door all afternoon long.", "says neither what the problem is nor why it matters"),
])
def test_motivation_is_about_the_field(text: str, reason: str) -> None:
    assert motivation_problem(text, topic="named entity recognition") == reason


def test_field_sentences_motivate() -> None:
    assert is_motivation(PROSE[0])
    assert is_motivation("Talking head generation turns a portrait and a speech clip into a video.",
                         topic="talking head generation")
