"""The wrapper every role's chat model gets: retries, temperature, `<think>` blocks, no tools.

Users of other research agents report the same failures over and over: a 429 kills a long run, a
reasoning model rejects `temperature`, a local model's `<think>` monologue leaks into the review.
`GuardedChatModel` wraps any LangChain chat model and handles these once, for every provider:

- retries with exponential backoff and jitter (a server's `Retry-After` wins) on rate limits,
  timeouts, connection and server errors; the provider SDK's own retries are switched off so
  `llm.max_retries` is the whole budget;
- a provider that rejects `temperature` is retried at once without it, and not sent it again;
- `<think>…</think>` blocks and reasoning blocks are dropped from replies, also when streaming;
- tool calls in a reply are dropped and `bind_tools` is refused: no model built by autoresearch can
  act on anything, so paper text that talks a model into "calling" a tool changes nothing.

The one deliberate exception is `allow_tools=True`, which `agent.llm.factory.chat_model` grants only to the
`chat` role and only when asked (the TUI's assistant, `tui.chat_agent`): that model may propose tool
calls, which its caller runs itself, asking the person before anything that changes state. Writers,
planners, summarizers and translators never get it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from agent.llm.budget import Counter, estimate_tokens
from agent.llm.errors import LLMCallFailed, is_retryable, is_temperature_rejection, retry_after, status_of
from agent.llm.structured import structured
from agent.llm.thinking import ThinkFilter, strip_think

log = logging.getLogger(__name__)

class GuardedChatModel(BaseChatModel):
    """A chat model with autoresearch's robustness rules applied (see the module docstring)."""

    inner: BaseChatModel
    model_name: str
    """The model string it was built from (`openai:gpt-4o-mini`), for accounting and messages."""
    role: str = ""
    max_retries: int = 3
    backoff_base_s: float = 2.0
    backoff_max_s: float = 60.0
    context_window: int = 8192
    """Prompt budget in tokens (helpers truncate retrieved text to fit)."""
    max_output_tokens: int = 1024
    allow_tools: bool = False
    """Let `bind_tools` through and keep tool calls in replies (the chat role's assistant only)."""

    @property
    def _llm_type(self) -> str:
        return f"guarded-{self.inner._llm_type}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model_name, "role": self.role}

    # -- counting ------------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Tokens in `text`: the model's own tokenizer when it has an offline one, else chars/4."""
        own: Counter | None = getattr(self.inner, "count_tokens", None)
        return own(text) if callable(own) else estimate_tokens(text)

    def get_num_tokens(self, text: str) -> int:
        """Count tokens without LangChain's default (which downloads GPT-2's tokenizer)."""
        return self.count_tokens(text)

    def get_num_tokens_from_messages(self, messages: list[BaseMessage], tools: Any = None) -> int:
        """Tokens of a prompt, with a few per message for the chat template."""
        return sum(self.count_tokens(str(m.text)) + 4 for m in messages)

    # -- no tools, structured output through `agent.llm.structured` --------------------------------

    def bind_tools(self, tools: Any, **kwargs: Any) -> Runnable:
        """Refuse unless `allow_tools`: paper text must never cause actions.

        With `allow_tools`, the provider's own model formats the tools (each provider has its own
        wire format) and the guard binds the result to itself, so retries and accounting still apply.
        """
        if not self.allow_tools:
            raise LLMCallFailed("models built by agent.llm.factory take no tools: state changes (ingest, review, "
                                "approvals) come from people and typed decisions, never from a model")
        try:
            formatted = self.inner.bind_tools(tools, **kwargs)
        except NotImplementedError:
            raise LLMCallFailed(f"{self.model_name} cannot call tools") from None
        return self.bind(**getattr(formatted, "kwargs", {}))

    def with_structured_output(self, schema: Any, *, include_raw: bool = False,
                               **kwargs: Any) -> Runnable:
        """A runnable returning a validated `schema` instance (via `agent.llm.structured.structured`)."""
        if include_raw:
            raise NotImplementedError("include_raw is not supported; call agent.llm.structured.structured")
        def answer(value: LanguageModelInput) -> Any:
            return structured(self, schema, self._convert_input(value).to_messages())

        return RunnableLambda(answer)

    # -- calls ---------------------------------------------------------------------------------

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        def call(model: BaseChatModel) -> ChatResult:
            return model._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

        with self._giving_up():
            for attempt in Retrying(**self._retry_policy(run_manager)):
                with attempt:
                    return clean_result(self._attempt(call), self.allow_tools)
        raise AssertionError("unreachable: tenacity re-raises")  # pragma: no cover

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None,
                         **kwargs: Any) -> ChatResult:
        async def call(model: BaseChatModel) -> ChatResult:
            return await model._agenerate(messages, stop=stop, run_manager=run_manager, **kwargs)

        with self._giving_up():
            async for attempt in AsyncRetrying(**self._retry_policy(run_manager)):
                with attempt:
                    return clean_result(await self._aattempt(call), self.allow_tools)
        raise AssertionError("unreachable: tenacity re-raises")  # pragma: no cover

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        if type(self.inner)._stream is BaseChatModel._stream:
            message = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
            yield ChatGenerationChunk(message=AIMessageChunk(
                content=message.content, usage_metadata=_usage(message),
                response_metadata=message.response_metadata))
            return

        def start(model: BaseChatModel) -> Iterator[ChatGenerationChunk]:
            # Tokens are reported by BaseChatModel.stream from what we yield, so the inner
            # model gets no run manager (it would report every token twice).
            return _primed(model._stream(messages, stop=stop, **kwargs))

        with self._giving_up():
            chunks: Iterator[ChatGenerationChunk] = iter(())  # set by the first good try; tenacity re-raises
            for attempt in Retrying(**self._retry_policy(run_manager)):
                with attempt:
                    chunks = self._attempt(start)
            try:
                yield from filter_stream(chunks)
            except Exception as error:  # noqa: BLE001 - a stream cut mid-way is not retried
                self._raise_typed(error)

    def _attempt(self, call: Callable[[BaseChatModel], Any]) -> Any:
        """One try; a temperature refusal is retried at once without it; errors become typed."""
        try:
            try:
                return call(self.inner)
            except Exception as error:  # noqa: BLE001 - re-raised unless a temperature refusal
                if not self._drop_temperature_for(error):
                    raise
            return call(self.inner)
        except LLMCallFailed:
            raise
        except Exception as error:  # noqa: BLE001 - provider errors share no base class
            self._raise_typed(error)

    async def _aattempt(self, call: Callable[[BaseChatModel], Awaitable[Any]]) -> Any:
        """The async twin of `_attempt`."""
        try:
            try:
                return await call(self.inner)
            except Exception as error:  # noqa: BLE001 - re-raised unless a temperature refusal
                if not self._drop_temperature_for(error):
                    raise
            return await call(self.inner)
        except LLMCallFailed:
            raise
        except Exception as error:  # noqa: BLE001 - provider errors share no base class
            self._raise_typed(error)

    def _raise_typed(self, error: BaseException) -> NoReturn:
        """Raise the typed failure for a provider error, or the error itself when it is a bug."""
        failure = self._failure(error)
        if failure is error:
            raise error
        raise failure from error

    # -- policy --------------------------------------------------------------------------------

    @contextmanager
    def _giving_up(self) -> Iterator[None]:
        """Say how many tries were spent when retries run out."""
        try:
            yield
        except LLMCallFailed as failure:
            if not failure.retryable:
                raise
            raise LLMCallFailed(f"{failure} (gave up after {self.max_retries + 1} tries)") \
                from failure.__cause__

    def _retry_policy(self, run_manager: Any) -> dict[str, Any]:
        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.warning("%s; retry %d of %d in %.1f s", error, state.attempt_number, self.max_retries,
                        state.next_action.sleep if state.next_action else 0.0)
            if run_manager is not None:
                result = run_manager.on_retry(state)
                if hasattr(result, "close"):  # the async manager returns a coroutine: not needed
                    result.close()

        return {"stop": stop_after_attempt(self.max_retries + 1), "wait": self._wait,
                "retry": retry_if_exception(lambda e: isinstance(e, LLMCallFailed) and e.retryable),
                "before_sleep": before_sleep, "reraise": True}

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = retry_after(error.__cause__) if error is not None and error.__cause__ else None
        if asked is not None:
            return min(asked, self.backoff_max_s)
        delay = self.backoff_base_s * 2 ** (state.attempt_number - 1)
        return min(delay * random.uniform(0.75, 1.25), self.backoff_max_s)

    def _drop_temperature_for(self, error: BaseException) -> bool:
        """Stop sending `temperature` when this error is a refusal of it; True if we did."""
        if getattr(self.inner, "temperature", None) is None or not is_temperature_rejection(error):
            return False
        log.warning("%s rejects temperature; retrying without it", self.model_name)
        self.inner = self.inner.model_copy(update={"temperature": None})
        return True

    def _failure(self, error: BaseException) -> BaseException:
        """A typed failure for provider errors; anything else (a bug) passes through unchanged."""
        status = status_of(error)
        where = f"{self.model_name} ({self.role})" if self.role else self.model_name
        if is_retryable(error):
            return LLMCallFailed(f"{where}: {_one_line(error)}", retryable=True)
        if status in (401, 403):
            return LLMCallFailed(f"{where} refused the credentials ({status}): check the API key "
                                 "setting for this provider")
        if status is not None:
            return LLMCallFailed(f"{where} answered {status}: {_one_line(error)}")
        return error


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def _primed(chunks: Iterator[ChatGenerationChunk]) -> Iterator[ChatGenerationChunk]:
    """Pull the first chunk now, so connection errors surface inside the retry loop."""
    iterator = iter(chunks)
    try:
        first = next(iterator)
    except StopIteration:
        return iter(())

    def rest() -> Iterator[ChatGenerationChunk]:
        yield first
        yield from iterator

    return rest()


