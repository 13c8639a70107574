"""The search planner backed by a chat model: other names and sub-topics of a topic, as JSON.

Any LangChain chat model works (the one `agent.llm.factory` builds for the planner role). The reply
is asked for as JSON (`agent.llm.structured`, with one repair round); a model that cannot be called
or never answers in shape is a `PlannerError` for the search to record as a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from agent.llm.prompts import PromptBook
from agent.llm.structured import structured
from tools.search.expansion import Expansion
from tools.search.planner import Planner, PlannerError, planned_expansions

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class TopicExpansions(BaseModel):
    """What the planner model is asked for."""

    phrasings: list[str] = Field(default_factory=list)
    """Other names of the topic itself."""
    subtopics: list[str] = Field(default_factory=list)
    """Narrower areas, methods or tasks a survey of it would cover."""


def planner_expansions(model: BaseChatModel, topic: str, titles: Sequence[str] = (),
                       limit: int = 4, prompts: PromptBook | None = None) -> list[Expansion]:
    """Ask `model` for up to `limit` phrasings and `limit` sub-topics of `topic`.

    `titles` (of the first results) ground the answer in what arXiv calls things; they reach the
    model inside a data block. Raises `PlannerError`.
    """
    book = prompts or PromptBook()
    listed = "\n".join(t.replace("<", "(").replace(">", ")") for t in titles[:10]) or "(none yet)"
    messages = book.render("expand_topic", topic=topic, titles=listed, limit=str(limit))
    try:
        reply = structured(model, TopicExpansions, messages, retries=1, prompts=book)
    except (RuntimeError, ValueError, OSError) as error:  # LLMError is a RuntimeError
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PlannerError(f"the planner model gave no expansions ({first})") from error
    name = getattr(model, "model_name", "") or type(model).__name__
    return planned_expansions(topic, reply.phrasings, reply.subtopics, name, limit)


def model_planner(model: BaseChatModel, prompts: PromptBook | None = None) -> Planner:
    """A `Planner` for the search that asks `model`."""

    def plan(topic: str, titles: Sequence[str], limit: int = 4) -> list[Expansion]:
        return planner_expansions(model, topic, titles, limit, prompts)

    return plan
