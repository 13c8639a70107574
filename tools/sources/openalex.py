"""OpenAlex, politely: works by DOI, title or volume/page, who cites a work, and citation counts.

Every request carries `mailto` (and `api_key` when set), goes through the per-host limiter shared
by every process on the data dir (`openalex.min_interval_s`, 10 a second), is retried on 429/5xx
and dropped connections like arXiv's, and is answered from the on-disk cache when fresh. A daily
budget (`openalex.daily_budget`, counted in list requests; a search costs ten, as OpenAlex prices
them) stops a runaway loop before OpenAlex does. A 403 means OpenAlex wants us to slow down or to
send a key; it is reported, not retried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from filelock import FileLock

from tools.files import write_atomic
from tools.http import Breaker, FetchError, RetryPolicy, polite_call, raise_for_transient
from tools.ratelimit import HostLimiter
from tools.settings import OpenAlexSettings
from tools.sources.base import Work, arxiv_id_of_doi
from tools.sources.works import parse_work

log = logging.getLogger(__name__)
SELECT = ("id,doi,title,display_name,publication_year,publication_date,authorships,primary_location,"
          "best_oa_location,open_access,locations,biblio,type,cited_by_count,abstract_inverted_index,ids")
"""The fields we read (OpenAlex answers faster and smaller with `select`)."""
MAX_OR = 50
"""Values OR-ed (`a|b|…`) in one filter (DOIs, cited works): OpenAlex takes up to 100."""
MAX_PAGE = 200
"""OpenAlex's largest page."""
SEARCH_COST = 10
"""A full-text search costs ten list requests (OpenAlex's pricing)."""


class OpenAlexError(FetchError):
    """OpenAlex refused a request or answered with something that is not JSON."""


class DailyBudgetSpent(FetchError):
    """This data dir has sent `openalex.daily_budget` requests today; nothing was sent."""


