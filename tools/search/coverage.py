"""Search like a librarian: the topic, then other names for it, then the thin spots, in rounds.

Round 0 asks the topic as a phrase. Round 1 asks its expansions (`tools.search.expansion`): the topic's
words in any order, its acronym, a wider sub-phrase, key phrases and sub-topics read off the first
results, and the planner model's suggestions when one is given. Rounds 2+ are the coverage loop:
cluster the relevant candidates, find the thin themes and the gaps (`tools.search.themes`), and ask them.
The loop stops when a round adds fewer than `min_new_fraction` new relevant papers (relative to
the relevant papers before it), when nothing thin is left, or when the request budget is spent;
the budget is enforced on every request sent, retries included (`tools.search.budget`).

Every query asks for one page (≤ `arxiv.page_size` results), so each costs one request, and a
query that could only find a subset of an earlier query that came back complete is never sent.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import date
from itertools import zip_longest

from pydantic import BaseModel, Field

from memory.embeddings import Embedder
from tools.http import FetchError
from tools.paper import Candidate, Paper, dedupe_latest
from tools.search.arxiv import ArxivClient, ArxivError
from tools.search.budget import BudgetSpent, RequestBudget
from tools.search.expansion import Expansion, literal, merge, phrase_expansions, topic_variants
from tools.search.explain import Scored, Vectors, rank_reason, score_pool
from tools.search.planner import Planner, PlannerError
from tools.search.query import is_raw_query, with_filters
from tools.search.themes import thin_themes
from tools.text.keyphrases import normalise

log = logging.getLogger(__name__)
PER_QUERY = 100
"""Results asked per query (capped by `arxiv.page_size`, so a query is one request)."""
EXPANSION_SHARE = 0.5
"""Share of the budget left after the topic's query that the expansion round may use."""
PER_ROUND = 2
"""Thin themes asked per coverage round."""
RELEVANT_SIMILARITY = 0.3
"""A candidate counts as relevant for the stopping rule at this cosine to the topic (MiniLM)."""


class QueryRecord(BaseModel):
    """One query sent: what, why, in which round, and what it brought."""

    phrase: str
    source: str
    why: str
    round: int
    query: str
    """The arXiv `search_query` sent, filters included."""
    returned: int = 0
    new: int = 0
    complete: bool = False
    """Fewer results than asked: arXiv has nothing more for it."""
    error: str = ""


class RoundStats(BaseModel):
    """What one round did."""

    round: int
    kind: str
    """`topic`, `expansion` or `coverage`."""
    queries: list[str] = Field(default_factory=list)
    requests: int = 0
    returned: int = 0
    new: int = 0
    new_relevant: int = 0
    relevant: int = 0
    """Relevant papers in the pool after the round."""
    new_fraction: float = 0.0
    """New relevant papers over the relevant papers before the round."""
    themes: list[str] = Field(default_factory=list)
    """The thin themes and gaps this round searched, described."""


class CoverageOutcome(BaseModel):
    """The ranked candidates and how they were found."""

    topic: str
    candidates: list[Candidate]
    rounds: list[RoundStats]
    queries: list[QueryRecord]
    requests: int
    """API requests sent (retries included; cache hits excluded)."""
    budget: int
    pool: int
    """Distinct papers found before keeping the best `max_results`."""
    stopped: str
    """Why the search stopped, in words."""
    warnings: list[str] = Field(default_factory=list)


def coverage_search(client: ArxivClient, embedder: Embedder, topic: str, *, budget: int = 10,
                    max_results: int = 50, categories: Sequence[str] = (),
                    since: date | None = None, until: date | None = None,
                    min_new_fraction: float = 0.1,
                    planner: Planner | None = None, max_rounds: int | None = None,
                    queries: Sequence[str] = (), refresh: bool = False) -> CoverageOutcome:
    """Search `topic` in rounds within `budget` requests; rank and explain the candidates.

    `queries` are phrases already planned elsewhere (the review's plan); they are asked in the
    expansion round, before the mined expansions.
    `max_rounds` = 0 asks only the topic, 1 adds the expansions, None runs the coverage loop until
    it stops by itself. Raises `FetchError` only when the topic's own query fails; a later query
    that fails is recorded (and arXiv being unavailable ends the search with what was found).
    """
    vectors = Vectors(embedder, topic)
    search = _Search(client, vectors, topic, list(categories), since, until, refresh)
    with RequestBudget(client, budget) as meter:
        search.meter = meter
        stopped = search.run(planner, max_rounds, min_new_fraction, planned(queries))
    return search.outcome(max_results, budget, stopped)


