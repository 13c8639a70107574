"""The reviewer's voice: a paper's sentence in third person, cited, without boilerplate, its own
wording kept."""

from __future__ import annotations

from agent.review.writers.voice import THEY, Subject, authors_subject, merge, statement, strip_opener
from tools.paper import Paper

AUTHORS = Subject("Sultani et al.")


def test_first_person_claims_take_the_authors_as_subject() -> None:
    cases = {
        "In this paper, we propose ADNet, an anomaly detection network, which utilizes temporal convolutions.":
            "Sultani et al. [@k] propose ADNet, an anomaly detection network, which utilizes temporal convolutions.",
        "This paper proposes a framework that scores clips.":
            "Sultani et al. [@k] propose a framework that scores clips.",
        "Our experimental results show that our MIL method beats the baselines.":
            "The experimental results of Sultani et al. [@k] show that their MIL method beats the baselines.",
        "To tackle these problems, we contribute a new database for us and others.":
            "Sultani et al. [@k] contribute a new database for them and others.",
        "To evaluate our method fairly, we use two datasets.":
            "To evaluate their method fairly, Sultani et al. [@k] use two datasets.",
        "However, current approaches are limited to a closed set.":
            "Sultani et al. [@k] note that current approaches are limited to a closed set.",
    }
    for sentence, expected in cases.items():
        role = "limitation" if sentence.startswith("However") else "contribution"
        assert statement(sentence, AUTHORS, "k", role) == expected


def test_one_author_agrees_and_unknown_authors_are_named_by_the_paper() -> None:
    single = authors_subject(Paper(arxiv_id="1", title="T", authors=["Ada Lovelace"]))
    assert statement("We present a model.", single, "k") == "Lovelace [@k] presents a model."
    team = authors_subject(Paper(arxiv_id="1", title="T", authors=["DeepSeek-AI"]))
    assert statement("We introduce R1.", team, "k") == "DeepSeek-AI [@k] introduce R1."
    unknown = authors_subject(Paper(arxiv_id="1", title="Seeing_Things: A *Study*"))
    assert statement("We propose X.", unknown, "k") == r"The authors of *Seeing\_Things: A \*Study\** [@k] propose X."
    named = authors_subject(Paper(arxiv_id="1", title="ADNet: Temporal Detection"), "ADNet")
    assert named.who == "the authors of ADNet"


def test_a_second_statement_about_the_same_paper_merges_into_the_first() -> None:
    first = statement("We propose ADNet.", AUTHORS, "k")
    second = statement("Our method uses temporal convolutions.", THEY, "", "method")
    assert merge(first, second) == "Sultani et al. [@k] propose ADNet; their method uses temporal convolutions."
    assert strip_opener("Moreover, To this end, we go.") == "We go."
