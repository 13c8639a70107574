"""gate_draft: the person accepts the verified draft or sends it back with feedback (bounded)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.approval import DraftRequest
from agent.review.context import ReviewContext
from agent.review.nodes.stage import Reporter, ask, record, stage
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("gate_draft")
def gate_draft(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Ask for the draft's approval; `revise` sends it back to the writer with the feedback."""
    assert state.draft is not None and state.verification is not None
    assert state.request.gates is not None and state.request.max_revisions is not None
    found = state.verification
    request = DraftRequest(title=state.draft.title, markdown=state.draft.markdown,
                           revision=state.revision, writer=state.draft.writer, notes=state.draft.notes,
                           revisions_left=max(0, state.request.max_revisions - state.revision),
                           citations={"total": found.total, "unresolved": len(found.unresolved),
                                      "unsupported": len(found.unsupported)})
    decision = ask("draft", state.request.gates.draft, request)
    if decision.action == "revise":
        return {"feedback": decision.feedback, "revision": state.revision + 1, "draft_approved": False,
                "decisions": record("draft", decision, decision.feedback)}
    return {"draft_approved": True, "decisions": record("draft", decision, f"revision {state.revision}")}
