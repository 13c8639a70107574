"""Fit retrieved text into a model's context window.

Counting uses the model's own tokenizer when it has an offline one (llama.cpp models, through
`count_tokens`), else about four characters per token. Hosted models' counters are not used on
purpose: tiktoken and LangChain's default GPT-2 counter download their vocabularies on first use,
and nothing in autoresearch downloads at run time. The estimate is safe for English prose with
the margin kept below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

DEFAULT_WINDOW = 8192
DEFAULT_OUTPUT = 1024
MARGIN = 0.05
"""Share of the window kept free for chat-template tokens and estimation error."""
MIN_PASSAGE_TOKENS = 32
"""A passage that would be cut below this is left out rather than kept as a fragment."""


class Passage(Protocol):
    """Retrieved text that `fit_passages` may shorten: a pydantic model with a `text` field."""

    text: str

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Any: ...


P = TypeVar("P", bound=Passage)
Counter = Callable[[str], int]


def estimate_tokens(text: str) -> int:
    """A provider-neutral estimate: about four characters per token."""
    return (len(text) + 3) // 4


def counter_for(model: Any) -> Counter:
    """The model's own token counter, or the four-characters estimate."""
    own: Counter | None = getattr(model, "count_tokens", None)
    return own if callable(own) else estimate_tokens


def prompt_budget(model: Any, fixed: Sequence[BaseMessage]) -> int:
    """Tokens left for retrieved text once the fixed prompt and the reply are reserved."""
    window = int(getattr(model, "context_window", DEFAULT_WINDOW))
    reply = int(getattr(model, "max_output_tokens", DEFAULT_OUTPUT))
    count = counter_for(model)
    used = sum(count(str(m.text)) + 4 for m in fixed)
    return max(int(window * (1 - MARGIN)) - reply - used, 0)


def truncate_to_tokens(text: str, max_tokens: int, count: Counter = estimate_tokens) -> str:
    """`text` cut at a word boundary so that it counts at most `max_tokens` (with `…`)."""
    if max_tokens <= 0:
        return ""
    size = count(text)
    if size <= max_tokens:
        return text
    keep = int(len(text) * max_tokens / size)
    while keep > 0:
        cut = text[:keep].rsplit(" ", 1)[0] if " " in text[:keep] else text[:keep]
        candidate = cut.rstrip() + " …"
        if count(candidate) <= max_tokens:
            return candidate
        keep = int(keep * 0.9)
    return ""


def fit_passages(passages: Sequence[P], budget: int, count: Counter,
                 render: Callable[[P, str], str]) -> list[P]:
    """The leading passages that fit `budget` tokens once rendered, the last one maybe cut.

    `passages` are in order of preference (most relevant first) and have a `text`; `render`
    shows how one passage looks in the prompt (with its fence), so fence tokens are counted too.
    """
    kept: list[P] = []
    used = 0
    for passage in passages:
        overhead = count(render(passage, ""))
        room = budget - used - overhead
        if room < MIN_PASSAGE_TOKENS:
            break
        text = truncate_to_tokens(passage.text, room, count)
        if not text:
            break
        kept.append(passage.model_copy(update={"text": text}) if text != passage.text else passage)
        used += overhead + count(text)
    return kept
