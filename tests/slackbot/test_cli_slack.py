"""`autoresearch slack` as a process: the HTTP receiver answers signed requests and stops cleanly
on SIGTERM; missing settings and a refused app token are one clear line; no secret is printed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from evals.fake_slack import TOKEN, FakeSlackApi
from evals.slack_requests import SECRET, SlackSender

REPO = Path(__file__).resolve().parents[2]
APP_TOKEN = "xapp-1-A0FAKE-secret-app-token"


@pytest.fixture
def slack_env(slack_api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> FakeSlackApi:
    monkeypatch.setenv("AUTORESEARCH_SLACK__BOT_TOKEN", TOKEN)
    monkeypatch.setenv("AUTORESEARCH_SLACK__SIGNING_SECRET", SECRET)
    monkeypatch.setenv("AUTORESEARCH_SLACK__API_URL", slack_api.base_url)
    monkeypatch.setenv("AUTORESEARCH_SLACK__APPROVERS", '["U0APPROVER"]')
    return slack_api


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent", "slack", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def _no_secrets(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text and SECRET not in text and APP_TOKEN not in text


def test_the_http_receiver_serves_signed_requests_and_stops_on_sigterm(slack_env: FakeSlackApi) -> None:
    process = subprocess.Popen([sys.executable, "-m", "agent", "slack", "--http", "--port", "0", "--json"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = json.loads(process.stdout.readline())  # blocks until the bot listens (or exits)
        assert ready["mode"] == "http" and ready["url"].endswith("/slack/events")
        send = SlackSender(ready["url"])
        challenge = send.post(json.dumps({"type": "url_verification", "challenge": "c-9", "token": "t"}),
                              content_type="application/json")
        assert challenge.status_code == 200 and challenge.json() == {"challenge": "c-9"}
        assert send.post("command=%2Fresearch&text=x", signature="v0=forged").status_code == 401
        assert [c.method for c in slack_env.calls] == ["auth.test"]  # the token was checked at start
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    _no_secrets(out, err)


def test_missing_settings_are_one_clear_line(slack_env: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTORESEARCH_SLACK__SIGNING_SECRET")
    done = _run("--http", "--port", "0")
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [
        "autoresearch: the HTTP receiver needs the app's signing secret: set slack.signing_secret "
        "(env AUTORESEARCH_SLACK__SIGNING_SECRET), or use Socket Mode (slack.app_token)"]
    monkeypatch.delenv("AUTORESEARCH_SLACK__BOT_TOKEN")
    done = _run("--http")
    assert done.returncode == 1 and "AUTORESEARCH_SLACK__BOT_TOKEN" in done.stderr


def test_a_wrong_bot_token_fails_at_start(slack_env: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTORESEARCH_SLACK__BOT_TOKEN", "xoxb-wrong-and-secret")
    done = _run("--http", "--port", "0")
    assert done.returncode == 1
    assert done.stderr.strip() == ("autoresearch: Slack refused slack.bot_token: invalid_auth (check the xoxb- "
                                   "token and the app's installation)")
    assert "xoxb-wrong-and-secret" not in done.stderr + done.stdout


def test_socket_mode_asks_slack_for_a_connection_with_the_app_token(slack_env: FakeSlackApi,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Socket Mode needs Slack's websocket; offline we check it asks for one, with the xapp token,
    and that a refusal is one clear line."""
    monkeypatch.setenv("AUTORESEARCH_SLACK__APP_TOKEN", APP_TOKEN)
    done = _run()
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "autoresearch: Slack refused slack.app_token: invalid_auth (it must be the app's xapp- token with "
        "connections:write)")
    [opened] = slack_env.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    _no_secrets(done.stdout, done.stderr)


def test_the_core_stays_light(tmp_path: Path) -> None:
    """Importing the core or the CLI does not import slack_bolt (only `autoresearch slack` does)."""
    code = "import sys, agent.cli.app, agent.runs.session, tools, memory; print('slack_bolt' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == "False", done.stderr
