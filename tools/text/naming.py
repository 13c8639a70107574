"""Name a group of papers the way a survey names a section: with a phrase most of them use.

A section name is a noun phrase of 2–6 words that at least half of the section's papers write (as
consecutive words, stemmed: "video anomaly detection" matches "video anomalies detection"), that is
not made only of generic words (`tools.text.words.SECTION_GENERIC`: "efficient framework", "models
and data") and that is not a fragment of a longer phrase (most uses of "multimodal large language"
go on with "models"). Candidates are the n-grams of RAKE-style content runs (`tools.text.keyphrases`),
so a name never spans punctuation or a stop word and is never a table's or a title's stray tokens.

Among the names that pass, a group's best is the one its papers use most and the other groups least,
closest in meaning to the group's centroid, longer preferred; `name_problem` is the rule itself, for
checking any name (an edited one, one a model proposed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from memory.embeddings import Embedder
from tools.text.keyphrases import content_runs
from tools.text.words import FUNCTION_WORDS, NAMING_WORDS, SECTION_GENERIC, stem

MIN_WORDS, MAX_WORDS = 2, 6
PHRASE_WORDS = MAX_WORDS
"""Longest candidate phrase read from the papers."""
BOUND_SHARE = 0.7
"""A phrase that comes with the same neighbouring word this often is part of a longer phrase."""
POOL = 30
"""Names scored by meaning per group (the lexically best ones): bounds the embedding cost."""
_MODIFIER_END = re.compile(r"(?:ed|ly|ive|ous|ful|able|ible)$")
_MODIFIER_WORDS = frozenset("""driven based aware guided free specific agnostic oriented centric
level wise like scale grained""".split())
_NOUNS_LIKE_MODIFIERS = frozenset("""bed embed feed need seed speed shed hundred breed weed
objective objectives perspective perspectives incentive alternative detective archive drive
table cable variable variables""".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_GENERIC_STEMS = frozenset(stem(w) for w in SECTION_GENERIC)


def stems(phrase: str) -> tuple[str, ...]:
    """The phrase's content words (function words dropped, hyphens split), stemmed."""
    parts = [p for t in _TOKEN.findall(phrase.lower()) for p in re.split(r"['’-]", t) if p]
    return tuple(stem(p) for p in parts if p not in FUNCTION_WORDS)


def text_stems(text: str) -> list[str]:
    """A text as the stems `uses` compares a phrase with."""
    return list(stems(text))


def uses(phrase_stems: Sequence[str], text: Sequence[str]) -> bool:
    """Whether the stemmed text holds the stemmed phrase as consecutive words."""
    size = len(phrase_stems)
    return size > 0 and any(tuple(text[i:i + size]) == tuple(phrase_stems)
                            for i in range(len(text) - size + 1))


def name_problem(name: str, texts: Sequence[str]) -> str:
    """Why `name` is no section name for papers with these `texts` (`` when it is one)."""
    words = _TOKEN.findall(name)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return f"{len(words)} words (a name has {MIN_WORDS}–{MAX_WORDS})"
    content = [w.lower() for w in words if w.lower() not in FUNCTION_WORDS]
    if not content or all(w in SECTION_GENERIC or stem(w) in _GENERIC_STEMS for w in content):
        return "only generic words"
    wanted = stems(name)
    users = sum(1 for text in texts if uses(wanted, text_stems(text)))
    if users * 2 < len(texts):
        return f"used by {users} of {len(texts)} papers (at least half must use it)"
    return ""


@dataclass(frozen=True)
class Candidate:
    """A phrase the papers use: its stems, who uses it, and how they write it."""

    key: tuple[str, ...]
    users: frozenset[int]
    """Indices of the texts that use it."""
    surface: str
    """As the papers most often write it, in sentence case."""


