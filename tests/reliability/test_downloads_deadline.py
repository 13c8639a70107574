"""Also measured in issue 20: a PDF server that drips bytes (or hangs) held one paper for minutes.
A download has separate connect and read timeouts and a total deadline (`pdf.download_deadline_s`);
past it the paper is kept by its abstract and the run goes on."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evals.mirror import Corpus, MirrorServer

PAPER = {"arxiv_id": "2401.00005", "version": "v1", "title": "Dripping servers and patient clients",
         "authors": ["A. Author"], "published": "2024-01-05",
         "abstract": "A paper whose PDF comes one byte at a time from a server that never finishes."}
DRIP_BYTES = 400
DRIP_EVERY_S = 0.05
"""The server would take DRIP_BYTES * DRIP_EVERY_S = 20 s to send the whole (never valid) file."""


class DripServer(ThreadingHTTPServer):
    """Answers every GET with a PDF header, then one byte at a time; counts what it could send."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Drip)
        self.sent: list[int] = []
        self.stop = threading.Event()


class _Drip(BaseHTTPRequestHandler):
    server: DripServer

    def log_message(self, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(DRIP_BYTES + 9))
        self.end_headers()
        sent = 0
        try:
            self.wfile.write(b"%PDF-1.7\n")
            while sent < DRIP_BYTES and not self.server.stop.wait(DRIP_EVERY_S):
                self.wfile.write(b"x")
                self.wfile.flush()
                sent += 1
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.server.sent.append(sent)


@pytest.fixture
def drip(monkeypatch: pytest.MonkeyPatch) -> Iterator[DripServer]:
    server = DripServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with MirrorServer(Corpus.from_records([PAPER])) as mirror:
        for key, value in {"ARXIV__API_URL": mirror.api_url, "ARXIV__MIN_INTERVAL_S": "0",
                           "ARXIV__BACKOFF_BASE_S": "0.01", "ARXIV__BACKOFF_MAX_S": "0.05",
                           "ARXIV__PDF_URL": f"http://127.0.0.1:{server.server_address[1]}/pdf",
                           "PDF__DOWNLOAD_TIMEOUT_S": "5", "PDF__DOWNLOAD_DEADLINE_S": "1"}.items():
            monkeypatch.setenv(f"AUTORESEARCH_{key}", value)
        yield server
    server.stop.set()
    server.shutdown()
    server.server_close()


def test_download_deadline_gives_up_on_a_dripping_server_and_keeps_the_abstract(drip: DripServer, shared_embedder,
                                                                                cli) -> None:
    done = cli("ingest", PAPER["arxiv_id"], "--json")
    result = json.loads(done.out)["results"][0]
    assert result["status"] == "abstract_only", result
    assert "pdf.download_deadline_s" in result["error"]
    deadline = time.monotonic() + 30  # the server notices the hang-up at its next byte
    while len(drip.sent) < 1 and time.monotonic() < deadline:
        drip.stop.wait(0.05)
    assert len(drip.sent) == 1, "one try: a deadline is not retried"
    assert drip.sent[0] < DRIP_BYTES / 2, "the client hung up long before the server was done"
