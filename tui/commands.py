"""The chat's slash commands: what each does, how it is typed, and how a line is read.

Pure data and parsing (no Textual), so the completion list, the help screen and the parser can
never disagree: all three read `COMMANDS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.errors import AutoresearchError


class CommandError(AutoresearchError, ValueError):
    """A line that starts with `/` but is not a command we know, or lacks its argument."""


@dataclass(frozen=True)
class SlashCommand:
    """One slash command as the completion list and the help screen show it."""

    name: str
    usage: str
    """The argument, as shown: `TOPIC [--max N]`; empty when it takes none."""
    help: str
    needs_argument: bool = True


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("search", "TOPIC", "Search arXiv for a topic, ranked by meaning"),
    SlashCommand("ingest", "ID [ID …]", "Read papers in full and add them to the library (ids, URLs, PDF paths)"),
    SlashCommand("ask", "QUESTION", "Answer from the library, with a citation on every claim"),
    SlashCommand("review", "TOPIC [--max N]", "Start a literature review (you approve papers, outline, draft)"),
    SlashCommand("summarize", "ID", "Structured summary of a paper in the library"),
    SlashCommand("digest", "[KEYWORD]", "Today's new papers for your watched keywords", needs_argument=False),
    SlashCommand("runs", "", "Show review runs (F3)", needs_argument=False),
    SlashCommand("library", "", "Browse the library (F4)", needs_argument=False),
    SlashCommand("open", "ID", "Open a paper of the library"),
    SlashCommand("clear", "", "Clear the conversation", needs_argument=False),
    SlashCommand("help", "", "Keys and commands (F1)", needs_argument=False),
)
BY_NAME = {c.name: c for c in COMMANDS}


@dataclass(frozen=True)
class Parsed:
    """A command line read: the command and its argument text (stripped)."""

    name: str
    argument: str = ""


def parse(line: str) -> Parsed | None:
    """Read a chat line: None for free text, a `Parsed` for a slash command.

    Raises CommandError for an unknown command or a missing argument (with the usage).
    """
    text = line.strip()
    if not text.startswith("/") or text.startswith("//"):
        return None
    word, _, rest = text[1:].partition(" ")
    command = BY_NAME.get(word.lower())
    if command is None:
        close = [c.name for c in COMMANDS if c.name.startswith(word.lower()[:2])] if word else []
        hint = f" (did you mean /{close[0]}?)" if close else " (type / to see them)"
        raise CommandError(f"no command /{word}{hint}")
    argument = rest.strip()
    if command.needs_argument and not argument:
        raise CommandError(f"/{command.name} needs {command.usage}: {command.help.lower()}")
    return Parsed(command.name, argument)


def complete(text: str) -> list[SlashCommand]:
    """The commands a partly typed `/wor` may become (all of them for a bare `/`)."""
    if not text.startswith("/") or " " in text:
        return []
    stem = text[1:].lower()
    return [c for c in COMMANDS if c.name.startswith(stem)]


def suggestion(text: str) -> str | None:
    """The whole line `text` completes to, when exactly one command fits (for inline ghost text)."""
    matches = complete(text)
    if len(matches) == 1 and matches[0].name != text[1:].lower():
        return f"/{matches[0].name} "
    return None


_MAX = re.compile(r"\s--max(?:-papers)?[ =](\d+)\b")


def review_arguments(argument: str, default_max: int) -> tuple[str, int]:
    """`video anomaly detection --max 8` → (topic, 8)."""
    match = _MAX.search(" " + argument)
    if not match:
        return argument.strip(), default_max
    topic = (" " + argument)[: match.start()] + (" " + argument)[match.end():]
    return " ".join(topic.split()), max(1, min(int(match.group(1)), 500))


_ITEM = re.compile(r"^(?:arxiv:)?(?:\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$|^https?://|\.pdf$|/",
                   re.IGNORECASE)


def split_items(argument: str) -> list[str]:
    """Items of `/ingest`: ids, URLs and paths separated by spaces or commas; anything else is
    one paper title (`/ingest Attention is all you need`)."""
    items = [item for item in re.split(r"[\s,]+", argument) if item]
    return items if all(_ITEM.search(item) for item in items) else [argument.strip()]
