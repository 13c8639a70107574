"""Rerank retrieved candidates: maximal marginal relevance, so k passages are not k near-copies.

Overlapping chunks of one section are nearly identical vectors; plain top-k by score would spend
several of the k slots on them. MMR trades a little relevance for coverage.
"""

from __future__ import annotations

import numpy as np


def mmr(query: np.ndarray, candidates: np.ndarray, k: int, diversity: float = 0.3) -> list[int]:
    """Indices of `k` candidates chosen by maximal marginal relevance, in the order chosen.

    `candidates` are unit rows; `diversity` 0 is plain relevance order, 1 ignores relevance.
    Each step takes argmax of (1 - diversity) * sim(query, c) - diversity * max sim(c, chosen).
    """
    n = len(candidates)
    if n == 0 or k <= 0:
        return []
    relevance = candidates @ query
    if diversity <= 0:
        return [int(i) for i in np.argsort(-relevance, kind="stable")[:k]]
    chosen: list[int] = []
    redundancy = np.full(n, -np.inf)
    available = np.ones(n, dtype=bool)
    for _ in range(min(k, n)):
        penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
        scores = np.where(available, (1 - diversity) * relevance - diversity * penalty, -np.inf)
        best = int(np.argmax(scores))
        chosen.append(best)
        available[best] = False
        redundancy = np.maximum(redundancy, candidates @ candidates[best])
    return chosen
