"""The snowball eval's mirror corpus: one record per usable reference, made-up ids that cannot
be real, and the measurement over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.snowball_eval import MADE_UP_PREFIX, evaluate, reference_records
from tools.document import ParsedPaper, Reference

PAPERS = {
    "2501.10120": ParsedPaper(source="pasa.pdf", title="PaSa: an LLM agent for paper search",
                              references=[
        Reference(raw="Vaswani et al. 2017. Attention is all you need. arXiv:1706.03762v5",
                  title="Attention is all you need", year="2017", arxiv_id="1706.03762v5"),
        Reference(raw="He et al. 2016. Deep residual learning for image recognition. CVPR.",
                  title="Deep residual learning for image recognition", year="2016"),
        Reference(raw="Anonymous. 2020. Untitled.", title="Untitled"),
    ]),
    "2302.07302": ParsedPaper(source="citesee.pdf", title="CiteSee: augmenting citations", references=[
        Reference(raw="K. He. Deep Residual Learning for Image Recognition. 2016.",
                  title="Deep Residual Learning for Image Recognition", year="2016"),
    ]),
}


def test_each_usable_reference_becomes_one_record() -> None:
    records, planted = reference_records(PAPERS)
    by_id = {r["arxiv_id"]: r for r in records}
    assert by_id["1706.03762"]["title"] == "Attention is all you need"
    made_up = [i for i in by_id if i.startswith(MADE_UP_PREFIX)]
    assert len(made_up) == 1  # the same title cited twice is one record
    assert planted[("2501.10120", 1)] == planted[("2302.07302", 0)] == made_up[0]
    assert ("2501.10120", 2) not in planted  # a one-word title is not searchable
    assert by_id[made_up[0]]["published"] == "2016-01-01"


def test_the_eval_finds_references_by_id_and_by_title(embedder) -> None:
    rows = {r["paper"]: r for r in evaluate(PAPERS, embedder, budget=3)}
    assert rows["2501.10120"]["found_with_id"] == 1.0
    assert rows["2501.10120"]["found_by_title"] == 1.0
    assert rows["2501.10120"]["wrong_title_matches"] == 0
    assert rows["2501.10120"]["requests"] == 2 <= rows["2501.10120"]["budget"]
    assert rows["2302.07302"]["found_with_id"] is None and rows["2302.07302"]["requests"] == 1
    together = rows["all 2"]
    assert together["cited_by_several"] == 1  # the residual network paper, cited by both
    assert together["requests"] <= 3 and together["found_by_title"] == 1.0


@pytest.mark.shared_data
def test_deepseek_r1_references_come_in_within_the_budget(shared_data: Path, embedder) -> None:
    from tools.pdf.parse import parse_pdf

    paper = parse_pdf(shared_data / "pdfs" / "arxiv_2501.12948v1.pdf", figures_dir=None)
    assert sum(1 for r in paper.references if r.arxiv_id) >= 10
    row = evaluate({"2501.12948": paper}, embedder, budget=6)[0]
    assert row["found_with_id"] == 1.0 and row["wrong_title_matches"] == 0
    assert row["requests"] <= 6
