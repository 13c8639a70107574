"""How well a work fits a reference, and when to refuse: a wrong match is worse than none.

A reference (from a PDF's bibliography, or an entry of a person's collection) and a work agree
when their titles say the same thing once case, accents, LaTeX braces, hyphenation and punctuation
are set aside; the first author's family name and the year then confirm or cost the match. A short
or generic title ("Introduction", "Keras") needs both confirmations. The score is 0–1 and its
reason names the parts, so a person can see why a work was taken: "title 0.98, first author
agrees, year agrees".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from tools.citations import ascii_fold, last_name
from tools.document import Reference
from tools.sources.base import Work
from tools.text.words import FUNCTION_WORDS

SHORT_TITLE_WORDS = 3
"""Titles with this many meaningful words or fewer need the author and the year to agree."""
AUTHOR_MISMATCH = 0.25
YEAR_MISMATCH = 0.1
"""Cost per year apart beyond one (preprints precede their venue, proceedings follow it)."""


@dataclass(frozen=True)
class Match:
    """A work taken for a reference, how well it fits, and why."""

    work: Work
    score: float
    how: str
    """"title matched on OpenAlex (title 0.98, first author agrees, year agrees)"."""


def words(text: str) -> list[str]:
    """Lower-case ASCII words of a title (accents folded, LaTeX braces and commands dropped)."""
    text = re.sub(r"\\[a-zA-Z]+\s*|[{}$]", "", text)
    return re.findall(r"[a-z0-9]+", ascii_fold(text).lower())


def title_similarity(first: str, second: str) -> float:
    """0–1: how alike two titles are, ignoring spaces and hyphenation (`Cross-scene` = `Crossscene`)."""
    a, b = "".join(words(first)), "".join(words(second))
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def surnames(authors: list[str]) -> set[str]:
    """Family names, folded to ASCII (`D. J´erome` and `Denis Jérome` both give `jerome`)."""
    out = set()
    for author in authors:
        name = last_name(re.sub(r"[´`¨˜ˇ^]", "", author))
        if len(name) >= 2:
            out.add(name)
    return out


def score(reference: Reference, work: Work) -> tuple[float, str]:
    """How well `work` fits `reference` (0–1), and the parts that make the score."""
    value = title_similarity(reference.title, work.title)
    parts = [f"title {value:.2f}"]
    author = _author_agrees(reference.authors, work.authors)
    if author is True:
        value = min(1.0, value + 0.03)
        parts.append("first author agrees")
    elif author is False:
        value -= AUTHOR_MISMATCH
        parts.append("authors differ")
    apart = _years_apart(reference.year, work.year)
    if apart is not None:
        value -= YEAR_MISMATCH * max(0, apart - 1)
        parts.append("year agrees" if apart <= 1 else f"{apart} years apart")
    confirmed = author is True and apart is not None and apart <= 1
    meaningful = [w for w in words(reference.title) if w not in FUNCTION_WORDS]
    if len(meaningful) <= SHORT_TITLE_WORDS and not confirmed:
        value = min(value, 0.8)
        parts.append("short title without author and year agreeing")
    return round(max(0.0, value), 3), ", ".join(parts)


def best_match(reference: Reference, works: list[Work], threshold: float, via: str) -> Match | None:
    """The best-fitting work when it scores at least `threshold`; None otherwise (never a guess)."""
    best: tuple[float, str, Work] | None = None
    for work in works:
        value, why = score(reference, work)
        if best is None or value > best[0]:
            best = (value, why, work)
    if best is None or best[0] < threshold:
        return None
    return Match(best[2], best[0], f"{via} ({best[1]})")


def _author_agrees(authors: list[str], work_authors: list[str]) -> bool | None:
    """True when the reference's first author is among the work's; None when either side has none."""
    theirs = surnames(work_authors)
    ours = [s for s in (last_name(re.sub(r"[´`¨˜ˇ^]", "", a)) for a in authors[:1]) if len(s) >= 2]
    if not ours or not theirs:
        return None
    return ours[0] in theirs or any(ours[0] in s or s in ours[0] for s in theirs if len(s) >= 4)


def _years_apart(year: str, work_year: int | None) -> int | None:
    if not (year[:4].isdigit() and work_year):
        return None
    return abs(int(year[:4]) - work_year)
