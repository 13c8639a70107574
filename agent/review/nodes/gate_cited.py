"""gate_cited: the person picks which cited works join the review (the papers gate, second round).

The request is an ordinary papers-gate request (`round = "citations"`), so every front end shows it
with the checklist it already has; each candidate says which approved papers cite it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.approval import PapersRequest
from agent.review.context import ReviewContext
from agent.review.nodes.gate_papers import apply
from agent.review.nodes.stage import Reporter, ask, record, stage
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

CITED_QUERY = "works cited by the approved papers, and works citing them"


@stage("gate_cited")
def gate_cited(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Ask which cited works to add (all of them on an `auto` policy); none is a fine answer."""
    request = PapersRequest(topic=state.request.topic, queries=[CITED_QUERY], candidates=state.cited,
                            round="citations")
    assert state.request.gates is not None, "the session resolves gate policies"
    decision = ask("papers", state.request.gates.papers, request)
    known = {p.arxiv_id for p in state.papers}
    added = [p for p in apply(decision, state.cited, runtime, report) if p.arxiv_id not in known]
    detail = f"{len(added)} of {len(state.cited)} cited papers added"
    return {"papers": [*state.papers, *added], "decisions": record("papers", decision, detail)}
