"""Ask the planner model for other names and sub-topics of a topic, as search expansions.

Any LangChain chat model works (the one `agent.llm.factory` builds for the planner role). The reply is
asked for as JSON (`agent.llm.structured`, with one repair round); a model that cannot be called or
never answers in shape is a `PlannerError`, which the search records as a warning before going on
without it. Phrasings are searched as written; sub-topics together with any of the topic's words,
so that "lip synchronization" stays about talking heads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from tools.search.expansion import Expansion
from tools.search.query import topic_terms
from tools.text.keyphrases import normalise, stems

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.llm.prompts import PromptBook

MAX_WORDS = 6


class PlannerError(RuntimeError):
    """The planner model could not help (its message says why); the search goes on without it."""


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
    from agent.llm.prompts import PromptBook
    from agent.llm.structured import structured

    book = prompts or PromptBook()
    listed = "\n".join(t.replace("<", "(").replace(">", ")") for t in titles[:10]) or "(none yet)"
    messages = book.render("expand_topic", topic=topic, titles=listed, limit=str(limit))
    try:
        reply = structured(model, TopicExpansions, messages, retries=1, prompts=book)
    except (RuntimeError, ValueError, OSError) as error:  # LLMError is a RuntimeError
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PlannerError(f"the planner model gave no expansions ({first})") from error
    name = getattr(model, "model_name", "") or type(model).__name__
    words = " ".join(topic_terms(topic))
    out = [Expansion(phrase=p, source="planner",
                     why=f"another name for the topic, from the planner model ({name})")
           for p in clean(reply.phrasings, topic)[:limit]]
    out += [Expansion(phrase=p, source="planner", within=words,
                      why=f"sub-topic named by the planner model ({name})")
            for p in clean(reply.subtopics, topic)[:limit]]
    return out


def clean(items: Iterable[str], topic: str) -> list[str]:
    """Plain phrases of 1–6 words, without the topic itself or repeats."""
    out: list[str] = []
    for item in items:
        phrase = normalise(item)
        fits = 1 <= len(phrase.split()) <= MAX_WORDS
        if fits and stems(phrase) != stems(topic) and phrase not in out:
            out.append(phrase)
    return out
