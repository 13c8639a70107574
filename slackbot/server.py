"""The HTTP receiver: Bolt's own WSGI adapter served by the standard library, on `/slack/events`.

`slack_bolt.adapter.wsgi.SlackRequestHandler` is Bolt's production adapter (it verifies the
signature, answers `url_verification`, dispatches to the listeners); a threading `wsgiref`
server runs it, so a slow Web API call in one request never delays another's `ack()`. Bodies over
`MAX_BODY` are refused before they are read: Slack's requests are a few kilobytes.
"""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

log = logging.getLogger(__name__)
PATH = "/slack/events"
MAX_BODY = 1_000_000


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Request lines go to the debug log, not stderr (they hold no secrets: paths and codes)."""
        log.debug("%s %s", self.address_string(), format % args)


def limit_body(app: Any, max_bytes: int = MAX_BODY) -> Any:
    """Wrap a WSGI app: refuse oversized or unreadable bodies before reading them."""

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > max_bytes:
            status = "400 Bad Request" if length < 0 else "413 Content Too Large"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [status.encode()]
        return app(environ, start_response)

    return guarded


class HttpReceiver:
    """Serve a Bolt app on `http://host:port/slack/events` (port 0: any free port)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 3000, path: str = PATH) -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.path = path
        self.server = make_server(host, port, limit_body(SlackRequestHandler(app, path)),
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
