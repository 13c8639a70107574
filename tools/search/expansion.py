"""Query expansion: other names for a topic, each a separate arXiv query.

A literal phrase misses the papers that say it differently ("talking face", "audio-driven
portrait" for "talking head generation"). Without an LLM the alternatives come from the text of the
first results: the topic's words in any order, the acronym the papers define for it, a shorter
sub-phrase, and key phrases close in meaning to the topic (`tools.text.keyphrases`). With a planner
model, its alternative phrasings and sub-topics join them. Every expansion says where it came from,
so a candidate it finds can say why it is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import Literal

import numpy as np
from pydantic import BaseModel

from memory.embeddings import Embedder
from tools.paper import Paper
from tools.search.query import phrase_query, topic_terms
from tools.search.ranking import paper_text
from tools.text.keyphrases import Phrase, acronyms, candidate_phrases, contains, mmr, normalise, stems

Source = Literal["topic", "plan", "all words", "acronym", "sub-phrase", "key phrase", "sub-topic",
                 "planner", "words", "phrasings", "feedback", "authors"]
MIN_SIMILARITY = 0.5
"""A sub-topic ("<modifier> <topic>") must stay this close to the topic (cosine, MiniLM)."""
PHRASING_SIMILARITY = 0.6
"""An alternative phrasing must be at least this close to the topic ('video comprehension' is
0.82 to 'video understanding'; fragments such as 'head videos' stay under it)."""
MIN_SHIFT = 0.1
"""A sub-topic's modifier must move the topic's meaning at least this much (1 − cosine): 'audio
driven' moves 'talking head generation' by 0.16, 'major' by 0.07."""
MIN_ASSOCIATION = 0.2
"""A sub-topic's modifier must be this close to the topic on its own ('audio driven' is 0.35 to
'talking head generation', 'entire' 0.14 to 'video understanding') …"""
AGREEMENT_BONUS = 0.15
"""… counting this much more for each further paper that uses it ('long', in 6 papers)."""
ACRONYM_SIMILARITY = 0.9
"""An acronym counts when its long form holds the topic's words ('LVLM': large vision language
models) or is this close to it: 'VAD' only where it means video anomaly detection."""


class Expansion(BaseModel):
    """One query of a search: what it looks for and why it was asked."""

    phrase: str
    """Normalised words: the phrase searched for (all of them, in any order, for `all words`)."""
    source: Source
    why: str
    """Where it came from, in words: "the acronym the first results define for '…'"."""
    similarity: float = 0.0
    """Similarity of the phrase to the topic (0 when not measured)."""
    within: str = ""
    """For a sub-topic: words of which any one must appear too (the topic's), to stay on topic."""
    raw: str = ""
    """The query as built elsewhere (`tools.search.variants.any_of`), when it is not one phrase."""
    size: int = 0
    """Results to ask for (0: `tools.search.pool.PER_QUERY`), in one request whatever the number."""

    def query(self) -> str:
        """The arXiv `search_query` (without category and date filters)."""
        if self.raw:
            return self.raw
        if self.source == "all words":
            words = self.phrase.split()
            return "(" + " AND ".join(f"(ti:{w} OR abs:{w})" for w in words) + ")"
        if self.within:
            context = " OR ".join(f"ti:{w} OR abs:{w}" for w in self.within.split())
            return f"({phrase_query(self.phrase)} AND ({context}))"
        return phrase_query(self.phrase)

    def narrower_than(self, other: Expansion) -> bool:
        """Whether every paper this query can find, `other` finds too (so when `other` came back
        complete, asking this one is a wasted request)."""
        if self.raw or other.raw:
            return False
        mine = set(stems(self.phrase))
        if other.within:
            words = set(stems(other.within))
            if not (mine & words or (self.within and set(stems(self.within)) <= words)):
                return False
        if other.source == "all words":
            return mine >= set(stems(other.phrase))
        return self.source != "all words" and contains(self.phrase, other.phrase)


def literal(topic: str) -> Expansion:
    """The topic itself, as one phrase."""
    return Expansion(phrase=normalise(topic), source="topic", why="the topic itself",
                     similarity=1.0)


def topic_variants(topic: str) -> list[Expansion]:
    """The topic's words in any order, and the topic without its last word.

    English noun compounds put the head last ("talking head *generation*", "video anomaly
    *detection*"): dropping it keeps the domain and widens the task ("talking head" also finds
    talking head synthesis and editing). A two-word topic keeps its head (one word is too broad).
    """
    terms = topic_terms(topic)
    out: list[Expansion] = []
    if len(terms) >= 2:
        out.append(Expansion(phrase=" ".join(terms), source="all words", similarity=1.0,
                             why="all of the topic's words, in any order"))
    if len(terms) >= 3:
        out.append(Expansion(phrase=" ".join(terms[:-1]), source="sub-phrase",
                             why=f"the topic without its last word '{terms[-1]}', to widen it"))
    return out


