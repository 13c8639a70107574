"""One family for every error autoresearch raises on purpose: what went wrong, and what to do.

Every project exception derives from `AutoresearchError` (keeping its older base too, such as
`ValueError`, where callers catch that). A front end catches the family in one place and shows
`explain(error)`: the message's first line, with the hint when there is one. It lives in the lowest
layer so that tools/ and memory/ can raise it without knowing about the front ends.
"""

from __future__ import annotations


class AutoresearchError(Exception):
    """Something the person asked for cannot be done; `hint` says what they can do about it.

    `str(error)` stays the message alone (callers that log or wrap it see what they always saw);
    `explain(error)` is what a person reads.
    """

    hint: str = ""
    """What to do about it, in a few words (`set llm.summarizer`); empty when the message says it."""

    def __init__(self, message: str = "", *args: object, hint: str | None = None) -> None:
        super().__init__(message, *args)
        if hint is not None:
            self.hint = hint


class BadUsage(AutoresearchError, ValueError):
    """The request itself is wrong (an argument, an option, an input file): the CLI exits 2."""


def explain(error: BaseException) -> str:
    """The one line a front end shows for `error`: its first line, then its hint in parentheses."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    hint = error.hint if isinstance(error, AutoresearchError) else ""
    return f"{line} ({hint})" if hint else line
