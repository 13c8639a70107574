"""Pandoc Markdown the writers emit and the verifier and exporters read back.

Paper text is escaped so Pandoc renders it verbatim (an `@` in a sentence must not become a
citation, a `$` not math, a `|` not a table cell); citations are the only live markup in prose.
"""

from __future__ import annotations

import re

from agent.review.types import DraftFigure

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$@~^#])")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")

CITE_KEY = r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*[A-Za-z0-9_]|[A-Za-z0-9_]"
CITATION_GROUP = re.compile(r"\[(?P<body>[^\[\]]*?(?<!\\)@[^\[\]]*)\]")
"""A bracketed citation group: `[@a]`, `[@a; @b]`, `[see @a, p. 3]`."""
CITATION = re.compile(r"(?<![\w\\])@(?P<key>" + CITE_KEY + r")")
"""One citation key inside a group, or a bare in-text citation `@a`."""


def escape(text: str) -> str:
    """Escape Markdown so `text` renders verbatim, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def unescape(text: str) -> str:
    """Undo `escape` (and any other backslash escape of punctuation)."""
    return _ESCAPED.sub(r"\1", text)


def cite(*keys: str) -> str:
    """A Pandoc citation group: `[@a; @b]`."""
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def citation_keys(text: str) -> list[str]:
    """Every citation key used in `text`, in order, repeats included."""
    return [m.group("key") for m in CITATION.finditer(text)]


def quote(sentence: str) -> str:
    """A verbatim sentence in quotation marks, its full stop left for after the citation."""
    return "“" + escape(sentence.rstrip().rstrip(".")) + "”"


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    """A Pandoc pipe table; cells are already Markdown (escape them first)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def figure_filename(figure: DraftFigure) -> str:
    """Where an exported review keeps a figure's image: `figures/<id>-fig<number>.png`."""
    safe = re.sub(r"[^A-Za-z0-9.-]", "_", f"{figure.arxiv_id}-fig{figure.number}")
    suffix = re.search(r"\.[A-Za-z0-9]{2,4}$", figure.image_path)
    return f"figures/{safe}{suffix.group(0).lower() if suffix else '.png'}"


def heading_text(line: str) -> str | None:
    """The title of an ATX heading line (`## Title {#id}` → `Title`), else None."""
    found = re.match(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$", line)
    return unescape(found.group(2)) if found else None
