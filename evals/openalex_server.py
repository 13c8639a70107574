"""An OpenAlex-compatible server on 127.0.0.1, fed from a list of work objects.

Tests and evals point `openalex.api_url` here. It answers `GET /works/{id}` (an OpenAlex id, `doi:…`
or a doi.org URL) and `GET /works` with the parameters the client sends: `filter` (doi,
openalex/ids.openalex, cites, title.search, biblio.volume, biblio.first_page, publication_year;
`|` for OR, `,` for AND), `search`, `sort` (cited_by_count, publication_date, relevance_score),
`per-page`, `page` and `select`, in OpenAlex's JSON layout (`meta`, `results`, `group_by`) as
recorded in `evals/datasets/openalex/` (see its README). Text search works like OpenAlex's: every
word must match, stop words dropped, words stemmed. It records every request (with its
parameters, so tests can check `mailto`) and can inject 429/503/403 answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from evals.mirror import Fault, Hit
from tools.errors import AutoresearchError
from tools.text.words import FUNCTION_WORDS, stem

SORTABLE = ("cited_by_count", "publication_date", "relevance_score", "publication_year")


class BadQuery(AutoresearchError, ValueError):
    """A request OpenAlex would answer with 400."""


def text_terms(text: str) -> list[str]:
    """Words as OpenAlex's search sees them: lower case, stop words dropped, stemmed."""
    return [stem(w) for w in re.findall(r"[^\W_]+", text.lower()) if w not in FUNCTION_WORDS]


@dataclass
class WorkCorpus:
    """Works indexed by id, DOI, citation and title words."""

    works: list[dict]

    def __post_init__(self) -> None:
        self.by_id = {_short(w["id"]): w for w in self.works}
        self.by_doi = {_doi(w.get("doi") or ""): w for w in self.works if w.get("doi")}
        self.citing: dict[str, list[dict]] = {}
        for work in self.works:
            for cited in work.get("referenced_works") or []:
                self.citing.setdefault(_short(cited), []).append(work)
        self.title_terms = {id(w): set(text_terms(w.get("title") or "")) for w in self.works}
        self.text_terms = {id(w): self.title_terms[id(w)] | set(text_terms(_abstract(w))) for w in self.works}

    def get(self, ident: str) -> dict | None:
        """One work by OpenAlex id, `doi:…` or DOI URL."""
        ident = unquote(ident)
        if ident.lower().startswith(("doi:", "https://doi.org/", "http://doi.org/")):
            return self.by_doi.get(_doi(ident))
        return self.by_id.get(_short(ident))

    def query(self, params: dict[str, str]) -> tuple[list[dict], int]:
        """One list request: (the page of works, total matches)."""
        chosen = list(self.works)
        for key, value in _filters(params.get("filter", "")):
            chosen = self._filter(chosen, key, value)
        search = params.get("search", "").strip()
        if search:
            terms = set(text_terms(search))
            chosen = [w for w in chosen if terms and terms <= self.text_terms[id(w)]]
        chosen = _sorted(chosen, params.get("sort", ""))
        size = max(1, min(200, int(params.get("per-page") or params.get("per_page") or 25)))
        page = max(1, int(params.get("page") or 1))
        return chosen[(page - 1) * size:page * size], len(chosen)

    def _filter(self, works: list[dict], key: str, value: str) -> list[dict]:
        options = [v.strip() for v in value.split("|") if v.strip()]
        if key == "doi":
            wanted = {_doi(v) for v in options}
            return [w for w in works if _doi(w.get("doi") or "") in wanted]
        if key in ("openalex", "ids.openalex", "openalex_id"):
            wanted = {_short(v) for v in options}
            return [w for w in works if _short(w["id"]) in wanted]
        if key == "cites":
            citing = {id(c) for v in options for c in self.citing.get(_short(v), [])}
            return [w for w in works if id(w) in citing]
        if key in ("title.search", "display_name.search"):
            return self._title_search(works, value)
        if key in ("biblio.volume", "biblio.first_page"):
            field = key.split(".")[1]
            return [w for w in works if str((w.get("biblio") or {}).get(field) or "") in options]
        if key == "publication_year":
            return [w for w in works if str(w.get("publication_year")) in options]
        raise BadQuery(f"{key} is not a valid field")


    def _title_search(self, works: list[dict], value: str) -> list[dict]:
        """Every word must match; with ` OR ` between words, any may, most matching first."""
        if " OR " in value:
            terms = set(text_terms(value.replace(" OR ", " ")))
            hits = [(len(terms & self.title_terms[id(w)]), w) for w in works]
            return [w for n, w in sorted(hits, key=lambda h: -h[0]) if n]
        terms = set(text_terms(value))
        return [w for w in works if terms and terms <= self.title_terms[id(w)]]


