"""Resolving references to works: exact ids first, titles scored, journal references by volume and
page, and weak matches refused. Real parser output, a local OpenAlex server."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.openalex_server import OpenAlexServer
from evals.openalex_works import make_work, work_id
from tools.document import Reference
from tools.pdf.references import parse_reference
from tools.ratelimit import HostLimiter
from tools.search.budget import BudgetSpent, RequestBudget
from tools.settings import OpenAlexSettings
from tools.sources.base import Work
from tools.sources.match import best_match, score, title_similarity
from tools.sources.openalex import OpenAlexClient
from tools.sources.resolve import abbreviates, journal_reference, resolve_references, title_guess

WORKS = [
    make_work(seed="crowd", title="Cross-scene crowd counting via deep convolutional neural networks",
              authors=["Cong Zhang", "Hongsheng Li"], year=2015),
    make_work(seed="crowd-other", title="Cross-scene crowd counting via deep convolutional neural networks",
              authors=["Someone Else"], year=2021),
    make_work(seed="grounded", title="Grounded theory", authors=["Other Person"], year=1999),
    make_work(seed="prl", title="Universal properties", authors=["Raffaella Burioni", "Davide Cassi"], year=1996,
              venue="Physical Review Letters", volume="76", first_page="1091"),
    make_work(seed="pra", title="Something else", authors=["Raffaella Burioni"], year=1996,
              venue="Physical Review A", volume="76", first_page="1091"),
    make_work(seed="go", title="Mastering the game of Go without human knowledge", authors=["David Silver"],
              year=2017, doi="10.1038/nature24270", venue="Nature"),
    make_work(seed="longformer", title="Longformer: The Long-Document Transformer", authors=["Iz Beltagy"],
              year=2020, doi="10.48550/arxiv.2004.05150", arxiv_id="2004.05150"),
    make_work(seed="baxter", title="Exactly Solved Models in Statistical Mechanics", authors=["R. J. Baxter"],
              year=1982, kind="book"),
]
REFS = {
    "crowd": "[27] C. Zhang, H. Li, X. Wang, and X. Yang. Crossscene crowd counting via deep convolutional "
             "neural networks. In Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition, "
             "pages 833– 841, 2015.",
    "grounded": "[18] Lynne M. Connelly. 2013. Grounded theory. Medsurg nursing : official journal of the Academy "
                "of Medical-Surgical Nurses 22 2 (2013), 124, 127.",
    "prl": "14 R. Burioni and D. Cassi, Phys. Rev. Lett. 76, 1091 (1996).",
    "go": "D. Silver, J. Schrittwieser, K. Simonyan. Mastering the game of go without human knowledge. Nat., "
          "550(7676):354–359, 2017. doi: 10.1038/NATURE24270.",
    "wrong-doi": "A. Nobody. A completely different paper about birds. Ornithology, 2017. doi: 10.1038/NATURE24270.",
    "longformer": "Iz Beltagy, Matthew E. Peters, and Arman Cohan. 2020. Longformer: The long-document "
                  "transformer. arXiv:2004.05150.",
    "baxter": "5 R. J. Baxter, Exactly Solved Models in Statistical Mechanics, Academic Press (1982).",
    "blog": "OpenAI. Hello GPT-4o, 2024a. URL https://openai.com/index/hello-gpt-4o/.",
}


@pytest.fixture
def client(tmp_path: Path):
    with OpenAlexServer(WORKS) as server:
        settings = OpenAlexSettings(api_url=server.api_url, min_interval_s=0.0)
        yield OpenAlexClient(settings, tmp_path / "cache", HostLimiter(tmp_path / "locks", 0.0))


def test_each_reference_is_found_the_cheapest_sure_way_and_weak_ones_are_refused(client) -> None:
    refs = {name: parse_reference(raw) for name, raw in REFS.items()}
    resolved = dict(zip(refs, resolve_references(list(refs.values()), client, 0.9), strict=True))
    found = {name: (r.match.work.id if r.match else None) for name, r in resolved.items()}
    assert found == {"crowd": work_id("crowd"), "grounded": None, "prl": work_id("prl"), "go": work_id("go"),
                     "wrong-doi": None, "longformer": work_id("longformer"), "baxter": work_id("baxter"),
                     "blog": None}
    assert resolved["longformer"].match.how.startswith("arXiv id in the reference")
    assert resolved["go"].match.how.startswith("DOI in the reference")
    assert "names another work" in resolved["wrong-doi"].note
    assert resolved["prl"].match.how.startswith("journal, volume and page matched")
    assert "first author agrees" in resolved["crowd"].match.how


def test_a_spent_budget_leaves_the_rest_marked_not_looked_up(client) -> None:
    refs = [parse_reference(REFS["crowd"]), parse_reference(REFS["baxter"])]
    with RequestBudget(client, 2, service="OpenAlex"):  # the glued "Crossscene" takes a loose search too
        resolved = resolve_references(refs, client, 0.9, stop=(BudgetSpent,))
    assert resolved[0].match is not None and resolved[1].match is None
    assert resolved[1].note == "not looked up: the request budget ran out"


def test_the_score_needs_more_than_a_title_when_the_title_is_short_or_the_authors_differ() -> None:
    work = Work(id="W1", title="Layer Normalization", authors=["Jimmy Lei Ba", "Geoffrey E. Hinton"], year=2016)
    same = Reference(raw="", title="Layer normalization", authors=["Jimmy Lei Ba"], year="2016")
    assert score(same, work)[0] >= 0.9
    assert score(same.model_copy(update={"authors": []}), work)[0] < 0.9  # two words, nothing to confirm
    other = Reference(raw="", title="Layer normalization", authors=["Ana Smith"], year="2016")
    assert score(other, work)[0] < 0.9
    later = Reference(raw="", title="Layer normalization in practice for graphs", authors=["Jimmy Lei Ba"], year="2016")
    assert best_match(later, [work], 0.9, "t") is None
    assert title_similarity("Cross-scene crowd counting", "Crossscene crowd counting") == 1.0
    assert title_similarity("{BERT}: pre-training of deep bidirectional transformers",
                            "BERT: Pre-training of Deep Bidirectional Transformers") == 1.0


def test_journal_abbreviations_and_title_like_stretches_are_read() -> None:
    assert journal_reference("6 G. Semerjian, M. Tarzia and F. Zamponi, Phys. Rev. B 80, 014524 (2009).") == {
        "journal": "Phys. Rev. B", "volume": "80", "page": "014524", "year": "2009"}
    assert abbreviates("Proc. Roy. Soc. London A", "Proceedings of the Royal Society of London. Series A")
    assert abbreviates("J. Phys. A: Math. and Gen.", "Journal of Physics A: Mathematical and General")
    assert not abbreviates("Phys. Rev. B", "Physical Review Letters")
    assert title_guess("11 S. Sachdev, Quantum Phase Transitions, Cambridge Univ. Press (2011).") == \
        "Quantum Phase Transitions"
    assert title_guess("Zihang Dai, Zhilin Yang, and Ruslan Salakhutdinov. 2019. Transformer-XL: Attentive "
                       "language models beyond a fixed-length context. In Proceedings of ACL, pages 2978–2988") == \
        "Transformer-XL: Attentive language models beyond a fixed-length context"
