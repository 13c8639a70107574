"""gate_outline: the person accepts the taxonomy or edits titles, order and membership."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.approval import OutlineRequest, PaperBrief
from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, ask, record, stage
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("gate_outline")
def gate_outline(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Ask for the outline's approval (or take it on an `auto` policy)."""
    assert state.outline is not None and state.request.gates is not None
    titles = {p.arxiv_id: p.title for p in state.papers}
    briefs = [PaperBrief(arxiv_id=i, title=titles.get(i, ""), status=state.ingest[i].status)
              for i in readable_ids(state)]
    request = OutlineRequest(topic=state.request.topic, outline=state.outline, papers=briefs)
    decision = ask("outline", state.request.gates.outline, request)
    if decision.outline is None:
        return {"decisions": record("outline", decision)}
    edited = decision.outline.model_copy(update={
        "themes": [t for t in decision.outline.themes if t.paper_ids]})
    left_out = set(readable_ids(state)) - {i for t in edited.themes for i in t.paper_ids}
    if left_out:
        report.warn(f"the edited outline leaves out {len(left_out)} papers: {', '.join(sorted(left_out))}")
    return {"outline": edited, "decisions": record("outline", decision, f"{len(edited.themes)} themes")}
