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
from tools.search.graph import SORTS, _forward, graph_snowball
from tools.settings import ArxivSettings, OpenAlexSettings
from tools.sources.base import arxiv_doi
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



def _citation_world() -> tuple[list[dict], list[Paper]]:
    """Three approved arXiv papers: A cited by six works, B by two, C by one that also cites B."""
    approved = [Paper(arxiv_id=f"2401.0000{n}", version="v1", title=f"Paper {n}") for n in (1, 2, 3)]
    works = [make_work(seed=p.arxiv_id, title=p.title, authors=["X"], year=2024, doi=f"10.48550/arxiv.{p.arxiv_id}",
                       arxiv_id=p.arxiv_id, cited_by_count=9) for p in approved]
    citers = [(f"a{n}", ["2401.00001"]) for n in range(6)] + [("b0", ["2401.00002"]), ("b1", ["2401.00002"]),
                                                               ("bc", ["2401.00002", "2401.00003"])]
    for number, (seed, targets) in enumerate(citers):
        works.append(make_work(seed=seed, title=f"Citing work {seed}", authors=["Y"], year=2025,
                               date=f"2025-{number % 12 + 1:02d}-01", references=[work_id(t) for t in targets],
                               cited_by_count=(7 * number) % 10))
    return works, approved


@pytest.fixture
def citation_world(tmp_path: Path):
    works, approved = _citation_world()
    with OpenAlexServer(works) as server:
        client = OpenAlexClient(OpenAlexSettings(api_url=server.api_url, min_interval_s=0), tmp_path / "openalex",
                                HostLimiter(tmp_path / "locks", 0))
        yield server, client, approved


def _asked_one_by_one(client: OpenAlexClient, approved: list[Paper], half: int) -> dict[str, set[str]]:
    """Citing work → approved papers it cites, asking each paper on its own (as it used to be done)."""
    expected: dict[str, set[str]] = {}
    for paper in approved:
        own = client.lookup([arxiv_doi(paper.arxiv_id)])[0]
        for sort in SORTS:
            for work in client.cited_by(own.id, half, sort):
                expected.setdefault(work.arxiv_id or work.id, set()).add(paper.arxiv_id)
    return expected


def test_forward_snowballing_asks_once_per_order_and_finds_what_asking_each_paper_finds(citation_world) -> None:
    server, client, approved = citation_world
    found: dict = {}
    _forward(approved, client, 4, found)
    citing = [h for h in server.hits if "cites:" in h.params.get("filter", "")]
    assert len(citing) == 2  # one per order for the three papers, not two per paper
    assert {key: set(f.cites) for key, f in found.items()} == _asked_one_by_one(client, approved, 2)


def test_a_full_page_asks_the_paper_it_left_short_on_its_own(citation_world, monkeypatch) -> None:
    from tools.search import graph
    from tools.sources import openalex

    monkeypatch.setattr(openalex, "MAX_PAGE", 3)  # A's citers fill the page
    monkeypatch.setattr(graph, "MAX_PAGE", 3)
    server, client, approved = citation_world
    found: dict = {}
    _forward(approved, client, 4, found)
    alone = {h.params["filter"] for h in server.hits if h.params.get("filter", "").startswith("cites:")
             and "|" not in h.params["filter"]}
    assert alone  # some paper left short on a full page was asked on its own
    assert {key: set(f.cites) for key, f in found.items()} == _asked_one_by_one(client, approved, 2)
