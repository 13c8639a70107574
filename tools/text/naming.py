"""Name groups of papers by their key phrases: class-based TF-IDF, reranked by meaning.

Candidates are contiguous 1–3 word phrases that really occur in the papers (no phrase skips over a
stop word or a sentence end). Each group's candidates are scored by c-TF-IDF (how much more the
group uses a phrase than the others, as in BERTopic) and, KeyBERT-style, by how close the phrase's
embedding is to the group's centroid; near-duplicates (`video`, `videos`, `video anomaly`) are
dropped in favour of the best-scoring form.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from memory.embeddings import Embedder
from tools.text.words import STOPWORDS as WORDS
from tools.text.words import stem

STOPWORDS = WORDS | {"model", "models", "dataset", "datasets", "benchmark", "benchmarks", "framework", "learning"}
"""Words that name nothing, plus the nouns every machine-learning abstract uses, which name no section."""

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+|\b\S+\.(?:com|org|io|net)\S*")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”]|\s-\s")


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Lower-cased 1..max_words-word phrases of consecutive non-stop-words within one clause."""
    phrases: list[str] = []
    for clause in _CLAUSE_BREAK.split(_URL.sub(" . ", text)):
        run: list[str] = []
        for token in _TOKEN.findall(clause) + [""]:
            word = token.lower()
            if word and word not in STOPWORDS and len(word) > 1 and word.count("-") <= 2:
                run.append(word)
                continue
            for n in range(1, max_words + 1):
                phrases.extend(" ".join(run[i:i + n]) for i in range(len(run) - n + 1))
            run = []
    return phrases


def _length(phrase: str) -> int:
    return len(phrase.split())


def _verb_like(phrase: str) -> bool:
    """A lone `detecting` / `proposed` names no theme."""
    return " " not in phrase and "-" not in phrase and phrase.endswith(("ing", "ed"))


def _stems(phrase: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.split(r"[\s\-]+", phrase) if w)


def class_tfidf(groups: list[list[str]]) -> list[Counter]:
    """c-TF-IDF weight of every candidate phrase in each group.

    A phrase counts once per paper: a name repeated in one abstract says less about a group than
    a phrase many of its papers share.
    """
    counts = [Counter(p for text in texts for p in set(candidate_phrases(text)))
              for texts in groups]
    total = Counter()
    for c in counts:
        total.update(c)
    words_per_group = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
    weights = []
    for c, texts in zip(counts, groups, strict=True):
        size = sum(c.values()) or 1
        shared = min(2, len(texts))  # in a group of several papers, a phrase two of them use
        weights.append(Counter({p: (n / size) * np.log(1 + words_per_group / total[p])
                                for p, n in c.items() if n >= shared}))
    return weights


def key_phrases(weights: Counter, centroid: np.ndarray, embedder: Embedder, exclude: frozenset[str],
                top: int = 4, pool: int = 30) -> list[str]:
    """The group's best `top` phrases: c-TF-IDF and closeness to the centroid, longer preferred.

    Phrases made only of the topic's words (`exclude`) are left out: they name every section.
    """
    candidates = [p for p in _pool(weights, pool) if not _stems(p) <= exclude and not _verb_like(p)]
    if not candidates:
        return []
    # Shorter phrases always count more often: compare each phrase with the best of its length.
    best: dict[int, float] = {}
    for phrase, weight in weights.items():
        best[_length(phrase)] = max(best.get(_length(phrase), 0.0), weight)
    vectors = embedder.embed(candidates)
    similarity = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    scores = []
    for i, phrase in enumerate(candidates):
        length = _length(phrase)
        score = (0.45 * weights[phrase] / best[length] + 0.45 * float(similarity[i])
                 + 0.1 * (length - 1))
        scores.append(score)
    chosen: list[int] = []
    for i in sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i])):
        stems = _stems(candidates[i])
        if any(stems <= _stems(candidates[j]) or stems >= _stems(candidates[j]) for j in chosen):
            continue
        if any(float(vectors[i] @ vectors[j]) > 0.8 for j in chosen):
            continue
        chosen.append(i)
        if len(chosen) == top:
            break
    return [candidates[i] for i in chosen]


def _pool(weights: Counter, size: int) -> list[str]:
    """The top candidates of each phrase length (so bigrams are not crowded out by unigrams)."""
    by_length: dict[int, list[str]] = {}
    for phrase, _ in weights.most_common():
        by_length.setdefault(_length(phrase), []).append(phrase)
    per_length = max(1, size // max(len(by_length), 1))
    return [p for length in sorted(by_length) for p in by_length[length][:per_length]]


def topic_stems(topic: str) -> frozenset[str]:
    """Stems of the topic's words, for `key_phrases(exclude=…)`."""
    if not topic.strip():
        return frozenset()
    return _stems(" ".join(w.lower() for w in _TOKEN.findall(topic)))


def surface_form(phrase: str, texts: list[str]) -> str:
    """The phrase as the papers most often write it (`mllms` → `MLLMs`), else Title Case."""
    words = re.split(r"[\s\-]+", phrase)
    pattern = re.compile(r"\b" + r"[\s\-]+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
    forms = Counter(m.group(0) for text in texts for m in pattern.finditer(text))
    words = (forms.most_common(1)[0][0] if forms else phrase).split()
    return " ".join(w if any(c.isupper() for c in w[1:]) else w[:1].upper() + w[1:] for w in words)
