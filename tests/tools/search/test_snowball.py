"""Backward snowballing against the arXiv mirror: references become explained candidates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent import services
from agent.settings import Settings, load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from tools.document import ParsedPaper, Reference
from tools.search.snowball import snowball, snowball_search

CLASSICS = [
    {"arxiv_id": "1706.03762", "version": "v7", "title": "Attention Is All You Need",
     "authors": ["Ashish Vaswani"], "published": "2017-06-12",
     "abstract": "The dominant sequence transduction models are based on recurrent networks."},
    {"arxiv_id": "2006.11239", "version": "v2", "title": "Denoising Diffusion Probabilistic Models",
     "authors": ["Jonathan Ho"], "published": "2020-06-19",
     "abstract": "We present high quality image synthesis results using diffusion models."},
    {"arxiv_id": "2006.11240", "title": "Denoising Diffusion Probabilistic Models for Audio",
     "authors": ["Someone Else"], "published": "2020-06-19", "abstract": "A decoy with a close title."},
]
APPROVED = {
    "2409.02657": ParsedPaper(source="posetalk.pdf", arxiv_id="2409.02657", references=[
        Reference(raw="[1] SVP ... arXiv:2409.03270v1", title="SVP", arxiv_id="2409.03270v1"),
        Reference(raw="[2] Vaswani et al. Attention is all you need. arXiv:1706.03762",
                  title="Attention is all you need", arxiv_id="1706.03762"),
        Reference(raw="[3] J. Ho, A. Jain, P. Abbeel. Denoising diffusion probabilistic models. "
                      "NeurIPS 2020.", title="Denoising diffusion probabilistic models", year="2020"),
        Reference(raw="[4] A. Nobody. A book that never was on arXiv. Publisher, 1999.",
                  title="A book that never was on arXiv", year="1999"),
        Reference(raw="[5] PoseTalk itself, arXiv:2409.02657", arxiv_id="2409.02657"),
        Reference(raw="[6] SegTalker, arXiv:2409.03605", arxiv_id="2409.03605"),
    ]),
    "2409.03605": ParsedPaper(source="segtalker.pdf", arxiv_id="2409.03605", references=[
        Reference(raw="SVP. arXiv preprint arXiv:2409.03270, 2024.", arxiv_id="2409.03270"),
        Reference(raw="Vaswani et al. Attention Is All You Need. NIPS 2017.",
                  title="Attention Is All You Need", year="2017"),
    ]),
}


@pytest.fixture
def cited_mirror(monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    corpus = Corpus.load(SEED_CORPUS)
    for record in CLASSICS:
        corpus.add(record)
    with MirrorServer(corpus) as server:
        monkeypatch.setenv("AUTORESEARCH_ARXIV__API_URL", server.api_url)
        monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "0.05")
        yield server


def settings() -> Settings:
    return load_settings()


def test_references_with_arxiv_ids_in_the_mirror_come_in_as_cited_by(cited_mirror: MirrorServer,
                                                                      embedder) -> None:
    client = services.arxiv_client(settings())
    outcome = snowball_search(APPROVED, client, embedder, "talking head generation", budget=5)
    by_id = {c.paper.arxiv_id: c for c in outcome.candidates}
    assert set(by_id) == {"2409.03270", "1706.03762", "2006.11239"}  # approved papers left out
    assert by_id["2409.03270"].reasons[0] == "cited by 2 approved papers: 2409.02657, 2409.03605 (of 2)"
    assert by_id["2409.03270"].reasons[1] == "arXiv id in the reference"
    # Cited once by id and once by title: one candidate, both citers counted.
    assert by_id["1706.03762"].reasons[0].startswith("cited by 2 approved papers")
    assert by_id["2006.11239"].reasons[0] == "cited by 1 approved paper: 2409.02657 (of 2)"
    assert by_id["2006.11239"].reasons[1].startswith("title matched on arXiv (1.00)")
    assert outcome.candidates[0].paper.arxiv_id == "2409.03270"  # on topic and cited twice
    assert all("of the score is how many approved papers cite it" in c.reasons[-1]
               for c in outcome.candidates)
    assert outcome.unresolved == ["A book that never was on arXiv"]
    assert outcome.requests == len(cited_mirror.api_hits()) == 2  # one id batch, one title batch
    assert "id_list" in cited_mirror.api_hits()[0].params


def test_snowball_never_spends_more_than_its_budget(cited_mirror: MirrorServer, embedder) -> None:
    client = services.arxiv_client(settings())
    outcome = snowball_search(APPROVED, client, embedder, "talking head generation", budget=1)
    assert len(cited_mirror.api_hits()) == outcome.requests == 1
    assert {c.paper.arxiv_id for c in outcome.candidates} == {"2409.03270", "1706.03762"}
    assert "budget of 1 requests ran out" in outcome.warnings[0]
    cached = snowball(APPROVED, client, embedder, "talking head generation", budget=0)
    assert {c.paper.arxiv_id for c in cached} == {"2409.03270", "1706.03762"}  # the cache is free
    assert len(cited_mirror.api_hits()) == 1
