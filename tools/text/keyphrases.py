"""Key phrases of a set of papers, chosen by meaning: what else do people call this topic?

Candidates are the runs of content words between stop words and punctuation in titles and
abstracts (Rose et al., "Automatic Keyword Extraction from Individual Documents" — RAKE), cut into
2–4 word n-grams. They are embedded with the same model as the papers, scored by similarity to a
target (the topic, a cluster centroid), and picked with Maximal Marginal Relevance (Carbonell &
Goldstein, 1998) so that five picks name five different things rather than five spellings of one.
Acronyms come from their definitions in the text ("video anomaly detection (VAD)"), following
Schwartz & Hearst, "A Simple Algorithm for Identifying Abbreviation Definitions" (2003), simplified.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from tools.text.words import STOPWORDS, stem

_SPLIT = re.compile(r"[.,;:!?()\[\]{}\"“”'’/|=<>+*&%$#@~`^\\]|\s-\s|--")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9]{1,9}?)(s?)\s*\)")
MAX_CANDIDATES = 250
"""Phrases embedded per call (the most frequent first): bounds the cost on two CPU cores."""


@dataclass(frozen=True)
class Phrase:
    """A candidate phrase, how many texts use it, and its similarity to the target once scored."""

    text: str
    count: int = 1
    similarity: float = 0.0


def normalise(phrase: str) -> str:
    """Lower-case, hyphens as spaces, single spaces: how phrases are compared and queried."""
    return " ".join(re.findall(r"[a-z0-9]+", phrase.lower()))


def stems(phrase: str) -> tuple[str, ...]:
    """The phrase's words, crudely stemmed (as the query index does): talking heads → talk head."""
    return tuple(stem(w) for w in normalise(phrase).split())


def contains(longer: str, shorter: str) -> bool:
    """Whether `shorter` occurs as consecutive words inside `longer` (stemmed).

    A phrase query for `longer` can then only find a subset of what `shorter` finds.
    """
    big, small = stems(longer), stems(shorter)
    size = len(small)
    return bool(small) and any(big[i:i + size] == small for i in range(len(big) - size + 1))


def content_runs(text: str, keep_case: bool = False) -> list[list[str]]:
    """Runs of content words (RAKE's candidate keywords), split at stop words and punctuation;
    lower-cased unless `keep_case`."""
    runs: list[list[str]] = []
    for clause in _SPLIT.split(text):
        run: list[str] = []
        for word in _WORD.findall(clause):
            if word.lower() in STOPWORDS or word.isdigit() or len(word) < 2:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word if keep_case else word.lower())
        if run:
            runs.append(run)
    return runs


def candidate_phrases(texts: list[str], min_words: int = 2, max_words: int = 4) -> list[Phrase]:
    """Every n-gram of every content run, counted once per text, most frequent first."""
    counts: Counter[str] = Counter()
    for text in texts:
        seen: set[str] = set()
        for run in content_runs(text):
            for n in range(min_words, min(max_words, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    seen.add(normalise(" ".join(run[i:i + n])))
        counts.update(p for p in seen if p)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    return [Phrase(text, count) for text, count in ranked[:MAX_CANDIDATES]]


def acronyms(texts: list[str]) -> dict[str, str]:
    """Acronym → the long form it abbreviates, where the text defines it: "… detection (VAD)"."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _ACRONYM.finditer(text):
            short = match.group(1)
            long_form = _long_form(short, text[:match.start()])
            if long_form and short not in found:
                found[short] = long_form
    return found


def _long_form(short: str, before: str) -> str:
    """The shortest run of words just before `(SHORT)` whose initials spell SHORT.

    Hyphenated parts count as words (vision-language → v, l); filler words (of, for) are skipped.
    """
    letters = [c.lower() for c in short if c.isupper()]
    words = _WORD.findall(before)
    for n in range(1, len(letters) + 3):
        tail = words[-n:]
        if len(tail) < n or tail[0].lower() in STOPWORDS:
            break
        parts = [p for w in tail for p in w.split("-") if p.lower() not in STOPWORDS]
        if [p[0].lower() for p in parts] == letters:
            return normalise(" ".join(tail))
    return ""


def mmr(candidates: list[Phrase], vectors: np.ndarray, target: np.ndarray, k: int,
        diversity: float = 0.5, avoid: np.ndarray | None = None,
        relevance: np.ndarray | None = None) -> list[Phrase]:
    """Pick `k` phrases close to `target` and far from each other (and from `avoid` rows).

    `diversity` is 1 − λ of MMR: 0 ranks by similarity alone, 1 by novelty alone. Novelty is
    judged on `vectors`; relevance is their similarity to `target` unless given.
    """
    if not candidates:
        return []
    relevance = vectors @ target if relevance is None else relevance
    taken: list[int] = []
    penalty = np.zeros(len(candidates), dtype=np.float32)
    if avoid is not None and len(avoid):
        penalty = (vectors @ avoid.T).max(axis=1)
    while len(taken) < min(k, len(candidates)):
        score = (1 - diversity) * relevance - diversity * penalty
        score[taken] = -np.inf
        best = int(np.argmax(score))
        taken.append(best)
        penalty = np.maximum(penalty, vectors @ vectors[best])
    return [Phrase(candidates[i].text, candidates[i].count, round(float(relevance[i]), 4))
            for i in taken]
