"""Typed failures of chat models, each with a message a user can act on."""

from __future__ import annotations


class LLMError(RuntimeError):
    """Something about a chat model went wrong."""


class LLMConfigError(LLMError):
    """The settings name a model that cannot be built as given (bad string, missing key)."""


class LLMUnavailable(LLMError):
    """The model needs something not installed here (a provider package, llama.cpp, a file)."""


class LLMCallFailed(LLMError):
    """A call failed: `retryable` when waiting may help (rate limit, timeout, overload)."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class StructuredOutputError(LLMError):
    """The model's reply did not validate against the schema, even after the repair retry."""
