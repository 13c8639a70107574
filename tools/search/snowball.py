"""Backward snowballing: the papers the approved papers cite become candidates.

Every classic a field builds on is in its papers' reference lists. A reference that carries an
arXiv id is fetched by id (100 ids per request, none for records already at hand); one that only
has a title is looked up with an arXiv title search — as many titles per request as one query
holds, each as a phrase, OR-ed — matched back by normalised title and taken only on a strong match. Candidates rank by relevance to the topic and by how many approved papers cite
them, and say so: "cited by 2 approved papers: 2501.12948, 2302.07302". Forward snowballing (who
cites a paper) is out of reach: arXiv has no citation API.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from pydantic import BaseModel, Field

from memory.embeddings import Embedder
from tools.document import ParsedPaper, Reference
from tools.http import FetchError
from tools.paper import Candidate, Paper, split_arxiv_id
from tools.search.arxiv import MAX_PAGE, ArxivClient, ArxivError
from tools.search.budget import BudgetSpent, RequestBudget
from tools.search.explain import Vectors, rank_reason, score_pool

log = logging.getLogger(__name__)
CITATION_WEIGHT = 0.3
"""Share of a candidate's score that comes from how many approved papers cite it."""
STRONG_TITLE = 0.9
"""A title search result is taken only when its title matches the reference this well (0–1)."""
TITLE_QUERY_CHARS = 8000
"""Longest OR of title phrases sent as one query (it goes as a POST form: no URL limit applies)."""
RESULTS_PER_TITLE = 3
"""Results asked per title in a query, all in one page (at most `MAX_PAGE` per request)."""
PHRASE_WORDS = 10
"""Words of a title searched as a phrase: enough to be unique, few enough to survive a parse
glitch late in a long title."""


class Cited(BaseModel):
    """A work cited by approved papers, before and after it is found on arXiv."""

    key: str
    """The arXiv id, or the normalised title when the reference has no id."""
    reference: Reference
    cited_by: list[str] = Field(default_factory=list)
    """Approved papers citing it, in the order given."""
    paper: Paper | None = None
    how: str = ""
    """How it was found: "arXiv id in the reference" or "title matched on arXiv (0.97)"."""


class SnowballOutcome(BaseModel):
    """Candidates, and what could not be found."""

    candidates: list[Candidate]
    requests: int
    cited: int
    """Distinct works cited by the approved papers (excluding each other and `exclude`)."""
    unresolved: list[str] = Field(default_factory=list)
    """References with no arXiv id whose title found no strong match (or was not looked up)."""
    warnings: list[str] = Field(default_factory=list)


def snowball(parsed_papers: dict[str, ParsedPaper], client: ArxivClient, embedder: Embedder,
             topic: str, budget: int, *, exclude: Iterable[str] = (),
             max_results: int = 50) -> list[Candidate]:
    """The works the approved papers (id → parsed paper) cite, as ranked, explained candidates.

    Spends at most `budget` arXiv requests (answers cached within a day are free); `exclude` are
    ids already known (the approved papers themselves always are).
    """
    return snowball_search(parsed_papers, client, embedder, topic, budget, exclude=exclude,
                           max_results=max_results).candidates


def snowball_search(parsed_papers: dict[str, ParsedPaper], client: ArxivClient, embedder: Embedder,
                    topic: str, budget: int, *, exclude: Iterable[str] = (),
                    max_results: int = 50) -> SnowballOutcome:
    """`snowball` with the numbers: requests spent, works cited, references left unresolved."""
    known = {_key(Reference(raw=i, arxiv_id=i)) for i in [*parsed_papers, *exclude]}
    cited = collect(parsed_papers, known)
    warnings: list[str] = []
    with RequestBudget(client, budget) as meter:
        try:
            _fetch_ids(client, [c for c in cited if c.reference.arxiv_id])
            _match_titles(client, [c for c in cited if not c.reference.arxiv_id])
        except BudgetSpent:
            warnings.append(f"the budget of {budget} requests ran out; "
                            "the most cited works were looked up first")
        except FetchError as error:
            warnings.append(f"arXiv failed, kept what was found: {error}")
    found = merge_found(cited, known)
    unresolved = [c.reference.title or c.reference.raw[:80] for c in cited
                  if c.paper is None and not c.reference.arxiv_id]
    candidates = rank(topic, found, embedder, len(parsed_papers))[:max_results]
    return SnowballOutcome(candidates=candidates, requests=meter.sent, cited=len(cited),
                           unresolved=unresolved, warnings=warnings)


def collect(parsed_papers: dict[str, ParsedPaper], known: set[str]) -> list[Cited]:
    """Every distinct cited work, most cited first (then in order of first mention)."""
    works: dict[str, Cited] = {}
    for citing, parsed in parsed_papers.items():
        for reference in parsed.references:
            key = _key(reference)
            if not key or key in known:
                continue
            work = works.setdefault(key, Cited(key=key, reference=reference))
            if citing not in work.cited_by:
                work.cited_by.append(citing)
    return sorted(works.values(), key=lambda w: -len(w.cited_by))


def _key(reference: Reference) -> str:
    if reference.arxiv_id:
        try:
            return _bare(reference.arxiv_id)
        except ValueError:
            return ""
    words = _words(reference.title)
    return " ".join(words) if len(words) >= 3 else ""


def _bare(arxiv_id: str) -> str:
    return split_arxiv_id(arxiv_id)[0]


