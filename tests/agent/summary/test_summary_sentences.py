"""Sentence splitting and section roles: the ground the extractive writers stand on."""

from __future__ import annotations

from agent.summary.sentences import is_quotable, paper_sentences, role_of, section_roles, split_sentences
from tests.fixtures.papers import paper_text, sample_paper
from tools.document import ParsedPaper, Section


def test_abbreviations_decimals_and_initials_do_not_end_a_sentence() -> None:
    text = ("Prior work (Smith et al., 2020) used optical flow, e.g. Farneback's method. It reached "
            "87.4% AUC on UCF-Crime, see Fig. 2 and Eq. 3 for details. J. Smith later improved it!  "
            "• We release the code.")
    assert split_sentences(text) == [
        "Prior work (Smith et al., 2020) used optical flow, e.g. Farneback's method.",
        "It reached 87.4% AUC on UCF-Crime, see Fig. 2 and Eq. 3 for details.",
        "J. Smith later improved it!",
        "We release the code.",
    ]


def test_quotable_rejects_captions_equations_and_fragments() -> None:
    assert is_quotable("The gate is trained jointly with the scoring head using a ranking loss.")
    assert not is_quotable("Figure 3: AUC of every model on the UCF-Crime benchmark test set.")
    assert not is_quotable("x = W_1 h + b_1 , y = σ ( W_2 x + b_2 ) + 1 = 0 .")
    assert not is_quotable("and the model is trained for thirty epochs with Adam")
    assert not is_quotable("Too short.")


def test_roles_from_headings_parents_and_position() -> None:
    assert role_of("1 Introduction") == "introduction"
    assert role_of("2. Related Work") == "related"
    assert role_of("5 Conclusion, Limitations, and Future Work") == "conclusion"
    assert role_of("A. Contributions and Acknowledgments") == "skip"
    assert role_of("DeepSeek-R1-Zero: Reinforcement Learning on the Base") is None
    paper = ParsedPaper(source="x", sections=[
        Section(title="Introduction"), Section(title="Our Idea"), Section(title="Details", level=2),
        Section(title="Experiments"), Section(title="Ablation", level=2), Section(title="What we learned"),
        Section(title="References"), Section(title="A Extra proofs")])
    assert section_roles(paper) == ["introduction", "method", "method", "experiments", "experiments",
                                    "discussion", "skip", "skip"]


def test_every_sentence_is_verbatim_and_nothing_comes_from_references_or_appendix() -> None:
    paper = sample_paper()
    sentences = paper_sentences(paper)
    text = paper_text(paper)
    assert sentences and all(s.text in text for s in sentences)
    assert {s.role for s in sentences} >= {"abstract", "introduction", "related", "method", "experiments",
                                         "conclusion"}
    assert not any("appendix" in s.text or "Proceedings" in s.text for s in sentences)
