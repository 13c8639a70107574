"""Every prompt autoresearch sends to a chat model, as named templates.

Templates use `str.format` fields; `check_fields` lets an override be validated against the
fields the code fills before it is used.
"""

from __future__ import annotations

import string

PLAN_SEARCH = """You plan arXiv searches for a literature review.

Topic: {topic}
Categories already chosen by the user (may be empty): {categories}

Answer with one JSON object and nothing else:
{{"queries": ["...", "..."], "categories": ["cs.XX"]}}

- "queries": 1 to {max_queries} short plain-English search phrases, most important first; the first
  is the topic itself, the others name sub-areas, methods or synonyms a survey would cover.
- "categories": arXiv category codes that fit the topic (leave it empty if unsure).
"""


def check_fields(template: str, expected: set[str]) -> None:
    """Raise ValueError when a template override uses fields the code does not fill."""
    used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    unknown = used - expected
    if unknown:
        raise ValueError(f"prompt uses unknown fields: {', '.join(sorted(unknown))}")
