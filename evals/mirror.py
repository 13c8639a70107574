"""An arXiv-compatible server on 127.0.0.1, fed from a JSONL corpus and a folder of PDFs.

Tests, evals and offline demos point `arxiv.api_url` / `arxiv.pdf_url` here. It answers
`/api/query` in arXiv's 2026 Atom serialization (search_query, id_list, start, max_results,
sortBy, sortOrder; by GET, or by POST with the parameters as a form, as arXiv does), serves `/pdf/<id>` from a folder, can replay recorded arXiv responses, and can
inject 429/503/slow answers. It records every request it receives (with arrival time) so tests can
measure the client's politeness at the server.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

from evals.mirror_query import (
    TEXT_FIELDS,
    Document,
    QuerySyntaxError,
    inverse_document_frequency,
    parse,
    tokenize,
)
from tools.paper import ARXIV_ID_RE

SEED_CORPUS = Path(__file__).parent / "datasets" / "seed_papers.jsonl"
DEFAULT_CATEGORY = "cs.CV"
"""Category given to corpus records that carry none (the seed records have no categories)."""


@dataclass
class Fault:
    """An injected answer for the next request(s) matching `path_prefix`."""

    status: int = 429
    retry_after: str | None = None
    delay_s: float = 0.0
    body: bytes = b"Rate exceeded."
    content_type: str = "text/plain"
    path_prefix: str = "/api/query"


@dataclass
class Hit:
    """One request as the server saw it."""

    at: float
    """`time.time()` on arrival."""
    path: str
    params: dict[str, str]
    status: int = 200
    method: str = "GET"


@dataclass
class Corpus:
    """Paper records indexed for search."""

    records: list[dict]
    docs: list[Document] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    index: dict[str, set[int]] = field(default_factory=dict)
    """Token → the records whose text fields hold it (to skip records that cannot match)."""
    phrase_mode: str = "sequence"
    """How a quoted phrase matches (`evals.mirror_query.PHRASE_MODES`)."""

    @classmethod
    def load(cls, path: Path, default_category: str = DEFAULT_CATEGORY) -> Corpus:
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return cls.from_records(rows, default_category)

    @classmethod
    def from_records(cls, rows: list[dict], default_category: str = DEFAULT_CATEGORY) -> Corpus:
        records = [_normalise(row, default_category) for row in rows]
        docs = [_index(r) for r in records]
        corpus = cls(records=records, docs=docs, idf=inverse_document_frequency(docs))
        for number, doc in enumerate(docs):
            corpus._post(number, doc)
        return corpus

    def _post(self, number: int, doc: Document) -> None:
        for token in {t for name in TEXT_FIELDS for t in doc.fields.get(name, [])}:
            self.index.setdefault(token, set()).add(number)

    def add(self, row: dict, default_category: str = DEFAULT_CATEGORY) -> None:
        """Add a record (a paper appearing on 'arXiv' during a test)."""
        record = _normalise(row, default_category)
        self.records.append(record)
        self.docs.append(_index(record))
        self._post(len(self.docs) - 1, self.docs[-1])
        self.idf = inverse_document_frequency(self.docs)

    def query(self, params: dict[str, str]) -> tuple[list[dict], int]:
        """Answer one API request: (the page of records, total matches)."""
        ids = [i.strip() for i in params.get("id_list", "").split(",") if i.strip()]
        search = params.get("search_query", "").strip()
        chosen = list(range(len(self.records)))
        scores = {i: 0.0 for i in chosen}
        if ids:
            chosen = self._by_ids(ids)
        if search:
            tree = parse(search, self.phrase_mode)
            possible = tree.postings(self.index)
            if possible is not None:
                chosen = [i for i in chosen if i in possible]
            evaluated = {i: tree.evaluate(self.docs[i], self.idf) for i in chosen}
            scores = {i: s for i, s in evaluated.items() if s is not None}
            chosen = [i for i in chosen if i in scores]
        if search or not ids:
            chosen = self._sort(chosen, scores, params)
        start = int(params.get("start", 0) or 0)
        size = int(params.get("max_results", 10) or 10)
        return [self.records[i] for i in chosen[start:start + size]], len(chosen)

    def _by_ids(self, ids: list[str]) -> list[int]:
        out = []
        for wanted in ids:
            match = ARXIV_ID_RE.fullmatch(wanted)
            if not match:
                raise QuerySyntaxError(f"incorrect id format for {wanted}")
            for i, record in enumerate(self.records):
                if record["arxiv_id"] == match.group("id"):
                    if match.group("version") and match.group("version") != record["version"]:
                        continue
                    out.append(i)
        return out

    def _sort(self, chosen: list[int], scores: dict[int, float], params: dict[str, str]) -> list[int]:
        by = params.get("sortBy", "relevance")
        descending = params.get("sortOrder", "descending") != "ascending"
        if by == "submittedDate":
            key = lambda i: (self.records[i]["published"], self.records[i]["arxiv_id"])  # noqa: E731
        elif by == "lastUpdatedDate":
            key = lambda i: (self.records[i]["updated"], self.records[i]["arxiv_id"])  # noqa: E731
        else:
            key = lambda i: (scores.get(i, 0.0), self.records[i]["arxiv_id"])  # noqa: E731
        return sorted(chosen, key=key, reverse=descending)


def _normalise(row: dict, default_category: str) -> dict:
    """Fill what a corpus record may lack (version, dates, categories)."""
    arxiv_id = row["arxiv_id"]
    published = row.get("published") or _date_from_id(arxiv_id)
    categories = list(row.get("categories") or [default_category])
    return {
        "arxiv_id": arxiv_id, "version": row.get("version") or "v1",
        "title": row.get("title", ""), "authors": list(row.get("authors") or []),
        "published": published[:10], "updated": (row.get("updated") or published)[:10],
        "abstract": row.get("abstract", ""), "comment": row.get("comment") or "",
        "journal_ref": row.get("journal_ref") or "", "doi": row.get("doi") or "",
        "categories": categories, "primary_category": row.get("primary_category") or categories[0],
    }


def _date_from_id(arxiv_id: str) -> str:
    """New-style ids encode the year and month of submission (2501.x → 2025-01-01)."""
    match = re.match(r"(\d{2})(\d{2})\.", arxiv_id)
    if not match:
        return "2000-01-01"
    year = int(match.group(1))
    return f"{1900 + year if year > 90 else 2000 + year}-{match.group(2)}-01"


def _index(record: dict) -> Document:
    return Document(
        fields={"ti": tokenize(record["title"]), "abs": tokenize(record["abstract"]),
                "au": tokenize(" ".join(record["authors"])), "co": tokenize(record["comment"]),
                "jr": tokenize(record["journal_ref"])},
        categories=record["categories"],
        ids={record["arxiv_id"].lower(), (record["arxiv_id"] + record["version"]).lower()},
        submitted=record["published"].replace("-", "") + "0000",
    )


def atom_feed(records: list[dict], total: int, params: dict[str, str], base_url: str) -> bytes:
    """Render records in arXiv's 2026 Atom serialization."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = "&amp;".join(f"{k}={escape(v)}" for k, v in params.items())
    entries = "".join(_entry(r, base_url) for r in records)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{base_url}/api/mirror</id>\n  <title>arXiv Query: {query}</title>\n"
        f"  <updated>{now}</updated>\n"
        f"  <opensearch:itemsPerPage>{params.get('max_results', 10)}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{params.get('start', 0)}</opensearch:startIndex>\n"
        f"{entries}</feed>\n"
    ).encode()


