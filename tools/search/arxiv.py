"""The arXiv API, politely: built on the `arxiv` package's `Client.results()` paging.

What the package does not do, this module adds: a limiter shared across processes, timeouts,
retries with backoff that honour `Retry-After` (a body that is not a feed is retried too), a 24 h
on-disk cache keyed by the normalised request that holds only answers that parsed, clear errors
for error feeds and HTML answers, and records as `Paper`s. Every record an answer carries is also
kept by id (`tools.search.records`), so looking up ids that a search or an earlier look-up already
brought sends nothing, and the ids that are missing go 100 to a request. A query too long for a
URL is sent as a form (arXiv takes POST like GET), so many title phrases fit in one request. After
a whole retry cycle fails, the host is left alone for `arxiv.down_hold_s` (`tools.http.Breaker`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from lxml import etree  # pyright: ignore[reportAttributeAccessIssue]  # a compiled module, shipped without stubs

from tools.files import write_atomic
from tools.http import Breaker, FetchError, RetryPolicy, TransientAnswer, polite_call, raise_for_transient
from tools.paper import Paper, dedupe_latest, split_arxiv_id
from tools.ratelimit import HostLimiter
from tools.search.records import RecordCache
from tools.settings import ArxivSettings

if TYPE_CHECKING:  # the `arxiv` package (with `requests` under it) loads on first use
    import arxiv
    from arxiv import _feed

log = logging.getLogger(__name__)
SORTS = {"relevance": "Relevance", "date": "SubmittedDate", "updated": "LastUpdatedDate"}
"""Our sort names → `arxiv.SortCriterion` members."""
EMPTY_PAGE_TRIES = 3
ATOM = "http://www.w3.org/2005/Atom"
IDS_PER_REQUEST = 100
"""Ids per `id_list` request: one page, and a URL every server takes."""
MAX_PAGE = 2000
"""The most results arXiv returns in one page."""
MAX_GET_URL = 2000
"""Longer request URLs are sent as a POST form instead (proxies cut long URLs: HTTP 414)."""


class ArxivError(FetchError):
    """arXiv refused the query or answered with something that is not a feed."""


class MalformedFeed(ArxivError, TransientAnswer):
    """An answer that does not parse as an Atom feed: retried like a 503, never cached."""

    def __init__(self, url: str) -> None:
        TransientAnswer.__init__(self, "answers that are not an Atom feed",
                                 f"arXiv answered with something that is not an Atom feed: {url}")


class ArxivClient:
    """Search arXiv and fetch records by id, politely and with a cache."""

    def __init__(self, settings: ArxivSettings, cache_dir: Path, limiter: HostLimiter,
                 http: httpx.Client | None = None) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.limiter = limiter
        self.http = http or httpx.Client(
            timeout=settings.timeout_s, follow_redirects=True,
            headers={"user-agent": settings.user_agent})
        self.policy = RetryPolicy(settings.max_tries, settings.backoff_base_s,
                                  settings.backoff_max_s, settings.retry_budget_s)
        self.breaker = Breaker(settings.down_hold_s)
        self.records = RecordCache(cache_dir / "records", settings.cache_ttl_s)
        self.requests_made = 0
        """API requests sent over the network (cache hits excluded), for budgets and reports."""

    def search(self, query: str, max_results: int = 50, sort: str = "relevance",
               ascending: bool = False, refresh: bool = False, page_size: int | None = None) -> list[Paper]:
        """Run a raw arXiv `search_query`, paging up to `max_results`, latest versions only.

        `page_size` (up to 2,000) overrides `arxiv.page_size`, to take a large answer in one request.
        """
        import arxiv

        search = arxiv.Search(query=query, max_results=max_results, sort_by=arxiv.SortCriterion[SORTS[sort]],
                              sort_order=arxiv.SortOrder.Ascending if ascending
                              else arxiv.SortOrder.Descending)
        papers = self._run(search, refresh, found_by=query, page_size=page_size)
        self.records.put(papers, latest=True)
        return papers

    def fetch(self, ids: list[str], refresh: bool = False) -> list[Paper]:
        """Fetch records by id (`2501.12948`, `2501.12948v1`, `astro-ph/0601001`).

        Ids whose record is at hand (from any earlier answer, within `arxiv.cache_ttl_s`) cost
        nothing; the others are asked for `IDS_PER_REQUEST` at a time.
        """
        import arxiv

        wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
        known = {} if refresh else self.records.get_many(wanted)
        missing = [i for i in wanted if i not in known]
        for start in range(0, len(missing), IDS_PER_REQUEST):
            batch = missing[start:start + IDS_PER_REQUEST]
            search = arxiv.Search(id_list=batch, max_results=None)
            papers = self._run(search, refresh, found_by="id",  # one page, whatever arxiv.page_size says
                               page_size=max(self.settings.page_size, len(batch)))
            self.records.put(papers, latest=False)
            self.records.put([p for p in papers if p.arxiv_id in batch], latest=True)  # asked unversioned
            known.update(_match_ids(batch, papers))
        return dedupe_latest([known[i] for i in wanted if i in known])

    def _run(self, search: arxiv.Search, refresh: bool, found_by: str,
             page_size: int | None = None) -> list[Paper]:
        page_size = max(1, min(page_size or self.settings.page_size, search.max_results or MAX_PAGE, MAX_PAGE))
        client = _polite_client()(self, page_size=page_size, refresh=refresh)
        papers = [to_paper(result, found_by) for result in client.results(search)]
        return dedupe_latest(papers)

    # -- one page -----------------------------------------------------------------------------

    def get_page(self, url: str, first_page: bool, refresh: bool) -> _feed.ParsedFeed:
        """Fetch and parse one feed page, from the cache when fresh.

        Only an answer that parsed is cached; a cached body that no longer parses (written by
        an older version) counts as a miss.
        """
        body = None if refresh else self._cached(url)
        if body is not None:
            try:
                return parse_feed(body, url)
            except MalformedFeed:
                log.warning("dropping an unreadable cached arXiv answer: %s", url)
        body, feed = self._fetch_page(url, first_page)
        if feed.results or first_page:
            self._store(url, body)
        return feed

    def _fetch_page(self, url: str, first_page: bool) -> tuple[bytes, _feed.ParsedFeed]:
        """GET one page; an empty later page (an arXiv hiccup) is retried a few times.

        A body that is not a well-formed feed is retried like a 503 (`MalformedFeed` is a
        `TransientAnswer`), so a briefly broken server never becomes an empty result.
        """
        for attempt in range(1, EMPTY_PAGE_TRIES + 1):
            body, feed = polite_call(self.limiter, url, lambda: self._get_feed(url), self.policy,
                                     service="arXiv", breaker=self.breaker)
            self.requests_made += 1
            if feed.results or first_page or attempt == EMPTY_PAGE_TRIES:
                return body, feed
            log.warning("arXiv sent an empty page (try %d of %d): %s", attempt, EMPTY_PAGE_TRIES, url)
        raise AssertionError("unreachable: the last try returns")

    def _get_feed(self, url: str) -> tuple[bytes, _feed.ParsedFeed]:
        """One GET, checked and parsed (inside the retry loop)."""
        response = raise_for_transient(self._send(url))
        check_answer(response, url)
        return response.content, parse_feed(response.content, url)

    def _send(self, url: str) -> httpx.Response:
        """GET the URL, or POST its query as a form when the URL is too long for a GET."""
        if len(url) <= MAX_GET_URL:
            return self.http.get(url)
        endpoint, _, query = url.partition("?")
        return self.http.post(endpoint, content=query.encode(),
                              headers={"content-type": "application/x-www-form-urlencoded"})

    def _cache_path(self, url: str) -> Path:
        return self.cache_dir / f"{cache_key(url)}.xml"

    def _cached(self, url: str) -> bytes | None:
        path = self._cache_path(url)
        try:
            if time.time() - path.stat().st_mtime < self.settings.cache_ttl_s:
                return path.read_bytes()
        except FileNotFoundError:
            pass
        return None

    def _store(self, url: str, body: bytes) -> None:
        write_atomic(self._cache_path(url), body)


@cache
def _polite_client() -> type:
    """`arxiv.Client` whose page fetch goes through `ArxivClient.get_page` (built on first use)."""
    import arxiv

    class PoliteClient(arxiv.Client):
        def __init__(self, owner: ArxivClient, page_size: int, refresh: bool) -> None:
            super().__init__(page_size=page_size, delay_seconds=0.0, num_retries=0)
            self.query_url_format = owner.settings.api_url.rstrip("?") + "?{}"
            self._owner = owner
            self._refresh = refresh

        def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> _feed.ParsedFeed:
            return self._owner.get_page(url, first_page, self._refresh)

    return PoliteClient


def cache_key(url: str) -> str:
    """Hash a request URL after normalising its query (order, case and spacing of terms)."""
    parts = urlsplit(url)
    params = sorted((k, re.sub(r"\s+", " ", v.strip()).lower() if k == "search_query" else v)
                    for k, v in parse_qsl(parts.query, keep_blank_values=True))
    canonical = f"{parts.netloc}{parts.path}?{urlencode(params)}"
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def check_answer(response: httpx.Response, url: str) -> None:
    """Raise `ArxivError` for error feeds, HTML pages and other non-feed answers."""
    head = response.content[:512].lstrip().lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        raise ArxivError(f"arXiv answered with an HTML page, not a feed (a CAPTCHA or block page?): {url}")
    message = error_entry(response.content)
    if message:
        raise ArxivError(f"arXiv rejected the query: {message}")
    if response.status_code >= 400:
        raise ArxivError(f"arXiv answered HTTP {response.status_code}: {url}")


def parse_feed(body: bytes, url: str) -> _feed.ParsedFeed:
    """Parse an Atom page; error entries become `ArxivError`, unreadable bodies `MalformedFeed`.

    The `arxiv` parser recovers from broken XML (a truncated `<feed><entry>…` reads as an empty
    feed), so well-formedness is checked strictly first.
    """
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise MalformedFeed(url) from None
    if root is None or root.tag != f"{{{ATOM}}}feed":
        raise MalformedFeed(url)
    message = error_entry(body)
    if message:
        raise ArxivError(f"arXiv rejected the query: {message}")
    from arxiv import _feed  # the package's own Atom parser (reads the 2016 and 2026 serializations)

    feed = _feed.parse(body)
    if feed.malformed:
        raise MalformedFeed(url)
    return feed


def error_entry(body: bytes) -> str | None:
    """The text of an arXiv error entry (id `…/api/errors#…`, title "Error"), if the feed has one.

    Read directly: such entries have no `<published>`, so the `arxiv` parser drops them.
    """
    if b"/api/errors" not in body:
        return None
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    for entry in root.iterfind(f"{{{ATOM}}}entry"):
        entry_id = entry.findtext(f"{{{ATOM}}}id") or ""
        if "/api/errors" in entry_id:
            return (entry.findtext(f"{{{ATOM}}}summary") or entry_id).strip()
    return None


def to_paper(result: arxiv.Result, found_by: str = "") -> Paper:
    """Convert an `arxiv.Result` into a `Paper` (DOI from the legacy `<link title="doi">` too)."""
    arxiv_id, version = split_arxiv_id(result.entry_id)
    doi = result.doi or next((link.href.split("doi.org/")[-1] for link in result.links
                              if link.title == "doi"), "")
    return Paper(
        arxiv_id=arxiv_id, version=version, title=_squash(result.title),
        authors=[author.name for author in result.authors],
        published=result.published.date().isoformat() if result.published else "",
        updated=result.updated.date().isoformat() if result.updated else "",
        categories=list(result.categories), primary_category=result.primary_category,
        abstract=_squash(result.summary), pdf_url=result.pdf_url or "",
        comment=_squash(result.comment or ""), journal_ref=_squash(result.journal_ref or ""),
        doi=doi or "", found_by=[found_by] if found_by else [],
    )


def _match_ids(requested: list[str], papers: list[Paper]) -> dict[str, Paper]:
    """Which answer belongs to which requested id (a bare id gets the latest version)."""
    by_id: dict[str, list[Paper]] = {}
    for paper in papers:
        by_id.setdefault(paper.arxiv_id, []).append(paper)
    out = {}
    for wanted in requested:
        try:
            bare, version = split_arxiv_id(wanted)
        except ValueError:
            continue
        versions = by_id.get(bare, [])
        chosen = [p for p in versions if p.version == version] if version else versions
        if chosen:
            out[wanted] = max(chosen, key=lambda p: p.version_number())
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


