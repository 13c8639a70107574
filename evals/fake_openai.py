"""A fake OpenAI-compatible chat server on 127.0.0.1, for tests and offline demos.

A hosted LLM cannot run here, so this stands in for one at the protocol level: the real
`langchain-openai` client talks HTTP to it through `llm.base_url`. It answers
`POST /v1/chat/completions` (also streamed as server-sent events) with scripted replies and
token usage, and can inject what real providers do: 429 with `Retry-After`, 5xx, and a 400
refusing `temperature` as reasoning models do. Every request body is recorded.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TEMPERATURE_REFUSAL = ("Unsupported parameter: 'temperature' is not supported with this model. "
                       "Only the default (1) value is supported.")


@dataclass
class Fault:
    """An error answered instead of the next completion."""

    status: int = 429
    message: str = "Rate limit reached for requests"
    retry_after: str | None = "0"
    kind: str = "rate_limit_error"


@dataclass
class FakeOpenAIState:
    """What tests script and inspect."""

    replies: deque[str] = field(default_factory=deque)
    """Replies in order; when empty, `default_reply`."""
    default_reply: str = "ok"
    faults: deque[Fault] = field(default_factory=deque)
    reject_temperature: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeOpenAIServer(ThreadingHTTPServer):
    """The server; use as a context manager (`with FakeOpenAIServer() as server:`)."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = FakeOpenAIState()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """What `llm.base_url` should be."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def script(self, *replies: str) -> None:
        """Queue replies for the next completions."""
        with self.state.lock:
            self.state.replies.extend(replies)

    def fail(self, *faults: Fault) -> None:
        """Queue faults for the next completions."""
        with self.state.lock:
            self.state.faults.extend(faults)

    def __enter__(self) -> FakeOpenAIServer:
        self._thread = threading.Thread(target=self.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet in tests."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"{}")
        state = self.server.state
        with state.lock:
            state.requests.append(body)
            fault = state.faults.popleft() if state.faults else None
            if fault is None and state.reject_temperature and "temperature" in body:
                fault = Fault(400, TEMPERATURE_REFUSAL, None, "invalid_request_error")
            if fault is None:
                reply = state.replies.popleft() if state.replies else state.default_reply
        if fault is not None:
            headers = {"retry-after": fault.retry_after} if fault.retry_after is not None else {}
            self._json(fault.status, {"error": {"message": fault.message, "type": fault.kind,
                                                "param": None, "code": None}}, headers)
            return
        prompt = sum(_tokens(str(m.get("content", ""))) for m in body.get("messages", []))
        usage = {"prompt_tokens": prompt, "completion_tokens": _tokens(reply),
                 "total_tokens": prompt + _tokens(reply)}
        if body.get("stream"):
            self._stream(body.get("model", "fake"), reply, usage)
            return
        self._json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
                         "model": body.get("model", "fake"),
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": reply}}],
                         "usage": usage})

    def _stream(self, model: str, reply: str, usage: dict[str, int]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        pieces = [reply[i:i + 4] for i in range(0, len(reply), 4)]
        for index, piece in enumerate(pieces + [""]):
            last = index == len(pieces)
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                     "model": model, "choices": [{"index": 0, "delta": {"content": piece},
                                                  "finish_reason": "stop" if last else None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        final = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                 "model": model, "choices": [], "usage": usage}
        self.wfile.write(f"data: {json.dumps(final)}\n\ndata: [DONE]\n\n".encode())

    def _json(self, status: int, document: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
