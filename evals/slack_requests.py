"""Requests as Slack sends them: the v0 signing scheme, and payloads in Slack's own shapes.

`sign` is written from Slack's documentation (HMAC-SHA256 of `v0:{timestamp}:{body}`) and is
checked against Slack's published example in test_signing.py. The payload builders start from a
base in Slack's shape: one written here, or a real payload from `../shared/data/slack/` (the
`shared_data` tests), and fill in what a test needs.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import httpx

SECRET = "8f742231b10e8888abcd99yyyzzz85a5-test"
APPROVER, STRANGER, BOT_USER = "U0APPROVER", "U0STRANGER", "U0BOT"
CHANNEL = "C0PAPERS"
FORM = "application/x-www-form-urlencoded"

COMMAND_BASE = {
    "token": "verification_token", "team_id": "T0FAKE", "team_domain": "fake", "channel_id": CHANNEL,
    "channel_name": "papers", "user_id": APPROVER, "user_name": "ada", "command": "/research", "text": "",
    "api_app_id": "A0FAKE", "response_url": "https://hooks.slack.com/commands/T0FAKE/1/x",
    "trigger_id": "1.2.command",
}
ACTIONS_BASE: dict[str, Any] = {
    "type": "block_actions", "user": {"id": APPROVER, "username": "ada", "name": "ada", "team_id": "T0FAKE"},
    "api_app_id": "A0FAKE", "token": "verification_token",
    "container": {"type": "message", "message_ts": "", "channel_id": CHANNEL, "is_ephemeral": False},
    "trigger_id": "1.2.click", "team": {"id": "T0FAKE", "domain": "fake"},
    "channel": {"id": CHANNEL, "name": "papers"}, "response_url": "https://hooks.slack.com/actions/T0FAKE/1/x",
    "actions": [],
}
VIEW_BASE: dict[str, Any] = {
    "type": "view_submission", "team": {"id": "T0FAKE", "domain": "fake"},
    "user": {"id": APPROVER, "username": "ada", "name": "ada", "team_id": "T0FAKE"},
    "api_app_id": "A0FAKE", "token": "verification_token", "trigger_id": "1.2.submit",
    "view": {"id": "V0", "team_id": "T0FAKE", "type": "modal", "blocks": [], "private_metadata": "",
             "callback_id": "", "state": {"values": {}}, "hash": "1.abc", "app_id": "A0FAKE", "bot_id": "B0BOT"},
    "response_urls": [],
}
EVENT_BASE: dict[str, Any] = {
    "token": "verification_token", "team_id": "T0FAKE", "api_app_id": "A0FAKE",
    "event": {"type": "app_mention", "text": "", "user": APPROVER, "ts": "", "team": "T0FAKE", "channel": CHANNEL,
              "event_ts": ""},
    "type": "event_callback", "event_id": "Ev0", "event_time": 1_700_000_000, "authed_users": [BOT_USER],
}


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def command_body(command: str, text: str, user: str = APPROVER, channel: str = CHANNEL,
                 base: str | None = None, **extra: str) -> str:
    """A slash command's form body (`base`: a real body to start from; `extra`: more fields)."""
    fields = dict(parse_qsl(base, keep_blank_values=True)) if base else dict(COMMAND_BASE)
    fields.update(command=command, text=text, user_id=user, channel_id=channel, **extra)
    return urlencode(fields)


def actions_body(action_id: str, value: str, message: dict[str, Any], user: str = APPROVER,
                 state: dict[str, Any] | None = None, base: dict[str, Any] | None = None) -> str:
    """A button click on `message` (as the fake Slack stored it), as a `payload=` form body."""
    payload = copy.deepcopy(base or ACTIONS_BASE)
    payload["user"]["id"] = user
    payload["container"].update(message_ts=message["ts"], channel_id=message["channel"], is_ephemeral=False)
    if message.get("thread_ts"):
        payload["container"]["thread_ts"] = message["thread_ts"]
    payload["channel"]["id"] = message["channel"]
    payload["message"] = {"type": "message", "ts": message["ts"], "text": message.get("text", ""),
                          "blocks": message.get("blocks", []), **({"thread_ts": message["thread_ts"]}
                                                                  if message.get("thread_ts") else {})}
    payload["state"] = {"values": state or {}}
    block_id = next((b.get("block_id", "") for b in message.get("blocks", []) if b.get("type") == "actions"), "")
    payload["actions"] = [{"action_id": action_id, "block_id": block_id, "value": value, "type": "button",
                           "text": {"type": "plain_text", "text": action_id}, "action_ts": f"{time.time():.6f}"}]
    return "payload=" + quote(json.dumps(payload))


