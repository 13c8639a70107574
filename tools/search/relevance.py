"""Judge every candidate against the request and the pack: relevance, a one-line reason, a flag.

A candidate's relevance is half its cosine similarity to the request and half its similarity to
the pack (the centroid of the third of candidates closest to the request), so a paper that words
the topic differently but sits with the others ("audio-driven portrait avatar" for talking head
generation) still counts, and a paper that only shares a keyword ("CLIP Talks on …") does not.
A candidate far below the pack (more than `PACK_GAP` under the median of the better half) or
without an abstract of its own is flagged: proposed unticked, and left out when the gate is
approved as proposed (`--approve auto` included) unless a person keeps it by name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from memory.embeddings import Embedder
from tools.paper import Candidate
from tools.search.query import topic_terms
from tools.search.ranking import paper_text, words
from tools.text.words import stem

PACK_GAP = 0.2
"""How far under the pack's median relevance a candidate must be to be flagged (measured on the
seed topics: on-topic papers stay within 0.15, keyword matches from other topics fall 0.2–0.4 under)."""
MIN_PACK = 4
"""Fewer candidates than this make no pack: only a missing abstract is flagged."""
ABSTRACT_WORDS = 10
"""An abstract shorter than this does not say what the paper is about."""


def assess(topic: str, candidates: Sequence[Candidate], embedder: Embedder) -> list[Candidate]:
    """The candidates, in the same order, each with `relevance`, `reason` and `flag` set."""
    if not candidates:
        return []
    vectors = embedder.embed([paper_text(c.paper) for c in candidates])
    request = embedder.embed([topic])[0]
    to_request = vectors @ request
    closest = np.argsort(-to_request, kind="stable")[:max(3, len(candidates) // 3)]
    pack = vectors[closest].mean(axis=0)
    pack = pack / (float(np.linalg.norm(pack)) or 1.0)
    relevance = 0.5 * to_request + 0.5 * (vectors @ pack)
    better = np.sort(relevance)[::-1][:max(3, len(candidates) // 2)]
    level = float(np.median(better))
    return [_judged(topic, c, float(r), level, len(candidates)) for c, r in zip(candidates, relevance, strict=True)]


def _judged(topic: str, candidate: Candidate, relevance: float, level: float, total: int) -> Candidate:
    paper = candidate.paper
    flag = ""
    if len(paper.abstract.split()) < ABSTRACT_WORDS:
        flag = "no abstract of its own: nothing says what it is about"
    elif total >= MIN_PACK and relevance < level - PACK_GAP:
        flag = (f"far below the other candidates (relevance {relevance:.2f}, theirs {level:.2f}): "
                "likely an off-topic keyword match")
    reason = f"relevance {relevance:.2f} (the better half: {level:.2f}); " + _words_found(topic, paper.title)
    return candidate.model_copy(update={"relevance": round(relevance, 4), "reason": reason, "flag": flag})


def _words_found(topic: str, title: str) -> str:
    """Which of the request's words the title uses, in words."""
    tokens = words(title)
    found = [t for t in topic_terms(topic) if any(token.startswith(stem(t)) for token in tokens)]
    if found:
        return "the title says " + ", ".join(found)
    return "none of the request's words in the title: close in meaning only"


def flagged(candidates: Sequence[Candidate]) -> list[str]:
    """The ids of the flagged candidates."""
    return [c.paper.arxiv_id for c in candidates if c.flag]
