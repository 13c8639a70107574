"""Where is a topic's coverage thin? Cluster the relevant candidates, find the sparse themes.

A theme is thin when few candidates stand for it: a small cluster of the relevant papers found so
far (the area exists but we have seen little of it), or a sub-topic someone named (the planner
model, a key phrase) that is close to the topic but far from every candidate so far (a gap).
Each thin theme brings the query that would fill it; `tools.search.coverage` asks them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tools.paper import Paper
from tools.search.expansion import MIN_SIMILARITY, Expansion, phrase_expansions
from tools.search.explain import Vectors

MAX_THEMES = 8
GAP_SIMILARITY = 0.45
"""A named sub-topic whose closest candidate is less similar than this is a gap in the coverage."""


@dataclass
class Theme:
    """A theme of the candidates and the query that would find more of it."""

    label: str
    """Words a person understands: the query's phrase."""
    size: int
    """Relevant candidates that stand for it so far."""
    closeness: float
    """Similarity of the theme to the topic."""
    query: Expansion
    members: list[str] = field(default_factory=list)
    """Ids of the candidates in the theme."""

    def describe(self) -> str:
        """"thin theme 'audio driven' (2 papers: 2409.02634, 2409.01876)"."""
        if not self.members:
            return f"gap: '{self.label}' is close to the topic but far from every candidate so far"
        ids = ", ".join(self.members[:3]) + (", …" if len(self.members) > 3 else "")
        noun = "paper" if self.size == 1 else "papers"
        return f"thin theme '{self.label}' ({self.size} {noun}: {ids})"


def clusters(vectors: np.ndarray) -> list[list[int]]:
    """Group rows by meaning into about √n themes (Ward linkage on unit vectors); largest first.

    Papers on one topic sit close together in embedding space, so a distance threshold would
    find one big cluster; a count of √n (at most `MAX_THEMES`) splits it into its themes.
    """
    if len(vectors) < 3:
        return [[i] for i in range(len(vectors))]
    from sklearn.cluster import AgglomerativeClustering

    count = min(MAX_THEMES, max(2, round(math.sqrt(len(vectors)))))
    labels = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def thin_themes(topic: str, relevant: Sequence[Paper], vectors: Vectors, asked: Sequence[Expansion],
                named: Sequence[Expansion] = (),
                usable: Callable[[Expansion], bool] = lambda _: True) -> list[Theme]:
    """Thin themes of the relevant candidates, gaps first, then the sparsest clusters.

    `asked` are the queries already sent (their phrases are not suggested again); `named` are
    sub-topics proposed elsewhere (the planner model) to check for gaps; `usable` tells whether a
    query is worth a request (not one that can only find what an earlier query found).
    """
    asked_phrases = [a.phrase for a in asked]
    matrix = vectors.of(relevant)
    themes = [t for t in _gaps(named, asked_phrases, matrix, vectors) if usable(t.query)]
    groups = clusters(matrix)
    if not groups:
        return themes
    cutoff = max(2.0, float(np.mean([len(g) for g in groups])) / 2)
    thin = [(group, _centre(matrix[group])) for group in groups if len(group) <= cutoff]
    # The sparsest first; among equally sparse, the closest to the topic.
    for group, centroid in sorted(thin, key=lambda t: (len(t[0]), -float(t[1] @ vectors.topic))):
        members = [relevant[i] for i in group]
        closeness = float(centroid @ vectors.topic)
        suggestions = phrase_expansions(topic, members, vectors.embedder, k=3, asked=asked_phrases,
                                        where="the theme's papers", focus=centroid)
        for suggestion in suggestions:
            if usable(suggestion) and suggestion.phrase not in {t.query.phrase for t in themes}:
                themes.append(Theme(suggestion.phrase, len(group), round(closeness, 4), suggestion,
                                    [p.arxiv_id for p in members]))
                break
    return themes


def _centre(rows: np.ndarray) -> np.ndarray:
    centre = rows.mean(axis=0)
    return centre / (np.linalg.norm(centre) or 1.0)


def _gaps(named: Sequence[Expansion], asked: list[str], matrix: np.ndarray,
          vectors: Vectors) -> list[Theme]:
    """Named sub-topics close to the topic that no candidate is close to, the closest first."""
    fresh = [n for n in named if n.phrase not in asked]
    if not fresh:
        return []
    texts = [f"{n.phrase} {n.within}".strip() for n in fresh]
    phrase_vectors = vectors.embedder.embed(texts)
    nearest = (phrase_vectors @ matrix.T).max(axis=1) if len(matrix) else np.zeros(len(fresh))
    closeness = phrase_vectors @ vectors.topic
    gaps = [Theme(n.phrase, 0, round(float(c), 4), n)
            for n, d, c in zip(fresh, nearest, closeness, strict=True)
            if d < GAP_SIMILARITY and c >= MIN_SIMILARITY]
    return sorted(gaps, key=lambda t: -t.closeness)