def _fetch_ids(client: ArxivClient, works: list[Cited]) -> None:
    """Fetch the referenced ids, most cited first (the client batches them and skips known ones)."""
    size = 100
    for start in range(0, len(works), size):
        batch = works[start:start + size]
        try:
            by_id = {p.arxiv_id: p for p in client.fetch([w.key for w in batch])}
        except ArxivError as error:  # e.g. an id arXiv does not know; the other lookups go on
            log.warning("arXiv refused a batch of %d referenced ids: %s", len(batch), error)
            continue
        for work in batch:
            if work.key in by_id:
                work.paper, work.how = by_id[work.key], "arXiv id in the reference"


def title_groups(works: list[Cited]) -> list[list[tuple[Cited, str]]]:
    """Works with their title phrase, grouped into as few queries as `TITLE_QUERY_CHARS` allows."""
    groups: list[list[tuple[Cited, str]]] = []
    current: list[tuple[Cited, str]] = []
    size = 0
    for work in works:
        clause = f'ti:"{" ".join(_words(work.reference.title)[:PHRASE_WORDS])}"'
        full = size + len(clause) + 4 > TITLE_QUERY_CHARS or (len(current) + 1) * RESULTS_PER_TITLE > MAX_PAGE
        if current and full:
            groups.append(current)
            current, size = [], 0
        current.append((work, clause))
        size += len(clause) + 4
    return [*groups, current] if current else groups


def _match_titles(client: ArxivClient, works: list[Cited]) -> None:
    """Look titles up on arXiv, as many per request as fit; keep only strong matches."""
    for group in title_groups(works):
        size = min(MAX_PAGE, RESULTS_PER_TITLE * len(group))
        results = client.search(" OR ".join(clause for _, clause in group), max_results=size, page_size=size)
        index = TitleIndex(results)
        for work, _ in group:
            best, score = _best_title(work.reference, index.near(work.reference.title))
            if best is not None and score >= STRONG_TITLE:
                work.paper, work.how = best, f"title matched on arXiv ({score:.2f})"


class TitleIndex:
    """A query's results by normalised title, to match each looked-up title back to its own."""

    def __init__(self, papers: list[Paper]) -> None:
        self.exact: dict[str, list[Paper]] = {}
        self.by_word: dict[str, set[int]] = {}
        self.papers = papers
        for number, paper in enumerate(papers):
            words = _words(paper.title)
            self.exact.setdefault(" ".join(words), []).append(paper)
            for word in set(words):
                self.by_word.setdefault(word, set()).add(number)

    def near(self, title: str) -> list[Paper]:
        """Results with exactly this normalised title, else those sharing half its words."""
        words = _words(title)
        exact = self.exact.get(" ".join(words))
        if exact:
            return exact
        shared: dict[int, int] = {}
        for word in set(words):
            for number in self.by_word.get(word, ()):
                shared[number] = shared.get(number, 0) + 1
        return [self.papers[n] for n, count in shared.items() if 2 * count >= len(set(words))]


def _best_title(reference: Reference, results: list[Paper]) -> tuple[Paper | None, float]:
    """The result whose title matches the reference best, and how well (0–1).

    A year more than two apart from the arXiv record's costs the match (a different paper of the
    same name, or a misread reference), though preprints often precede their venue by a year.
    """
    wanted = " ".join(_words(reference.title))
    best, best_score = None, 0.0
    for paper in results:
        score = SequenceMatcher(None, wanted, " ".join(_words(paper.title))).ratio()
        year = reference.year[:4]
        if year.isdigit() and paper.year and abs(int(year) - int(paper.year)) > 2:
            score -= 0.2
        if score > best_score:
            best, best_score = paper, score
    return best, best_score


def rank(topic: str, found: list[Cited], embedder: Embedder, approved: int) -> list[Candidate]:
    """Rank by relevance to the topic mixed with the citation count; explain both."""
    if not found:
        return []
    by_id = {c.paper.arxiv_id: c for c in found if c.paper}
    most = max(len(c.cited_by) for c in found)
    papers = [c.paper for c in by_id.values() if c.paper]
    scored = score_pool(topic, papers, Vectors(embedder, topic))
    for parts in scored:
        share = len(by_id[parts.paper.arxiv_id].cited_by) / most
        parts.score = round((1 - CITATION_WEIGHT) * parts.score + CITATION_WEIGHT * share, 4)
    scored.sort(key=lambda parts: (-parts.score, parts.paper.arxiv_id))
    out = []
    for number, parts in enumerate(scored, start=1):
        work = by_id[parts.paper.arxiv_id]
        citers = [f"cited by {i}" for i in work.cited_by]
        paper = parts.paper.model_copy(update={"score": parts.score, "found_by": citers})
        why = rank_reason(parts, number, len(scored))
        out.append(Candidate(paper=paper, score=parts.score, reasons=[
            cited_reason(work.cited_by, approved), work.how,
            f"{why}; {CITATION_WEIGHT:.0%} of the score is how many approved papers cite it"]))
    return out


def merge_found(cited: list[Cited], known: set[str]) -> list[Cited]:
    """One entry per arXiv paper found (cited once by id and once by title: both citers count)."""
    merged: dict[str, Cited] = {}
    for work in cited:
        if work.paper is None or work.paper.arxiv_id in known:
            continue
        seen = merged.get(work.paper.arxiv_id)
        if seen is None:
            merged[work.paper.arxiv_id] = work.model_copy(deep=True)
        else:
            seen.cited_by += [c for c in work.cited_by if c not in seen.cited_by]
    return list(merged.values())


def cited_reason(citing: list[str], approved: int) -> str:
    """"cited by 2 approved papers: 2501.12948, 2302.07302"."""
    noun = "paper" if len(citing) == 1 else "papers"
    return f"cited by {len(citing)} approved {noun}: {', '.join(citing)}" + (
        f" (of {approved})" if approved > 1 else "")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())
