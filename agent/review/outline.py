"""Propose the survey's taxonomy: cluster the papers by meaning and name each cluster.

Clustering is k-means on the papers' title+abstract embeddings (unit vectors, so Euclidean k-means
follows cosine similarity), with k chosen by silhouette within a range that suits a survey: about
3–10 papers a section, never more than `max_themes`. Everything is deterministic (papers sorted by
id, a fixed seed), so the same papers always give the same outline. Papers left alone in a cluster
are gathered into a closing "Other directions" section (or joined to their nearest theme when only
one is left), as surveys do.
"""

from __future__ import annotations

import math
import re

import numpy as np

from agent.review.types import Outline, Theme
from memory.embeddings import Embedder
from memory.records import LibraryPaper
from tools.citations import paper_date
from tools.text.naming import class_tfidf, key_phrases, surface_form, topic_stems

OTHER_TITLE = "Other Directions"


def paper_text(record: LibraryPaper) -> str:
    """What a paper is about, for clustering and naming: its title and abstract."""
    abstract = record.paper.abstract or (record.parsed.abstract if record.parsed else "")
    return f"{record.paper.title}. {abstract}".strip()


def choose_k(vectors: np.ndarray, max_themes: int) -> tuple[int, np.ndarray]:
    """The number of themes and the labels: best silhouette for k in a survey-sized range."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    # Sections of about 3+ papers; a handful of papers may also split into pairs.
    k_max = min(max_themes, n // 3 if n >= 12 else n // 2)
    if n < 4 or k_max < 2:
        return 1, np.zeros(n, dtype=int)
    k_min = min(max(2, math.ceil(n / 10)), k_max)
    scored: list[tuple[float, int, np.ndarray]] = []
    for k in range(k_min, k_max + 1):
        # sklearn is unannotated: pyright guesses `n_init: str` from its "auto" default.
        kmeans = KMeans(n_clusters=k, n_init=10, random_state=0)  # pyright: ignore[reportArgumentType]
        labels = kmeans.fit_predict(vectors)
        if len(set(labels)) > 1:
            scored.append((float(silhouette_score(vectors, labels, metric="cosine")), k, labels))
    if not scored:
        return 1, np.zeros(n, dtype=int)
    # Silhouette often ties a coarse and a fine split; a survey reads better with the finer one.
    top = max(score for score, _, _ in scored)
    _, k, labels = max((item for item in scored if item[0] >= top - SILHOUETTE_TOLERANCE),
                       key=lambda item: item[1])
    return k, labels


SILHOUETTE_TOLERANCE = 0.015
"""Among splits this close to the best silhouette, the one with the most themes wins."""
JOIN_SIMILARITY = 0.35
"""A lone paper at least this close (cosine) to a theme's centroid joins that theme."""


def _regroup_singletons(labels: np.ndarray, vectors: np.ndarray) -> tuple[list[list[int]], bool]:
    """Clusters as index lists, and whether the last one gathers lone papers ("other").

    A lone paper close to a theme joins it; in a larger review the remaining lone papers are
    gathered into one "other directions" section, in a small one they keep their own sections.
    """
    groups = [[int(i) for i in np.flatnonzero(labels == c)] for c in sorted(set(labels))]
    alone = [g[0] for g in groups if len(g) == 1]
    groups = [g for g in groups if len(g) > 1]
    if not groups or not alone:
        return groups + [[i] for i in alone], False
    centroids = np.stack([_unit(vectors[g].mean(axis=0)) for g in groups])
    left = []
    for i in alone:
        similarity = centroids @ vectors[i]
        if float(similarity.max()) >= JOIN_SIMILARITY:
            groups[int(np.argmax(similarity))].append(i)
        else:
            left.append(i)
    if len(left) >= 2 and len(vectors) >= 10:
        return groups + [left], True
    return groups + [[i] for i in left], False


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (float(np.linalg.norm(vector)) or 1.0)


def build_outline(topic: str, papers: list[LibraryPaper], embedder: Embedder,
                  max_themes: int = 6) -> Outline:
    """Cluster `papers` into at most `max_themes` named themes, largest and most central first."""
    records = sorted({r.paper.arxiv_id: r for r in papers}.values(), key=lambda r: r.paper.arxiv_id)
    title = survey_title(topic)
    if not records:
        return Outline(topic=topic, title=title)
    texts = [paper_text(r) for r in records]
    vectors = embedder.embed(texts)
    _, labels = choose_k(vectors, max(1, max_themes))
    groups, has_other = _regroup_singletons(labels, vectors)
    weights = class_tfidf([[texts[i] for i in g] for g in groups])
    topic_vector = embedder.embed([topic])[0] if topic.strip() else vectors.mean(axis=0)
    exclude = topic_stems(topic)
    themes: list[tuple[tuple, Theme]] = []
    for n, group in enumerate(groups):
        centroid = vectors[group].mean(axis=0)
        phrases = key_phrases(weights[n], centroid, embedder, exclude)
        other = has_other and n == len(groups) - 1
        members = [texts[i] for i in group]
        theme = Theme(title=OTHER_TITLE if other else _theme_title(phrases, members),
                      key_phrases=[surface_form(p, members) for p in phrases],
                      paper_ids=[records[i].paper.arxiv_id for i in _chronological(group, records)])
        centrality = float(centroid @ topic_vector) / (float(np.linalg.norm(centroid)) or 1.0)
        themes.append(((other, -len(group), -centrality, theme.title), theme))
    ordered = [t for _, t in sorted(themes, key=lambda item: item[0])]
    return Outline(topic=topic, title=title, themes=_unique_titles(ordered))


def survey_title(topic: str) -> str:
    """The review's title."""
    topic = " ".join(topic.split())
    if not topic:
        return "A Survey"
    named = topic if any(c.isupper() for c in topic) else topic.title()
    return f"{named}: A Survey"


def _theme_title(phrases: list[str], texts: list[str]) -> str:
    """The best multi-word phrase among the top two, else the top two joined."""
    if not phrases:
        return "Further Work"
    for phrase in phrases[:2]:
        if len(re.split(r"[\s\-]+", phrase)) > 1:
            return surface_form(phrase, texts)
    if len(phrases) == 1:
        return surface_form(phrases[0], texts)
    return f"{surface_form(phrases[0], texts)} and {surface_form(phrases[1], texts)}"


def _chronological(group: list[int], records: list[LibraryPaper]) -> list[int]:
    return sorted(group, key=lambda i: (paper_date(records[i].paper) or "9999",
                                        records[i].paper.arxiv_id))


def _unique_titles(themes: list[Theme]) -> list[Theme]:
    """Disambiguate equal section titles with each theme's next key phrase."""
    seen: dict[str, int] = {}
    for theme in themes:
        seen[theme.title.lower()] = seen.get(theme.title.lower(), 0) + 1
    for theme in themes:
        if seen[theme.title.lower()] > 1:
            extra = next((p for p in theme.key_phrases if p.lower() not in theme.title.lower()), "")
            theme.title = f"{theme.title}: {extra}" if extra else theme.title
    return themes
