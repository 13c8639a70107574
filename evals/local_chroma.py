"""A `chroma run` server on 127.0.0.1, and a token-checking reverse proxy in front of it.

Chroma 1.5's server (`chroma run`, the Rust frontend) has no authentication: the 0.x settings
`CHROMA_SERVER_AUTHN_PROVIDER`/`…_CREDENTIALS` are ignored and a config file has no auth keys, so
a request without a token is served (checked on this machine). A shared deployment puts a
reverse proxy that checks `Authorization: Bearer …` in front of it (docs/deploy.md);
`TokenProxy` is a small one we control, so tests can prove the client sends the token.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from evals.local_postgres import free_port

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}


def chroma_command() -> str:
    """The `chroma` CLI installed with chromadb (beside this Python first)."""
    found = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if found is None:
        raise RuntimeError("the `chroma` command (installed with chromadb) is not on PATH")
    return found


class ChromaServer:
    """`chroma run` over `path` (a temp dir when None) on a free port; a context manager."""

    def __init__(self, path: Path | None = None) -> None:
        self._temp = None if path else tempfile.mkdtemp(prefix="autoresearch-chroma-")
        self.path = path or Path(self._temp)  # type: ignore[arg-type]
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout_s: float = 60) -> ChromaServer:
        """Start it and wait for its heartbeat (three ports tried: one may be taken meanwhile)."""
        for _ in range(3):
            port = free_port()
            self.process = subprocess.Popen([chroma_command(), "run", "--path", str(self.path), "--host",
                                             "127.0.0.1", "--port", str(port)],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout_s
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                        return self
                except httpx.TransportError:
                    time.sleep(0.05)
            self._kill()
        raise RuntimeError(f"`chroma run` did not answer its heartbeat on 127.0.0.1 within {timeout_s:.0f} s")

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        """Stop the server (and delete its temp dir, if it made one)."""
        self._kill()
        if self._temp:
            shutil.rmtree(self._temp, ignore_errors=True)

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TokenProxy:
    """Forward to `upstream` only requests carrying `Authorization: Bearer <token>`; 401 otherwise.

    Records (method, path, authorised) for every request it sees.
    """

    def __init__(self, upstream: str, token: str) -> None:
        self.upstream = upstream.removeprefix("http://").rstrip("/")
        self.token = token
        self.seen: list[tuple[str, str, bool]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> TokenProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(proxy: TokenProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

        def _forward(self) -> None:
            authorised = self.headers.get("Authorization", "") == f"Bearer {proxy.token}"
            proxy.seen.append((self.command, self.path, authorised))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not authorised:
                self._reply(401, {"Content-Type": "application/json"}, b'{"error": "Unauthorized"}')
                return
            upstream = http.client.HTTPConnection(proxy.upstream, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            self._reply(answer.status, {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP},
                        payload)
            upstream.close()

        def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    return Handler
