"""Typed failures of chat models, and how to tell providers' errors apart without their SDKs.

Provider SDK errors share no base class, so they are recognised by what they carry (an HTTP status,
a `Retry-After` header) and by class name, never by importing openai or anthropic.
"""

from __future__ import annotations

import re

from tools.errors import AutoresearchError


class LLMError(AutoresearchError, RuntimeError):
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


RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}
RETRY_NAMES = {"RateLimitError", "APITimeoutError", "APIConnectionError", "InternalServerError",
               "OverloadedError", "ServiceUnavailableError", "TimeoutException", "ConnectError",
               "RemoteProtocolError", "ReadError", "ResponseError"}
"""Exception class names (anywhere in the MRO) that a retry may fix; matched by name so no provider
SDK has to be imported to recognise its errors."""

_REASONING = re.compile(r"^(o\d+(?:-(?:mini|pro|preview|deep-research))*(?:-\d{4}-\d{2}-\d{2})?"
                        r"|gpt-5(?!-chat)[\w.-]*)$")


def rejects_temperature(model_name: str) -> bool:
    """Whether a model is known to reject `temperature` (OpenAI's o-series and gpt-5)."""
    return bool(_REASONING.match(model_name.lower().rsplit("/", 1)[-1]))


def status_of(error: BaseException) -> int | None:
    """The HTTP status an SDK error carries, if any."""
    status = getattr(error, "status_code", None) or getattr(getattr(error, "response", None),
                                                            "status_code", None)
    return status if isinstance(status, int) else None


def is_retryable(error: BaseException) -> bool:
    """Whether waiting and trying again may succeed (rate limit, timeout, overload, 5xx)."""
    if isinstance(error, (TimeoutError, ConnectionError)):
        return True
    status = status_of(error)
    if status is not None:  # the server said what it was; believe it over the class name
        return status in RETRY_STATUS
    return any(cls.__name__ in RETRY_NAMES for cls in type(error).__mro__)


def is_temperature_rejection(error: BaseException) -> bool:
    """Whether a provider refused the request because of the `temperature` parameter."""
    text = str(error).lower()
    return "temperature" in text and (status_of(error) in (400, 422, None)) and any(
        word in text for word in ("unsupported", "not support", "does not support", "only the default",
                                  "invalid", "not allowed"))


def retry_after(error: BaseException) -> float | None:
    """Seconds a server asked us to wait (`Retry-After`), if it said."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        value = headers.get("retry-after")
        return max(float(value), 0.0) if value is not None else None
    except (TypeError, ValueError):
        return None
