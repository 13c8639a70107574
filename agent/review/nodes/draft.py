"""draft: write the review section by section from memory (extractive, or with the writer model)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("draft")
def draft(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Write (or rewrite, with the person's feedback) the draft."""
    context = runtime.context
    assert state.outline is not None
    papers = library_papers(context.services, readable_ids(state))
    written = context.stages.write_review(
        state.request.topic, state.outline, papers, context.services.library, context.settings,
        chat_model=context.chat_model("writer"), feedback=state.feedback, revision=state.revision)
    report.progress(1, 1, f"revision {state.revision} by {written.writer}")
    return {"draft": written, "draft_approved": False}
