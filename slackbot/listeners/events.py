"""Events: `@bot <question>` answers from the library in the mention's thread, with citations as
links to arXiv."""

from __future__ import annotations

import logging
from typing import Any

from agent.usecases.ask import ask
from slackbot.answers import answer_message
from slackbot.bot import Bot
from slackbot.mrkdwn import strip_mentions
from slackbot.refs import Place
from slackbot.runner import say_line
from slackbot.web import call

log = logging.getLogger(__name__)
HELP = ("Ask me about the papers in the library, e.g. `@autoresearch which datasets do video anomaly detectors "
        "use?` Start a review with `/research <topic>`; post the digest with `/digest [keyword]`.")


def register(app: Any, bot: Bot) -> None:
    """Add the event listeners to the Bolt app (Bolt acknowledges events itself, at once)."""

    @app.event("app_mention")
    def mention(event: dict[str, Any], client: Any, request: Any) -> None:
        """@bot <question>."""
        if retried(request.headers):
            return  # Slack re-sends an event it thinks was missed: the first delivery is answered
        handle_mention(bot, event, client)


def retried(headers: dict[str, Any]) -> bool:
    """Whether this delivery is Slack's retry (HTTP and Socket Mode both say so in this header;
    Socket Mode sends `0` on the first delivery)."""
    value = headers.get("x-slack-retry-num") or ["0"]
    first = value[0] if isinstance(value, (list, tuple)) else value
    return str(first).strip() not in ("", "0")


def handle_mention(bot: Bot, event: dict[str, Any], client: Any) -> None:
    """Answer the question in the mention's thread (a new thread under the mention if none)."""
    place = Place(channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"])
    question = strip_mentions(event.get("text") or "")
    if not question:
        call(client, "chat_postMessage", channel=place.channel, thread_ts=place.thread_ts, text=HELP)
        return
    bot.workers.run(lambda: answer(bot, client, place, question),
                    on_error=lambda line: say_line(client, place, f"Could not answer: {line}"))


def answer(bot: Bot, client: Any, place: Place, question: str) -> None:
    """Retrieve and answer with the shared `ask` core; post it with arXiv links."""
    result = ask(bot.session.services, question, k=8, models=lambda role: bot.chat_model())
    text, blocks = answer_message(result)
    call(client, "chat_postMessage", channel=place.channel, thread_ts=place.thread_ts, text=text, blocks=blocks,
         unfurl_links=False, unfurl_media=False)
