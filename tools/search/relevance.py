"""Judge every candidate against the request and the pack: relevance, a one-line reason, a flag.

A candidate's relevance is half its cosine similarity to the request (to the closest of its parts,
when the request lists several: "documents, tables and citations") and half its similarity to the
pack (the centroid of the third of candidates closest to the request), so a paper that words the
topic differently but sits with the others ("audio-driven portrait avatar" for talking head
generation) still counts, and a paper that only shares a keyword ("CLIP Talks on …") does not.

A candidate is flagged when it is far below the pack (under `FAR_BELOW` of the median relevance of
the better half) and its title and abstract use none of the request's parts in full (a paper on
"counting" is never flagged for a request that asks for counting), or when it has no abstract of
its own. Flagged candidates are proposed unticked and left out when the gate is approved as
proposed (`--approve auto` included), unless a person keeps them by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from memory.embeddings import Embedder
from tools.paper import Candidate
from tools.search.query import topic_terms
from tools.search.ranking import paper_text, words
from tools.text.words import stem

FAR_BELOW = 0.65
"""A relevance under this share of the pack's is far below it (on the seed topics on-topic papers
stay above 0.7 of it; papers of other topics that share a word fall to 0.5–0.65)."""
MIN_PACK = 4
"""Fewer candidates than this make no pack: only a missing abstract is flagged."""
ABSTRACT_WORDS = 10
"""An abstract shorter than this does not say what the paper is about."""


def assess(topic: str, candidates: Sequence[Candidate], embedder: Embedder) -> list[Candidate]:
    """The candidates, in the same order, each with `relevance`, `reason` and `flag` set."""
    if not candidates:
        return []
    vectors = embedder.embed([paper_text(c.paper) for c in candidates])
    to_request = (vectors @ embedder.embed([topic, *request_parts(topic)]).T).max(axis=1)
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
    elif total >= MIN_PACK and relevance < FAR_BELOW * level and not _asks_for(topic, paper_text(paper)):
        flag = (f"far below the other candidates (relevance {relevance:.2f}, theirs {level:.2f}) and "
                "none of the request's parts in its title or abstract: likely an off-topic keyword match")
    reason = f"relevance {relevance:.2f} (the better half: {level:.2f}); " + _words_found(topic, paper.title)
    return candidate.model_copy(update={"relevance": round(relevance, 4), "reason": reason, "flag": flag})


def request_parts(topic: str) -> list[str]:
    """The parts of a request that lists several things ("documents, tables and citations"); none
    for a request about one thing."""
    parts = [p.strip() for p in re.split(r",|;|\band\b|\bor\b|&", topic) if p.strip()]
    return parts if len(parts) > 1 else []


def _asks_for(topic: str, text: str) -> bool:
    """Whether the text uses every content word of the request, or of one of its parts."""
    tokens = words(text)
    return any(all(any(token.startswith(stem(t)) for token in tokens) for t in terms)
               for part in [topic, *request_parts(topic)] if (terms := topic_terms(part)))


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
