"""Download PDFs politely, check that they are PDFs, and keep them in a content-addressed cache.

Every download goes through `polite_call` with the same per-host `HostLimiter` as the arXiv API
client (one request at a time per host, spaced across processes), so 429/5xx answers, timeouts and
dropped connections are retried with backoff. Connect and read timeouts are separate, and one
download, retries included, has a total deadline (`pdf.download_deadline_s`): a server that drips
bytes never trips a read timeout, and a paper must not wait minutes for its PDF. The body is streamed to disk under a size cap and
must start with `%PDF` and end with `%%EOF`: an HTML page (a CAPTCHA, a "no such paper" page)
or a truncated file is a typed error, never a file handed to the parser.

Cache layout under `<home>/cache/pdf/`: `<sha256>.pdf` holds the bytes once however many URLs
point at them; `urls/<hash of url>.json` maps a URL to its hash. A second request for a URL is
answered from disk with no network; an unversioned arXiv id (the latest version) is re-checked
after `arxiv.cache_ttl_s`. A download holds a lock per URL (`locks/<hash of url>.lock`), so a
second process wanting the same PDF waits for the first and takes it from the cache. A URL that
failed for good is not asked again by this process for `arxiv.down_hold_s`, nor its host after a
whole retry cycle failed (`tools.http.Breaker`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import uuid
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tools.files import wait_lock, write_atomic
from tools.http import Breaker, FetchError, RetryPolicy, polite_call, raise_for_transient
from tools.ratelimit import HostLimiter
from tools.settings import ArxivSettings, PdfSettings

log = logging.getLogger(__name__)
HEAD_BYTES = 1024
"""The PDF header may sit anywhere in the first kilobyte."""
TAIL_BYTES = 4096
"""`%%EOF` must appear this close to the end (some writers append a few bytes after it)."""


class DownloadError(FetchError):
    """A PDF could not be had; the message says why in one line."""


class PdfNotFound(DownloadError):
    """The server has no file at that address (HTTP 404/410)."""


class NotAPdf(DownloadError):
    """The server answered with something else (an HTML page, an error text)."""


class PdfTooLarge(DownloadError):
    """The file is larger than `pdf.max_bytes`."""


class PdfTruncated(DownloadError):
    """The file ended early (no `%%EOF`, or fewer bytes than announced)."""


class DownloadTimeout(DownloadError):
    """The download took longer than `pdf.download_deadline_s` (not retried)."""


class Downloader:
    """Fetch PDFs by arXiv id or URL into the on-disk cache."""

    def __init__(self, arxiv: ArxivSettings, pdf: PdfSettings, cache_dir: Path, limiter: HostLimiter,
                 http: httpx.Client | None = None) -> None:
        self.arxiv, self.pdf = arxiv, pdf
        self.limiter = limiter
        self.cache_dir = cache_dir
        self.http = http or httpx.Client(
            timeout=httpx.Timeout(pdf.download_timeout_s, connect=pdf.connect_timeout_s),
            follow_redirects=True, headers={"user-agent": arxiv.user_agent})
        self.policy = RetryPolicy(arxiv.max_tries, arxiv.backoff_base_s, arxiv.backoff_max_s,
                                  arxiv.retry_budget_s)
        self.breaker = Breaker(arxiv.down_hold_s)
        self._failed: dict[str, tuple[float, FetchError]] = {}
        """URLs that failed for good in this process (when, why): not asked again for a while."""
        self.downloads = 0
        """PDFs fetched over the network (cache hits excluded)."""

    def arxiv_url(self, arxiv_id: str, version: str = "") -> str:
        """Where the PDF of an arXiv id lives (`{arxiv.pdf_url}/{id}{version}`)."""
        return f"{self.arxiv.pdf_url.rstrip('/')}/{arxiv_id}{version}"

    def fetch_arxiv(self, arxiv_id: str, version: str = "") -> Path:
        """The PDF of a paper (a given version, or the latest when `version` is empty)."""
        ttl = None if version else self.arxiv.cache_ttl_s
        return self._fetch(self.arxiv_url(arxiv_id, version), ttl)

    def fetch_url(self, url: str) -> Path:
        """The PDF at any http(s) URL."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise DownloadError(f"not an http(s) URL: {url}")
        return self._fetch(url, None)

    def cached(self, url: str, ttl: float | None = None) -> Path | None:
        """The cached file for a URL, if there is one (and it is younger than `ttl` seconds)."""
        entry = self._index_path(url)
        try:
            record = json.loads(entry.read_text())
        except (FileNotFoundError, ValueError):
            return None
        path = self.cache_dir / f"{record.get('sha256', '')}.pdf"
        if not path.exists() or (ttl is not None and time.time() - record.get("fetched", 0) > ttl):
            return None
        return path

    # -- internals ----------------------------------------------------------------------------

    def _fetch(self, url: str, ttl: float | None) -> Path:
        hit = self.cached(url, ttl)
        if hit is not None:
            log.info("PDF cache hit: %s", url)
            return hit
        failed = self._failed.get(url)
        if failed and time.monotonic() - failed[0] < self.arxiv.down_hold_s:
            raise failed[1]
        # Another process fetching the same URL: wait for it, then take its file from the cache.
        with wait_lock(self.cache_dir / "locks" / f"{self._index_path(url).stem}.lock"):
            hit = self.cached(url, ttl)
            if hit is not None:
                return hit
            service = "arXiv" if urlsplit(url).netloc.endswith("arxiv.org") else urlsplit(url).netloc
            deadline = time.monotonic() + self.pdf.download_deadline_s
            policy = replace(self.policy, budget_s=min(self.policy.budget_s, self.pdf.download_deadline_s))
            try:
                path = polite_call(self.limiter, url, lambda: self._stream(url, deadline), policy,
                                   service=service, breaker=self.breaker)
            except FetchError as error:
                self._failed[url] = (time.monotonic(), error)
                raise
        self.downloads += 1
        return path

    def _stream(self, url: str, deadline: float) -> Path:
        """GET one URL into the cache before `deadline`; raises for anything but a whole PDF."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        part = self.cache_dir / f".part-{uuid.uuid4().hex}"
        left = self._left(deadline, url)
        timeout = httpx.Timeout(min(self.pdf.download_timeout_s, left),
                                connect=min(self.pdf.connect_timeout_s, left))
        try:
            with self.http.stream("GET", url, timeout=timeout) as response:
                _check_status(response, url)
                digest, size = self._write(response, part, url, deadline)
            self._check_whole(part, size, response, url)
            target = self.cache_dir / f"{digest}.pdf"
            os.replace(part, target)
            self._remember(url, digest)
            return target
        finally:
            part.unlink(missing_ok=True)

    def _left(self, deadline: float, url: str) -> float:
        """Seconds left before the download's deadline; `DownloadTimeout` when none are."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise DownloadTimeout(f"{url} took longer than {self.pdf.download_deadline_s:g} s "
                                  "(pdf.download_deadline_s)")
        return left

    def _write(self, response: httpx.Response, part: Path, url: str, deadline: float) -> tuple[str, int]:
        cap = self.pdf.max_bytes
        announced = int(response.headers.get("content-length") or 0)
        if announced > cap:
            raise PdfTooLarge(f"{url} is {_size(announced)}, over the {_size(cap)} cap (pdf.max_bytes)")
        hasher = hashlib.sha256()
        head = b""
        size = 0
        with part.open("wb") as out:
            for chunk in response.iter_bytes():  # as they arrive: the deadline is checked per chunk
                self._left(deadline, url)
                size += len(chunk)
                if size > cap:
                    raise PdfTooLarge(f"{url} is over the {_size(cap)} cap (pdf.max_bytes)")
                if len(head) < HEAD_BYTES:
                    head += chunk[:HEAD_BYTES]
                    if len(head) >= HEAD_BYTES:
                        _check_magic(head, response, url)
                hasher.update(chunk)
                out.write(chunk)
        _check_magic(head, response, url)
        return hasher.hexdigest(), size

    def _check_whole(self, part: Path, size: int, response: httpx.Response, url: str) -> None:
        announced = int(response.headers.get("content-length") or 0)
        if announced and size < announced:
            raise PdfTruncated(f"{url} ended after {size} of {announced} bytes")
        with part.open("rb") as handle:
            handle.seek(max(0, size - TAIL_BYTES))
            if b"%%EOF" not in handle.read():
                raise PdfTruncated(f"{url} is truncated: the PDF has no end marker (%%EOF) "
                                   f"after {size} bytes")

    def _index_path(self, url: str) -> Path:
        return self.cache_dir / "urls" / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def _remember(self, url: str, digest: str) -> None:
        write_atomic(self._index_path(url), json.dumps({"url": url, "sha256": digest, "fetched": time.time()}))


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def _check_status(response: httpx.Response, url: str) -> None:
    raise_for_transient(response)
    if response.status_code in (404, 410):
        raise PdfNotFound(f"no PDF at {url} (HTTP {response.status_code})")
    if response.status_code >= 400:
        raise DownloadError(f"{url} answered HTTP {response.status_code}")


def _check_magic(head: bytes, response: httpx.Response, url: str) -> None:
    if b"%PDF" in head[:HEAD_BYTES]:
        return
    ctype = response.headers.get("content-type", "unknown type").split(";")[0]
    looks_html = head.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) or "html" in ctype
    what = "an HTML page" if looks_html else f"a {ctype} file"
    raise NotAPdf(f"expected a PDF from {url} but got {what} (a CAPTCHA, an error page, or a "
                  "withdrawn paper?)")
