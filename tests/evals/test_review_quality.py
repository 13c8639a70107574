"""The review-quality eval's own measures and its independent support checker, on small inputs."""

from __future__ import annotations

from evals.review_quality import body_blocks, is_quotation, keys_of
from evals.support_check import SupportChecker, sentence_parts
from memory.records import LibraryPaper
from tools.paper import Paper

MARKDOWN = """---
title: "T"
---

# Intro

Four of the six papers evaluate on UCF-Crime [@a; @b]. Sultani et al. [@a] note “a long quoted span here”.

| x [@c] |
|---|

- *Title* [@d] is a list item.

# References

Nothing [@e].
"""


def test_prose_blocks_skip_tables_references_and_keep_list_items() -> None:
    blocks = body_blocks(MARKDOWN)
    assert [section for section, _ in blocks] == ["Intro", "Intro"]
    assert blocks[1][1].startswith("*Title* [@d]")  # an italic title is not a list marker
    assert keys_of(blocks[0][1]) == ["a", "b"]
    assert is_quotation(blocks[0][1]) and not is_quotation("Three words “only here” [@a].")


def test_each_citation_owns_its_clause_and_names_are_not_claims() -> None:
    parts = sentence_parts("ADNet [@a] uses temporal convolutions, while *Global Guidance* [@b] uses weak labels.")
    assert parts == {"a": "uses temporal convolutions", "b": "while uses weak labels."}
    assert sentence_parts("Two of the ten papers report AUC [@a; @b]; one reports AP [@c].") == {
        "a": "report AUC", "b": "report AUC", "c": "one reports AP ."}


def test_the_checker_supports_what_the_paper_says_and_refuses_the_rest(embedder) -> None:
    paper = Paper(arxiv_id="2401.00001", title="ADNet: Temporal Anomaly Detection", published="2021-05-01",
                  abstract="We propose ADNet, which utilizes temporal convolutions to localize anomalies in "
                           "videos. ADNet reaches 87.4% AUC on UCF-Crime.")
    checker = SupportChecker(embedder, {paper.arxiv_id: LibraryPaper(paper=paper, abstract_only=True)})
    assert checker.check("utilizes temporal convolutions to localize anomalies", paper.arxiv_id).supported
    assert checker.check("since 2020, evaluate on UCF-Crime", paper.arxiv_id).supported  # year from metadata
    assert not checker.check("reaches 91.2% AUC on UCF-Crime", paper.arxiv_id).supported  # number absent
    assert not checker.check("folds proteins with quantum annealing", paper.arxiv_id).supported
    assert not checker.check("evaluate on ShanghaiTech", paper.arxiv_id).supported  # name absent
