"""Search like a librarian: the topic's words, how papers write it, the field's own vocabulary,
then (by strategy) other names for it and its thin spots, in rounds within a request budget.

Every strategy starts the same way, so none can find less than the default:

- round 0 asks any of the topic's words (200 results): whatever else happens, the search ends with
  at least what a broad query gives;
- round 1 asks the topic's phrases as papers write them, in one query (`tools.search.variants`:
  inner words kept, hyphenated and plural spellings, acronyms and their expansions, sub-phrases);
- rounds 2–3 learn the field's vocabulary from the best results so far (`tools.search.feedback`)
  and ask the topic's words or the field's (200 results each).

`broad` (the default) stops there. `expand` then asks the expansions (`tools.search.expansion`:
the plan's queries, the planner model's phrasings and sub-topics, key phrases read off the best
results); `coverage` asks half of those and then the thin themes of what came back
(`tools.search.themes`) until a round adds fewer than `min_new_fraction` new relevant papers.
Each query is one request, however many results it asks for (arXiv pages up to 2,000). The budget
counts every request sent, retries included (`tools.search.budget`); a query that can only find
what an earlier complete one found is never sent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from itertools import zip_longest

from memory.embeddings import Embedder
from tools.search.arxiv import ArxivClient
from tools.search.budget import RequestBudget
from tools.search.expansion import Expansion, merge, phrase_expansions, topic_variants
from tools.search.explain import Vectors
from tools.search.planner import Planner, PlannerError
from tools.search.pool import CoverageOutcome, QueryRecord, SearchPool, found_reason
from tools.search.query import broad_query, is_raw_query, topic_terms
from tools.search.themes import thin_themes
from tools.search.variants import any_of, phrasings
from tools.text.keyphrases import normalise

__all__ = ["STRATEGIES", "CoverageOutcome", "QueryRecord", "coverage_search", "found_reason",
           "planned"]
STRATEGIES = ("broad", "expand", "coverage")
BROAD_RESULTS = 200
"""Results of the topic's words asked in round 0 (one request, like every query)."""
FEEDBACK_ROUNDS = 2
FEEDBACK_RESULTS = 200
"""Results asked per feedback round."""
EXPANSION_SHARE = 0.5
"""Share of the budget left after the common rounds that `coverage` gives its expansion round."""
PER_ROUND = 2
"""Thin themes asked per coverage round."""