def view_body(view: dict[str, Any], values: dict[str, Any], user: str = APPROVER,
              base: dict[str, Any] | None = None) -> str:
    """A modal (as opened with views.open) submitted with `values` in its inputs."""
    payload = copy.deepcopy(base or VIEW_BASE)
    payload["user"]["id"] = user
    payload["view"].update(blocks=view["blocks"], callback_id=view["callback_id"],
                           private_metadata=view.get("private_metadata", ""), title=view["title"],
                           state={"values": values})
    return "payload=" + quote(json.dumps(payload))


def mention_body(text: str, ts: str, user: str = APPROVER, thread_ts: str | None = None,
                 base: dict[str, Any] | None = None) -> str:
    """An `app_mention` event callback (JSON)."""
    payload = copy.deepcopy(base or EVENT_BASE)
    payload["event"].update(text=text, user=user, ts=ts, event_ts=ts, channel=CHANNEL)
    if thread_ts:
        payload["event"]["thread_ts"] = thread_ts
    return json.dumps(payload)


def input_values(block_id: str, action_id: str, value: str) -> dict[str, Any]:
    """A view's `state.values` for one text input."""
    return {block_id: {action_id: {"type": "plain_text_input", "value": value}}}


def checkbox_state(message: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    """The `state.values` of a paper checklist with only `keep` ticked."""
    values: dict[str, Any] = {}
    for block in message["blocks"]:
        box = block.get("accessory") or {}
        if box.get("type") == "checkboxes":
            options = [o for o in box["options"] if o["value"] in keep]
            values[block["block_id"]] = {box["action_id"]: {"type": "checkboxes", "selected_options": options}}
    return values


class SlackSender:
    """POST to the bot's receiver the way Slack does (signed unless told otherwise)."""

    def __init__(self, url: str, secret: str = SECRET) -> None:
        self.url, self.secret = url, secret
        self.latencies: list[float] = []

    def post(self, body: str, content_type: str = FORM, timestamp: str | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        """Send one request; `signature=""` sends none, `timestamp` overrides the clock."""
        stamp = timestamp or str(int(time.time()))
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, **(headers or {})}
        chosen = sign(self.secret, stamp, body) if signature is None else signature
        if chosen:
            sent["X-Slack-Signature"] = chosen
        started = time.perf_counter()
        response = httpx.post(self.url, content=body.encode(), headers=sent, timeout=10)
        self.latencies.append(time.perf_counter() - started)
        return response

    def command(self, command: str, text: str, user: str = APPROVER) -> httpx.Response:
        """A slash command."""
        return self.post(command_body(command, text, user))

    def click(self, action_id: str, message: dict[str, Any], user: str = APPROVER,
              state: dict[str, Any] | None = None) -> httpx.Response:
        """Click the button `action_id` on a message the bot posted."""
        value = next(e["value"] for b in message["blocks"] if b.get("type") == "actions"
                     for e in b["elements"] if e["action_id"] == action_id)
        return self.post(actions_body(action_id, value, message, user, state))

    def submit(self, view: dict[str, Any], values: dict[str, Any], user: str = APPROVER) -> httpx.Response:
        """Submit a modal the bot opened."""
        return self.post(view_body(view, values, user))

    def mention(self, text: str, ts: str, user: str = APPROVER) -> httpx.Response:
        """Mention the bot in the channel."""
        return self.post(mention_body(text, ts, user), content_type="application/json")
