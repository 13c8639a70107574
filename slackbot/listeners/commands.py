"""Slash commands: `/research` starts a review (or shows a run started elsewhere), `/digest`
posts the watchlist digest. Both answer Slack at once and do the work in the job pool."""

from __future__ import annotations

import logging
from typing import Any

from agent.digest.post import PostError, SlackPoster
from agent.usecases import digest as usecase
from slackbot.args import UsageError, parse_research
from slackbot.bot import Bot
from slackbot.mrkdwn import escape
from slackbot.runner import show_run, start_review
from slackbot.web import SlackCallError, call
from tools.errors import explain

log = logging.getLogger(__name__)


def register(app: Any, bot: Bot) -> None:
    """Add the slash-command listeners to the Bolt app."""

    @app.command("/research")
    def research(ack: Any, command: dict[str, Any], client: Any, respond: Any) -> None:
        """/research <topic> [--max N --since DATE], or /research show <run>."""
        handle_research(bot, ack, command, client, respond)

    @app.command("/digest")
    def digest(ack: Any, command: dict[str, Any], client: Any, respond: Any) -> None:
        """/digest [keyword]."""
        handle_digest(bot, ack, command, client, respond)


def handle_research(bot: Bot, ack: Any, command: dict[str, Any], client: Any, respond: Any = None) -> None:
    """Acknowledge with one line (a usage error, or what starts), then start or show the run."""
    try:
        parsed = parse_research(command.get("text") or "")
    except UsageError as error:
        ack(text=str(error))
        return
    channel, user = command["channel_id"], command["user_id"]
    if parsed.show_run:
        ack(text=f"Looking up run {parsed.show_run}…")
        bot.workers.run(lambda: show_run(bot, client, channel, user, parsed.show_run),
                        on_error=lambda line: tell_in_channel(client, channel, user, line, respond))
        return
    request = parsed.request
    assert request is not None
    ack(text=f"Starting a review of “{request.topic}”; its progress follows in this channel.")
    bot.workers.run(lambda: start_review(bot, client, channel, user, request),
                    on_error=lambda line: tell_in_channel(client, channel, user, f"The review could not start: {line}",
                                                          respond))


def handle_digest(bot: Bot, ack: Any, command: dict[str, Any], client: Any, respond: Any = None) -> None:
    """Acknowledge, then build the digest (one keyword, or the whole watchlist) and post it here."""
    keyword = " ".join((command.get("text") or "").split())
    channel, user = command["channel_id"], command["user_id"]
    ack(text="Building the digest" + (f" for “{keyword}”" if keyword else "") + "…")
    bot.workers.run(lambda: post_digest(bot, client, channel, user, keyword, respond),
                    on_error=lambda line: tell_in_channel(client, channel, user, f"The digest failed: {line}", respond))


def post_digest(bot: Bot, client: Any, channel: str, user: str, keyword: str, respond: Any = None) -> None:
    """Search each watched keyword (or `keyword`), post the digest, and remember what it showed."""
    try:
        usecase.digest(bot.settings, [keyword] if keyword else [],
                       deliver=lambda result: SlackPoster(client).post(channel, result))
    except usecase.NoWatches:
        tell_in_channel(client, channel, user, "No keywords are watched: add one with "
                        "`autoresearch watch add \"video anomaly detection\"`, or type `/digest <keyword>`.", respond)
    except PostError as error:
        tell_in_channel(client, channel, user, explain(error), respond)


def tell_in_channel(client: Any, channel: str, user: str, line: str, respond: Any = None) -> None:
    """One line to one person in a channel: an ephemeral message, or through the command's
    response URL when the bot cannot post there (it was never invited to the channel)."""
    text = f":warning: {escape(line.splitlines()[0] if line else 'something went wrong')}"
    try:
        call(client, "chat_postEphemeral", channel=channel, user=user, text=text)
        return
    except SlackCallError as error:
        problem = str(error)
    if respond is None:
        log.warning("could not tell %s in %s: %s (the line was: %s)", user, channel, problem, line)
        return
    from slack_sdk.errors import SlackClientError

    try:
        answer = respond(text=text, response_type="ephemeral", replace_original=False)
        if answer.status_code == 200:
            return
        problem += f"; the response URL answered {answer.status_code}"
    except (OSError, ValueError, SlackClientError) as error:  # the response URL is gone too
        problem += f"; {error}"
    log.warning("could not tell %s in %s: %s (the line was: %s)", user, channel, problem, line)