def coverage_search(client: ArxivClient, embedder: Embedder, topic: str, *, budget: int = 10,
                    max_results: int = 50, categories: Sequence[str] = (),
                    since: date | None = None, until: date | None = None,
                    min_new_fraction: float = 0.1, planner: Planner | None = None,
                    strategy: str = "coverage", queries: Sequence[str] = (),
                    acronyms: dict[str, str] | None = None,
                    refresh: bool = False) -> CoverageOutcome:
    """Search `topic` with a strategy (`STRATEGIES`) within `budget` requests; rank and explain.

    `queries` are phrases already planned elsewhere (the review's plan), asked in the expansion
    round; `acronyms` are those the request defined ("CL": "continual learning"). Raises
    `FetchError` only when round 0 fails; a later query that fails is recorded (and arXiv being
    unavailable ends the search with what was found).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown search strategy {strategy!r} (one of {', '.join(STRATEGIES)})")
    vectors = Vectors(embedder, topic)
    with RequestBudget(client, budget) as meter:
        search = SearchPool(client, vectors, topic, meter, (list(categories), since, until), refresh)
        librarian = _Librarian(search, acronyms or {})
        stopped = librarian.run(strategy, planner, min_new_fraction, planned(queries, topic))
    return search.outcome(max_results, budget, stopped)


class _Librarian:
    """The rounds of one search, asked through its `SearchPool`."""

    def __init__(self, search: SearchPool, acronyms: dict[str, str]) -> None:
        self.search, self.acronyms = search, acronyms
        self.topic = search.topic
        self.learned: list[str] = []
        """The field's words asked so far."""

    def run(self, strategy: str, planner: Planner | None, min_new: float,
            plan: list[Expansion]) -> str:
        """Run the rounds; return why they stopped."""
        stopped = self.common()
        if stopped or strategy == "broad":
            return stopped or self._spent("asked the topic's words, its phrasings and the field's "
                                          "own vocabulary")
        share = 1.0 if strategy == "expand" else EXPANSION_SHARE
        named = self.expand(planner, plan, share)
        if self.search.halt or strategy == "expand":
            return self.search.halt or self._spent("asked the common rounds and the expansions")
        return self.cover(min_new, named)

    def common(self) -> str:
        """Rounds 0–3, the same for every strategy; returns a reason only when they cannot go on."""
        search = self.search
        search.ask(0, "topic", [self.words()])
        if search.halt:
            return search.halt
        texts = [f"{p.title}. {p.abstract}" for p in search.pool.values()]
        forms = phrasings(self.topic, self.acronyms, texts)
        query = any_of(forms)
        if query and query != broad_query(self.topic):
            search.ask(1, "phrasings", [Expansion(
                phrase=" | ".join(forms), source="phrasings", raw=query,
                why="the topic's phrases as papers write them: inner words kept, other "
                    "spellings, acronyms and expansions, sub-phrases")])
        for number in range(2, 2 + FEEDBACK_ROUNDS):
            if not self.feedback(number):
                break
        return search.halt

    def feedback(self, number: int) -> bool:
        """Ask the topic's words or the field's own, learned from the best results so far
        (words asked in earlier rounds are not learned again); False when nothing was asked."""
        search = self.search
        if search.halt or search.left == 0:
            return False
        _, feedback = search.ranked(self.learned)
        if not feedback.words:
            return False
        self.learned += feedback.words
        search.ask(number, "feedback", [Expansion(
            phrase=" ".join(feedback.words), source="feedback", size=FEEDBACK_RESULTS,
            raw=any_of(topic_terms(self.topic) + feedback.words), why=feedback.describe())])
        return True

    def words(self) -> Expansion:
        """Round 0: any of the topic's words, 200 results."""
        terms = topic_terms(self.topic)
        return Expansion(phrase=" ".join(terms) or normalise(self.topic), source="words",
                         raw=broad_query(self.topic), size=BROAD_RESULTS,
                         why="any of the topic's words")

    def expand(self, planner: Planner | None, plan: list[Expansion], share: float) -> list[Expansion]:
        """Ask the topic's expansions; return those left unasked (the coverage loop asks any
        that turn out to be gaps)."""
        search = self.search
        self.feedback(len(search.rounds))
        ranked, feedback = search.ranked(self.learned)
        first = [s.paper for s in ranked[:10]]
        if feedback.authors:
            search.ask(len(search.rounds), "authors", [Expansion(
                phrase=" | ".join(feedback.authors), source="authors",
                raw="(" + " OR ".join(f'au:"{a}"' for a in feedback.authors) + ")",
                why="authors of several of the best results")])
        suggested = plan + topic_variants(self.topic)
        from_planner: list[Expansion] = []
        if planner is not None:
            try:
                from_planner = planner(self.topic, [p.title for p in first])
            except PlannerError as error:
                search.warnings.append(str(error))
        mined = phrase_expansions(self.topic, first, search.vectors.embedder, k=4,
                                  asked=[e.phrase for e in from_planner])
        suggested += [e for pair in zip_longest(from_planner, mined) for e in pair if e is not None]
        number = len(search.rounds)
        search.ask(number, "expansion", merge(suggested, search.asked),
                   limit=math.ceil(search.left * share))
        return [e for e in suggested if e.source in ("planner", "sub-topic", "key phrase")
                and e not in search.asked]

    def cover(self, min_new: float, named: list[Expansion]) -> str:
        """The coverage loop: ask the thin themes until a round adds little."""
        search = self.search
        while True:
            number = len(search.rounds)
            if search.left == 0:
                return f"the budget of {search.meter.limit} requests is spent"
            themes = thin_themes(self.topic, search.relevant(), search.vectors, search.asked,
                                 named, search.usable)
            if not themes:
                return f"round {number}: no thin theme left to search"
            chosen = [t.query.model_copy(update={"why": t.describe()}) for t in themes[:PER_ROUND]]
            stats = search.ask(number, "coverage", chosen)
            stats.themes = [t.describe() for t in themes[:PER_ROUND]]
            if search.halt:
                return search.halt
            if stats.new_fraction < min_new:
                return (f"round {number} added {stats.new_relevant} new relevant papers "
                        f"({stats.new_fraction:.0%}), below search.min_new_fraction "
                        f"({min_new:.0%})")

    def _spent(self, what: str) -> str:
        meter = self.search.meter
        return f"{what} ({self.search.spent} of {meter.limit} requests)"


def planned(queries: Sequence[str], topic: str = "") -> list[Expansion]:
    """Phrases planned elsewhere, as expansions (raw arXiv queries are not phrases, and the topic
    itself is asked already: both skipped)."""
    phrases = [normalise(q) for q in queries if q.strip() and not is_raw_query(q)
               and normalise(q) != normalise(topic)]
    return [Expansion(phrase=p, source="plan", why="a query of the review's plan")
            for p in dict.fromkeys(phrases) if p]
