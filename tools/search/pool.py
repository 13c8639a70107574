"""The state of one search: the queries sent, what each brought, the pool of papers found.

Every strategy (`tools.search.coverage`) asks its queries through a `SearchPool`, which sends
each within the request budget (`tools.search.budget`), records why it was asked and what came
back, and at the end ranks the pool (with the field's vocabulary learned from it,
`tools.search.feedback`) and explains every candidate by the queries that found it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from tools.http import FetchError
from tools.paper import Candidate, Paper, dedupe_latest
from tools.search.arxiv import ArxivClient, ArxivError
from tools.search.budget import BudgetSpent, RequestBudget
from tools.search.expansion import Expansion, merge
from tools.search.explain import Scored, Vectors, rank_reason, rank_with_feedback
from tools.search.feedback import Feedback
from tools.search.query import with_filters

PER_QUERY = 100
"""Results asked per query unless it says otherwise."""
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
    """`topic`, `phrasings`, `feedback`, `expansion` or `coverage`."""
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
    vocabulary: list[str] = Field(default_factory=list)
    """The field's own words learned from the best results, used in the final ranking."""


class SearchPool:
    """The pool, the queries asked, the rounds of one search."""

    def __init__(self, client: ArxivClient, vectors: Vectors, topic: str, meter: RequestBudget,
                 filters: tuple[list[str], date | None, date | None], refresh: bool) -> None:
        self.client, self.vectors, self.topic, self.meter = client, vectors, topic, meter
        self.filters = filters
        self.refresh = refresh
        self.pool: dict[str, Paper] = {}
        self.found_by: dict[str, list[int]] = {}
        self.records: list[QueryRecord] = []
        self.asked: list[Expansion] = []
        self.complete: list[Expansion] = []
        self.rounds: list[RoundStats] = []
        self.warnings: list[str] = []
        self.halt = ""
        self.spent = 0
        """Queries asked, from the cache or not (each is one request): what the search plans by, so
        that the same search asks the same queries whether or not the cache answers some of them
        (the budget itself counts only requests sent)."""

    @property
    def left(self) -> int:
        """Queries the search may still ask."""
        return max(0, min(self.meter.remaining, self.meter.limit - self.spent))

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

    def ranked(self, known: Sequence[str] = ()) -> tuple[list[Scored], Feedback]:
        """The pool ranked with the field's vocabulary learned from it."""
        return rank_with_feedback(self.topic, list(self.pool.values()), self.vectors, known)

    def ask(self, number: int, kind: str, expansions: list[Expansion],
            limit: int | None = None) -> RoundStats:
        """Send the usable queries of one round (at most `limit`) and record what they brought."""
        before = len(self.relevant())
        known = set(self.pool)
        stats = RoundStats(round=number, kind=kind)
        sent_before = self.meter.sent
        for expansion in expansions:
            if self.halt or self.left == 0 or (limit is not None and len(stats.queries) >= limit):
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
        wanted = expansion.size or PER_QUERY
        try:  # all of them in one request (arXiv pages up to 2,000): a query costs one request
            papers = self.client.search(query, max_results=wanted, refresh=self.refresh, page_size=wanted)
            self.spent += 1
        except BudgetSpent:
            self.halt = f"the budget of {self.meter.limit} requests is spent"
            record.error = "not sent: the request budget is spent"
            return 0
        except FetchError as error:
            self.spent += 1
            if number == 0:
                raise  # the topic itself cannot be searched: nothing to go on with
            return self.failed(record, error)
        record.returned = len(papers)
        record.complete = len(papers) < wanted
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
        ranked, feedback = self.ranked()
        candidates = [self.candidate(s, rank, len(ranked))
                      for rank, s in enumerate(ranked[:max_results], start=1)]
        return CoverageOutcome(topic=self.topic, candidates=candidates, rounds=self.rounds,
                               queries=self.records, requests=self.meter.sent, budget=budget,
                               pool=len(self.pool), stopped=stopped, warnings=self.warnings,
                               vocabulary=feedback.words)

    def candidate(self, scored: Scored, rank: int, total: int) -> Candidate:
        """A candidate with the queries that found it and why it ranks where it does."""
        records = [self.records[i] for i in self.found_by.get(scored.paper.arxiv_id, [])]
        found = [found_reason(r) for r in records[:2]]
        if len(records) > 2:
            found.append(f"also found by {len(records) - 2} more queries")
        paper = scored.paper.model_copy(update={"found_by": [r.query for r in records],
                                                "score": scored.score})
        return Candidate(paper=paper, score=scored.score,
                         reasons=[*found, rank_reason(scored, rank, total)])


def found_reason(record: QueryRecord) -> str:
    """"found by query 'talking face generation' (round 2: thin theme …)"."""
    label = " AND ".join(record.phrase.split()) if record.source == "all words" else record.phrase
    return f"found by query '{label}' (round {record.round}: {record.why})"