def _entry(r: dict, base_url: str) -> str:
    vid = r["arxiv_id"] + r["version"]
    authors = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in r["authors"])
    cats = "".join(f'    <category term="{escape(c)}" scheme="http://arxiv.org/schemas/atom"/>\n'
                   for c in r["categories"])
    optional = "".join(
        f"    <arxiv:{tag}>{escape(r[key])}</arxiv:{tag}>\n"
        for tag, key in (("comment", "comment"), ("journal_ref", "journal_ref"), ("doi", "doi")) if r[key])
    return (
        f"  <entry>\n    <id>http://arxiv.org/abs/{vid}</id>\n    <title>{escape(r['title'])}</title>\n"
        f"    <updated>{r['updated']}T00:00:00Z</updated>\n"
        f'    <link href="{base_url}/abs/{vid}" rel="alternate" type="text/html"/>\n'
        f'    <link href="{base_url}/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>\n'
        f"    <summary>{escape(r['abstract'])}</summary>\n{cats}"
        f"    <published>{r['published']}T00:00:00Z</published>\n{optional}"
        f'    <arxiv:primary_category term="{escape(r["primary_category"])}"/>\n{authors}  </entry>\n'
    )


def error_feed(message: str) -> bytes:
    """arXiv's HTTP 400 error feed: one entry titled "Error" with an `api/errors#…` id."""
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        f"  <updated>{now}</updated>\n  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n  <entry>\n"
        f"    <id>https://arxiv.org/api/errors#{slug}</id>\n    <title>Error</title>\n"
        f"    <updated>{now}</updated>\n    <summary>{escape(message)}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    ).encode()


class Replay:
    """Recorded arXiv answers (`*.json` with url, status_code, body), matched by request."""

    KEYS = ("search_query", "id_list", "start", "max_results")

    def __init__(self, folder: Path) -> None:
        self.answers: dict[tuple, tuple[int, bytes]] = {}
        for path in sorted(folder.glob("*.json")):
            recorded = json.loads(path.read_text())
            params = dict(parse_qsl(urlsplit(recorded["url"]).query, keep_blank_values=True))
            self.answers[self._key(params)] = (recorded["status_code"], recorded["body"].encode())

    def _key(self, params: dict[str, str]) -> tuple:
        return tuple(params.get(k, "") for k in self.KEYS)

    def get(self, params: dict[str, str]) -> tuple[int, bytes] | None:
        return self.answers.get(self._key(params))


