"""A fake Slack Web API on 127.0.0.1 that records every call.

Point `slack_sdk.WebClient(base_url=server.base_url)` at it. It speaks the Web API's wire format:
POST `/api/<method>` with a JSON or form body and `Authorization: Bearer <token>`, answers
`{"ok": true, …}` or `{"ok": false, "error": …}` (HTTP 200), and 429 with `Retry-After` when a
rate limit is injected. It checks what Slack checks for the methods it knows (the token, the
channel, `text` or `blocks`, Block Kit's documented limits for the blocks and modals the project
sends); unknown methods answer `unknown_method` so a typo fails loudly. Tests add methods with
`server.handlers[name]`. Files take Slack's three-step upload (`files.getUploadURLExternal`, a POST
of the bytes to the URL it hands out, `files.completeUploadExternal`).
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
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    """Every ephemeral message, with its `channel`, `user`, `text` and `thread_ts`."""
    views: list[dict[str, Any]] = field(default_factory=list)
    """Every modal opened (the `view` as sent, plus `trigger_id`)."""
    responses: list[dict[str, Any]] = field(default_factory=list)
    """Messages sent to a response URL (`{base}/hooks/…`), with their `path`."""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Uploaded files by id: `filename`, `content` (bytes), and once shared `channel`, `thread_ts`,
    `title`."""


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
            "chat.postEphemeral": _post_ephemeral, "chat.update": _update, "views.open": _views_open,
            "files.getUploadURLExternal": _upload_url, "files.completeUploadExternal": _complete_upload,
        }
        self.lock = threading.Lock()
        self._activity = threading.Condition()
        self._clock = 1_700_000_000
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What to pass as `WebClient(base_url=…)` or `slack.api_url`."""
        return f"http://127.0.0.1:{self.server_address[1]}/api/"

    @property
    def response_url(self) -> str:
        """A response URL (as Slack puts in commands and clicks) that lands here."""
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/commands/T0FAKE/1/x"

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `predicate()` holds, re-checked after every call the fake answers."""
        with self._activity:
            return self._activity.wait_for(predicate, timeout)

    def answered(self) -> None:
        """Wake `wait_for` callers: a call was recorded and answered."""
        with self._activity:
            self._activity.notify_all()

    def calls_to(self, method: str) -> list[SlackCall]:
        """The calls of one method, in order."""
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def next_ts(self) -> str:
        """A fresh, increasing message timestamp."""
        with self.lock:
            self._clock += 1
            return f"{self._clock}.000100"

    def thread(self, ts: str) -> list[dict[str, Any]]:
        """The messages posted in the thread under `ts`, in order."""
        with self.lock:
            return [m for m in self.state.messages if m.get("thread_ts") == ts]

    def message(self, ts: str) -> dict[str, Any]:
        """The message with this timestamp, as it is now (after any `chat.update`)."""
        with self.lock:
            return next(m for m in self.state.messages if m["ts"] == ts)

    def channel_id(self, channel: str) -> str | None:
        """The id for a channel name or id, or None when the workspace has no such channel."""
        name = channel.lstrip("#")
        if name in self.state.channels:
            return self.state.channels[name]
        return name if re.fullmatch(r"[CDG][A-Z0-9]{2,}", name) else None

    def start(self) -> FakeSlackApi:
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()

    def __enter__(self) -> FakeSlackApi:
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


