"""Snowballing both ways through the citation graph: what the approved papers cite, and who cites them.

Backward, each approved paper's references are resolved on OpenAlex (`tools.sources.resolve`: by
arXiv id, DOI, title or volume/page, weak matches refused); forward, each approved paper's own
OpenAlex work is found by its arXiv DOI and the works citing it are fetched, the most cited and the
newest. A work with an arXiv version becomes that arXiv paper (fetched from arXiv in batches); one
without stays a metadata-only paper with its open-access PDF when OpenAlex knows one. Every
candidate says why it is there ("cited by 2 approved papers: …", "cites 2501.12948") and how often
it is cited. OpenAlex requests stop at `works_budget`, arXiv requests at `arxiv_budget`; what was
found by then is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from memory.embeddings import Embedder
from tools.document import ParsedPaper
from tools.http import FetchError
from tools.paper import Candidate, Paper, key_of
from tools.search.arxiv import ArxivClient, ArxivError
from tools.search.budget import BudgetSpent, RequestBudget
from tools.search.explain import Vectors, rank_reason, score_pool
from tools.search.snowball import CITATION_WEIGHT, Cited, SnowballOutcome, cited_reason, collect
from tools.sources.base import Work, arxiv_doi
from tools.sources.openalex import MAX_OR, MAX_PAGE, OpenAlexClient
from tools.sources.resolve import resolve_references

log = logging.getLogger(__name__)
SORTS = ("cited_by_count", "publication_date")
"""Forward citations: the most cited first, then the newest (half of `per_paper` each)."""


@dataclass
class Found:
    """A candidate work and its ties to the approved papers."""

    paper: Paper
    cited_by: list[str] = field(default_factory=list)
    """Approved papers that cite it (backward)."""
    cites: list[str] = field(default_factory=list)
    """Approved papers it cites (forward)."""
    how: str = ""


def graph_snowball(parsed_papers: dict[str, ParsedPaper], approved: list[Paper], arxiv: ArxivClient,
                   works: OpenAlexClient, embedder: Embedder, topic: str, *, arxiv_budget: int,
                   works_budget: int, per_paper: int, threshold: float, exclude: Iterable[str] = (),
                   max_results: int = 50) -> SnowballOutcome:
    """Candidates from both directions, ranked and explained, within both request budgets."""
    known = {_key_of(i) for i in [*parsed_papers, *(p.arxiv_id for p in approved), *exclude]}
    found: dict[str, Found] = {}
    warnings: list[str] = []
    cited = collect(parsed_papers, known)
    unresolved = [c.reference.title or c.reference.raw[:80] for c in cited]
    # Forward first: a few requests per approved paper; the references take what is left.
    with RequestBudget(works, works_budget, service="OpenAlex") as meter:
        try:
            _forward(approved, works, per_paper, found)
            unresolved = _backward(cited, works, threshold, found)
        except BudgetSpent:
            warnings.append(f"the budget of {works_budget} OpenAlex requests ran out; kept what was found")
        except FetchError as error:
            warnings.append(f"OpenAlex failed, kept what was found: {error}")
    with RequestBudget(arxiv, arxiv_budget) as arxiv_meter:
        _arxiv_records(found, arxiv, warnings)
    candidates = [f for key, f in found.items() if key not in known and f.paper.arxiv_id not in known]
    ranked = rank(topic, candidates, embedder, len(approved))[:max_results]
    return SnowballOutcome(candidates=ranked, requests=meter.sent + arxiv_meter.sent, cited=len(cited),
                           unresolved=unresolved, warnings=warnings)


def _backward(cited: list[Cited], works: OpenAlexClient, threshold: float, found: dict[str, Found]) -> list[str]:
    """Resolve the cited works (most cited first); each resolved one joins `found`. The unresolved."""
    resolved = resolve_references([c.reference for c in cited], works, threshold, stop=(BudgetSpent,))
    unresolved = []
    for work_ref, item in zip(cited, resolved, strict=True):
        if item.match is None:
            unresolved.append(work_ref.reference.title or work_ref.reference.raw[:80])
            continue
        entry = _found(found, item.match.work, item.match.how)
        entry.cited_by += [c for c in work_ref.cited_by if c not in entry.cited_by]
    return unresolved


def _forward(approved: list[Paper], works: OpenAlexClient, per_paper: int, found: dict[str, Found]) -> None:
    """The works citing each approved paper (half the most cited, half the newest): its own work
    found by arXiv DOI (or DOI) first, then `_citing` per order."""
    if per_paper <= 0 or not approved:
        return
    dois = {p.arxiv_id: (arxiv_doi(p.arxiv_id) if p.on_arxiv else p.doi) for p in approved}
    own = {w.doi: w for w in works.lookup([d for d in dois.values() if d])}
    mine = {p.arxiv_id: own[dois[p.arxiv_id]] for p in approved if dois[p.arxiv_id] in own}
    half = max(1, per_paper // 2)
    for sort in SORTS:
        for paper_id, citing in _citing(works, mine, half, sort).items():
            for work in citing:
                entry = _found(found, work, f"cites {paper_id} (OpenAlex)")
                if paper_id not in entry.cites:
                    entry.cites.append(paper_id)


def _citing(works: OpenAlexClient, mine: dict[str, Work], half: int, sort: str) -> dict[str, list[Work]]:
    """Each paper's first `half` citing works in `sort` order, from one request per `MAX_OR` papers.

    The page lists the works citing any of the papers, in that order, each with its references; a
    paper's own citers on it come in the same order, so its first `half` there are its first `half`
    overall — unless the page is full and holds fewer than `half` of them: only that paper is then
    asked on its own. The same works as asking each paper, in a request or two instead of one each.
    """
    out: dict[str, list[Work]] = {}
    papers = list(mine.items())
    for start in range(0, len(papers), MAX_OR):
        group = papers[start:start + MAX_OR]
        page = works.citing_any([w.id for _, w in group], sort)
        for paper_id, work in group:
            theirs = [c for c in page if work.id in c.referenced_works][:half]
            if len(theirs) < half and len(page) >= MAX_PAGE:
                theirs = works.cited_by(work.id, half, sort)
            out[paper_id] = theirs
    return out


def _found(found: dict[str, Found], work: Work, how: str) -> Found:
    key = work.arxiv_id or work.id
    if key not in found:
        found[key] = Found(paper=work.to_paper(), how=how)
    return found[key]


def _arxiv_records(found: dict[str, Found], arxiv: ArxivClient, warnings: list[str]) -> None:
    """Swap in arXiv's records for arXiv papers (abstract, categories, version), 100 ids a request."""
    ids = sorted(k for k, f in found.items() if f.paper.on_arxiv)
    for start in range(0, len(ids), 100):
        try:
            records = {p.arxiv_id: p for p in arxiv.fetch(ids[start:start + 100])}
        except BudgetSpent:
            warnings.append("the arXiv budget ran out; some candidates show OpenAlex's metadata")
            return
        except (ArxivError, FetchError) as error:
            log.warning("arXiv could not fetch referenced ids: %s", error)
            continue
        for key, record in records.items():
            old = found[key].paper
            found[key].paper = record.model_copy(update={"openalex_id": old.openalex_id,
                                                         "cited_by_count": old.cited_by_count})


