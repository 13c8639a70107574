"""The progress message: one message edited in place, at most once per interval, never stale, and
the bot's pools drain."""

from __future__ import annotations

import threading

import pytest

from agent.runs.events import ApprovalNeeded, Finished, Progress, StageFinished, StageStarted, Warning
from evals.fake_slack import TOKEN, FakeSlackApi, Injected
from slackbot.progress import ProgressMessage, ProgressView
from slackbot.web import SlackCallError
from slackbot.worker import Workers


@pytest.fixture
def client(slack_api: FakeSlackApi):
    from slack_sdk import WebClient

    return WebClient(token=TOKEN, base_url=slack_api.base_url)


def _root(client) -> str:
    return client.chat_postMessage(channel="C0PAPERS", text="starting")["ts"]


def test_a_burst_of_events_is_one_edit_then_the_final_state(client, slack_api: FakeSlackApi) -> None:
    ts = _root(client)
    message = ProgressMessage(client, "C0PAPERS", ts, ProgressView.start("r1", "topic"), interval_s=60)
    message.record(StageStarted(stage="ingest"))
    for done in range(1, 201):
        message.record(Progress(stage="ingest", done=done, total=200, message=f"paper {done}"))
    message.record(Warning(stage="ingest", message="one PDF was encrypted"))
    assert len(slack_api.calls_to("chat.update")) == 1
    message.record(ApprovalNeeded(gate="outline", request={}))  # the end of this drive: sent at once
    updates = slack_api.calls_to("chat.update")
    assert len(updates) == 2 and {u.params["ts"] for u in updates} == {ts}
    assert "Waiting at the *outline* gate" in updates[-1].params["text"] and "1 warning" in updates[-1].params["text"]
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_a_change_inside_the_interval_is_sent_when_it_ends(client, slack_api: FakeSlackApi) -> None:
    ts = _root(client)
    message = ProgressMessage(client, "C0PAPERS", ts, ProgressView.start("r1", "topic"), interval_s=0.3)
    message.record(StageStarted(stage="search"))
    message.record(Progress(stage="search", done=1, total=4, message="query 1"))  # within the interval
    assert slack_api.wait_for(lambda: len(slack_api.calls_to("chat.update")) >= 2), "the pending change was never sent"
    assert "search 1/4 — query 1" in slack_api.message(ts)["text"]
    message.record(StageFinished(stage="search", seconds=1.5))
    message.record(Finished(out_dir="/tmp/x", counts={"papers": 3, "themes": 2, "citations": 9}))
    assert "Done: 3 papers, 2 themes, 9 citations" in slack_api.message(ts)["text"]
    assert "✓ search 1.5 s" in str(slack_api.message(ts)["blocks"])
    assert "○" not in str(slack_api.message(ts)["blocks"])  # stages a finished run never needed are left out


def test_a_failed_edit_never_stops_the_run(client, slack_api: FakeSlackApi) -> None:
    ts = _root(client)
    slack_api.failures.append(Injected("chat.update", error="message_not_found"))
    message = ProgressMessage(client, "C0PAPERS", ts, ProgressView.start("r1", "topic"), interval_s=0)
    message.record(StageStarted(stage="plan"))  # refused by Slack: logged, not raised
    message.record(StageStarted(stage="search"))
    assert "search" in slack_api.message(ts)["text"]


def test_a_resumed_view_keeps_the_stages_already_done() -> None:
    view = ProgressView.start("r1", "t", "U1", timings={"plan": 0.1, "search": 2.0, "gate_papers": 0})
    line = view.stage_line()
    assert line.startswith("✓ plan 0.1 s  ·  ✓ search 2.0 s  ·  ✓ papers ✋  ·  ○ ingest")
    assert "requested by <@U1>" in view.message()[1][0]["text"]["text"]


def test_workers_drain_waits_for_work_handed_on_and_reports_errors() -> None:
    workers = Workers(jobs=1, listeners=1)
    seen: list[str] = []
    gate = threading.Event()

    def listener() -> None:
        workers.run(lambda: (gate.wait(10), seen.append("job")), on_error=seen.append)

    workers.listeners.submit(listener)
    assert not workers.drain(0.05)  # the job waits on the gate
    gate.set()
    assert workers.drain(10) and seen == ["job"]
    workers.run(lambda: (_ for _ in ()).throw(SlackCallError("Slack refused chat.update: ratelimited\nmore")),
                on_error=seen.append)
    assert workers.drain(10) and seen[-1] == "Slack refused chat.update: ratelimited"
    workers.shutdown()
    with pytest.raises(RuntimeError, match="shutting down"):
        workers.jobs.submit(print)
