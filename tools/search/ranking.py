"""Rank candidate papers by relevance to a topic: a hybrid of meaning and words.

Dense similarity (the offline embedding model on title + abstract) finds "audio-driven portrait
animation" for "talking head generation"; BM25 over the topic's words (prefix-matched, so
"talking" also finds "talks" and "talker", title hits counting double) keeps papers that use the
topic's own vocabulary on top. Both are min-max normalised over the candidate pool and mixed
convexly (Bruch et al., "An Analysis of Fusion Functions for Hybrid Retrieval", 2022).
Tuned on the seed corpus with `python -m evals.topic_retrieval`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from memory.embeddings import Embedder
from tools.paper import Paper
from tools.search.query import topic_terms
from tools.text.words import stem

DENSE_WEIGHT = 0.7
TITLE_BOOST = 2.0


def words(text: str) -> list[str]:
    """Lower-case alphanumeric tokens."""
    return re.findall(r"[a-z0-9]+", text.lower())


def paper_text(paper: Paper) -> str:
    """What a paper is compared on: its title and abstract."""
    return f"{paper.title}. {paper.abstract}"


def bm25_scores(topic: str, papers: list[Paper]) -> np.ndarray:
    """BM25 of the topic's content words over the pool, with title hits boosted."""
    stems = [stem(t) for t in topic_terms(topic)]
    fields = [(words(p.title), words(p.abstract)) for p in papers]
    n = len(papers)
    df = {s: sum(1 for title, abstract in fields if _count(title + abstract, s)) for s in stems}
    idf = {s: math.log(1 + (n - df[s] + 0.5) / (df[s] + 0.5)) for s in stems}
    mean_len = [max(1.0, float(np.mean([len(f[k]) for f in fields]))) for k in (0, 1)]
    scores = np.zeros(n, dtype=np.float32)
    for i, (title, abstract) in enumerate(fields):
        for s in stems:
            for k, (tokens, boost) in enumerate(((title, TITLE_BOOST), (abstract, 1.0))):
                tf = _count(tokens, s)
                if tf:
                    norm = 1.2 * (0.25 + 0.75 * len(tokens) / mean_len[k])
                    scores[i] += boost * idf[s] * tf * 2.2 / (tf + norm)
    return scores


def _count(tokens: list[str], prefix: str) -> int:
    return sum(1 for t in tokens if t.startswith(prefix))


def _minmax(values: np.ndarray) -> np.ndarray:
    span = float(values.max() - values.min()) if len(values) else 0.0
    return (values - values.min()) / span if span > 1e-9 else np.zeros_like(values)


def rank_by_topic(topic: str, papers: list[Paper], embedder: Embedder) -> list[Paper]:
    """Return the papers with `score` (0–1, relative to the pool) set, most relevant first."""
    if not papers:
        return []
    vectors = embedder.embed([topic] + [paper_text(p) for p in papers])
    dense = _minmax(vectors[1:] @ vectors[0])
    lexical = _minmax(bm25_scores(topic, papers))
    mixed = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
    ranked = [p.model_copy(update={"score": round(float(s), 4)}) for p, s in zip(papers, mixed, strict=True)]
    ranked.sort(key=lambda p: (-(p.score or 0.0), p.arxiv_id))
    return ranked
