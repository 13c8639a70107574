"""gate_papers: the person keeps, drops or adds papers before anything is downloaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.approval import Decision, PapersRequest
from agent.review.context import ReviewContext, ReviewError
from agent.review.nodes.stage import Reporter, ask, record, stage
from agent.review.state import State
from tools.paper import ARXIV_ID_RE, Candidate, Paper

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("gate_papers")
def gate_papers(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Ask which candidates the review covers (or approve them all on an `auto` policy)."""
    queries = state.plan.queries if state.plan else []
    request = PapersRequest(topic=state.request.topic, queries=queries, candidates=state.candidates)
    assert state.request.gates is not None, "the session resolves gate policies"
    policy = state.request.gates.papers
    decision = ask("papers", policy, request)
    papers = apply(decision, state.candidates, runtime, report)
    while not papers and policy == "ask":
        # Only unknown `add` ids were left: ask again rather than fail a run nobody could resume.
        report.warn("nothing left to review after that answer; the papers gate asks again")
        decision = ask("papers", policy, request)
        papers = apply(decision, state.candidates, runtime, report)
    if not papers:
        raise ReviewError("no papers left to review after the papers gate")
    left = [c for c in state.candidates if c.flag and c.paper.arxiv_id not in {p.arxiv_id for p in papers}]
    detail = f"{len(papers)} of {len(state.candidates)} candidates" + (
        f", {len(decision.add)} added" if decision.add else "") + (
        f", {len(left)} flagged left out" if left else "")
    return {"papers": papers, "decisions": record("papers", decision, detail)}


def apply(decision: Decision, proposed: list[Candidate], runtime: Runtime[ReviewContext],
          report: Reporter) -> list[Paper]:
    """The approved papers: only `keep` when given, else every candidate neither dropped nor
    flagged (flagged ones are proposed unticked), plus `add` (candidates, or fetched from arXiv).

    `Decision.check` has already refused `keep`/`drop` ids that are not candidates.
    """
    keep, drop, add = set(decision.keep), set(decision.drop), set(decision.add)
    flagged = {c.paper.arxiv_id for c in proposed if c.flag}
    candidates = [c.paper for c in proposed]
    if keep:
        chosen = [p for p in candidates if p.arxiv_id in keep]
    else:
        chosen = [p for p in candidates if p.arxiv_id not in drop | flagged]
    chosen += [p for p in candidates if p.arxiv_id in add and p not in chosen]
    known = {p.arxiv_id for p in candidates}
    wanted = [i for i in [*(keep - known), *decision.add] if i not in known]
    elsewhere = [i for i in wanted if not ARXIV_ID_RE.fullmatch(i)]
    if elsewhere:
        report.warn(f"{', '.join(sorted(elsewhere))}: not among the candidates, and only arXiv papers can be "
                    "added by id; skipped")
        wanted = [i for i in wanted if i not in elsewhere]
    if wanted:
        fetched = runtime.context.services.arxiv.fetch(sorted(set(wanted)))
        missing = set(wanted) - {p.arxiv_id for p in fetched}
        if missing:
            report.warn(f"arXiv has no record of {', '.join(sorted(missing))}; skipped")
        chosen += fetched
    return chosen
