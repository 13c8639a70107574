"""Slack's real payloads (`../shared/data/slack/`) reach the right listeners: over HTTP, signed,
and as Socket Mode envelopes dispatched through Bolt's Socket Mode path (the websocket itself
needs Slack and is not exercised here). The same listeners are tested with payloads built by
the tests themselves in test_review_flow.py and test_ask_and_digest.py."""

from __future__ import annotations

import copy
import json
from urllib.parse import quote, unquote

from evals.slack_requests import BOT_USER, command_body
from slackbot import blocks as kit
from slackbot.refs import GateRef, ModalMeta, Place

UNKNOWN_RUN = "20990101-000000"


def _read(shared_data, name: str) -> str:
    return (shared_data / "slack" / name).read_text()


def test_url_verification_answers_the_challenge(harness, shared_data) -> None:
    body = _read(shared_data, "bolt_url_verification.json")
    response = harness.send.post(body, content_type="application/json")
    assert response.status_code == 200 and response.json()["challenge"] == json.loads(body)["challenge"]


def test_a_real_slash_command_body_reaches_research(harness, shared_data) -> None:
    body = command_body("/research", f"show {UNKNOWN_RUN}", user="W111", channel="C111",
                        base=_read(shared_data, "bolt_slash_command_body.txt"))
    response = harness.send.post(body)
    assert response.status_code == 200 and response.text == f"Looking up run {UNKNOWN_RUN}…"
    harness.drain()
    [note] = harness.slack.state.ephemerals
    assert (note["channel"], note["user"]) == ("C111", "W111") and f"no run '{UNKNOWN_RUN}'" in note["text"]


def test_a_real_button_click_from_someone_not_approving_is_refused(harness, shared_data) -> None:
    raw = _read(shared_data, "bolt_block_actions_body.txt").strip()
    payload = json.loads(unquote(raw.removeprefix("payload=")))
    payload["actions"][0].update(action_id=kit.PAPERS_KEEP_ALL, value=GateRef(run=UNKNOWN_RUN, gate="papers").value())
    assert harness.send.post("payload=" + quote(json.dumps(payload))).status_code == 200
    harness.drain()
    [note] = harness.slack.state.ephemerals
    assert note["user"] == "W111" and "Only approvers" in note["text"] and note["thread_ts"] == "111.222"
    assert harness.slack.calls_to("chat.update") == [] and harness.bot.session.runs() == []


def test_a_real_view_submission_from_someone_not_approving_is_refused(harness, shared_data) -> None:
    payload = json.loads(_read(shared_data, "bolt_view_submission_payload.json"))
    meta = ModalMeta(ref=GateRef(run=UNKNOWN_RUN, gate="draft"), place=Place(channel="C111", thread_ts="1.2"))
    payload["view"].update(callback_id=kit.FEEDBACK_VIEW, private_metadata=meta.model_dump_json())
    payload["view"]["state"]["values"] = {kit.FEEDBACK_BLOCK: {kit.FEEDBACK_INPUT: {"type": "plain_text_input",
                                                                                  "value": "shorter"}}}
    response = harness.send.post("payload=" + quote(json.dumps(payload)))
    assert response.status_code == 200 and not response.content  # the modal closes
    harness.drain()
    [note] = harness.slack.state.ephemerals
    assert note["user"] == "W111" and "Only approvers" in note["text"]


def _socket_app(harness):
    from slackbot.app import build_app

    return build_app(harness.bot.settings, bot=harness.bot, socket_mode=True)


def _dispatch(app, envelope: dict):
    from slack_bolt.adapter.socket_mode.internals import run_bolt_app
    from slack_sdk.socket_mode.request import SocketModeRequest

    return run_bolt_app(app, SocketModeRequest.from_dict(envelope))


def test_socket_mode_envelopes_reach_the_same_listeners(harness, shared_data) -> None:
    app = _socket_app(harness)
    command = json.loads(_read(shared_data, "sdk_socket_mode_envelope_slash_commands_slash_commands.json"))
    command["payload"].update(command="/research", text="")
    response = _dispatch(app, command)
    assert response.status == 200 and response.body.startswith("Usage: `/research <topic>")

    mention = json.loads(_read(shared_data, "sdk_socket_mode_envelope_events_api_app_mention.json"))
    mention["payload"]["event"]["text"] = f"<@{BOT_USER}>"  # no question: the bot answers with help
    assert _dispatch(app, mention).status == 200
    retry = copy.deepcopy(mention)
    retry.update(retry_attempt=1, retry_reason="timeout")
    retry["payload"]["event"]["ts"] = "1610241741.000300"
    assert _dispatch(app, retry).status == 200
    harness.drain()
    assert "/research <topic>" in harness.slack.thread("1610241741.000200")[0]["text"]
    assert harness.slack.thread("1610241741.000300") == []  # a retry is not answered twice