class _Search:
    """The state of one search: the pool, the queries asked, the rounds."""

    def __init__(self, client: ArxivClient, vectors: Vectors, topic: str, categories: list[str],
                 since: date | None, until: date | None, refresh: bool) -> None:
        self.client, self.vectors, self.topic = client, vectors, topic
        self.filters = (categories, since, until)
        self.refresh = refresh
        self.per_query = max(1, min(PER_QUERY, client.settings.page_size))
        self.meter: RequestBudget
        self.pool: dict[str, Paper] = {}
        self.found_by: dict[str, list[int]] = {}
        self.records: list[QueryRecord] = []
        self.asked: list[Expansion] = []
        self.complete: list[Expansion] = []
        self.rounds: list[RoundStats] = []
        self.warnings: list[str] = []
        self.halt = ""

    def run(self, planner: Planner | None, max_rounds: int | None, min_new: float,
            plan: list[Expansion]) -> str:
        """Run the rounds; return why they stopped."""
        self.ask(0, "topic", [literal(self.topic)])
        if self.halt or max_rounds == 0:
            return self.halt or "asked the topic only (max_rounds = 0)"
        named = self.expand(planner, plan, everything=max_rounds == 1)
        if self.halt or max_rounds == 1:
            return self.halt or "asked the topic and its expansions (max_rounds = 1)"
        number = 2
        while max_rounds is None or number <= max_rounds:
            if self.meter.remaining == 0:
                return f"the budget of {self.meter.limit} requests is spent"
            relevant = self.relevant()
            themes = thin_themes(self.topic, relevant, self.vectors, self.asked, named, self.usable)
            if not themes:
                return f"round {number}: no thin theme left to search"
            chosen = [t.query.model_copy(update={"why": t.describe()}) for t in themes[:PER_ROUND]]
            stats = self.ask(number, "coverage", chosen)
            stats.themes = [t.describe() for t in themes[:PER_ROUND]]
            if self.halt:
                return self.halt
            if stats.new_fraction < min_new:
                return (f"round {number} added {stats.new_relevant} new relevant papers "
                        f"({stats.new_fraction:.0%}), below search.min_new_fraction "
                        f"({min_new:.0%})")
            number += 1
        return f"reached max_rounds = {max_rounds}"

    def expand(self, planner: Planner | None, plan: list[Expansion],
               everything: bool) -> list[Expansion]:
        """Round 1: ask the topic's expansions; return those left unasked (the coverage loop
        asks any that turn out to be gaps)."""
        ranked = score_pool(self.topic, list(self.pool.values()), self.vectors)
        first = [s.paper for s in ranked[:10]]
        suggested = plan + topic_variants(self.topic)
        from_planner: list[Expansion] = []
        if planner is not None:
            try:
                from_planner = planner(self.topic, [p.title for p in first])
            except PlannerError as error:
                self.warnings.append(str(error))
        mined = phrase_expansions(self.topic, first, self.vectors.embedder, k=4,
                                  asked=[e.phrase for e in from_planner])
        suggested += [e for pair in zip_longest(from_planner, mined) for e in pair if e is not None]
        left = self.meter.remaining
        share = left if everything else math.ceil(left * EXPANSION_SHARE)
        self.ask(1, "expansion", merge(suggested, self.asked), limit=share)
        return [e for e in suggested if e.source in ("planner", "sub-topic", "key phrase")
                and e not in self.asked]

    def usable(self, expansion: Expansion) -> bool:
        """Whether a query can still find something: not asked, not narrower than a complete one."""
        if not merge([expansion], self.asked):
            return False
        return not any(expansion.narrower_than(done) for done in self.complete)

    def relevant(self) -> list[Paper]:
        """Pool papers close enough to the topic to count as relevant."""
        papers = list(self.pool.values())
        return [p for p, s in zip(papers, self.vectors.similarity(papers), strict=True)
                if s >= RELEVANT_SIMILARITY]

    def ask(self, number: int, kind: str, expansions: list[Expansion],
            limit: int | None = None) -> RoundStats:
        """Send the usable queries of one round (at most `limit`) and record what they brought."""
        before = len(self.relevant())
        known = set(self.pool)
        stats = RoundStats(round=number, kind=kind)
        sent_before = self.meter.sent
        for expansion in expansions:
            if self.halt or (limit is not None and len(stats.queries) >= limit):
                break
            if not self.usable(expansion):
                continue
            stats.queries.append(expansion.phrase)
            stats.returned += self.query(number, expansion)
        stats.requests = self.meter.sent - sent_before
        stats.new = len(set(self.pool) - known)
        stats.relevant = len(self.relevant())
        stats.new_relevant = stats.relevant - before
        stats.new_fraction = round(stats.new_relevant / max(1, before), 4)
        self.rounds.append(stats)
        return stats

    def query(self, number: int, expansion: Expansion) -> int:
        """Send one query, add its papers to the pool; returns how many came back."""
        query = with_filters(expansion.query(), *self.filters)
        record = QueryRecord(phrase=expansion.phrase, source=expansion.source, why=expansion.why,
                             round=number, query=query)
        self.asked.append(expansion)
        self.records.append(record)
        try:
            papers = self.client.search(query, max_results=self.per_query, refresh=self.refresh)
        except BudgetSpent:
            self.halt = f"the budget of {self.meter.limit} requests is spent"
            record.error = "not sent: the request budget is spent"
            return 0
        except FetchError as error:
            if number == 0:
                raise  # the topic itself cannot be searched: nothing to go on with
            return self.failed(record, error)
        record.returned = len(papers)
        record.complete = len(papers) < self.per_query
        if record.complete:
            self.complete.append(expansion)
        record.new = sum(1 for p in papers if p.arxiv_id not in self.pool)
        for paper in dedupe_latest([*self.pool.values(), *papers]):
            self.pool[paper.arxiv_id] = paper
        for paper in papers:
            self.found_by.setdefault(paper.arxiv_id, []).append(len(self.records) - 1)
        return len(papers)

    def failed(self, record: QueryRecord, error: FetchError) -> int:
        """Record a failed query: a refused one is skipped, an unavailable arXiv ends the search."""
        record.error = str(error)
        if isinstance(error, ArxivError):  # this query was refused; the others may be fine
            self.warnings.append(f"query {record.phrase!r} failed: {error}")
        else:  # arXiv is unavailable after retries: stop asking, keep what was found
            self.halt = f"arXiv failed, kept what was found: {error}"
            self.warnings.append(self.halt)
        return 0

    def outcome(self, max_results: int, budget: int, stopped: str) -> CoverageOutcome:
        """Rank the pool and explain the best `max_results`."""
        ranked = score_pool(self.topic, list(self.pool.values()), self.vectors)
        candidates = [self.candidate(s, rank, len(ranked))
                      for rank, s in enumerate(ranked[:max_results], start=1)]
        return CoverageOutcome(topic=self.topic, candidates=candidates, rounds=self.rounds,
                               queries=self.records, requests=self.meter.sent, budget=budget,
                               pool=len(self.pool), stopped=stopped, warnings=self.warnings)

    def candidate(self, scored: Scored, rank: int, total: int) -> Candidate:
        """A candidate with the queries that found it and why it ranks where it does."""
        records = [self.records[i] for i in self.found_by.get(scored.paper.arxiv_id, [])]
        found = [found_reason(r) for r in records[:2]]
        if len(records) > 2:
            found.append(f"also found by {len(records) - 2} more queries")
        paper = scored.paper.model_copy(update={"found_by": [r.query for r in records]})
        return Candidate(paper=paper, score=scored.score,
                         reasons=[*found, rank_reason(scored, rank, total)])


def planned(queries: Sequence[str]) -> list[Expansion]:
    """Phrases planned elsewhere, as expansions (raw arXiv queries are not phrases: skipped)."""
    phrases = [normalise(q) for q in queries if q.strip() and not is_raw_query(q)]
    return [Expansion(phrase=p, source="plan", why="a query of the review's plan")
            for p in dict.fromkeys(phrases) if p]


def found_reason(record: QueryRecord) -> str:
    """"found by query 'talking face generation' (round 2: thin theme …)"."""
    label = " AND ".join(record.phrase.split()) if record.source == "all words" else record.phrase
    return f"found by query '{label}' (round {record.round}: {record.why})"
