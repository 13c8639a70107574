"""plan: turn the topic into search queries, categories and a date range.

Without a planner model the plan is the topic itself (the search stage already broadens it and
reranks by meaning). With one, the model proposes a few sub-area queries and categories; the
person's own categories and dates always win, and a planner failure falls back to the topic.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field, ValidationError

from agent.context import ReviewContext
from agent.nodes.stage import Reporter, stage
from agent.prompts import PLAN_SEARCH
from agent.state import ReviewRequest, SearchPlan, State

MAX_QUERIES = 4
_CATEGORY = re.compile(r"^[a-z\-]+(\.[A-Za-z\-]+)?$")


class _Proposal(BaseModel):
    queries: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)


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
        proposal = propose(model, request)
    # A planner must never sink a run: any provider error or unusable answer falls back to the
    # topic itself, and the person is told why.
    except Exception as error:  # noqa: BLE001
        report.warn(f"the planner model failed ({type(error).__name__}: {error}); searching the topic as typed")
        return {"plan": heuristic}
    queries = _unique([request.topic, *proposal.queries])[:MAX_QUERIES]
    categories = request.categories or [c for c in proposal.categories if _CATEGORY.match(c)]
    return {"plan": heuristic.model_copy(update={
        "queries": queries, "categories": categories, "planner": _model_name(model)})}


def propose(model: Any, request: ReviewRequest) -> _Proposal:
    """Ask the planner model for queries and categories (a JSON object in its answer)."""
    prompt = PLAN_SEARCH.format(topic=request.topic, categories=", ".join(request.categories) or "none",
                                max_queries=MAX_QUERIES)
    answer = model.invoke(prompt)
    text = answer.content if isinstance(answer.content, str) else json.dumps(answer.content)
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        raise ValueError("no JSON object in the planner's answer")
    try:
        return _Proposal.model_validate_json(match.group(0))
    except ValidationError as error:
        raise ValueError(f"unusable plan: {error.errors()[0]['msg']}") from None


def _unique(queries: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for query in queries:
        query = " ".join(query.split())
        if query and query.lower() not in seen:
            seen[query.lower()] = query
    return list(seen.values())


def _model_name(model: Any) -> str:
    return str(getattr(model, "model_name", "") or getattr(model, "model", "") or type(model).__name__)
