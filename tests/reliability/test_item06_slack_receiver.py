"""Item 6: the Slack HTTP receiver verifies the signature and timestamp on the raw body before it
parses anything; unsigned or malformed requests get 401/400 and one log line, never a traceback,
and a flood of them cannot fill the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx
import pytest

from evals.slack_requests import SECRET, command_body, sign

JSON, FORM = "application/json", "application/x-www-form-urlencoded"


def server_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the bot's side logged (the test's own HTTP client logs each request too)."""
    return [r for r in caplog.records if r.levelno >= logging.INFO and not r.name.startswith(("httpx", "httpcore"))]


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real Bolt app behind the real HTTP receiver on 127.0.0.1; yields its URL."""
    from agent.settings import load_settings
    from slackbot.app import build_app
    from slackbot.bot import Bot
    from slackbot.server import HttpReceiver

    monkeypatch.setenv("AUTORESEARCH_SLACK__BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("AUTORESEARCH_SLACK__SIGNING_SECRET", SECRET)
    settings = load_settings()
    bot = Bot(settings)
    app = build_app(settings, bot=bot, token_verification_enabled=False)
    with HttpReceiver(app, port=0, signing_secret=SECRET) as running:
        yield running.url
    bot.close()


def post(url: str, body: bytes | str, content_type: str, signed: bool = True, stamp: str = "") -> httpx.Response:
    stamp = stamp or str(int(time.time()))
    raw = body.encode() if isinstance(body, str) else body
    headers = {"content-type": content_type}
    if signed:
        headers |= {"x-slack-request-timestamp": stamp,
                    "x-slack-signature": sign(SECRET, stamp, raw.decode("utf-8", "replace"))}
    return httpx.post(url, content=raw, headers=headers, timeout=10)


CASES = [  # (what, body, content type, signed, timestamp, expected status)
    ("unsigned broken json", "{not json", JSON, False, "", 401),
    ("unsigned broken payload", "payload=%7Bbroken", FORM, False, "", 401),
    ("unsigned form", command_body("/research", "x"), FORM, False, "", 401),
    ("timestamp not a number", "{}", JSON, True, "yesterday", 401),
    ("signed broken json", "{not json", JSON, True, "", 400),
    ("signed broken payload", "payload=%7Bbroken", FORM, True, "", 400),
    ("signed json that is not an object", "[1, 2]", JSON, True, "", 400),
]


@pytest.mark.parametrize(("what", "body", "ctype", "signed", "stamp", "status"), CASES, ids=[c[0] for c in CASES])
def test_item06_unsigned_or_malformed_requests_get_401_or_400_and_one_log_line(
        receiver: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
        what: str, body: str, ctype: str, signed: bool, stamp: str, status: int) -> None:
    caplog.set_level(logging.INFO)
    response = post(receiver, body, ctype, signed, stamp)
    assert response.status_code == status, (what, response.text)
    records = server_lines(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None and "\n" not in records[0].getMessage()
    assert "Traceback" not in capfd.readouterr().err


def test_item06_a_flood_of_unsigned_requests_does_not_fill_the_log(
        receiver: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.INFO)
    with httpx.Client(timeout=10) as client:
        codes = {client.post(receiver, content=b"{garbage", headers={"content-type": JSON}).status_code
                 for _ in range(200)}
    assert codes == {401}
    assert len(server_lines(caplog)) <= 2, [r.getMessage() for r in server_lines(caplog)]
    assert "Traceback" not in capfd.readouterr().err


def test_item06_a_signed_well_formed_request_still_reaches_bolt(receiver: str) -> None:
    response = post(receiver, '{"type": "url_verification", "challenge": "c-1", "token": "t"}', JSON)
    assert response.status_code == 200 and response.json() == {"challenge": "c-1"}