def _filters(text: str) -> list[tuple[str, str]]:
    out = []
    for part in [p for p in text.split(",") if p.strip()]:
        key, sep, value = part.partition(":")
        if not sep:
            raise BadQuery(f"Invalid query parameter: filter {part!r} has no value")
        out.append((key.strip(), value))
    return out


def _sorted(works: list[dict], sort: str) -> list[dict]:
    if not sort:
        return works
    field, _, order = sort.partition(":")
    if field not in SORTABLE:
        raise BadQuery(f"{field} is not a valid sort field")
    key = "publication_date" if field == "relevance_score" else field
    return sorted(works, key=lambda w: (w.get(key) or 0, w["id"]), reverse=order != "asc")


def _short(ident: str) -> str:
    return ident.rstrip("/").rsplit("/", 1)[-1].upper()


def _doi(text: str) -> str:
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", text.strip(), flags=re.I).lower()


def _abstract(work: dict) -> str:
    return " ".join((work.get("abstract_inverted_index") or {}).keys())


def select(work: dict, fields: str) -> dict:
    """Only the top-level fields named in `select` (OpenAlex's behaviour)."""
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    return {k: work[k] for k in wanted if k in work} if wanted else work


class OpenAlexServer(ThreadingHTTPServer):
    """The HTTP server; state that tests inspect or change lives here."""

    daemon_threads = True

    def __init__(self, works: list[dict], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.corpus = WorkCorpus(works)
        self.faults: deque[Fault] = deque()
        self.hits: list[Hit] = []
        self._lock = threading.Lock()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.popleft() if self.faults else None

    def start(self) -> OpenAlexServer:
        """Serve in a background thread; returns self."""
        threading.Thread(target=self.serve_forever, name="openalex", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> OpenAlexServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: OpenAlexServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet; requests are recorded in `server.hits`."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        hit = Hit(at=time.time(), path=parts.path, params=params)
        self.server.record(hit)
        status, body, headers = self._answer(parts.path, params)
        hit.status = status
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, path: str, params: dict[str, str]) -> tuple[int, object, dict[str, str]]:
        fault = self.server.next_fault()
        if fault:
            return fault.status, fault.body, ({"Retry-After": fault.retry_after} if fault.retry_after else {})
        corpus = self.server.corpus
        try:
            if path.startswith("/works/"):
                work = corpus.get(path[len("/works/"):])
                if work is None:
                    return 404, {"error": "Not found", "message": f"{path} does not exist"}, {}
                return 200, select(work, params.get("select", "")), {}
            if path.rstrip("/") == "/works":
                works, total = corpus.query(params)
                meta = {"count": total, "db_response_time_ms": 1, "page": int(params.get("page") or 1),
                        "per_page": int(params.get("per-page") or 25), "groups_count": None}
                return 200, {"meta": meta, "results": [select(w, params.get("select", "")) for w in works],
                             "group_by": []}, {}
        except (BadQuery, ValueError) as error:
            return 400, {"error": "Invalid query parameters error.", "message": str(error)}, {}
        return 404, {"error": "Not found", "message": f"{path} is not an endpoint"}, {}
