"""`@bot <question>` answers from the library in thread with arXiv links; `/digest [keyword]`
posts the digest; slow work never holds up Slack's acknowledgement."""

from __future__ import annotations

import json
import threading

from agent import services
from agent.digest.watch import Watch
from evals.fake_slack import Injected
from evals.slack_requests import APPROVER, BOT_USER, CHANNEL, command_body, mention_body
from slackbot.listeners import commands

PAPERS = ["2004.00222", "2311.07042", "2110.05086"]
"""Three video anomaly detection papers of the seed corpus (the mirror serves them)."""


def _stock_library(harness) -> None:
    settings = harness.bot.settings
    library = harness.bot.library()
    for paper in services.arxiv_client(settings).fetch(PAPERS):
        library.add(paper, None)


def _answer_in_thread(harness, ts: str) -> dict:
    [reply] = harness.slack.thread(ts)
    return reply


def test_a_mention_is_answered_in_its_thread_with_arxiv_links(harness) -> None:
    _stock_library(harness)
    ts = "1700000100.000200"
    response = harness.send.mention(f"<@{BOT_USER}> how is anomaly detection in surveillance video done?", ts)
    assert response.status_code == 200
    harness.drain()
    reply = _answer_in_thread(harness, ts)
    text = json.dumps(reply["blocks"])
    assert "<https://arxiv.org/abs/" in text and "Sources:" in text
    cited = {pid for pid in PAPERS if f"arxiv.org/abs/{pid}" in text}
    assert cited and reply["channel"] == CHANNEL
    assert "\n*<https://arxiv.org/abs/" in reply["blocks"][0]["text"]["text"]  # each paper's heading links it


def test_a_mention_of_the_real_payload_shape_is_answered(harness, shared_data) -> None:
    _stock_library(harness)
    base = json.loads((shared_data / "slack" / "bolt_app_mention_event.json").read_text())
    ts = "1595926230.009600"
    body = mention_body("<@W111> what benchmarks exist for video anomaly detection?", ts, base=base)
    assert harness.send.post(body, content_type="application/json").status_code == 200
    harness.drain()
    assert "arxiv.org/abs/" in json.dumps(_answer_in_thread(harness, ts)["blocks"])


def test_an_empty_mention_gets_help_and_an_empty_library_says_so(harness) -> None:
    harness.send.mention(f"<@{BOT_USER}>", "1700000100.000300")
    harness.send.mention(f"<@{BOT_USER}> what is new?", "1700000100.000400")
    harness.drain()
    assert "/research <topic>" in _answer_in_thread(harness, "1700000100.000300")["text"]
    assert "add papers first" in json.dumps(_answer_in_thread(harness, "1700000100.000400")["blocks"])


def test_a_retried_event_is_not_answered_twice(harness) -> None:
    _stock_library(harness)
    ts = "1700000100.000500"
    harness.send.mention(f"<@{BOT_USER}> anomaly detection?", ts)
    harness.send.post(mention_body(f"<@{BOT_USER}> anomaly detection?", ts), content_type="application/json",
                      headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    harness.drain()
    assert len(harness.slack.thread(ts)) == 1


def test_digest_for_a_keyword_posts_an_overview_and_the_papers_in_its_thread(harness) -> None:
    assert harness.send.command("/digest", "video anomaly detection").status_code == 200
    harness.drain()
    [overview] = harness.channel_messages()
    replies = harness.slack.thread(overview["ts"])
    assert replies and "video anomaly detection" in overview["blocks"][1]["text"]["text"]
    assert "arxiv.org/abs/" in json.dumps(replies[0]["blocks"])
    new = int(overview["text"].split(": ")[1].split(" new")[0])
    assert new > 0
    harness.send.command("/digest", "video anomaly detection")  # the same papers: none new now
    harness.drain()
    assert harness.channel_messages()[-1]["text"].endswith(": 0 new")


def test_digest_of_the_watchlist_and_with_nothing_watched(harness) -> None:
    harness.send.command("/digest", "")
    harness.drain()
    [note] = harness.slack.state.ephemerals
    assert note["user"] == APPROVER and "No keywords are watched" in note["text"]
    services.watchlist(harness.bot.settings).add(Watch(name="talking head generation"))
    harness.send.command("/digest", "")
    harness.drain()
    [overview] = harness.channel_messages()
    assert "talking head generation" in overview["blocks"][1]["text"]["text"]


def test_slack_is_answered_before_the_slow_work_ends(harness, monkeypatch) -> None:
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def slow_digest(*args) -> None:
        started.set()
        assert release.wait(30), "the test never released the job"
        ended.set()

    monkeypatch.setattr(commands, "post_digest", slow_digest)
    response = harness.send.command("/digest", "video anomaly detection")
    assert response.status_code == 200 and "Building the digest" in response.text
    assert started.wait(30) and not ended.is_set()  # answered while the work was still running
    release.set()
    harness.drain()
    assert ended.is_set()


def test_a_failing_job_reports_one_line(harness, monkeypatch) -> None:
    def broken(*args) -> None:
        raise OSError("disk full\nwith a second line")

    monkeypatch.setattr(commands, "post_digest", broken)
    harness.send.command("/digest", "x")
    harness.drain()
    [note] = harness.slack.state.ephemerals
    assert note["text"] == ":warning: The digest failed: disk full"


def test_a_channel_the_bot_was_not_invited_to_gets_the_reason_through_the_response_url(harness) -> None:
    for method in ("chat.postMessage", "chat.postEphemeral"):
        harness.slack.failures.append(Injected(method, error="not_in_channel"))
    body = command_body("/digest", "video anomaly detection", response_url=harness.slack.response_url)
    assert harness.send.post(body).status_code == 200
    harness.drain()
    [note] = harness.slack.state.responses
    assert note["response_type"] == "ephemeral"
    assert note["text"] == (":warning: Slack refused chat.postMessage to C0PAPERS: not_in_channel "
                            "(invite the bot to the channel first)")
