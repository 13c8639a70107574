"""The bot under test: the real Bolt app behind its real HTTP receiver on 127.0.0.1, talking to
the fake Slack Web API and the arXiv mirror, with a real review session (Chroma, SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from agent.settings import Settings, load_settings
from evals.fake_slack import TOKEN, FakeSlackApi
from evals.slack_requests import APPROVER, SECRET, SlackSender

DRAIN_S = 90.0
"""Deadline for the bot's pools to go idle (a review on the mirror takes seconds)."""


@dataclass
class Harness:
    """The running bot and what a test drives it with."""

    bot: Any
    receiver: Any
    send: SlackSender
    slack: FakeSlackApi

    def drain(self) -> None:
        """Wait (with a deadline) until every listener and job the requests started has ended."""
        assert self.bot.workers.drain(DRAIN_S), f"the bot was still busy after {DRAIN_S} s"

    def channel_messages(self) -> list[dict[str, Any]]:
        """Top-level messages (not in a thread)."""
        return [m for m in self.slack.state.messages if not m.get("thread_ts")]


@pytest.fixture
def bot_settings(mirror_settings: Settings, slack_api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for the bot: the mirror for arXiv, the fake for Slack, one approver."""
    monkeypatch.setenv("AUTORESEARCH_SLACK__BOT_TOKEN", TOKEN)
    monkeypatch.setenv("AUTORESEARCH_SLACK__SIGNING_SECRET", SECRET)
    monkeypatch.setenv("AUTORESEARCH_SLACK__APPROVERS", json.dumps([APPROVER]))
    monkeypatch.setenv("AUTORESEARCH_SLACK__API_URL", slack_api.base_url)
    monkeypatch.setenv("AUTORESEARCH_SLACK__PROGRESS_INTERVAL_S", "0.2")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MAX_CANDIDATES", "20")  # fewer abstracts to embed: a faster search
    return load_settings()


@pytest.fixture
def harness(bot_settings: Settings, slack_api: FakeSlackApi, embedder) -> Iterator[Harness]:
    """The bot serving on a free port; closed (pools stopped, checkpointer closed) afterwards."""
    from agent.review.context import ReviewServices
    from agent.runs.session import ReviewSession
    from slackbot.app import build_app
    from slackbot.bot import Bot
    from slackbot.server import HttpReceiver
    from slackbot.worker import Workers

    session = ReviewSession(bot_settings, services=ReviewServices(bot_settings, embedder=embedder))
    bot = Bot(bot_settings, Workers(jobs=2, listeners=4), session=session)
    app = build_app(bot_settings, bot=bot)
    receiver = HttpReceiver(app, port=0, signing_secret=SECRET).start()
    try:
        yield Harness(bot=bot, receiver=receiver, send=SlackSender(receiver.url), slack=slack_api)
    finally:
        receiver.stop()
        bot.workers.drain(DRAIN_S)
        bot.close()
