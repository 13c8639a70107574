"""The daily digest: the newest papers for each watched keyword, with what is new marked.

One arXiv request per keyword (sorted by submission date, newest first) through the polite client,
so the shared rate limiter and the query cache apply. A keyword whose search fails is reported in
the digest and the others still come out: one bad keyword never sinks the morning's digest.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, Field

from agent.digest.seen import SeenState
from agent.digest.watch import Watch
from agent.llm.translation import TranslationError, Translator
from tools.errors import AutoresearchError
from tools.http import FetchError
from tools.paper import Paper
from tools.search.arxiv import ArxivClient
from tools.search.query import with_filters

log = logging.getLogger(__name__)
MAX_FAILURES_IN_A_ROW = 3
"""A translator that fails this often in a row is down: stop calling it for this digest."""
_SPAN_RE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)


class DigestPaper(BaseModel):
    """One row of a keyword's table."""

    arxiv_id: str
    version: str = ""
    title: str
    authors: list[str] = Field(default_factory=list)
    published: str = ""
    abstract: str = ""
    comment: str = ""
    url: str = ""
    """The abstract page on arxiv.org (versioned)."""
    new: bool = False
    """Not shown for this keyword by any earlier digest."""
    title_translated: str = ""
    abstract_translated: str = ""
    translation_error: str = ""


class KeywordDigest(BaseModel):
    """One keyword's table."""

    keyword: str
    query: str = ""
    papers: list[DigestPaper] = Field(default_factory=list)
    error: str = ""
    """Why this keyword's search failed (its table is then empty)."""

    @property
    def new_count(self) -> int:
        """Papers marked new."""
        return sum(p.new for p in self.papers)


class Digest(BaseModel):
    """Every keyword's table, as of `generated`."""

    generated: str
    """ISO timestamp (UTC)."""
    since: str = ""
    """Only papers submitted on or after this date (empty = the newest, whatever their date)."""
    language: str = ""
    """The second language of a bilingual digest (empty = English only)."""
    keywords: list[KeywordDigest] = Field(default_factory=list)

    @property
    def new_count(self) -> int:
        """New papers over all keywords."""
        return sum(k.new_count for k in self.keywords)

    def problems(self) -> list[str]:
        """Failed searches and failed translations, one line each."""
        out = [f"{k.keyword}: {k.error}" for k in self.keywords if k.error]
        out += [f"{k.keyword}: {p.arxiv_id}: {p.translation_error}"
                for k in self.keywords for p in k.papers if p.translation_error]
        return out


class DigestOptions(BaseModel):
    """What one digest run asks for."""

    since: date | None = None
    max_per_keyword: int = 100
    new_only: bool = False
    """Keep only the papers no earlier digest showed."""
    refresh: bool = False
    """Ask arXiv even when a cached answer is fresh."""


class SinceError(AutoresearchError, ValueError):
    """`--since` is neither a span nor a date."""


def parse_since(text: str | None, now: datetime | None = None) -> date | None:
    """Read `--since`: `1d`, `12h`, `2w`, a date `YYYY-MM-DD`, or `all`/empty for no limit."""
    if text is None or text.strip().lower() in ("", "all"):
        return None
    now = now or datetime.now(UTC)
    span = _SPAN_RE.match(text)
    if span:
        amount, unit = int(span.group(1)), span.group(2).lower()
        hours = amount * {"h": 1, "d": 24, "w": 24 * 7}[unit]
        return (now - timedelta(hours=hours)).date()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SinceError(f"--since: not a span or a date: {text!r} (use 1d, 12h, 2w or YYYY-MM-DD)") from None


def build_digest(client: ArxivClient, watches: list[Watch], options: DigestOptions,
                 seen: SeenState, now: datetime | None = None) -> Digest:
    """Search each watch once and build its table, newest first, new papers marked."""
    now = now or datetime.now(UTC)
    tables = [_keyword_table(client, watch, options, seen) for watch in watches]
    return Digest(generated=now.isoformat(timespec="seconds"),
                  since=options.since.isoformat() if options.since else "", keywords=tables)


def _keyword_table(client: ArxivClient, watch: Watch, options: DigestOptions,
                   seen: SeenState) -> KeywordDigest:
    """One keyword: one request, filtered by date, capped, marked against the seen state."""
    query = with_filters(watch.search_query(), since=options.since)
    try:
        found = client.search(query, max_results=options.max_per_keyword, sort="date",
                              refresh=options.refresh)
    except FetchError as error:
        log.warning("digest: %s failed: %s", watch.name, error)
        return KeywordDigest(keyword=watch.name, query=query, error=str(error))
    if options.since:
        found = [p for p in found if p.published >= options.since.isoformat()]
    found.sort(key=lambda p: (p.published, p.arxiv_id), reverse=True)
    known = seen.seen(watch.key)
    rows = [_row(p, new=p.arxiv_id not in known) for p in found[: options.max_per_keyword]]
    if options.new_only:
        rows = [r for r in rows if r.new]
    return KeywordDigest(keyword=watch.name, query=query, papers=rows)


def _row(paper: Paper, new: bool) -> DigestPaper:
    return DigestPaper(arxiv_id=paper.arxiv_id, version=paper.version, title=paper.title,
                       authors=paper.authors, published=paper.published, abstract=paper.abstract,
                       comment=paper.comment, url=paper.abs_url, new=new)


def translate_digest(digest: Digest, translator: Translator) -> Digest:
    """Add each paper's title and abstract in the translator's language, side by side.

    A paper whose translation fails keeps its English text and says so (`translation_error`);
    the digest reports it as a problem, so the output is never silently English only.
    """
    digest.language = translator.language
    failures = 0
    for paper in (p for table in digest.keywords for p in table.papers):
        if failures >= MAX_FAILURES_IN_A_ROW:
            paper.translation_error = f"skipped: the translator failed {failures} times in a row"
            continue
        try:
            paper.title_translated = translator.translate(paper.title)
            paper.abstract_translated = translator.translate(paper.abstract)
            failures = 0
        except TranslationError as error:
            paper.title_translated = paper.abstract_translated = ""
            paper.translation_error = str(error)
            failures += 1
            log.warning("digest: translating %s failed: %s", paper.arxiv_id, error)
    return digest