def _usage(message: BaseMessage) -> UsageMetadata | None:
    """A reply's token counts (only a model's own messages carry them)."""
    return message.usage_metadata if isinstance(message, AIMessage) else None


def filter_stream(chunks: Iterator[ChatGenerationChunk]) -> Iterator[ChatGenerationChunk]:
    """Drop `<think>` spans and tool calls from a stream of chunks."""
    thinking = ThinkFilter()
    for chunk in chunks:
        text = thinking.feed(str(chunk.message.text))
        usage = _usage(chunk.message)
        if text or usage or chunk.message.response_metadata:
            yield ChatGenerationChunk(message=AIMessageChunk(
                content=text, usage_metadata=usage,
                response_metadata=chunk.message.response_metadata))
    tail = thinking.flush()
    if tail:
        yield ChatGenerationChunk(message=AIMessageChunk(content=tail))


def clean_result(result: ChatResult, keep_tool_calls: bool = False) -> ChatResult:
    """Replies as plain text: no `<think>` spans, reasoning blocks or tool calls (unless kept)."""
    generations = []
    for generation in result.generations:
        message = generation.message
        metadata = dict(message.response_metadata)
        calls = list(getattr(message, "tool_calls", []))
        if calls and not keep_tool_calls:
            metadata["dropped_tool_calls"] = [call["name"] for call in calls]
        clean = AIMessage(content=strip_think(str(message.text)), id=message.id,
                          usage_metadata=getattr(message, "usage_metadata", None),
                          response_metadata=metadata, tool_calls=calls if keep_tool_calls else [])
        generations.append(ChatGeneration(message=clean, generation_info=generation.generation_info))
    return ChatResult(generations=generations, llm_output=result.llm_output)
