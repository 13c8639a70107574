"""Turn what a researcher types into arXiv `search_query` strings.

A literal phrase finds too little: papers say "talking face" or "audio-driven portrait" where the
user typed "talking head". So a topic becomes a broad query (any of its content words, in title or
abstract) whose candidates are then reranked by meaning (`tools.search.ranking`). Text that already looks
like an arXiv query (`ti:…`, `AND`) is passed through untouched.
"""

from __future__ import annotations

import re
from datetime import date

from tools.search.categories import check_categories
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS

_SILENT = FUNCTION_WORDS | DOCUMENT_WORDS
"""Words a topic may contain that no query should require."""
_RAW_QUERY_RE = re.compile(r"\b(?:ti|abs|au|co|jr|cat|all|id|submittedDate):|\b(?:AND|OR|ANDNOT)\b")


def is_raw_query(text: str) -> bool:
    """Whether `text` is already written in arXiv's query syntax."""
    return bool(_RAW_QUERY_RE.search(text))


def topic_terms(topic: str) -> list[str]:
    """Content words of a topic, lower-case, in order, without repeats."""
    words = re.findall(r"[A-Za-z0-9]+", topic.lower())
    seen: list[str] = []
    for word in words:
        if word not in _SILENT and len(word) > 1 and word not in seen:
            seen.append(word)
    return seen


def phrase_query(topic: str) -> str:
    """The literal phrase in title or abstract."""
    phrase = " ".join(re.findall(r"[A-Za-z0-9]+", topic))
    return f'(ti:"{phrase}" OR abs:"{phrase}")'


def broad_query(topic: str) -> str:
    """Any content word of the topic in title or abstract: many candidates, reranked later."""
    terms = topic_terms(topic)
    if not terms:
        return phrase_query(topic)
    return "(" + " OR ".join(f"ti:{t} OR abs:{t}" for t in terms) + ")"


def with_filters(query: str, categories: list[str] | None = None, since: date | None = None,
                 until: date | None = None) -> str:
    """AND the query with categories (any of them) and a submission date range.

    Categories are checked against arXiv's taxonomy (`BadCategory` otherwise): they are pasted
    into the query, so anything else would be query injection.
    """
    parts = [query if query.startswith("(") else f"({query})"]
    if categories:
        parts.append("(" + " OR ".join(f"cat:{c}" for c in check_categories(categories)) + ")")
    if since or until:
        low = (since or date(1991, 1, 1)).strftime("%Y%m%d") + "0000"
        high = (until or date(2099, 12, 31)).strftime("%Y%m%d") + "2359"
        parts.append(f"submittedDate:[{low} TO {high}]")
    return " AND ".join(parts)
