"""A chat model picks each section's name, among the phrases the section's papers use.

The model never invents a name: it is shown the candidates that already pass the naming rule
(`tools.text.naming`) and the section's paper titles (as data), and answers with a number. Any
answer that is not one of the numbers, or a failed call, keeps the first candidate.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.llm.errors import LLMError
from agent.llm.prompts import PromptBook
from agent.review.sections import Namer

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

TITLES_SHOWN = 12


def model_namer(model: BaseChatModel, topic: str, prompts: PromptBook | None = None) -> Namer:
    """A `Namer` for `build_outline` that asks `model`."""
    book = prompts or PromptBook()

    def name(candidates: list[str], titles: list[str]) -> str | None:
        listed = "\n".join(f"{n}. {c}" for n, c in enumerate(candidates, start=1))
        shown = "\n".join(t.replace("<", "(").replace(">", ")") for t in titles[:TITLES_SHOWN])
        messages = book.render("name_section", topic=topic, titles=shown, names=listed)
        try:
            reply = model.invoke(messages)
        except (LLMError, OSError, ValueError, RuntimeError):
            return None
        match = re.search(r"\d+", str(reply.content))
        number = int(match.group(0)) if match else 0
        return candidates[number - 1] if 1 <= number <= len(candidates) else None

    return name
