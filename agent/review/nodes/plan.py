"""plan: turn the topic into search queries, categories and a date range.

Without a planner model the plan is the topic itself (the search stage already broadens it and
reranks by meaning). With one, the model proposes a few sub-area queries and categories; the
person's own categories and dates always win, and a planner failure falls back to the topic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from agent.llm.errors import LLMError
from agent.llm.prompts import PromptBook
from agent.llm.structured import structured
from agent.review.context import ReviewContext
from agent.review.nodes.stage import Reporter, stage
from agent.review.state import ReviewRequest, SearchPlan, State

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

MAX_QUERIES = 4
_CATEGORY = re.compile(r"^[a-z\-]+(\.[A-Za-z\-]+)?$")


class _Proposal(BaseModel):
    """What the planner model is asked for."""

    queries: list[str] = Field(default_factory=list, description="short arXiv search phrases, most important first")
    categories: list[str] = Field(default_factory=list, description="arXiv category codes such as cs.CV")


@stage("plan")
def plan(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Plan the search: the planner model's queries when one is configured, else the topic."""
    request = state.request
    heuristic = SearchPlan(queries=[request.topic], categories=request.categories,
                           since=request.since, until=request.until)
    model = runtime.context.chat_model("planner")
    if model is None:
        return {"plan": heuristic}
    try:
        proposal = propose(model, request, PromptBook(runtime.context.settings.llm.prompts))
    except LLMError as error:  # a planner never sinks a run: the topic as typed is a fine plan
        report.warn(f"the planner model failed ({error}); searching the topic as typed")
        return {"plan": heuristic}
    queries = _unique([request.topic, *proposal.queries])[:MAX_QUERIES]
    categories = request.categories or [c for c in proposal.categories if _CATEGORY.match(c)]
    return {"plan": heuristic.model_copy(update={
        "queries": queries, "categories": categories, "planner": _model_name(model)})}


def propose(model: Any, request: ReviewRequest, prompts: PromptBook) -> _Proposal:
    """Ask the planner model for queries and categories (JSON, validated, repaired once)."""
    messages = prompts.render("plan_search", topic=request.topic)
    return structured(model, _Proposal, messages, retries=1, prompts=prompts)


def _unique(queries: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for query in queries:
        query = " ".join(query.split())
        if query and query.lower() not in seen:
            seen[query.lower()] = query
    return list(seen.values())


def _model_name(model: Any) -> str:
    return str(getattr(model, "model_name", "") or getattr(model, "model", "") or type(model).__name__)
