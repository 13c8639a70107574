"""verify: every citation must resolve to a stored paper; every cited sentence is scored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("verify")
def verify(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Check the draft's citations; unresolved keys are removed and reported."""
    context = runtime.context
    assert state.draft is not None
    papers = library_papers(context.services, readable_ids(state))
    cleaned, found = context.stages.verify_draft(state.draft, context.services.library, papers)
    if found.unresolved:
        report.warn(f"removed {len(found.unresolved)} citation keys that name no stored paper: "
                    f"{', '.join(found.unresolved)}")
    if found.unsupported:
        report.warn(f"{len(found.unsupported)} cited statements lack support in the cited papers "
                    "(listed under 'Unverified statements')")
    report.progress(found.statements, found.statements, f"{found.total} citations checked")
    return {"draft": cleaned, "verification": found}
