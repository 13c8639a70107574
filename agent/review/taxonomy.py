"""Group papers into sections: k-means with k chosen by silhouette, then every paper in the section
it is closest to.

Papers are points on the unit sphere (`paper_vectors`: the title's embedding plus the title-and-
abstract's, so what a paper calls itself weighs as much as how it describes its work), so Euclidean
k-means follows cosine similarity. k is the one with the best silhouette in a survey-sized range;
`settle` then moves every paper whose silhouette is negative (closer, on average, to another
section than to its own) until none is left, which is what "the section it is closest to" means.
Everything is deterministic: inputs in a fixed order, a fixed seed.
"""

from __future__ import annotations

import math

import numpy as np
from threadpoolctl import threadpool_limits

from memory.embeddings import Embedder

CLUSTERING_MODULES = ("sklearn.cluster", "sklearn.metrics")
"""What `splits` imports: over a second of CPU, most of it scikit-learn importing SciPy (the
snowball stage preloads them while it waits on the network)."""
MAX_SETTLE_ROUNDS = 3
"""Moves per paper allowed while settling (it converges long before)."""


def paper_vectors(titles: list[str], texts: list[str], embedder: Embedder) -> np.ndarray:
    """One unit vector per paper: its title's embedding plus its title-and-abstract's."""
    if not titles:
        return np.zeros((0, 0), dtype=np.float32)
    both = embedder.embed(titles) + embedder.embed(texts)
    return both / np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-9)


def splits(vectors: np.ndarray, k_max: int, k_min: int = 2) -> list[list[list[int]]]:
    """The k-means splits for k in [k_min, k_max], best silhouette first (one group if none)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    scored: list[tuple[float, int, list[list[int]]]] = []
    # One thread: on a busy machine OpenMP's threads cost far more than they save on tiny inputs.
    with threadpool_limits(1):
        for k in range(max(2, k_min), min(k_max, n - 1) + 1):
            # sklearn is unannotated: pyright guesses `n_init: str` from its "auto" default.
            kmeans = KMeans(n_clusters=k, n_init=10, random_state=0)  # pyright: ignore[reportArgumentType]
            labels = kmeans.fit_predict(vectors)
            if len(set(labels)) < 2:
                continue
            score = float(silhouette_score(vectors, labels, metric="cosine"))
            groups = [[int(i) for i in np.flatnonzero(labels == c)] for c in sorted(set(labels))]
            scored.append((round(score, 9), -k, groups))
    ranked = [groups for _, _, groups in sorted(scored, key=lambda s: (-s[0], s[1]))]
    return ranked or [[list(range(n))]]


def survey_range(n: int, max_groups: int) -> int:
    """The most sections `n` papers should be split into: about three papers or more each."""
    return max(1, min(max_groups, n // 3 if n >= 9 else math.ceil(n / 3)))


def silhouettes(vectors: np.ndarray, groups: list[list[int]]) -> dict[int, float]:
    """Each paper's silhouette (cosine) among `groups`; 0 for a paper alone in its group."""
    live = [g for g in groups if g]
    members = [i for g in live for i in g]
    label = np.empty(len(vectors), dtype=int)
    for n, group in enumerate(live):
        label[group] = n
    distance = 1.0 - vectors @ vectors.T
    sums = np.stack([distance[:, g].sum(axis=1) for g in live], axis=1)  # paper × group
    sizes = np.array([len(g) for g in live], dtype=float)
    rows = np.array(members)
    own_size = sizes[label[rows]]
    own = (sums[rows, label[rows]] - distance[rows, rows]) / np.maximum(own_size - 1, 1)
    means = sums[rows] / sizes
    means[np.arange(len(rows)), label[rows]] = np.inf
    other = means.min(axis=1) if len(live) > 1 else own
    score = (other - own) / np.maximum(np.maximum(own, other), 1e-9)
    score[own_size == 1] = 0.0
    return {int(i): float(v) for i, v in zip(rows, score, strict=True)}


def closest(vectors: np.ndarray, i: int, groups: list[list[int]]) -> int:
    """The group a paper is closest to on average (itself left out of its own group)."""
    distance = 1.0 - vectors[i] @ vectors.T
    means = [float(np.mean([distance[j] for j in g if j != i])) if [j for j in g if j != i] else math.inf
             for g in groups]
    return int(np.argmin(means))


def settle(vectors: np.ndarray, groups: list[list[int]], evict: bool = False
           ) -> tuple[list[list[int]], list[int]]:
    """Until no paper has a negative silhouette, move the worst-placed one to the group it is
    closest to (or, with `evict`, take it out of every group). Returns the groups, each sorted and
    in place (an emptied one stays, empty), and the evicted papers.
    """
    groups = [sorted(g) for g in groups]
    evicted: list[int] = []
    for _ in range(MAX_SETTLE_ROUNDS * max(1, len(vectors))):
        scores = silhouettes(vectors, groups)
        wrong = sorted((s, i) for i, s in scores.items() if s < -1e-9)
        if not wrong:
            break
        i = wrong[0][1]
        source = next(g for g, group in enumerate(groups) if i in group)
        target = closest(vectors, i, groups)
        if target == source and not evict:
            break
        groups[source].remove(i)
        if evict:
            evicted.append(i)
        else:
            groups[target] = sorted(groups[target] + [i])
    return groups, sorted(evicted)


def nearest_group(vectors: np.ndarray, members: list[int], groups: list[list[int]]) -> int:
    """The group whose centroid is closest to the centroid of `members`."""
    centre = _unit(vectors[members].mean(axis=0))
    scores = [float(_unit(vectors[g].mean(axis=0)) @ centre) if g else -math.inf for g in groups]
    return int(np.argmax(scores))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (float(np.linalg.norm(vector)) or 1.0)
