"""Rank a pool of papers for a topic and say, in words, why each one is where it is.

The score is `tools.search.ranking`'s hybrid (meaning + the topic's words, each min-max normalised over
the pool, mixed with `DENSE_WEIGHT`), computed here with its parts kept so a person can see them:
"relevance 0.81, rank 3 of 57: meaning 0.62 (cosine to the topic); topic words in the title:
talking, head". Embeddings are cached per paper so a search that re-ranks every round embeds each
paper once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from memory.embeddings import Embedder
from tools.paper import Paper
from tools.search.feedback import CENTRE as READ_CENTRE
from tools.search.feedback import Feedback, learn
from tools.search.query import topic_terms
from tools.search.ranking import DENSE_WEIGHT, bm25_scores, paper_text, words
from tools.text.words import stem

FEEDBACK_WEIGHT = 0.6
"""The field's own words (`tools.search.feedback`) count this much beside the topic's words."""
ROCCHIO = 0.5
"""Weight of the best papers' centre added to the topic's vector (Rocchio's beta)."""


class CachedEmbedder:
    """An embedder that remembers every text it embedded (key phrases recur round after round)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed the texts not seen before in one batch; return all rows in order."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self.inner.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


class Vectors:
    """Embeddings of the topic and of papers (by id), computed once each."""

    def __init__(self, embedder: Embedder, topic: str) -> None:
        cached = isinstance(embedder, CachedEmbedder)
        self.embedder = embedder if cached else CachedEmbedder(embedder)
        self.topic = self.embedder.embed([topic])[0]
        self._by_id: dict[str, np.ndarray] = {}

    def of(self, papers: Sequence[Paper]) -> np.ndarray:
        """One row per paper, in order."""
        missing = [p for p in papers if p.arxiv_id not in self._by_id]
        if missing:
            # Paper texts are long and seen once: they skip the text cache.
            embedded = self.embedder.inner.embed([paper_text(p) for p in missing])
            self._by_id.update((p.arxiv_id, v) for p, v in zip(missing, embedded, strict=True))
        if not papers:
            return np.zeros((0, len(self.topic)), dtype=np.float32)
        return np.stack([self._by_id[p.arxiv_id] for p in papers])

    def similarity(self, papers: Sequence[Paper]) -> np.ndarray:
        """Cosine similarity of each paper to the topic."""
        return self.of(papers) @ self.topic


@dataclass
class Scored:
    """A paper with its relevance and the parts it is made of."""

    paper: Paper
    score: float
    """The hybrid relevance, 0–1 relative to the pool."""
    meaning: float
    """Cosine similarity of title + abstract to the topic."""
    terms: Sequence[str] = ()
    """The topic's words."""
    learned: Sequence[str] = ()
    """The field's own words the ranking counted (`tools.search.feedback`)."""

    @cached_property
    def title_words(self) -> list[str]:
        """The topic's words found in the title (worked out only for papers shown)."""
        return _present(self.terms, self.paper.title)

    @cached_property
    def abstract_words(self) -> list[str]:
        """The topic's words found only in the abstract."""
        return [t for t in _present(self.terms, self.paper.abstract) if t not in self.title_words]

    @cached_property
    def field_words(self) -> list[str]:
        """The field's own words that the paper uses."""
        return _present(self.learned, paper_text(self.paper))


def score_pool(topic: str, papers: Sequence[Paper], vectors: Vectors,
               feedback: Feedback | None = None) -> list[Scored]:
    """Score every paper for the topic, most relevant first (ties by id, for stable output).

    With `feedback`, meaning is measured against the topic moved towards the best papers'
    centre, and the field's words count beside the topic's.
    """
    if not papers:
        return []
    papers = list(papers)
    matrix = vectors.of(papers)
    dense = matrix @ vectors.topic
    direction = vectors.topic
    lexical = _minmax(bm25_scores(topic, papers))
    learned = feedback.words if feedback else []
    if feedback is not None and feedback.centre is not None:
        direction = vectors.topic + ROCCHIO * feedback.centre
        direction = direction / (np.linalg.norm(direction) or 1.0)
    if learned:
        lexical = lexical + FEEDBACK_WEIGHT * _minmax(bm25_scores(" ".join(learned), papers))
    mixed = DENSE_WEIGHT * _minmax(matrix @ direction) + (1 - DENSE_WEIGHT) * _minmax(lexical)
    terms = topic_terms(topic)
    out = [_scored(terms, paper, float(score), float(meaning), learned)
           for paper, score, meaning in zip(papers, mixed, dense, strict=True)]
    out.sort(key=lambda s: (-s.score, s.paper.arxiv_id))
    return out


def rank_with_feedback(topic: str, papers: Sequence[Paper], vectors: Vectors,
                       known: Sequence[str] = ()) -> tuple[list[Scored], Feedback]:
    """Rank once, learn the field's vocabulary from the best, rank again with it."""
    first = score_pool(topic, papers, vectors)
    ranked = [s.paper for s in first]
    feedback = learn(topic, ranked, vectors.of(ranked[:READ_CENTRE]) if ranked else None, known)
    return score_pool(topic, papers, vectors, feedback), feedback


def as_ranked(topic: str, papers: Sequence[Paper], vectors: Vectors) -> list[Scored]:
    """The parts of papers already ranked elsewhere, keeping their order and scores."""
    dense = vectors.similarity(papers) if papers else []
    terms = topic_terms(topic)
    return [_scored(terms, paper, paper.score or 0.0, float(meaning))
            for paper, meaning in zip(papers, dense, strict=True)]


def _scored(terms: Sequence[str], paper: Paper, score: float, meaning: float,
            learned: Sequence[str] = ()) -> Scored:
    return Scored(paper, round(score, 4), round(meaning, 4), terms, learned)


def rank_reason(scored: Scored, rank: int, total: int | None = None) -> str:
    """"relevance 0.81, rank 3 of 57: meaning 0.62 (cosine to the topic); topic words in the
    title: talking, head"."""
    parts = [f"meaning {scored.meaning:.2f} (cosine to the topic)"]
    if scored.title_words:
        parts.append("topic words in the title: " + ", ".join(scored.title_words))
    if scored.abstract_words:
        parts.append("in the abstract: " + ", ".join(scored.abstract_words))
    if scored.field_words:
        parts.append("the field's words: " + ", ".join(scored.field_words))
    if not scored.title_words and not scored.abstract_words and not scored.field_words:
        parts.append("none of the topic's words, so ranked by meaning alone")
    of = f" of {total}" if total else ""
    return f"relevance {scored.score:.2f}, rank {rank}{of}: " + "; ".join(parts)


def _present(terms: Sequence[str], text: str) -> list[str]:
    tokens = words(text)
    return [t for t in terms if any(token.startswith(stem(t)) for token in tokens)]


def _minmax(values: np.ndarray) -> np.ndarray:
    span = float(values.max() - values.min()) if len(values) else 0.0
    return (values - values.min()) / span if span > 1e-9 else np.zeros_like(values)
