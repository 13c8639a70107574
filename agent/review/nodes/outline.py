"""outline: cluster the papers into themes, the survey's taxonomy sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.llm.prompts import PromptBook
from agent.review.context import ReviewContext, ReviewError
from agent.review.naming_llm import model_namer
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("outline")
def outline(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Build the outline from the papers that were read."""
    context = runtime.context
    papers = library_papers(context.services, readable_ids(state))
    if not papers:
        raise ReviewError("no papers were read; nothing to outline")
    model = context.chat_model("writer") or context.chat_model("planner")
    extra = {}
    if model is not None:  # a chat model picks each section's name among the papers' own phrases
        extra["namer"] = model_namer(model, state.request.topic, PromptBook(context.settings.llm.prompts))
    built = context.stages.build_outline(state.request.topic, papers, context.services.embedder,
                                         max_themes=context.settings.review.max_themes, **extra)
    report.progress(len(built.themes), len(built.themes), f"{len(built.themes)} themes")
    return {"outline": built}


def readable_ids(state: State) -> list[str]:
    """Approved papers that made it into the library, in approval order."""
    return [p.arxiv_id for p in state.papers
            if p.arxiv_id in state.ingest and state.ingest[p.arxiv_id].status != "failed"]
