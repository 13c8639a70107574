"""A review that starts from a person's BibTeX file, offline against the arXiv mirror and a local
OpenAlex server: entries matched with a score at the papers gate, an unmatched one reviewed from
its metadata, works citing the approved papers offered at the second gate, and the references
exported as BibTeX, CSL-JSON and RIS. Real parser, library, checkpoints; the entries are four of
the real d2l.bib entries in evals/datasets/collections/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rispy

from agent.review.approval import Decision, GatePolicies
from agent.review.context import ReviewServices
from agent.review.state import CollectionSpec, ReviewRequest
from agent.runs.events import ApprovalNeeded, Finished
from agent.runs.session import ReviewSession
from agent.settings import load_settings
from evals.mirror import Corpus, MirrorServer
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import make_work, work_id

BIB = Path(__file__).resolve().parents[3] / "evals" / "datasets" / "collections" / "d2l_first50.bib"
KEYS = ("Ba.Kiros.Hinton.2016", "Bahdanau.Cho.Bengio.2014", "Bishop.2006", "Cantelli.1933")
ARXIV = [
    {"arxiv_id": "1607.06450", "version": "v1", "title": "Layer Normalization", "published": "2016-07-21",
     "authors": ["Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E. Hinton"],
     "abstract": "Training state-of-the-art, deep neural networks is computationally expensive. Layer "
                 "normalization normalizes the inputs across the features of a layer."},
    {"arxiv_id": "1409.0473", "version": "v7", "title": "Neural Machine Translation by Jointly Learning to Align "
     "and Translate", "published": "2014-09-01", "authors": ["Dzmitry Bahdanau", "Kyunghyun Cho", "Yoshua Bengio"],
     "abstract": "Neural machine translation is a recently proposed approach to machine translation with "
                 "attention over the source sentence."},
    {"arxiv_id": "2002.04745", "version": "v2", "title": "On Layer Normalization in the Transformer Architecture",
     "published": "2020-02-12", "authors": ["Ruibin Xiong"],
     "abstract": "The Transformer is widely used in natural language processing; we study where layer "
                 "normalization goes and how it changes training of deep neural networks."},
]
WORKS = [
    make_work(seed="ln", title="Layer Normalization", authors=["Jimmy Lei Ba", "Jamie Ryan Kiros"], year=2016,
              doi="10.48550/arxiv.1607.06450", arxiv_id="1607.06450", cited_by_count=4200),
    make_work(seed="nmt", title="Neural Machine Translation by Jointly Learning to Align and Translate",
              authors=["Dzmitry Bahdanau"], year=2014, doi="10.48550/arxiv.1409.0473", arxiv_id="1409.0473",
              cited_by_count=20000),
    make_work(seed="prml", title="Pattern Recognition and Machine Learning", authors=["Christopher M. Bishop"],
              year=2006, kind="book", cited_by_count=50000,
              abstract="A comprehensive introduction to pattern recognition and machine learning."),
    make_work(seed="xiong", title="On Layer Normalization in the Transformer Architecture", authors=["Ruibin Xiong"],
              year=2020, doi="10.48550/arxiv.2002.04745", arxiv_id="2002.04745", references=[work_id("ln")],
              cited_by_count=900),
]


def bib_subset(path: Path) -> Path:
    """The four entries, copied byte for byte from the real file."""
    blocks = re.split(r"\n(?=@)", BIB.read_text())
    path.write_text("\n".join(b for b in blocks if any(k in b.split("\n")[0] for k in KEYS)))
    return path


@pytest.fixture
def offline(tmp_path: Path):
    with MirrorServer(Corpus.from_records(ARXIV)) as mirror, OpenAlexServer(WORKS) as openalex:
        yield load_settings(home=tmp_path / "home", arxiv={"api_url": mirror.api_url, "pdf_url": mirror.pdf_url,
                                                           "min_interval_s": 0},
                            openalex={"enabled": True, "api_url": openalex.api_url, "min_interval_s": 0,
                                      "mailto": "tests@example.org"}), openalex


def test_a_review_runs_from_a_bibtex_file_and_snowballs_both_ways(offline, seed_vectors, tmp_path) -> None:
    settings, openalex = offline
    spec = CollectionSpec(path=str(bib_subset(tmp_path / "refs.bib")), kind="bibtex")
    request = ReviewRequest(topic="layer normalization and attention", collection=spec, max_papers=10,
                            gates=GatePolicies(papers="ask", outline="auto", draft="auto"))
    with ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors)) as session:
        first = list(session.start(request))[-1]
        assert isinstance(first, ApprovalNeeded) and first.gate == "papers"
        offered = {c["paper"]["arxiv_id"]: c["reasons"] for c in first.request["candidates"]}
        assert set(offered) >= {"1607.06450", "1409.0473", work_id("prml")} and len(offered) == 4
        ln = offered["1607.06450"]
        assert ln[0] == "from refs.bib (Ba.Kiros.Hinton.2016)"
        assert ln[1].startswith("matched: arXiv id in the reference, found on OpenAlex; match score 1.00")
        assert "cited by 4,200 (OpenAlex)" in ln
        assert any(r.startswith("matched: title matched on OpenAlex") for r in offered[work_id("prml")])
        [cantelli] = [r for k, r in offered.items() if k.startswith("ref-")]
        assert cantelli[1].startswith("not matched (") and cantelli[1].endswith("reviewed from its metadata")
        second = list(session.resume(first.run_id, Decision(action="edit", keep=["1607.06450", work_id("prml")],
                                                            by="test")))[-1]
        assert isinstance(second, ApprovalNeeded) and second.request["round"] == "citations"
        cited = {c["paper"]["arxiv_id"]: c["reasons"] for c in second.request["candidates"]}
        assert cited["2002.04745"][0] == "cites 1 approved paper: 1607.06450 (forward snowballing)"
        done = list(session.resume(first.run_id, Decision(action="approve", by="test")))[-1]
    assert isinstance(done, Finished), done
    assert done.counts["papers"] == 3
    out = Path(done.out_dir)
    keys = {item["id"] for item in json.loads((out / "references.json").read_text())}
    ris = rispy.loads((out / "references.ris").read_text())
    bib_keys = set(re.findall(r"@\w+\{([^,]+),", (out / "references.bib").read_text()))
    assert keys == {r["id"] for r in ris} == bib_keys and len(keys) == 3
    assert all("mailto" in h.params for h in openalex.hits)
