"""The HTTP receiver: Bolt's own WSGI adapter served by the standard library, on `/slack/events`.

`slack_bolt.adapter.wsgi.SlackRequestHandler` is Bolt's production adapter (it answers
`url_verification` and dispatches to the listeners); a threading `wsgiref` server runs it, so a
slow Web API call in one request never delays another's `ack()`. In front of it, `verify_first`
checks what anyone on the internet can send: bodies over `MAX_BODY` are refused before they are
read (Slack's requests are a few kilobytes), then the signature and timestamp are checked on the
raw body, and only then is the body parsed. Bolt parses before it verifies, so garbage used to
become an HTTP 500 and a traceback. Refusals are logged one line each, at most one line per
`LOG_EVERY_S` for each kind, so a flood cannot fill the log.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger(__name__)
PATH = "/slack/events"
MAX_BODY = 1_000_000
LOG_EVERY_S = 60.0
"""Least time between two log lines about refused requests of one kind."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Request lines go to the debug log, not stderr (they hold no secrets: paths and codes)."""
        log.debug("%s %s", self.address_string(), format % args)


class RefusalLog:
    """One log line per kind of refused request per `every_s`, saying how many were not logged."""

    def __init__(self, every_s: float = LOG_EVERY_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s = every_s
        self.clock = clock
        self._last: dict[str, float] = {}
        self._quiet: dict[str, int] = {}
        self._lock = threading.Lock()

    def refused(self, kind: str, status: int, peer: str) -> None:
        """Record a refusal; log it unless one of this kind was logged lately."""
        with self._lock:
            now = self.clock()
            if now - self._last.get(kind, -self.every_s) < self.every_s:
                self._quiet[kind] = self._quiet.get(kind, 0) + 1
                return
            self._last[kind] = now
            quiet = self._quiet.pop(kind, 0)
        more = f" ({quiet} more since the last report)" if quiet else ""
        log.warning("refused a Slack request from %s: %s (HTTP %d)%s", peer, kind, status, more)


def verify_first(app: Any, signing_secret: str, max_bytes: int = MAX_BODY,
                 refusals: RefusalLog | None = None) -> Any:
    """Wrap Bolt's WSGI app: size, then signature and timestamp on the raw body, then shape."""
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(signing_secret)
    refusals = refusals or RefusalLog()

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        def refuse(status: int, kind: str) -> list[bytes]:
            refusals.refused(kind, status, environ.get("REMOTE_ADDR", "?"))
            line = {400: "400 Bad Request", 401: "401 Unauthorized", 413: "413 Content Too Large"}[status]
            start_response(line, [("Content-Type", "text/plain; charset=utf-8")])
            return [line.encode()]

        if environ.get("REQUEST_METHOD") != "POST":
            return app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > max_bytes:
            return refuse(400 if length < 0 else 413, "bad length" if length < 0 else "body too large")
        raw = environ["wsgi.input"].read(length)
        problem = _unsigned(verifier, raw, environ)
        if problem:
            return refuse(401, problem)
        if not _well_formed(raw, environ.get("CONTENT_TYPE")):
            return refuse(400, "signed, but the body is not a Slack payload")
        environ["wsgi.input"] = io.BytesIO(raw)
        return app(environ, start_response)

    return guarded


def _unsigned(verifier: Any, raw: bytes, environ: dict[str, Any]) -> str:
    """Why the request is not signed by Slack ("" when it is)."""
    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not stamp or not signature:
        return "no Slack signature"
    if not stamp.strip().isdigit():
        return "timestamp is not a number"
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if not verifier.is_valid(body, stamp.strip(), signature):
        return "bad or stale signature"
    return ""


def _well_formed(raw: bytes, content_type: str | None) -> bool:
    """Whether Bolt can read the body: JSON that is an object, or a form (with a JSON `payload`)."""
    from slack_bolt.request.internals import parse_body  # the parser Bolt will run next

    try:
        parsed = parse_body(raw.decode("utf-8"), (content_type or "").split(";")[0].strip() or None)
    except ValueError:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        return False
    return isinstance(parsed, dict)


class HttpReceiver:
    """Serve a Bolt app on `http://host:port/slack/events` (port 0: any free port)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 3000, path: str = PATH, *,
                 signing_secret: str) -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.path = path
        self.server = make_server(host, port, verify_first(SlackRequestHandler(app, path), signing_secret),
                                  server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where Slack must send requests (the app's Request URL, behind your HTTPS proxy)."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def start(self) -> HttpReceiver:
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="slack-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HttpReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