class PdfFolder:
    """PDFs served at `/pdf/<id>`: a file whose name holds the id, or one named in a map."""

    def __init__(self, folder: Path | None, mapping: dict[str, str] | None = None) -> None:
        self.files: dict[str, Path] = {}
        if folder:
            for path in sorted(folder.glob("*.pdf")):
                match = ARXIV_ID_RE.search(path.stem)
                if match:
                    self.files.setdefault(match.group("id"), path)
                    if match.group("version"):
                        self.files[match.group("id") + match.group("version")] = path
        for arxiv_id, name in (mapping or {}).items():
            self.files[arxiv_id] = (folder / name) if folder else Path(name)

    def find(self, requested: str) -> Path | None:
        requested = requested.removesuffix(".pdf")
        match = ARXIV_ID_RE.fullmatch(requested)
        if not match:
            return None
        return self.files.get(requested) or self.files.get(match.group("id"))


class MirrorServer(ThreadingHTTPServer):
    """The HTTP server; state that tests inspect or change lives here."""

    daemon_threads = True

    def __init__(self, corpus: Corpus | None, pdfs: PdfFolder | None = None,
                 replay: Replay | None = None, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.corpus = corpus or Corpus.from_records([])
        self.pdfs = pdfs or PdfFolder(None)
        self.replay = replay
        self.faults: deque[Fault] = deque()
        self.always: Fault | None = None
        """A fault answered to every matching request (e.g. 429 forever)."""
        self.overrides: dict[str, tuple[int, str, bytes]] = {}
        """Fixed answers by path: (status, content type, body), e.g. HTML where a PDF should be."""
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/query"

    @property
    def pdf_url(self) -> str:
        return f"{self.base_url}/pdf"

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up (a timeout test, a refused HTML body); report the rest."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)

    def api_hits(self) -> list[Hit]:
        """Requests to the query API, in arrival order."""
        with self._lock:
            return [h for h in self.hits if h.path.startswith("/api/query")]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def next_fault(self, path: str) -> Fault | None:
        with self._lock:
            if self.always and path.startswith(self.always.path_prefix):
                return self.always
            for fault in list(self.faults):
                if path.startswith(fault.path_prefix):
                    self.faults.remove(fault)
                    return fault
        return None

    def start(self) -> MirrorServer:
        """Serve in a background thread (tests); returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="arxiv-mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet; requests are recorded in `server.hits`."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._handle({})

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        """arXiv's API takes its parameters as a form body too (for queries too long for a URL)."""
        length = int(self.headers.get("content-length") or 0)
        self._handle(dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)))

    def _handle(self, form: dict[str, str]) -> None:
        parts = urlsplit(self.path)
        params = {**dict(parse_qsl(parts.query, keep_blank_values=True)), **form}
        hit = Hit(at=time.time(), path=parts.path, params=params, method=self.command)
        self.server.record(hit)
        status, ctype, body, headers = self._answer(parts.path, params)
        hit.status = status
        self._send(status, ctype, body, headers)

    def _answer(self, path: str, params: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        fault = self.server.next_fault(path)
        if fault:
            if fault.delay_s:
                time.sleep(fault.delay_s)
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return fault.status, fault.content_type, fault.body, headers
        if path in self.server.overrides:
            status, ctype, body = self.server.overrides[path]
            return status, ctype, body, {}
        if path.startswith("/api/query"):
            return self._query(params)
        if path.startswith("/pdf/"):
            return self._pdf(path[len("/pdf/"):])
        return 404, "text/plain", b"not found", {}

    def _query(self, params: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        atom = "application/atom+xml; charset=utf-8"
        if self.server.replay:
            recorded = self.server.replay.get(params)
            if recorded:
                return recorded[0], atom, recorded[1], {}
        try:
            records, total = self.server.corpus.query(params)
        except QuerySyntaxError as error:
            return 400, atom, error_feed(str(error)), {}
        return 200, atom, atom_feed(records, total, params, self.server.base_url), {}

    def _pdf(self, requested: str) -> tuple[int, str, bytes, dict[str, str]]:
        path = self.server.pdfs.find(requested)
        if path is None or not path.exists():
            return 404, "text/html", b"<html><body>No PDF for this id.</body></html>", {}
        return 200, "application/pdf", path.read_bytes(), {}

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to deliver


def serve(corpus_path: Path | None, pdf_dir: Path | None, port: int, replay_dir: Path | None = None,
          pdf_map: dict[str, str] | None = None) -> MirrorServer:
    """Build a mirror from files (what `autoresearch mirror serve` runs)."""
    corpus = Corpus.load(corpus_path) if corpus_path else None
    replay = Replay(replay_dir) if replay_dir else None
    return MirrorServer(corpus, PdfFolder(pdf_dir, pdf_map), replay, port=port)