def _post_ephemeral(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    params = call.params
    channel = server.channel_id(str(params.get("channel", "")))
    if channel is None:
        return {"ok": False, "error": "channel_not_found"}
    if not params.get("user"):
        return {"ok": False, "error": "user_not_found"}
    if not params.get("text") and not params.get("blocks"):
        return {"ok": False, "error": "no_text"}
    with server.lock:
        server.state.ephemerals.append({"channel": channel, "user": params["user"], "text": params.get("text", ""),
                                        "thread_ts": params.get("thread_ts")})
    return {"ok": True, "message_ts": server.next_ts()}


def _update(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    blocks = call.params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    problem = _check_blocks(blocks or [])
    if problem:
        return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
    with server.lock:
        for message in server.state.messages:
            if message["ts"] == call.params.get("ts"):
                message.update(text=call.params.get("text", ""), blocks=blocks or [])
                return {"ok": True, "channel": message["channel"], "ts": message["ts"]}
    return {"ok": False, "error": "message_not_found"}


def _views_open(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    view = call.params.get("view")
    view = json.loads(view) if isinstance(view, str) else view
    if not call.params.get("trigger_id"):
        return {"ok": False, "error": "invalid_trigger_id"}
    problem = _check_view(view or {})
    if problem:
        return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [problem]}}
    with server.lock:
        server.state.views.append({**view, "trigger_id": call.params["trigger_id"]})
        view_id = f"V{len(server.state.views):06d}"
    return {"ok": True, "view": {**view, "id": view_id}}


def _upload_url(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    if not call.params.get("filename") or not str(call.params.get("length", "")).isdigit():
        return {"ok": False, "error": "invalid_arguments"}
    with server.lock:
        file_id = f"F{len(server.state.files) + 1:06d}"
        server.state.files[file_id] = {"filename": call.params["filename"], "length": int(call.params["length"])}
    port = server.server_address[1]
    return {"ok": True, "upload_url": f"http://127.0.0.1:{port}/upload/{file_id}", "file_id": file_id}


def _complete_upload(server: FakeSlackApi, call: SlackCall) -> dict[str, Any]:
    files = call.params.get("files")
    files = json.loads(files) if isinstance(files, str) else files or []
    shared = []
    with server.lock:
        for item in files:
            record = server.state.files.get(item.get("id", ""))
            if record is None or "content" not in record:
                return {"ok": False, "error": "file_not_found"}
            record.update(channel=call.params.get("channel_id"), thread_ts=call.params.get("thread_ts"),
                          title=item.get("title", record["filename"]))
            shared.append({"id": item["id"], "title": record["title"], "name": record["filename"]})
    return {"ok": True, "files": shared}


def _check_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> str:
    """Slack's documented Block Kit limits for the block types we send."""
    if len(blocks) > limit:
        return f"too many blocks: {len(blocks)} > {limit}"
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        return "duplicate block_id"
    for i, block in enumerate(blocks):
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "header" and len(text) > 150:
            return f"blocks[{i}]: header text over 150 characters"
        if block.get("type") == "section" and len(text) > 3000:
            return f"blocks[{i}]: section text over 3000 characters"
        elements = block.get("elements") or []
        if block.get("type") == "context" and len(elements) > 10:
            return f"blocks[{i}]: more than 10 context elements"
        if block.get("type") == "actions" and len(elements) > 25:
            return f"blocks[{i}]: more than 25 actions"
        for element in [*elements, block.get("accessory") or {}, block.get("element") or {}]:
            problem = _check_element(element)
            if problem:
                return f"blocks[{i}]: {problem}"
    return ""


def _check_element(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind == "button":
        if len(element.get("text", {}).get("text", "")) > 75 or len(element.get("value", "")) > 2000:
            return "button text over 75 or value over 2000 characters"
    if kind == "checkboxes":
        options = element.get("options") or []
        if not 1 <= len(options) <= 10 or any(len(o["text"]["text"]) > 75 for o in options):
            return "checkboxes need 1-10 options of at most 75 characters"
    if kind == "plain_text_input":
        if len(element.get("initial_value", "")) > element.get("max_length", 3000):
            return "initial_value longer than max_length"
    return ""


def _check_view(view: dict[str, Any]) -> str:
    """The limits of a modal view."""
    if view.get("type") != "modal":
        return "view.type must be modal"
    for key in ("title", "submit", "close"):
        if len((view.get(key) or {}).get("text", "")) > 24:
            return f"{key} over 24 characters"
    if len(view.get("private_metadata", "")) > 3000:
        return "private_metadata over 3000 characters"
    return _check_blocks(view.get("blocks") or [], limit=100)


class _RequestHandler(BaseHTTPRequestHandler):
    server: FakeSlackApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet; calls are recorded."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        """A Web API call: JSON or form body (slack_sdk sends both, by method); or a file's bytes."""
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if self.path.startswith("/upload/"):
            self._receive_file(self.path.rsplit("/", 1)[-1], data)
            return
        if self.path.startswith("/hooks/"):
            with self.server.lock:
                self.server.state.responses.append({"path": self.path, **json.loads(data or b"{}")})
            self.server.answered()
            self._plain(200, b"ok")
            return
        raw = data.decode("utf-8")
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any] = json.loads(raw) if "json" in ctype and raw else dict(parse_qsl(raw))
        self._handle(params, ctype)

    def _receive_file(self, file_id: str, data: bytes) -> None:
        """Step two of an upload: the bytes, POSTed to the URL step one handed out."""
        with self.server.lock:
            record = self.server.state.files.get(file_id)
            if record is not None:
                record["content"] = data
        self._plain(200 if record is not None else 404, f"OK - {len(data)}".encode() if record else b"not found")

    def _plain(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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
        self.server.answered()
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
