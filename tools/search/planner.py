"""Other names and sub-topics of a topic proposed by a planner, as search expansions.

The search only knows the `Planner` protocol; the LLM-backed planner lives in `agent/llm/planner.py`
(tools/ never builds or calls a chat model itself). A planner that cannot help raises
`PlannerError`, which the search records as a warning before going on without it. Phrasings are
searched as written; sub-topics together with any of the topic's words, so that "lip
synchronization" stays about talking heads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from tools.errors import AutoresearchError
from tools.search.expansion import Expansion
from tools.search.query import topic_terms
from tools.text.keyphrases import normalise, stems

MAX_WORDS = 6


class PlannerError(AutoresearchError, RuntimeError):
    """The planner could not help (its message says why); the search goes on without it."""


class Planner(Protocol):
    """Propose up to `limit` phrasings and `limit` sub-topics of `topic`; raise PlannerError."""

    def __call__(self, topic: str, titles: Sequence[str], limit: int = 4) -> list[Expansion]: ...


def planned_expansions(topic: str, phrasings: Iterable[str], subtopics: Iterable[str], name: str,
                       limit: int = 4) -> list[Expansion]:
    """Turn a planner's raw phrasings and sub-topics into expansions that say where they came from."""
    words = " ".join(topic_terms(topic))
    out = [Expansion(phrase=p, source="planner",
                     why=f"another name for the topic, from the planner model ({name})")
           for p in clean(phrasings, topic)[:limit]]
    out += [Expansion(phrase=p, source="planner", within=words,
                      why=f"sub-topic named by the planner model ({name})")
            for p in clean(subtopics, topic)[:limit]]
    return out


def clean(items: Iterable[str], topic: str) -> list[str]:
    """Plain phrases of 1–6 words, without the topic itself or repeats."""
    out: list[str] = []
    for item in items:
        phrase = normalise(item)
        fits = 1 <= len(phrase.split()) <= MAX_WORDS
        if fits and stems(phrase) != stems(topic) and phrase not in out:
            out.append(phrase)
    return out
