"""Figures of a paper with real figures: described once by the reader, remembered, reused.

A three-page paper built with PyMuPDF (a vector plot and a raster image) is served as a PDF by the
arXiv mirror; the real parser, library and CPU figure reader run.
"""

from __future__ import annotations

from pathlib import Path

from agent.review.approval import GatePolicies
from agent.review.context import ReviewServices
from agent.review.state import ReviewRequest
from agent.runs.events import Finished, Progress
from agent.runs.session import ReviewSession
from agent.settings import load_settings
from evals.mirror import Corpus, MirrorServer, PdfFolder
from evals.sample_pdfs import RECORD, paper
from tools.figures import CPUReader

RECORDS = [
    RECORD,
    {"arxiv_id": "2401.00002", "version": "v1", "title": "Long Document Transformers with Sparse Memory",
     "abstract": "We study transformers for long documents whose attention is sparse and whose memory "
                 "grows slowly with the length of the document."},
]


class CountingReader(CPUReader):
    """The CPU reader, counting the figures it is asked to describe."""

    def __init__(self) -> None:
        self.described: list[str] = []

    def describe(self, figures):
        self.described += [f"{f.arxiv_id}:{f.number}" for f in figures]
        return super().describe(figures)


def test_figures_are_described_once_and_reused_by_the_next_run(tmp_path: Path, seed_vectors) -> None:
    pdf = paper(tmp_path / "sparse.pdf")
    with MirrorServer(Corpus.from_records(RECORDS), PdfFolder(tmp_path, {"2401.00001": pdf.name})) as mirror:
        settings = load_settings(home=tmp_path / "home", arxiv={
            "api_url": mirror.api_url, "pdf_url": mirror.pdf_url, "min_interval_s": 0})
        reader = CountingReader()
        services = ReviewServices(settings, embedder=seed_vectors, figure_reader=reader)
        request = ReviewRequest(topic="sparse attention for long documents", max_papers=2,
                                gates=GatePolicies(papers="auto", outline="auto", draft="auto"))
        with ReviewSession(settings, services=services) as session:
            first = list(session.start(request))
            second = list(session.start(request))
        stored = services.library.get("2401.00001")

    assert isinstance(first[-1], Finished) and isinstance(second[-1], Finished)
    assert (first[-1].counts["ingested"], first[-1].counts["abstract_only"]) == (1, 1)
    assert sorted(reader.described) == ["2401.00001:1", "2401.00001:2"]  # the second run asked nothing
    # The CPU reader described them while the paper was read (beside the downloads): the figures
    # stage found nothing left to do.
    assert [e.message for e in first if isinstance(e, Progress) and e.stage == "figures"] == []
    assert second[-1].counts["stored"] == 2
    assert stored is not None and stored.parsed is not None
    assert all(f.description and f.kind for f in stored.parsed.figures)
