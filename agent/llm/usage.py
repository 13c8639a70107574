"""Tokens and cost of every chat-model call, per role, per stage and per model.

`UsageRecorder` is a LangChain callback handler. `agent.llm.factory.chat_model(…, usage=recorder)` attaches
it to a role's model, whose metadata names the role and model string; the stage comes from the
call's metadata (`{"stage": "draft"}`), from LangGraph (`langgraph_node`), or from
`with recorder.stage("draft"):`. Counts come from the provider's usage report (local llama.cpp
models report too); a provider that reports nothing is estimated at four characters per token and
the call is counted as estimated. `snapshot()` is what `run.json` and the progress display show.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import LLMResult

LOCAL_PROVIDERS = ("llamacpp", "ollama")
"""Providers that run on the user's own machine: no per-token cost."""
ROLE_KEY, MODEL_KEY = "autoresearch_role", "autoresearch_model"
"""Metadata keys `agent.llm.factory` puts on every model it builds."""

_STAGE: ContextVar[str] = ContextVar("autoresearch_llm_stage", default="")


@dataclass
class Tally:
    """Counts for one role, stage or model."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    """None once any call in it had no known price."""

    def add(self, inputs: int, outputs: int, cost: float | None) -> None:
        self.calls += 1
        self.input_tokens += inputs
        self.output_tokens += outputs
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON, cost rounded to a millionth of a cent."""
        cost = None if self.cost_usd is None else round(self.cost_usd, 8)
        return {"calls": self.calls, "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens, "cost_usd": cost}


@dataclass
class _Pending:
    role: str
    stage: str
    model: str
    prompt_chars: int


def price_of(model: str, prices: Mapping[str, tuple[float, float]]) -> tuple[float, float] | None:
    """USD per million (input, output) tokens for a model string; local models are free."""
    if model in prices:
        return prices[model]
    provider, _, name = model.partition(":")
    if name and name in prices:
        return prices[name]
    return (0.0, 0.0) if provider in LOCAL_PROVIDERS else None


class UsageRecorder(BaseCallbackHandler):
    """Collects tokens and cost of every call it sees; safe to share across threads."""

    run_inline = True

    def __init__(self, prices: Mapping[str, tuple[float, float]] | None = None) -> None:
        self.prices = dict(prices or {})
        self._lock = threading.Lock()
        self._pending: dict[UUID, _Pending] = {}
        self.total = Tally()
        self.by_role: dict[str, Tally] = {}
        self.by_stage: dict[str, Tally] = {}
        self.by_model: dict[str, Tally] = {}
        self.retries = 0
        self.errors = 0
        self.estimated_calls = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Attribute the calls made inside this block to stage `name`."""
        token = _STAGE.set(name)
        try:
            yield
        finally:
            _STAGE.reset(token)

    # -- callbacks -----------------------------------------------------------------------------

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], *,
                            run_id: UUID, metadata: dict[str, Any] | None = None,
                            **kwargs: Any) -> None:
        """Remember who is calling (role, stage, model) until the call ends."""
        meta = metadata or {}
        stage = meta.get("stage") or _STAGE.get() or meta.get("langgraph_node") or "-"
        model = meta.get(MODEL_KEY) or meta.get("ls_model_name") or (serialized or {}).get("name", "?")
        chars = sum(len(str(m.text)) for batch in messages for m in batch)
        with self._lock:
            self._pending[run_id] = _Pending(meta.get(ROLE_KEY, "-"), str(stage), str(model), chars)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        """Add the finished call's tokens and cost."""
        with self._lock:
            pending = self._pending.pop(run_id, None)
        if pending is None:
            return
        inputs, outputs, estimated = _tokens(response, pending.prompt_chars)
        price = price_of(pending.model, self.prices)
        cost = None if price is None else (inputs * price[0] + outputs * price[1]) / 1e6
        with self._lock:
            self.estimated_calls += estimated
            for tally in (self.total, _get(self.by_role, pending.role),
                          _get(self.by_stage, pending.stage), _get(self.by_model, pending.model)):
                tally.add(inputs, outputs, cost)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """Count a call that failed for good."""
        with self._lock:
            if self._pending.pop(run_id, None) is not None:
                self.errors += 1

    def on_retry(self, retry_state: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """Count a retry (rate limit, timeout, server error)."""
        with self._lock:
            self.retries += 1

    # -- reading -------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything so far as plain JSON: totals, by role/stage/model, retries, errors."""
        with self._lock:
            return {
                **self.total.as_dict(),
                "retries": self.retries,
                "errors": self.errors,
                "estimated_calls": self.estimated_calls,
                "by_role": {k: v.as_dict() for k, v in sorted(self.by_role.items())},
                "by_stage": {k: v.as_dict() for k, v in sorted(self.by_stage.items())},
                "by_model": {k: v.as_dict() for k, v in sorted(self.by_model.items())},
                "unpriced_models": sorted(m for m, t in self.by_model.items() if t.cost_usd is None),
            }

    def summary(self) -> str:
        """One line for a progress display: `LLM 3 calls · 1,204 in / 388 out tokens · $0.0004`."""
        total = self.total
        if not total.calls:
            return "LLM: no calls"
        cost = "cost unknown" if total.cost_usd is None else f"${total.cost_usd:.4f}"
        return (f"LLM {total.calls} calls · {total.input_tokens:,} in / {total.output_tokens:,} out "
                f"tokens · {cost}")


def _get(tallies: dict[str, Tally], key: str) -> Tally:
    return tallies.setdefault(key, Tally())


def _tokens(response: LLMResult, prompt_chars: int) -> tuple[int, int, int]:
    """(input, output, 1 if estimated else 0) from a result's usage report."""
    inputs = outputs = 0
    reported = False
    reply_chars = 0
    for batch in response.generations:
        for generation in batch:
            usage = getattr(getattr(generation, "message", None), "usage_metadata", None)
            reply_chars += len(generation.text)
            if usage:
                reported = True
                inputs += usage.get("input_tokens", 0)
                outputs += usage.get("output_tokens", 0)
    if not reported:
        token_usage = (response.llm_output or {}).get("token_usage") or {}
        if token_usage:
            return token_usage.get("prompt_tokens", 0), token_usage.get("completion_tokens", 0), 0
        return (prompt_chars + 3) // 4, (reply_chars + 3) // 4, 1
    return inputs, outputs, 0
