"""Snowballing in the review graph: once the approved papers are read, the works they cite (and
arXiv has) come to a second papers gate, explained as "cited by"; the chosen ones are read too.

A paper built with PyMuPDF, whose bibliography carries arXiv ids, is served by the arXiv mirror;
two of the works it cites are in the mirror's corpus. Real parser, library, SQLite checkpoints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.review.approval import Decision, GatePolicies
from agent.review.context import ReviewServices
from agent.review.state import ReviewRequest
from agent.runs.events import ApprovalNeeded, Finished, StageStarted
from agent.runs.session import ReviewSession
from agent.settings import load_settings
from evals.mirror import Corpus, MirrorServer, PdfFolder
from evals.sample_pdfs import RECORD, paper

RECORDS = [
    RECORD,
    {"arxiv_id": "2004.05150", "version": "v2", "title": "Longformer: The Long-Document Transformer",
     "abstract": "Transformer-based models are unable to process long sequences due to their self-attention "
                 "operation, which scales quadratically with the sequence length."},
    {"arxiv_id": "1904.10509", "version": "v1", "title": "Generating Long Sequences with Sparse Transformers",
     "abstract": "We introduce sparse factorizations of the attention matrix which reduce the cost of "
                 "transformers on long sequences."},
]
TOPIC = "sparse attention for long documents"


@pytest.fixture
def served(tmp_path: Path):
    pdf = paper(tmp_path / "sparse.pdf")
    with MirrorServer(Corpus.from_records(RECORDS), PdfFolder(tmp_path, {"2401.00001": pdf.name})) as mirror:
        yield mirror, load_settings(home=tmp_path / "home", arxiv={
            "api_url": mirror.api_url, "pdf_url": mirror.pdf_url, "min_interval_s": 0})


def test_cited_works_come_to_a_second_papers_gate_and_the_chosen_one_is_read(served, seed_vectors) -> None:
    mirror, settings = served
    request = ReviewRequest(topic=TOPIC, max_papers=1,
                            gates=GatePolicies(papers="ask", outline="auto", draft="auto"))
    with ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors)) as session:
        first = list(session.start(request))[-1]
        assert isinstance(first, ApprovalNeeded) and first.gate == "papers"
        assert [c["paper"]["arxiv_id"] for c in first.request["candidates"]] == ["2401.00001"]
        second = list(session.resume(first.run_id, Decision(action="approve", by="test")))
        cited = second[-1]
        assert isinstance(cited, ApprovalNeeded) and cited.gate == "papers"
        assert cited.request["round"] == "citations"
        offered = {c["paper"]["arxiv_id"]: c["reasons"] for c in cited.request["candidates"]}
        assert set(offered) == {"2004.05150", "1904.10509"}  # the other references are not on this arXiv
        assert all("cited by" in reasons[0] and "2401.00001" in reasons[0] for reasons in offered.values())
        assert session.show(first.run_id).gate == "papers"
        last = list(session.resume(first.run_id, Decision(action="edit", keep=["2004.05150"], by="test")))
    done = last[-1]
    assert isinstance(done, Finished), done
    assert done.counts["papers"] == 2 and (done.counts["ingested"], done.counts["abstract_only"]) == (1, 1)
    started = [e.stage for e in second + last if isinstance(e, StageStarted)]
    # A gate node runs again when the run resumes; snowballing runs once, then the cited paper is read.
    assert started[:7] == ["gate_papers", "ingest", "snowball", "gate_cited", "gate_cited", "ingest", "figures"]
    assert started.count("snowball") == 1
    review = (Path(done.out_dir) / "review.md").read_text()
    assert "Longformer" in review and "Generating Long Sequences" not in review


def test_snowballing_turned_off_goes_straight_on(served, seed_vectors) -> None:
    mirror, settings = served
    settings = settings.model_copy(update={"search": settings.search.model_copy(update={"snowball_max_papers": 0})})
    request = ReviewRequest(topic=TOPIC, max_papers=1, gates=GatePolicies(papers="auto", outline="auto", draft="auto"))
    with ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors)) as session:
        events = list(session.start(request))
    assert isinstance(events[-1], Finished) and events[-1].counts["papers"] == 1
    assert "gate_cited" not in [e.stage for e in events if isinstance(e, StageStarted)]


def test_an_auto_papers_gate_adds_every_cited_work_within_the_request_budget(served, seed_vectors) -> None:
    mirror, settings = served
    request = ReviewRequest(topic=TOPIC, max_papers=1, gates=GatePolicies(papers="auto", outline="auto", draft="auto"))
    with ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors)) as session:
        events = list(session.start(request))
    done = events[-1]
    assert isinstance(done, Finished) and done.counts["papers"] == 3
    report = (Path(done.out_dir) / "run.json").read_text()
    assert '"snowball"' in report
