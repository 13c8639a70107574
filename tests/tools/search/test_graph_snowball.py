"""Snowballing both ways: references resolved on OpenAlex, and the works citing the approved paper,
against the arXiv mirror and a local OpenAlex server (real clients, the real embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.mirror import Corpus, MirrorServer
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import make_work, work_id
from tools.document import ParsedPaper, Reference
from tools.paper import Paper
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.search.graph import graph_snowball
from tools.settings import ArxivSettings, OpenAlexSettings
from tools.sources.openalex import OpenAlexClient

ARXIV = [
    {"arxiv_id": "1706.03762", "version": "v7", "title": "Attention Is All You Need", "authors": ["Ashish Vaswani"],
     "published": "2017-06-12", "abstract": "The dominant sequence transduction models are based on attention."},
    {"arxiv_id": "2006.11239", "version": "v2", "title": "Denoising Diffusion Probabilistic Models",
     "authors": ["Jonathan Ho"], "published": "2020-06-19", "abstract": "High quality image synthesis with diffusion."},
    {"arxiv_id": "2409.02657", "version": "v1", "title": "PoseTalk: talking head generation",
     "authors": ["Jun Ling"], "published": "2024-09-04", "abstract": "Talking head video generation from audio."},
    {"arxiv_id": "2501.00001", "version": "v1", "title": "Diffusion talking heads with pose control",
     "authors": ["New Author"], "published": "2025-01-02", "abstract": "A later talking head generator."},
]
WORKS = [
    make_work(seed="attention", title="Attention Is All You Need", authors=["Ashish Vaswani"], year=2017,
              doi="10.48550/arxiv.1706.03762", arxiv_id="1706.03762", cited_by_count=90000),
    make_work(seed="ddpm", title="Denoising Diffusion Probabilistic Models", authors=["Jonathan Ho"], year=2020,
              doi="10.48550/arxiv.2006.11239", arxiv_id="2006.11239", cited_by_count=9000),
    make_work(seed="book", title="Audio-driven animation of faces", authors=["A. Nobody"], year=1999, kind="book"),
    make_work(seed="posetalk", title="PoseTalk: talking head generation", authors=["Jun Ling"], year=2024,
              doi="10.48550/arxiv.2409.02657", arxiv_id="2409.02657", cited_by_count=3),
    make_work(seed="later-arxiv", title="Diffusion talking heads with pose control", authors=["New Author"],
              year=2025, date="2025-01-02", doi="10.48550/arxiv.2501.00001", arxiv_id="2501.00001",
              references=[work_id("posetalk")], cited_by_count=1),
    make_work(seed="later-journal", title="A talking head benchmark for pose", authors=["Journal Person"],
              year=2025, date="2025-02-01", venue="Pattern Recognition", references=[work_id("posetalk")],
              pdf_url="https://example.org/benchmark.pdf", cited_by_count=5),
]
APPROVED = Paper(arxiv_id="2409.02657", version="v1", title="PoseTalk: talking head generation")
PARSED = {"2409.02657": ParsedPaper(source="posetalk.pdf", arxiv_id="2409.02657", references=[
    Reference(raw="Vaswani et al. Attention is all you need. arXiv:1706.03762", title="Attention is all you need",
              arxiv_id="1706.03762", year="2017"),
    Reference(raw="J. Ho, A. Jain, P. Abbeel. Denoising diffusion probabilistic models. NeurIPS 2020.",
              title="Denoising diffusion probabilistic models", authors=["J. Ho"], year="2020"),
    Reference(raw="A. Nobody. Audio-driven animation of faces. Publisher, 1999.",
              title="Audio-driven animation of faces", authors=["A. Nobody"], year="1999"),
])}


@pytest.fixture
def clients(tmp_path: Path):
    with MirrorServer(Corpus.from_records(ARXIV)) as mirror, OpenAlexServer(WORKS) as openalex:
        arxiv = ArxivClient(ArxivSettings(api_url=mirror.api_url, min_interval_s=0), tmp_path / "arxiv",
                            HostLimiter(tmp_path / "locks", 0))
        works = OpenAlexClient(OpenAlexSettings(api_url=openalex.api_url, min_interval_s=0), tmp_path / "openalex",
                               HostLimiter(tmp_path / "locks", 0))
        yield arxiv, works, openalex


def test_both_directions_come_back_explained_within_the_budgets(clients, embedder) -> None:
    arxiv, works, server = clients
    outcome = graph_snowball(PARSED, [APPROVED], arxiv, works, embedder, "talking head generation",
                             arxiv_budget=3, works_budget=20, per_paper=4, threshold=0.9)
    reasons = {c.paper.arxiv_id: c.reasons for c in outcome.candidates}
    assert set(reasons) == {"1706.03762", "2006.11239", work_id("book"), "2501.00001", work_id("later-journal")}
    assert "2409.02657" not in reasons  # the approved paper is never proposed back
    assert reasons["2501.00001"][0] == "cites 1 approved paper: 2409.02657 (forward snowballing)"
    assert reasons["1706.03762"][0].startswith("cited by 1 approved paper: 2409.02657")
    assert "cited by 90,000 (OpenAlex)" in reasons["1706.03762"]
    assert "no arXiv version: reviewed from its metadata" in reasons[work_id("book")]
    assert "no arXiv version: read from its open-access PDF" in reasons[work_id("later-journal")]
    by_id = {c.paper.arxiv_id: c.paper for c in outcome.candidates}
    assert by_id["2006.11239"].version == "v2"  # arXiv's own record replaced OpenAlex's metadata
    assert by_id[work_id("later-journal")].pdf_url == "https://example.org/benchmark.pdf"
    assert outcome.requests <= 23 and not outcome.warnings and outcome.unresolved == []


def test_a_tight_budget_keeps_what_was_found_and_says_so(clients, embedder) -> None:
    arxiv, works, server = clients
    outcome = graph_snowball(PARSED, [APPROVED], arxiv, works, embedder, "talking head generation",
                             arxiv_budget=0, works_budget=2, per_paper=4, threshold=0.9)
    assert len([h for h in server.hits]) == 2
    assert any("budget of 2 OpenAlex requests ran out" in w for w in outcome.warnings)
    assert any("arXiv budget ran out" in w for w in outcome.warnings)
    assert {c.paper.arxiv_id for c in outcome.candidates} <= {"2501.00001", work_id("later-journal")}
