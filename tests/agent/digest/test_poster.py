"""The digest poster against a fake Slack Web API on 127.0.0.1 (slack_sdk's real HTTP client)."""

from __future__ import annotations

import re
import socket

import pytest
from pydantic import SecretStr

from agent.digest.build import Digest, DigestPaper, KeywordDigest
from agent.digest.post import PostError, slack_poster
from agent.digest.slack_message import MAX_BLOCKS, paper_messages
from agent.settings import SlackSettings
from evals.fake_slack import TOKEN, FakeSlackApi, Injected


def _digest(per_keyword: int = 3, keywords: int = 2) -> Digest:
    tables = []
    for k in range(keywords):
        papers = [DigestPaper(arxiv_id=f"2501.{k}{i:04d}", version="v1", title=f"Paper {i} <b>&</b> | pipes",
                              published="2025-01-17", abstract="An abstract. " * 60, comment="8 pages",
                              url=f"https://arxiv.org/abs/2501.{k}{i:04d}v1", new=i % 2 == 0)
                  for i in range(per_keyword)]
        tables.append(KeywordDigest(keyword=f"Keyword {k}", papers=papers))
    return Digest(generated="2026-11-22T06:00:00+00:00", keywords=tables)


def _settings(server: FakeSlackApi, token: str = TOKEN) -> SlackSettings:
    return SlackSettings(bot_token=SecretStr(token), api_url=server.base_url)


def test_posts_an_overview_and_the_papers_in_its_thread(slack_api: FakeSlackApi) -> None:
    receipt = slack_poster(_settings(slack_api)).post("#papers", _digest())
    messages = slack_api.state.messages
    assert receipt.channel == "C0PAPERS" and receipt.ts == messages[0]["ts"]
    assert messages[0]["thread_ts"] is None and "4 new" in messages[0]["text"]
    assert all(m["thread_ts"] == receipt.ts for m in messages[1:]) and receipt.replies
    calls = slack_api.calls_to("chat.postMessage")
    assert all(c.token == TOKEN and "json" in c.content_type for c in calls)
    sections = [b["text"]["text"] for m in messages[1:] for b in m["blocks"] if b["type"] == "section"]
    assert len(sections) == 6
    assert sections[0].startswith(":new: *<https://arxiv.org/abs/2501.00000v1|Paper 0 &lt;b&gt;&amp;&lt;/b&gt; ∣ pipes>*")
    assert "<b>" not in "".join(sections)


def test_a_large_digest_is_chunked_under_slacks_limits(slack_api: FakeSlackApi) -> None:
    digest = _digest(per_keyword=100, keywords=2)
    chunks = paper_messages(digest)
    assert len(chunks) > 4 and all(len(blocks) <= MAX_BLOCKS for _, blocks in chunks)
    receipt = slack_poster(_settings(slack_api)).post("C0PAPERS", digest)
    assert len(receipt.replies) == len(chunks)  # the fake checks every message against Slack's limits
    posted = [b for m in slack_api.state.messages[1:] for b in m["blocks"] if b["type"] == "section"]
    assert len(posted) == 200


@pytest.mark.parametrize("channel, token, message", [
    ("#nowhere", TOKEN, "channel_not_found (check the channel name"),
    ("#papers", "xoxb-wrong", "invalid_auth (check slack.bot_token)"),
])
def test_slack_refusals_are_clear_errors(slack_api: FakeSlackApi, channel: str, token: str, message: str) -> None:
    with pytest.raises(PostError, match=re.escape(message)):
        slack_poster(_settings(slack_api, token)).post(channel, _digest())


def test_a_rate_limit_is_retried_after_slacks_retry_after(slack_api: FakeSlackApi) -> None:
    slack_api.failures.append(Injected("chat.postMessage", status=429, retry_after="0"))
    receipt = slack_poster(_settings(slack_api)).post("#papers", _digest(per_keyword=1, keywords=1))
    assert receipt.ts and len(slack_api.calls_to("chat.postMessage")) == 3  # 429, overview, one reply


def test_no_token_or_no_server_is_a_clear_error() -> None:
    with pytest.raises(PostError, match="AUTORESEARCH_SLACK__BOT_TOKEN"):
        slack_poster(SlackSettings())
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    poster = slack_poster(SlackSettings(bot_token=SecretStr(TOKEN), api_url=f"http://127.0.0.1:{port}/api/"))
    with pytest.raises(PostError, match="unreachable"):
        poster.post("#papers", _digest())
