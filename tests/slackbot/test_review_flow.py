"""A review driven from Slack end to end, over the real Bolt HTTP receiver with signed requests:
/research → paper checklist → approve → outline (modal) → draft → revise → approve → review in
the thread. The arXiv mirror stands in for arXiv (abstracts only), the fake Web API for Slack;
the run is inspected from another process with the CLI at each gate."""

from __future__ import annotations

import copy
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

from evals.fake_slack import TOKEN
from evals.slack_requests import APPROVER, SECRET, STRANGER, checkbox_state, input_values
from slackbot import blocks as kit

REPO = Path(__file__).resolve().parents[2]


def cli_show(run_id: str) -> dict[str, Any]:
    """`autoresearch runs show RUN --json` in another process, on the same data dir."""
    done = subprocess.run([sys.executable, "-m", "agent", "runs", "show", run_id, "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def gate_messages(harness, root_ts: str) -> list[dict[str, Any]]:
    """The thread's messages that still have buttons to click."""
    return [m for m in harness.slack.thread(root_ts) if any(b.get("type") == "actions" for b in m["blocks"])]


def action_ids(message: dict[str, Any]) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b.get("type") == "actions" for e in b["elements"]]


def test_a_review_from_slash_command_to_written_review(harness, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    slack = harness.slack
    started = harness.send.command("/research", "video anomaly detection --max 3")
    assert started.status_code == 200 and "Starting a review" in started.text
    harness.drain()

    # One progress message in the channel, edited in place; the checklist in its thread.
    [root] = harness.channel_messages()
    root_updates = [c for c in slack.calls_to("chat.update") if c.params["ts"] == root["ts"]]
    assert root_updates and "papers" in slack.message(root["ts"])["text"]
    [checklist] = gate_messages(harness, root["ts"])
    boxes = [b for b in checklist["blocks"] if (b.get("accessory") or {}).get("type") == "checkboxes"]
    assert len(boxes) == 3 and all("_" in b["text"]["text"] for b in boxes)  # each candidate's reasons
    assert action_ids(checklist) == [kit.PAPERS_APPROVE, kit.PAPERS_KEEP_ALL]
    run_id = json.loads(checklist["blocks"][-1]["elements"][0]["value"])["run"]
    shown = cli_show(run_id)
    assert (shown["status"], shown["gate"]) == ("paused", "papers")
    ids = [c["paper"]["arxiv_id"] for c in shown["pending"]["candidates"]]

    # Someone not in slack.approvers: refused, only to them; the run stays paused.
    posted = len(slack.state.messages)
    assert harness.send.click(kit.PAPERS_APPROVE, checklist, user=STRANGER).status_code == 200
    harness.drain()
    [refusal] = slack.state.ephemerals
    assert refusal["user"] == STRANGER and "Only approvers" in refusal["text"]
    assert len(slack.state.messages) == posted and harness.bot.session.show(run_id).status == "paused"

    # An approver unticks the last paper and approves the rest.
    state = checkbox_state(checklist, keep=set(ids[:2]))
    assert harness.send.click(kit.PAPERS_APPROVE, checklist, state=state).status_code == 200
    harness.drain()
    answered = slack.message(checklist["ts"])
    assert not action_ids(answered) and f"Edited and approved by <@{APPROVER}>" in json.dumps(answered["blocks"])
    shown = cli_show(run_id)
    assert (shown["status"], shown["gate"]) == ("paused", "outline")
    assert sorted(p["arxiv_id"] for p in shown["pending"]["papers"]) == sorted(ids[:2])

    # The outline: opened as a modal, one theme renamed, submitted.
    [outline_message] = gate_messages(harness, root["ts"])
    assert harness.send.click(kit.OUTLINE_OPEN, outline_message).status_code == 200
    harness.drain()
    [modal] = slack.state.views
    text = modal["blocks"][1]["element"]["initial_value"]
    first_theme = next(line for line in text.splitlines() if line.startswith("## "))
    edited = text.replace(first_theme, "## Renamed in Slack", 1)
    submitted = harness.send.submit(modal, input_values(kit.OUTLINE_BLOCK, kit.OUTLINE_INPUT, edited))
    assert submitted.status_code == 200 and not submitted.content  # an empty ack closes the modal
    harness.drain()

    # The draft: summary with Approve / Revise in the thread, the Markdown attached.
    [draft] = gate_messages(harness, root["ts"])
    as_seen = copy.deepcopy(draft)  # what a slow browser still shows after the gate moved on
    assert action_ids(draft) == [kit.DRAFT_APPROVE, kit.DRAFT_REVISE]
    files = {f["filename"]: f for f in slack.state.files.values()}
    assert files["draft-r0.md"]["thread_ts"] == root["ts"]
    assert b"## Renamed in Slack" in files["draft-r0.md"]["content"]
    assert cli_show(run_id)["gate"] == "draft"

    # Revise: empty feedback is refused inside the modal; real feedback makes revision 1.
    harness.send.click(kit.DRAFT_REVISE, draft)
    harness.drain()
    feedback_modal = slack.state.views[-1]
    empty = harness.send.submit(feedback_modal, input_values(kit.FEEDBACK_BLOCK, kit.FEEDBACK_INPUT, "  "))
    assert empty.json()["response_action"] == "errors"
    harness.send.submit(feedback_modal, input_values(kit.FEEDBACK_BLOCK, kit.FEEDBACK_INPUT, "compare the datasets"))
    harness.drain()
    [revised] = gate_messages(harness, root["ts"])
    assert "revision 1" in revised["text"] and "draft-r1.md" in {f["filename"] for f in slack.state.files.values()}

    # A click on the old revision's button is refused; approving revision 1 finishes the run.
    harness.send.click(kit.DRAFT_APPROVE, as_seen)
    harness.drain()
    assert "already answered" in slack.state.ephemerals[-1]["text"]
    assert harness.bot.session.show(run_id).status == "paused"
    harness.send.click(kit.DRAFT_APPROVE, revised)
    harness.drain()
    assert cli_show(run_id)["status"] == "finished"
    last = slack.thread(root["ts"])[-1]
    assert "Review written" in json.dumps(last["blocks"])
    review = next(f for f in slack.state.files.values() if f["filename"] == "review.md")
    assert b"## Renamed in Slack" in review["content"] and review["thread_ts"] == root["ts"]
    assert "Done" in slack.message(root["ts"])["text"]

    # Progress stayed one message: the only channel-level post is the root.
    assert len(harness.channel_messages()) == 1
    events = len([c for c in slack.calls_to("chat.update") if c.params["ts"] == root["ts"]])
    assert 3 <= events < 40
    # No secret reached the log.
    assert caplog.records and TOKEN not in caplog.text and SECRET not in caplog.text


def cli(*args: str) -> subprocess.CompletedProcess:
    """`autoresearch …` in another process on the same data dir."""
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=180)


def test_a_run_started_from_the_cli_is_answered_in_slack_and_the_cli_answers_back(harness) -> None:
    started = cli("review", "video anomaly detection", "--max-papers", "2", "--json")
    assert started.returncode == 3, started.stderr  # paused at the papers gate
    run_id = json.loads(started.stdout.splitlines()[-1])["run_id"]

    assert harness.send.command("/research", f"show {run_id}").status_code == 200
    harness.drain()
    [root] = harness.channel_messages()
    assert "Waiting at the *papers* gate" in root["text"]
    [checklist] = gate_messages(harness, root["ts"])
    harness.send.click(kit.PAPERS_KEEP_ALL, checklist)
    harness.drain()
    [outline_message] = gate_messages(harness, root["ts"])
    as_seen = copy.deepcopy(outline_message)
    assert harness.bot.session.show(run_id).gate == "outline"

    approved = cli("runs", "approve", run_id, "--json")  # the CLI answers the outline gate
    assert approved.returncode == 3 and json.loads(approved.stdout.splitlines()[-1])["gate"] == "draft"
    harness.send.click(kit.OUTLINE_APPROVE, as_seen)
    harness.drain()
    refusal = harness.slack.state.ephemerals[-1]
    assert refusal["user"] == APPROVER and "now waits at the draft gate" in refusal["text"]
    assert harness.bot.session.show(run_id).gate == "draft"
