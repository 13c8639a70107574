"""Relevance, reason and flag per candidate, on real seed records and the real offline embedder."""

from __future__ import annotations

import json

import pytest

from evals.mirror import SEED_CORPUS
from tools.paper import Candidate, Paper
from tools.search.relevance import assess, flagged

ROWS = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]


def candidate(row: dict, abstract: str | None = None) -> Candidate:
    paper = Paper(arxiv_id=row["arxiv_id"], title=row["title"],
                  abstract=row["abstract"] if abstract is None else abstract)
    return Candidate(paper=paper, score=0.5, reasons=["found by a test"])


@pytest.fixture(scope="module")
def judged(embedder) -> list[Candidate]:
    vad = [candidate(r) for r in ROWS if r.get("topic") == "Video Anomaly Detection"][:8]
    # A keyword match from another topic ("CLIP Talks" for talking heads) and a record without an abstract.
    stray = candidate(next(r for r in ROWS if r["title"].startswith("COSMo")))
    bare = candidate(ROWS[1], abstract="")
    return assess("video anomaly detection", [*vad, stray, bare], embedder)


def test_every_candidate_carries_relevance_and_a_one_line_reason(judged) -> None:
    assert all(c.relevance is not None and 0 <= c.relevance <= 1 for c in judged)
    assert all(c.reason.startswith("relevance") and "\n" not in c.reason for c in judged)
    assert any("the title says" in c.reason for c in judged)


def test_far_below_the_pack_and_no_abstract_are_flagged_on_topic_papers_are_not(judged) -> None:
    *vad, stray, bare = judged
    assert not any(c.flag for c in vad)
    assert stray.flag.startswith("far below the other candidates")
    assert bare.flag.startswith("no abstract")
    assert flagged(judged) == [stray.paper.arxiv_id, bare.paper.arxiv_id]
    assert stray.relevance < min(c.relevance for c in vad)


def test_a_small_pool_flags_only_missing_abstracts(embedder) -> None:
    rows = [r for r in ROWS if r.get("topic") == "Talking Head Generation"][:2]
    small = assess("video anomaly detection", [candidate(r) for r in rows], embedder)
    assert not any(c.flag for c in small) and assess("x", [], embedder) == []
