"""Form and name the taxonomy's sections and subsections from the papers' vectors and phrases.

`partition` splits papers by k-means (the best split by silhouette whose groups can all be named;
failing that, by the phrases most of them share), then repeats until nothing changes: papers alone
in a group are set aside, every other paper moves to the group it is closest to
(`agent.review.taxonomy.settle`; in subsections, where a move could break a name, it is set aside
instead), and a group no phrase names keeps only the papers sharing its most used phrase (the rest
are set aside). What is set aside becomes "Other approaches" at the top level, and the papers a
section discusses before its subsections one level down.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from agent.review.taxonomy import settle, silhouettes, splits
from agent.review.types import Theme, ThemeKind
from memory.embeddings import Embedder
from memory.records import LibraryPaper
from tools.citations import paper_date
from tools.search.explain import CachedEmbedder
from tools.text.naming import PhraseIndex, best_names, name_problem, topic_stems

SMALL_REVIEW = 4
"""Below this many papers a section may hold a single paper."""
SUBSECTION_FROM = 6
"""A section with this many papers is split into subsections."""
MAX_ROUNDS = 8
"""Rounds of settling and trimming (it settles in two or three)."""

Namer = Callable[[list[str], list[str]], "str | None"]
"""`namer(candidate_names, paper_titles)` → one of the candidates (a chat model's pick), or None."""
Groups = list[list[int]]
Named = list[tuple[list[int], str, list[str]]]
"""(group, name, key phrases) per section."""


class Sections:
    """The papers of one outline, with what naming and ordering their sections needs."""

    def __init__(self, topic: str, records: list[LibraryPaper], texts: list[str],
                 vectors: np.ndarray, embedder: Embedder, namer: Namer | None = None) -> None:
        self.topic, self.records, self.texts, self.vectors = topic, records, texts, vectors
        self.embedder = CachedEmbedder(embedder)
        self.index, self.namer = PhraseIndex(texts), namer
        self.topic_vector = self.embedder.embed([topic])[0] if topic.strip() else vectors.mean(axis=0)
        self._names: dict[tuple, list[str]] = {}

    def ids(self, group: list[int]) -> list[str]:
        """A group's papers as ids, oldest first."""
        ordered = sorted(group, key=lambda i: (paper_date(self.records[i].paper) or "9999",
                                               self.records[i].paper.arxiv_id))
        return [self.records[i].paper.arxiv_id for i in ordered]

    def names(self, group: list[int], exclude: frozenset[str], fallback: bool = True) -> list[str]:
        """The group's passing names, best first (without `exclude`d words unless none is left
        and `fallback`)."""
        key = (tuple(sorted(group)), exclude, fallback)
        if key not in self._names:
            centroid = self.vectors[group].mean(axis=0)
            found = best_names(self.index, group, self.embedder, centroid, exclude)
            if not found and fallback:
                found = best_names(self.index, group, self.embedder, centroid, frozenset())
            self._names[key] = [c.surface for c in found]
        return self._names[key]

    def pick(self, group: list[int], names: list[str]) -> str:
        """The name to use among `names` (the first, or the chat model's pick among them)."""
        if self.namer is not None and len(names) > 1:
            picked = self.namer(names, [self.records[i].paper.title for i in group])
            if picked in names:
                return picked
        return names[0]

    def fits(self, group: list[int], name: str) -> bool:
        """Whether `name` passes the naming rule for the group's papers."""
        return not name_problem(name, [self.texts[i] for i in group])

    def centrality(self, group: list[int]) -> float:
        """How close the group's centroid is to the topic."""
        centroid = self.vectors[group].mean(axis=0)
        return float(centroid @ self.topic_vector) / (float(np.linalg.norm(centroid)) or 1.0)

    def theme(self, title: str, group: list[int], kind: ThemeKind = "topic",
              phrases: list[str] | None = None, subthemes: list[Theme] | None = None) -> Theme:
        """A section: its papers oldest first (subsections' papers after the section's own)."""
        subthemes = subthemes or []
        inside = {i for sub in subthemes for i in sub.paper_ids}
        ids = [i for i in self.ids(group) if i not in inside] + [i for s in subthemes for i in s.paper_ids]
        if phrases is None:  # a section placed by kind: the phrases two or more of its papers share
            shared = self.index.candidates(group, topic_stems(self.topic), min_users=2)
            phrases = [c.surface for c in sorted(shared, key=lambda c: (-len(c.users & set(group)), c.key))][:4]
        return Theme(title=title, kind=kind, paper_ids=ids, key_phrases=phrases,
                     subthemes=subthemes)


def partition(sec: Sections, members: list[int], k_max: int, exclude: frozenset[str],
              fallback: bool, strict: bool, evict: bool = False) -> tuple[Groups, list[int]]:
    """Nameable groups of `members`, and the papers set aside (see the module's docstring); with
    `evict`, a paper closer to another group than to its own is set aside instead of moved."""
    if len(members) < SMALL_REVIEW or k_max < 2:
        groups = [list(members)]
    else:
        ranked = [[[members[i] for i in g] for g in local]
                  for local in splits(sec.vectors[members], k_max)]
        groups = next((r for r in ranked if all(sec.names(g, exclude, fallback) for g in r if len(g) > 1)),
                      None) or anchored(sec, members, exclude, k_max) or ranked[0]
    aside: list[int] = []
    for _ in range(MAX_ROUNDS):
        if strict:
            aside = sorted(set(aside) | {g[0] for g in groups if len(g) == 1})
            groups = [g for g in groups if len(g) > 1]
        if len(groups) > 1:
            settled, evicted = settle(sec.vectors, groups, evict)
            groups, aside = [g for g in settled if g], sorted(set(aside) | set(evicted))
        trimmed = _trim(sec, groups, exclude, fallback)
        aside = sorted(set(aside) | {i for g in groups for i in g} - {i for g in trimmed for i in g})
        if trimmed == groups and not (strict and any(len(g) == 1 for g in groups)):
            break
        groups = trimmed
    return _place_last(sec, groups, aside, exclude, fallback, strict)


def anchored(sec: Sections, members: list[int], exclude: frozenset[str], k_max: int) -> Groups:
    """Groups read off the phrases the papers share, when no split by meaning can be named: the
    phrase shared by the most papers not yet grouped (at most 60% of them: a phrase nearly all
    use names no part), then the next, up to `k_max` groups of two or more."""
    pool = set(members)
    baseline = _cohesion(sec, members)
    found = [c for c in sec.index.candidates(members, exclude, min_users=2)
             if _cohesion(sec, sorted(c.users & pool)) > baseline]
    groups: Groups = []
    left = set(pool)
    while len(groups) < k_max:
        usable = [(len(c.users & left), -len(c.users - pool), len(c.key), c.key, c) for c in found
                  if len(c.users & pool) <= 0.6 * len(pool) and len(c.users & left) >= 2]
        if not usable:
            break
        best = max(usable, key=lambda u: u[:4])[4]
        groups.append(sorted(best.users & left))
        left -= best.users
    return groups if len(groups) >= 2 else []


def _cohesion(sec: Sections, group: list[int]) -> float:
    """Mean cosine similarity between the group's papers (how alike they are)."""
    if len(group) < 2:
        return 0.0
    similarity = sec.vectors[group] @ sec.vectors[group].T
    return float((similarity.sum() - len(group)) / (len(group) * (len(group) - 1)))


def _trim(sec: Sections, groups: Groups, exclude: frozenset[str], fallback: bool) -> Groups:
    """Each group no phrase names cut down to the papers sharing its most used phrase."""
    out = []
    for group in groups:
        if sec.names(group, exclude, fallback):
            out.append(group)
            continue
        core = sorted(sec.index.core(group, exclude if not fallback else frozenset()))
        if len(core) >= 2:
            out.append(core)
    return out


def _place_last(sec: Sections, groups: Groups, aside: list[int], exclude: frozenset[str],
                fallback: bool, strict: bool) -> tuple[Groups, list[int]]:
    """No one-paper leftover: a single paper set aside joins the nearest group that can still be
    named with it; if none can, the nearest group joins it in "other"."""
    if not groups:
        return ([aside], []) if aside and not strict else ([], aside)
    if not strict or len(aside) != 1:
        return groups, aside
    order = sorted(range(len(groups)), key=lambda n: -_similarity(sec, aside, groups[n]))
    for n in order:
        joined = sorted(groups[n] + aside)
        if sec.names(joined, exclude, fallback):
            groups[n] = joined
            return groups, []
    nearest = groups.pop(order[0])
    return groups, sorted(aside + nearest)


def _similarity(sec: Sections, members: list[int], group: list[int]) -> float:
    """Cosine between the centroids of two sets of papers."""
    a, b = sec.vectors[members].mean(axis=0), sec.vectors[group].mean(axis=0)
    return float(a @ b) / ((float(np.linalg.norm(a)) * float(np.linalg.norm(b))) or 1.0)


def name_groups(sec: Sections, groups: Groups, exclude: frozenset[str], fallback: bool) -> Named:
    """(group, name, key phrases), biggest first; a group whose names are all taken by bigger ones
    joins the group holding its best name; one no phrase names is dropped."""
    named: Named = []
    for group in sorted(groups, key=lambda g: (-len(g), g)):
        names = sec.names(group, exclude, fallback)
        if not names:
            continue
        taken = {name.lower(): n for n, (_, name, _) in enumerate(named)}
        free = [n for n in names if n.lower() not in taken]
        if free:
            named.append((group, sec.pick(group, free), names))
            continue
        n = taken[names[0].lower()]
        merged = sorted(named[n][0] + group)
        named[n] = (merged, named[n][1], named[n][2])
    return named


def finish(sec: Sections, named: Named, members: list[int], exclude: frozenset[str]) -> tuple[Named, list[int]]:
    """The last pass, after merges and late joins: a paper closer to another section than to its
    own goes to "other", a section its name no longer fits is renamed (or joins "other"), and a
    single paper left in "other" joins the nearest section that can still be named with it."""
    other = sorted(set(members) - {i for g, _, _ in named for i in g})
    for _ in range(len(members) + 1):
        groups = [g for g, _, _ in named]
        scores = silhouettes(sec.vectors, groups) if len(groups) > 1 else {}
        wrong = sorted((score, i) for i, score in scores.items() if score < -1e-9)
        if not wrong:
            break
        i = wrong[0][1]
        n = next(k for k, (g, _, _) in enumerate(named) if i in g)
        other.append(i)
        named[n] = (sorted(j for j in named[n][0] if j != i), named[n][1], named[n][2])
        named, other = _refit(sec, named, other, exclude)
    if len(other) == 1 and named:
        groups, other = _place_last(sec, [g for g, _, _ in named], other, exclude, True, True)
        named = name_groups(sec, groups, exclude, fallback=True)
        other = sorted(set(members) - {i for g, _, _ in named for i in g})
    return named, sorted(other)


def _refit(sec: Sections, named: Named, other: list[int], exclude: frozenset[str]) -> tuple[Named, list[int]]:
    """Sections of one paper go to "other"; a section its name no longer fits takes another free
    name, or goes to "other"."""
    out: Named = []
    for group, title, phrases in named:
        if len(group) < 2:
            other += group
            continue
        if not sec.fits(group, title):
            taken = {t.lower() for _, t, _ in named if t != title}
            free = [n for n in sec.names(group, exclude) if n.lower() not in taken]
            if not free:
                other += group
                continue
            title, phrases = free[0], free
        out.append((group, title, phrases))
    return out, other


def subsections(sec: Sections, group: list[int], parent: str) -> list[Theme]:
    """Named subsections of a section of `SUBSECTION_FROM` papers or more (none when its papers
    cannot be split into two or more named groups)."""
    if len(group) < SUBSECTION_FROM:
        return []
    exclude = topic_stems(sec.topic) | topic_stems(parent)
    groups, _ = partition(sec, group, min(4, len(group) // 3), exclude, fallback=False, strict=True,
                          evict=True)
    named = [(g, t, p) for g, t, p in name_groups(sec, groups, exclude, fallback=False)
             if len(g) >= 2 and sec.fits(g, t)]
    if len(named) < 2:
        return []
    return [sec.theme(t, g, phrases=p) for g, t, p in named]