def phrase_expansions(topic: str, papers: Sequence[Paper], embedder: Embedder, k: int = 4,
                      asked: Iterable[str] = (), where: str = "the first results",
                      focus: np.ndarray | None = None) -> list[Expansion]:
    """Acronyms, other phrasings and sub-topics of the topic, read from `papers`, best first.

    A key phrase qualifies when it brings a word that the topic and the queries already `asked`
    lack (otherwise its papers were already found). A phrase that puts a modifier in front of the
    topic's own words ("audio-driven talking head") names a sub-topic: it is searched as the
    modifier with any of the topic's words, since the phrase itself could only find part of what
    the topic's query found. Any other phrase close to the topic is an alternative phrasing
    ("talking face generation") and is searched as written. `focus` (a unit vector, e.g. the
    centre of a theme) is what the phrases should be about; by default, the topic.
    """
    texts = [paper_text(p) for p in papers]
    if not texts:
        return []
    asked = list(asked)
    known = set(stems(topic)) | {s for q in asked for s in stems(q)}
    topic_vector = embedder.embed([topic])[0]
    target = topic_vector if focus is None else _unit(topic_vector + focus)
    pool = [p for p in candidate_phrases(texts)
            if set(stems(p.text)) - known and not any(contains(p.text, q) for q in [topic, *asked])]
    topic_stems = set(stems(topic))
    phrasings = [p for p in pool if not _modifier(p.text, topic_stems)]
    facets = [p for p in pool if _modifier(p.text, topic_stems)]
    out = _acronym_expansions(topic, texts, topic_vector, embedder, where)
    pairs = zip_longest(_phrasings(topic_vector, target, phrasings, embedder, k, where),
                        _subtopics(topic, target, facets, embedder, k, where))
    out += [e for pair in pairs for e in pair if e is not None]
    return out[:k]


def _phrasings(topic_vector: np.ndarray, target: np.ndarray, phrases: list[Phrase],
               embedder: Embedder, k: int, where: str) -> list[Expansion]:
    """Alternative phrasings: close to the topic in meaning, diverse among themselves."""
    phrases = [p for p in phrases if len(p.text.split()) <= 3]
    if not phrases:
        return []
    vectors = embedder.embed([p.text for p in phrases])
    close = [i for i, v in enumerate(vectors @ topic_vector) if v >= PHRASING_SIMILARITY]
    picked = mmr([phrases[i] for i in close], vectors[close], target, k, diversity=0.3)
    similarity = dict(zip([p.text for p in phrases], vectors @ topic_vector, strict=True))
    return [Expansion(phrase=p.text, source="key phrase",
                      similarity=round(float(similarity[p.text]), 4),
                      why=f"key phrase of {_where(p, where)}, "
                          f"{similarity[p.text]:.2f} similar to the topic")
            for p in picked]


def _subtopics(topic: str, target: np.ndarray, phrases: list[Phrase], embedder: Embedder,
               k: int, where: str) -> list[Expansion]:
    """Sub-topics: modifiers associated with the topic (or named by several papers) that move
    its meaning somewhere, unlike 'major' or 'multiple', without leaving it.

    The move is 1 − similarity between "<modifier> <topic words>" and the topic.
    """
    words = " ".join(topic_terms(topic))
    topic_stems = set(stems(topic))
    count: dict[str, int] = {}
    for phrase in phrases:
        modifier = _modifier(phrase.text, topic_stems)
        count[modifier] = max(count.get(modifier, 0), phrase.count)
    modifiers = list(count)
    if not modifiers:
        return []
    alone = embedder.embed(modifiers)
    moved = embedder.embed([f"{m} {words}" for m in modifiers]) @ embedder.embed([topic])[0]
    association = alone @ target + AGREEMENT_BONUS * (np.array([count[m] for m in modifiers]) - 1)
    keep = [i for i, m in enumerate(modifiers) if association[i] >= MIN_ASSOCIATION
            and MIN_SIMILARITY <= moved[i] <= 1 - MIN_SHIFT]
    picked = mmr([Phrase(modifiers[i], count[modifiers[i]]) for i in keep], alone[keep], target, k,
                 diversity=0.3, relevance=association[keep])
    return [Expansion(phrase=p.text, source="sub-topic", within=words,
                      similarity=round(float(moved[modifiers.index(p.text)]), 4),
                      why=f"sub-topic '{p.text} {words}' named in {_where(p, where)}")
            for p in picked]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _where(phrase: Phrase, where: str) -> str:
    return f"{phrase.count} of {where}" if phrase.count > 1 else f"one of {where}"


def _modifier(phrase: str, topic_stems: set[str]) -> str:
    """The leading words of a phrase whose other words are all the topic's ("audio driven" of
    "audio driven talking head"), or empty when the phrase is not built that way."""
    words = phrase.split()
    novel = [stems(w)[0] not in topic_stems for w in words]
    lead = next((i for i, n in enumerate(novel) if not n), len(words))
    if 0 < lead < len(words) and not any(novel[lead:]):
        return " ".join(words[:lead])
    return ""


def _acronym_expansions(topic: str, texts: list[str], topic_vector: np.ndarray,
                        embedder: Embedder, where: str) -> list[Expansion]:
    defined = acronyms(texts)
    if not defined:
        return []
    shorts = list(defined)
    vectors = embedder.embed([defined[s] for s in shorts])
    out = []
    topic_stems = set(stems(topic))
    for short, sim in zip(shorts, vectors @ topic_vector, strict=True):
        names_topic = set(stems(defined[short])) >= topic_stems or sim >= ACRONYM_SIMILARITY
        capitals = sum(c.isupper() for c in short)
        if names_topic and capitals >= 3 and short.lower() not in normalise(topic).split():
            out.append(Expansion(phrase=short, source="acronym", similarity=round(float(sim), 4),
                                 why=f"the acronym {where} define for '{defined[short]}'"))
    return out


def merge(expansions: Iterable[Expansion], asked: Iterable[Expansion] = ()) -> list[Expansion]:
    """Drop repeats (same words, or same stems) keeping the first; keep the order."""
    seen = {_key(e) for e in asked}
    out = []
    for expansion in expansions:
        key = _key(expansion)
        if key[1] and key not in seen:
            seen.add(key)
            out.append(expansion)
    return out


def _key(expansion: Expansion) -> tuple[bool, tuple[str, ...], str]:
    if expansion.raw:
        return False, (expansion.raw,), ""
    return expansion.source == "all words", stems(expansion.phrase), expansion.within