class DailyBudget:
    """Requests sent today by every process on the data dir, in a small file under a lock."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit

    def spend(self, cost: int) -> None:
        """Count `cost` requests, or raise `DailyBudgetSpent` when that would pass the limit."""
        if self.limit <= 0:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"budget-{datetime.now(UTC).date().isoformat()}.json"
        with FileLock(str(self.folder / "budget.lock")):
            try:
                used = int(json.loads(path.read_text()).get("used", 0))
            except (FileNotFoundError, ValueError):
                used = 0
            if used + cost > self.limit:
                raise DailyBudgetSpent(f"OpenAlex's daily budget of {self.limit} requests is spent "
                                       "(openalex.daily_budget); it renews at midnight UTC")
            write_atomic(path, json.dumps({"used": used + cost}))


class OpenAlexClient:
    """The OpenAlex works API behind the `WorkSource` protocol, cached and rate-limited."""

    name = "OpenAlex"

    def __init__(self, settings: OpenAlexSettings, cache_dir: Path, limiter: HostLimiter,
                 http: httpx.Client | None = None, user_agent: str = "autoresearch/0.1") -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.limiter = limiter
        agent = f"{user_agent} (mailto:{settings.mailto})" if settings.mailto else user_agent
        self.http = http or httpx.Client(timeout=settings.timeout_s, follow_redirects=True,
                                         headers={"user-agent": agent})
        self.policy = RetryPolicy(settings.max_tries, settings.backoff_base_s, settings.backoff_max_s,
                                  settings.retry_budget_s)
        self.daily = DailyBudget(cache_dir, settings.daily_budget)
        self.breaker = Breaker(settings.down_hold_s)
        self.requests_made = 0
        """Requests sent over the network (cache hits excluded)."""

    # -- the WorkSource protocol --------------------------------------------------------------

    def lookup(self, dois: list[str]) -> list[Work]:
        """Works by DOI, 50 DOIs a request (arXiv papers: `tools.sources.base.arxiv_doi`)."""
        wanted = list(dict.fromkeys(d.strip().lower() for d in dois if d.strip()))
        works: list[Work] = []
        for start in range(0, len(wanted), MAX_OR):
            batch = wanted[start:start + MAX_OR]
            works += self.list_works({"filter": "doi:" + "|".join(batch), "per-page": str(len(batch))})
        return works

    def search_title(self, title: str, loose: bool = False) -> list[Work]:
        """Works whose titles hold every word of `title` (`loose`: any word, most matching first).

        OpenAlex stems and drops stop words; a loose search catches a title the parser glued or
        split differently ("Crossscene" for "Cross-scene"), and the scorer decides.
        """
        terms = [w for w in re.findall(r"[^\W_]+", title) if w.upper() not in ("AND", "OR", "NOT")]
        words = (" OR " if loose else " ").join(terms)[:300]
        if not words:
            return []
        return self.list_works({"filter": f"title.search:{words}", "per-page": "10"}, cost=SEARCH_COST)

    def search_biblio(self, volume: str, first_page: str, year: str) -> list[Work]:
        """Works with this volume, first page and publication year."""
        if not (volume.isalnum() and first_page.isalnum() and year.isdigit()):
            return []
        flt = f"biblio.volume:{volume},biblio.first_page:{first_page},publication_year:{year}"
        return self.list_works({"filter": flt, "per-page": "10"})

    def cited_by(self, work_id: str, limit: int, sort: str = "cited_by_count") -> list[Work]:
        """Works citing `work_id`, most cited (or newest: `publication_date`) first."""
        if limit <= 0:
            return []
        return self.list_works({"filter": f"cites:{work_id}", "sort": f"{sort}:desc",
                                "per-page": str(min(limit, MAX_PAGE))})

    def citing_any(self, work_ids: list[str], sort: str = "cited_by_count") -> list[Work]:
        """One page (`MAX_PAGE`) of the works citing any of `work_ids` (at most `MAX_OR` of them),
        most cited (or newest) first, each with its reference list, to tell which of them it cites."""
        if not work_ids:
            return []
        if len(work_ids) > MAX_OR:
            raise ValueError(f"OpenAlex ORs at most {MAX_OR} values in one filter (got {len(work_ids)})")
        return self.list_works({"filter": "cites:" + "|".join(work_ids), "sort": f"{sort}:desc",
                                "per-page": str(MAX_PAGE)}, select=f"{SELECT},referenced_works")

    # -- one request --------------------------------------------------------------------------

    def list_works(self, params: dict[str, str], cost: int = 1, select: str = SELECT) -> list[Work]:
        """GET /works with `params`; the results as `Work`s (unreadable ones skipped)."""
        body = self.get("/works", {**params, "select": select}, cost)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise OpenAlexError("OpenAlex answered without a results list")
        works = [parse_work(r) for r in results if isinstance(r, dict)]
        return [w for w in works if w is not None]

    def get(self, path: str, params: dict[str, str], cost: int = 1) -> Any:
        """One API request as JSON, from the cache when fresh."""
        public = urlencode(sorted(params.items()))
        url = f"{self.settings.api_url.rstrip('/')}{path}?{public}"
        cached = self._cached(url)
        if cached is not None:
            return cached
        self.breaker.check(url)  # a host that just failed is not asked, nor charged to the budget
        self.daily.spend(cost)
        sent = f"{url}&{urlencode(self._identity())}" if self._identity() else url
        response = polite_call(self.limiter, url, lambda: raise_for_transient(self.http.get(sent)),
                               self.policy, service="OpenAlex", breaker=self.breaker)
        self.requests_made += 1
        body = _check(response, url)
        write_atomic(self._cache_path(url), json.dumps(body))
        return body

    def _identity(self) -> dict[str, str]:
        out = {"mailto": self.settings.mailto} if self.settings.mailto else {}
        if self.settings.api_key is not None and self.settings.api_key.get_secret_value():
            out["api_key"] = self.settings.api_key.get_secret_value()
        return out

    def _cache_path(self, url: str) -> Path:
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def _cached(self, url: str) -> Any:
        path = self._cache_path(url)
        try:
            if time.time() - path.stat().st_mtime < self.settings.cache_ttl_s:
                return json.loads(path.read_text())
        except (FileNotFoundError, ValueError):
            pass
        return None


def _check(response: httpx.Response, url: str) -> Any:
    """The JSON body, or `OpenAlexError` saying what OpenAlex objected to."""
    if response.status_code == 403:
        raise OpenAlexError("OpenAlex refused the request (403): too many requests, or it wants an "
                            "API key (set openalex.api_key; keys are free)")
    try:
        body = response.json()
    except ValueError:
        raise OpenAlexError(f"OpenAlex answered HTTP {response.status_code} with something that is "
                            f"not JSON: {url}") from None
    if response.status_code >= 400:
        message = body.get("message") or body.get("error") if isinstance(body, dict) else ""
        raise OpenAlexError(f"OpenAlex answered HTTP {response.status_code}: {message or url}")
    return body


def works_by_arxiv(works: list[Work]) -> dict[str, Work]:
    """Works keyed by the arXiv id their DOI or locations name."""
    return {w.arxiv_id or arxiv_id_of_doi(w.doi): w for w in works if w.arxiv_id or arxiv_id_of_doi(w.doi)}
