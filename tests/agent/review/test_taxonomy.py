"""Silhouettes and settling on hand-made points: a paper ends in the group it is closest to."""

from __future__ import annotations

import numpy as np

from agent.review.taxonomy import closest, settle, silhouettes, splits, survey_range


def points() -> np.ndarray:
    """Two tight pairs of unit vectors, far apart."""
    raw = np.array([[1.0, 0.05, 0], [1.0, -0.05, 0], [0, 1.0, 0.05], [0, 1.0, -0.05]])
    return raw / np.linalg.norm(raw, axis=1, keepdims=True)


def test_a_misplaced_point_has_a_negative_silhouette_and_settling_moves_it() -> None:
    vectors = points()
    wrong = [[0, 2], [1, 3]]
    assert min(silhouettes(vectors, wrong).values()) < 0
    settled, evicted = settle(vectors, wrong)
    assert sorted(map(sorted, settled)) == [[0, 1], [2, 3]] and not evicted
    assert min(silhouettes(vectors, settled).values()) >= 0


def test_evicting_instead_of_moving_and_lone_points() -> None:
    vectors = points()
    groups, evicted = settle(vectors, [[0, 1, 2], [3]], evict=True)
    assert evicted == [2] and groups == [[0, 1], [3]]
    assert set(silhouettes(vectors, [[0, 1, 2, 3]]).values()) == {0.0}  # one group: nothing to compare
    assert closest(vectors, 2, [[0, 1], [3]]) == 1


def test_splits_are_ranked_by_silhouette_and_deterministic() -> None:
    vectors = np.repeat(points(), 3, axis=0) + np.random.RandomState(0).normal(0, 0.01, (12, 3))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    first = splits(vectors, 4)
    assert sorted(map(sorted, first[0])) == [list(range(6)), list(range(6, 12))]
    assert splits(vectors, 4) == first
    assert survey_range(30, 6) == 6 and survey_range(7, 6) == 3 and survey_range(2, 6) == 1