def rank(topic: str, found: list[Found], embedder: Embedder, approved: int) -> list[Candidate]:
    """Rank by relevance mixed with ties to the approved papers; explain both, and the citation count."""
    if not found:
        return []
    by_id = {f.paper.arxiv_id: f for f in found}
    most = max(len(f.cited_by) + len(f.cites) for f in found) or 1
    scored = score_pool(topic, [f.paper for f in found], Vectors(embedder, topic))
    for parts in scored:
        tie = by_id[parts.paper.arxiv_id]
        parts.score = round((1 - CITATION_WEIGHT) * parts.score
                            + CITATION_WEIGHT * (len(tie.cited_by) + len(tie.cites)) / most, 4)
    scored.sort(key=lambda parts: (-parts.score, parts.paper.arxiv_id))
    return [_candidate(by_id[p.paper.arxiv_id], p, n, len(scored), approved) for n, p in enumerate(scored, 1)]


def _candidate(tie: Found, parts, number: int, total: int, approved: int) -> Candidate:
    reasons = []
    if tie.cited_by:
        reasons.append(cited_reason(tie.cited_by, approved))
    if tie.cites:
        noun = "paper" if len(tie.cites) == 1 else "papers"
        reasons.append(f"cites {len(tie.cites)} approved {noun}: {', '.join(tie.cites)} (forward snowballing)")
    if tie.paper.cited_by_count is not None:
        reasons.append(f"cited by {tie.paper.cited_by_count:,} (OpenAlex)")
    reasons.append(tie.how)
    if not tie.paper.on_arxiv:
        reasons.append("no arXiv version: " + ("read from its open-access PDF" if tie.paper.pdf_url
                                               else "reviewed from its metadata"))
    reasons.append(f"{rank_reason(parts, number, total)}; {CITATION_WEIGHT:.0%} of the score is its ties "
                   "to the approved papers")
    found_by = [f"cited by {i}" for i in tie.cited_by] + [f"cites {i}" for i in tie.cites]
    paper = parts.paper.model_copy(update={"score": parts.score, "found_by": found_by})
    return Candidate(paper=paper, score=parts.score, reasons=reasons)


def _key_of(arxiv_id: str) -> str:
    try:
        return key_of(arxiv_id)
    except ValueError:
        return arxiv_id
