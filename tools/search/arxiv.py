"""The arXiv API, politely: built on the `arxiv` package's `Client.results()` paging.

What the package does not do, this module adds: a limiter shared across processes, timeouts,
retries with backoff that honour `Retry-After`, a 24 h on-disk cache keyed by the normalised
request, clear errors for error feeds and HTML answers, and records as `Paper`s.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import arxiv
import httpx
from arxiv import _feed  # the package's own Atom parser (reads the 2016 and 2026 serializations)
from lxml import etree  # pyright: ignore[reportAttributeAccessIssue]  # a compiled module, shipped without stubs

from tools.files import write_atomic
from tools.http import FetchError, RetryPolicy, polite_call, raise_for_transient
from tools.paper import Paper, dedupe_latest, split_arxiv_id
from tools.ratelimit import HostLimiter
from tools.settings import ArxivSettings

log = logging.getLogger(__name__)
SORTS = {"relevance": arxiv.SortCriterion.Relevance, "date": arxiv.SortCriterion.SubmittedDate,
         "updated": arxiv.SortCriterion.LastUpdatedDate}
EMPTY_PAGE_TRIES = 3
ATOM = "http://www.w3.org/2005/Atom"


class ArxivError(FetchError):
    """arXiv refused the query or answered with something that is not a feed."""


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
        self.requests_made = 0
        """API requests sent over the network (cache hits excluded), for budgets and reports."""

    def search(self, query: str, max_results: int = 50, sort: str = "relevance",
               ascending: bool = False, refresh: bool = False) -> list[Paper]:
        """Run a raw arXiv `search_query`, paging up to `max_results`, latest versions only."""
        search = arxiv.Search(query=query, max_results=max_results, sort_by=SORTS[sort],
                              sort_order=arxiv.SortOrder.Ascending if ascending
                              else arxiv.SortOrder.Descending)
        return self._run(search, refresh, found_by=query)

    def fetch(self, ids: list[str], refresh: bool = False) -> list[Paper]:
        """Fetch records by id (`2501.12948`, `2501.12948v1`, `astro-ph/0601001`)."""
        if not ids:
            return []
        search = arxiv.Search(id_list=[i.strip() for i in ids], max_results=None)
        return self._run(search, refresh, found_by="id")

    def _run(self, search: arxiv.Search, refresh: bool, found_by: str) -> list[Paper]:
        page_size = max(1, min(self.settings.page_size, search.max_results or 2000, 2000))
        client = _PoliteClient(self, page_size=page_size, refresh=refresh)
        papers = [to_paper(result, found_by) for result in client.results(search)]
        return dedupe_latest(papers)

    # -- one page -----------------------------------------------------------------------------

    def get_page(self, url: str, first_page: bool, refresh: bool) -> _feed.ParsedFeed:
        """Fetch and parse one feed page, from the cache when fresh."""
        body = None if refresh else self._cached(url)
        if body is None:
            body = self._fetch_page(url, first_page)
        feed = parse_feed(body, url)
        if feed.results or first_page:
            self._store(url, body)
        return feed

    def _fetch_page(self, url: str, first_page: bool) -> bytes:
        """GET one page; an empty later page (an arXiv hiccup) is retried a few times."""
        content = b""
        for attempt in range(EMPTY_PAGE_TRIES):
            response = polite_call(self.limiter, url, lambda: raise_for_transient(self.http.get(url)),
                                   self.policy, service="arXiv")
            self.requests_made += 1
            check_answer(response, url)
            content = response.content
            feed = parse_feed(content, url)
            if feed.results or first_page:
                return content
            log.warning("arXiv sent an empty page (try %d of %d): %s", attempt + 1,
                        EMPTY_PAGE_TRIES, url)
        return content

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


class _PoliteClient(arxiv.Client):
    """`arxiv.Client` whose page fetch goes through `ArxivClient.get_page`."""

    def __init__(self, owner: ArxivClient, page_size: int, refresh: bool) -> None:
        super().__init__(page_size=page_size, delay_seconds=0.0, num_retries=0)
        self.query_url_format = owner.settings.api_url.rstrip("?") + "?{}"
        self._owner = owner
        self._refresh = refresh

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> _feed.ParsedFeed:
        return self._owner.get_page(url, first_page, self._refresh)


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
    """Parse an Atom page; error entries and unreadable bodies become `ArxivError`."""
    message = error_entry(body)
    if message:
        raise ArxivError(f"arXiv rejected the query: {message}")
    feed = _feed.parse(body)
    if feed.malformed:
        raise ArxivError(f"arXiv answered with something that is not an Atom feed: {url}")
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


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


