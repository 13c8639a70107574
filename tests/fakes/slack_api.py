"""A fake Slack Web API on 127.0.0.1 that records every call.

Point `slack_sdk.WebClient(base_url=server.base_url)` at it. It speaks the Web API's wire format:
POST `/api/<method>` with a JSON or form body and `Authorization: Bearer <token>`, answers
`{"ok": true, …}` or `{"ok": false, "error": …}` (HTTP 200), and 429 with `Retry-After` when a
rate limit is injected. It checks what Slack checks for the methods it knows (the token, the
channel, `text` or `blocks`, at most 50 blocks, header and section lengths); unknown methods
answer `unknown_method` so a typo fails loudly. Tests add methods with `server.handlers[name]`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "xoxb-fake-token"
Handler = Callable[["FakeSlackApi", "SlackCall"], dict[str, Any]]


@dataclass
class SlackCall:
    """One Web API call as the fake received it."""

    method: str
    params: dict[str, Any]
    token: str
    content_type: str


@dataclass
class Injected:
    """A failure answered to the next call of `method`."""

    method: str
    error: str = "ratelimited"
    status: int = 200
    retry_after: str | None = None


@dataclass
class FakeSlackState:
    """What the fake knows: tokens, channels, posted messages."""

    token: str = TOKEN
    channels: dict[str, str] = field(default_factory=lambda: {"papers": "C0PAPERS", "general": "C0GENERAL"})
    """Channel names (without `#`) to ids; ids are accepted as given."""
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Every message posted, with its `channel`, `ts` and `thread_ts`."""


class FakeSlackApi(ThreadingHTTPServer):
    """The server; tests read `calls` and `state.messages`, and push failures on `failures`."""

    daemon_threads = True

    def __init__(self, state: FakeSlackState | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.state = state or FakeSlackState()
        self.calls: list[SlackCall] = []
        self.failures: deque[Injected] = deque()
        self.handlers: dict[str, Handler] = {
            "auth.test": _auth_test, "chat.postMessage": _post_message,
            "chat.postEphemeral": _post_message, "chat.update": _update,
        }
        self.lock = threading.Lock()
        self._clock = 1_700_000_000
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What to pass as `WebClient(base_url=…)` or `slack.api_url`."""
        return f"http://127.0.0.1:{self.server_address[1]}/api/"

    def calls_to(self, method: str) -> list[SlackCall]:
        """The calls of one method, in order."""
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def next_ts(self) -> str:
        """A fresh, increasing message timestamp."""
        with self.lock:
            self._clock += 1
            return f"{self._clock}.000100"

    def channel_id(self, channel: str) -> str | None:
        """The id for a channel name or id, or None when the workspace has no such channel."""
        name = channel.lstrip("#")
        if name in self.state.channels:
            return self.state.channels[name]
        return name if re.fullmatch(r"[CDG][A-Z0-9]{2,}", name) else None

    def start(self) -> "FakeSlackApi":
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()

    def __enter__(self) -> "FakeSlackApi":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _auth_test(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "autoresearch",
            "team_id": "T0FAKE", "user_id": "U0BOT", "bot_id": "B0BOT"}


def _post_message(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    params = call.params
    channel = server.channel_id(str(params.get("channel", "")))
    if channel is None:
        return {"ok": False, "error": "channel_not_found"}
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not params.get("text") and not blocks:
        return {"ok": False, "error": "no_text"}
    problem = _check_blocks(blocks or [])
    if problem:
        return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
    message = {"channel": channel, "ts": server.next_ts(), "text": params.get("text", ""),
               "blocks": blocks or [], "thread_ts": params.get("thread_ts")}
    with server.lock:
        server.state.messages.append(message)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}


def _update(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    with server.lock:
        for message in server.state.messages:
            if message["ts"] == call.params.get("ts"):
                message.update(text=call.params.get("text", ""), blocks=call.params.get("blocks") or [])
                return {"ok": True, "channel": message["channel"], "ts": message["ts"]}
    return {"ok": False, "error": "message_not_found"}


def _check_blocks(blocks: list[dict[str, Any]]) -> str:
    """Slack's documented Block Kit limits for the block types we send."""
    if len(blocks) > 50:
        return f"too many blocks: {len(blocks)} > 50"
    for i, block in enumerate(blocks):
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "header" and len(text) > 150:
            return f"blocks[{i}]: header text over 150 characters"
        if block.get("type") == "section" and len(text) > 3000:
            return f"blocks[{i}]: section text over 3000 characters"
    return ""


class _RequestHandler(BaseHTTPRequestHandler):
    server: FakeSlackApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet; calls are recorded."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        """A Web API call: JSON or form body (slack_sdk sends both, by method)."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any] = json.loads(raw) if "json" in ctype and raw else dict(parse_qsl(raw))
        self._handle(params, ctype)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        """A Web API call with its arguments in the query string."""
        self._handle(dict(parse_qsl(urlsplit(self.path).query)), "")

    def _handle(self, params: dict[str, Any], ctype: str) -> None:
        method = urlsplit(self.path).path.rsplit("/", 1)[-1]
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else str(params.get("token", ""))
        call = SlackCall(method=method, params=params, token=token, content_type=ctype)
        with self.server.lock:
            self.server.calls.append(call)
        status, body, headers = self._answer(call)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _answer(self, call: SlackCall) -> tuple[int, dict[str, Any], dict[str, str]]:
        injected = self._injected(call.method)
        if injected:
            headers = {"Retry-After": injected.retry_after} if injected.retry_after is not None else {}
            return injected.status, {"ok": False, "error": injected.error}, headers
        if not call.token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if call.token != self.server.state.token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = self.server.handlers.get(call.method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(self.server, call), {}

    def _injected(self, method: str) -> Injected | None:
        with self.server.lock:
            for failure in list(self.server.failures):
                if failure.method == method:
                    self.server.failures.remove(failure)
                    return failure
        return None