class PhraseIndex:
    """Every candidate phrase of a set of texts, which texts use it, and whether it is a fragment."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.users: dict[tuple[str, ...], set[int]] = {}
        self._forms: dict[tuple[str, ...], Counter[str]] = {}
        self._neighbours: dict[tuple[str, ...], Counter[tuple[str, str]]] = {}
        self._seen: Counter[tuple[str, ...]] = Counter()
        for index, text in enumerate(self.texts):
            for run in content_runs(text, keep_case=True):
                self._add_run(index, run)

    def _add_run(self, index: int, run: list[str]) -> None:
        keys = [stems(w) for w in run]
        for n in range(1, PHRASE_WORDS + 1):
            for i in range(len(run) - n + 1):
                key = tuple(k for part in keys[i:i + n] for k in part)
                self.users.setdefault(key, set()).add(index)
                self._forms.setdefault(key, Counter())[" ".join(run[i:i + n])] += 1
                self._seen[key] += 1
                near = self._neighbours.setdefault(key, Counter())
                if i > 0:
                    near["left", run[i - 1].lower()] += 1
                if i + n < len(run):
                    near["right", run[i + n].lower()] += 1

    def fragment(self, key: tuple[str, ...]) -> bool:
        """Whether the phrase is part of a longer one: it nearly always comes with the same word
        before or after it ("multimodal large language" + models, "supervised" after weakly); a
        phrase used once only when the word after it is a head noun (models, network, dataset)."""
        near = self._neighbours.get(key)
        if not near:
            return False
        if self._seen[key] == 1:  # one use tells little: only a head noun left behind counts
            return any(side == "right" and word in NAMING_WORDS for side, word in near)
        return near.most_common(1)[0][1] >= BOUND_SHARE * self._seen[key]

    def candidates(self, members: Sequence[int], exclude: frozenset[str] = frozenset(),
                   min_users: int | None = None) -> list[Candidate]:
        """Phrases that pass the naming rule for `members`: used by at least half of them (or by
        `min_users` of them), 2–6 words, not only generic or `exclude`d words, no fragment."""
        members_set = set(members)
        need = (len(members_set) + 1) // 2 if min_users is None else min_users
        out = []
        for key, users in self.users.items():
            mine = users & members_set
            if len(mine) < max(1, need) or len(key) < MIN_WORDS:
                continue
            if not set(key) - _GENERIC_STEMS - exclude or self.fragment(key):
                continue
            surface = self.surface(key)
            if not MIN_WORDS <= len(_TOKEN.findall(surface)) <= MAX_WORDS or _ends_in_modifier(surface):
                continue
            if surface.split()[0].lower() in _MODIFIER_WORDS:  # "Aware table-text …": its head is gone
                continue
            out.append(Candidate(key, frozenset(users), surface))
        return out

    def core(self, members: Sequence[int], exclude: frozenset[str] = frozenset()) -> frozenset[int]:
        """The members that share the phrase most of them use (at least two), or none."""
        found = self.candidates(members, exclude, min_users=2) or self.candidates(members, min_users=2)
        if not found:
            return frozenset()
        members_set = set(members)
        best = min(found, key=lambda c: (-len(c.users & members_set), len(c.users - members_set),
                                         -len(c.key), c.key))
        return frozenset(best.users & members_set)

    def surface(self, key: tuple[str, ...]) -> str:
        """How the papers most often write a phrase, in sentence case (acronyms kept)."""
        form = self._forms[key].most_common(1)[0][0]
        words = form.split()
        return " ".join(_case(w, first=n == 0) for n, w in enumerate(words))


def _ends_in_modifier(phrase: str) -> bool:
    """A phrase ending in an adjective or adverb ("weakly supervised") is no noun phrase."""
    last = phrase.split()[-1].lower().split("-")[-1]
    if last in _MODIFIER_WORDS:
        return True
    return bool(_MODIFIER_END.search(last)) and last not in _NOUNS_LIKE_MODIFIERS


def _case(word: str, first: bool) -> str:
    """Sentence case: acronyms and mixed case (MLLMs, GPT-4V, CLIP) kept, other words lowered."""
    if any(c.isupper() for c in word[1:]):
        return word
    word = word.lower()
    return word[:1].upper() + word[1:] if first else word


def best_names(index: PhraseIndex, members: Sequence[int], embedder: Embedder | None = None,
               centroid: np.ndarray | None = None, exclude: frozenset[str] = frozenset(),
               top: int = 4) -> list[Candidate]:
    """The group's passing names, best first: used by many of its papers and few others, close
    in meaning to its centroid, longer preferred; names that repeat a better one's words dropped."""
    found = index.candidates(members, exclude)
    if not found:
        return []
    members_set, total = set(members), len(index.texts)
    outside = max(1, total - len(members_set))

    def lexical(c: Candidate) -> float:
        coverage = len(c.users & members_set) / len(members_set)
        distinct = 1 - len(c.users - members_set) / outside
        return coverage * distinct + 0.05 * (min(len(c.key), 4) - 1)

    found = sorted(found, key=lambda c: (-lexical(c), c.key))[:POOL]
    score = np.array([lexical(c) for c in found])
    if embedder is not None and centroid is not None:
        vectors = embedder.embed([c.surface for c in found])
        score = score + 0.3 * (vectors @ (centroid / (float(np.linalg.norm(centroid)) or 1.0)))
    order = sorted(range(len(found)), key=lambda i: (-round(float(score[i]), 6), found[i].key))
    chosen: list[Candidate] = []
    for i in order:
        if any(set(found[i].key) <= set(c.key) or set(c.key) <= set(found[i].key) for c in chosen):
            continue
        chosen.append(found[i])
        if len(chosen) == top:
            break
    return chosen


def topic_stems(topic: str) -> frozenset[str]:
    """Stems of a topic's words: a name made only of them names every section of its review."""
    return frozenset(stems(topic))


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Lower-cased 1..max_words-word phrases of consecutive content words within one clause."""
    phrases: list[str] = []
    for run in content_runs(text):
        for n in range(1, max_words + 1):
            phrases.extend(" ".join(run[i:i + n]) for i in range(len(run) - n + 1))
    return phrases
