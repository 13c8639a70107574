"""What the figure model is asked, and how its answer is read back.

The prompt asks for a small `key: value` format (easier for a small model than strict JSON); the
parser accepts that, a JSON object, or plain prose, and never fails: whatever the model wrote ends
up in a `FigureDescription`. The template lives here until the project's prompts move to
`agent/llm/prompts.py`; its variables are `number`, `caption` and `words`.
"""

from __future__ import annotations

import json
import re

from tools.figures.base import FigureDescription, FigureInput, FigureKind

FIGURE_PROMPT = """You are reading Figure {number} of a research paper.
Caption: {caption}
Words printed inside the figure: {words}

Describe the figure. Answer with exactly these lines:
kind: one of plot, diagram, table-image, photo, other
summary: one sentence saying what the figure shows
axes: the x-axis label; the y-axis label (plots only, else none)
legend: legend entries separated by ';' (else none)
trends: the key trends or numbers separated by ';' (plots only, else none)
description: one paragraph describing the figure"""
"""The figure-description prompt (variables: number, caption, words)."""

MAX_CAPTION_CHARS = 600
MAX_WORDS_CHARS = 400
FIELDS = ("kind", "summary", "axes", "legend", "trends", "description")
_KIND_WORDS: list[tuple[FigureKind, re.Pattern[str]]] = [
    ("table-image", re.compile(r"\btable", re.I)),
    ("plot", re.compile(r"\b(plot|chart|graph|curve|histogram|scatter|line)", re.I)),
    ("diagram", re.compile(r"\b(diagram|flow|architecture|schematic|pipeline|illustration)", re.I)),
    ("photo", re.compile(r"\b(photo|picture|image|screenshot)", re.I)),
]
_NONE = {"", "none", "n/a", "na", "-", "null", "[]"}


def build_prompt(figure: FigureInput, template: str = FIGURE_PROMPT) -> str:
    """The prompt for one figure, with its caption and the words found inside it."""
    caption = " ".join(figure.caption.split())[:MAX_CAPTION_CHARS] or "(none)"
    words = " ".join(figure.text_inside.split())[:MAX_WORDS_CHARS] or "(none)"
    return template.format(number=figure.number, caption=caption, words=words)


def normalise_kind(text: str) -> FigureKind:
    """Map the model's word for the kind onto the five kinds (`bar chart` → plot)."""
    value = text.strip().lower().strip(".\"'` ")
    if value in ("plot", "diagram", "table-image", "photo", "other"):
        return value
    for kind, pattern in _KIND_WORDS:
        if pattern.search(value):
            return kind
    return "other"


def _items(value) -> list[str]:
    """A list field from a JSON list or a `;`-separated string, without placeholders."""
    parts = value if isinstance(value, list) else re.split(r"\s*;\s*", str(value))
    return [str(p).strip() for p in parts if str(p).strip().lower() not in _NONE]


def _from_json(text: str) -> dict | None:
    """The first JSON object in the text, if there is one."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _from_lines(text: str) -> dict:
    """`key: value` lines (a value may continue on the following lines)."""
    fields: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        match = re.match(r"^\s*[-*]?\s*\**(kind|summary|axes|legend|trends|description)\**\s*:\s*(.*)$",
                         line, re.I)
        if match:
            current = match.group(1).lower()
            fields[current] = match.group(2).strip()
        elif current and line.strip():
            fields[current] += " " + line.strip()
    return fields


def parse_answer(text: str, number: str, reader: str) -> FigureDescription:
    """Read the model's answer into a description, whatever shape it came in."""
    fields = _from_json(text) or _from_lines(text)
    prose = " ".join(text.split())
    if not fields:
        sentence = re.split(r"(?<=[.!?])\s+", prose, maxsplit=1)[0]
        return FigureDescription(number=number, kind=normalise_kind(prose), summary=sentence[:300],
                                 description=prose, reader=reader)
    description = str(fields.get("description", "")).strip() or prose
    summary = str(fields.get("summary", "")).strip() or re.split(r"(?<=[.!?])\s+", description, maxsplit=1)[0]
    return FigureDescription(
        number=number, kind=normalise_kind(str(fields.get("kind", "")) or description),
        summary=summary[:300], axes=_items(fields.get("axes", "")),
        legend=_items(fields.get("legend", "")), trends=_items(fields.get("trends", "")),
        description=description, reader=reader)
