"""Read what people type after a slash command: `/research <topic> [--max N --since DATE]`.

Slack hands the bot one string. Double quotes group words, and dashes that a phone or macOS turned
into `—max` are read as `--max`. Mistakes come back as one line of usage.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ValidationError

from agent.review.state import ReviewRequest
from tools.errors import BadUsage

RESEARCH_USAGE = ("Usage: `/research <topic> [--max N] [--since YYYY-MM-DD] [--until YYYY-MM-DD]`, "
                  "or `/research show <run id>` to answer a run started elsewhere.")
_WORD = re.compile(r'"([^"]*)"|(\S+)')
_RUN_ID = re.compile(r"\d{8}(-[0-9a-f]*)?")
"""A run id or a prefix of one (`20261122-a3f9c2`, `20261122-a3`)."""
_OPTIONS = {"--max": "max_papers", "--since": "since", "--until": "until"}


class UsageError(BadUsage):
    """The command text cannot be read; the message says why and how to write it."""


class ResearchCommand(BaseModel):
    """What `/research` asked for: a new review, or to show an existing run here."""

    request: ReviewRequest | None = None
    show_run: str = ""


def parse_research(text: str) -> ResearchCommand:
    """Read `/research`'s text into a review request (or a `show <run>`)."""
    words = _split(text)
    if not words or words[0] in ("help", "-h", "--help"):
        raise UsageError(RESEARCH_USAGE)
    if words[0] == "show" and len(words) == 2 and _RUN_ID.fullmatch(words[1]):
        return ResearchCommand(show_run=words[1])
    topic, options = _topic_and_options(words)
    if not topic:
        raise UsageError(f"What topic? {RESEARCH_USAGE}")
    try:
        return ResearchCommand(request=ReviewRequest.model_validate({"topic": topic, **options}))
    except ValidationError as error:
        problem = error.errors()[0]
        name = next((flag for flag, field in _OPTIONS.items() if field in problem["loc"]), "the request")
        raise UsageError(f"{name}: {problem['msg']}. {RESEARCH_USAGE}") from None


def _split(text: str) -> list[str]:
    """Words, with double quotes grouping (an apostrophe is just a letter: "children's speech")."""
    normalised = re.sub(r"(^|\s)[—–](?=\w)", r"\1--", text.replace("“", '"').replace("”", '"'))
    if normalised.count('"') % 2:
        raise UsageError(f"Unbalanced quotes. {RESEARCH_USAGE}")
    return [quoted or bare for quoted, bare in _WORD.findall(normalised)]


def _topic_and_options(words: list[str]) -> tuple[str, dict[str, object]]:
    topic: list[str] = []
    options: dict[str, object] = {}
    index = 0
    while index < len(words):
        word = words[index]
        flag, _, inline = word.partition("=")
        if flag in _OPTIONS:
            if not inline and index + 1 >= len(words):
                raise UsageError(f"{flag} needs a value. {RESEARCH_USAGE}")
            value = inline or words[index + 1]
            index += 1 if inline else 2
            options[_OPTIONS[flag]] = _value(flag, value)
        elif word.startswith("--"):
            raise UsageError(f"Unknown option {word}. {RESEARCH_USAGE}")
        else:
            topic.append(word)
            index += 1
    return " ".join(topic), options


def _value(flag: str, value: str) -> object:
    if flag == "--max":
        if not value.isdigit():
            raise UsageError(f"--max needs a whole number, not {value!r}. {RESEARCH_USAGE}")
        return int(value)
    return parse_day(value, flag)


def parse_day(value: str, flag: str) -> date:
    """`YYYY-MM-DD`, `YYYY-MM` (the 1st) or `YYYY` (1 January)."""
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        if len(parts) > 3:
            raise ValueError(value)
        return date(*numbers[:3])
    except (ValueError, TypeError):
        raise UsageError(f"{flag}: not a date: {value!r} (use YYYY-MM-DD)") from None
