"""Post a digest to Slack: a small poster interface and its Slack Web API implementation.

The CLI (`autoresearch digest --post-slack CHANNEL`) and the Slack bot share it. The Web API
client is `slack_sdk.WebClient` pointed at `slack.api_url`, so tests talk to a fake Slack Web API
on 127.0.0.1; 429 answers are retried after Slack's `Retry-After`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field

from agent.digest.build import Digest
from agent.digest.slack_message import overview, paper_messages
from tools.errors import AutoresearchError

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from agent.settings import SlackSettings


class PostError(AutoresearchError, RuntimeError):
    """Slack did not take the digest; the message says what to fix."""


class PostReceipt(BaseModel):
    """Where the digest went."""

    channel: str
    """The channel id Slack answered with."""
    ts: str
    """The overview message's timestamp (the thread holding the papers)."""
    replies: list[str] = Field(default_factory=list)


class DigestPoster(Protocol):
    """Something that delivers a digest to a chat channel."""

    def post(self, channel: str, digest: Digest) -> PostReceipt:
        """Deliver the digest; raise `PostError` when it could not be delivered."""
        ...


class SlackPoster:
    """Post with `chat.postMessage`: the overview in the channel, the papers in its thread."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(self, channel: str, digest: Digest) -> PostReceipt:
        """Deliver the digest to `channel` (a name like `#papers` or an id)."""
        text, blocks = overview(digest)
        first = self._send(channel=channel, text=text, blocks=blocks)
        receipt = PostReceipt(channel=first["channel"], ts=first["ts"])
        for text, blocks in paper_messages(digest):
            reply = self._send(channel=receipt.channel, text=text, blocks=blocks,
                               thread_ts=receipt.ts, unfurl_links=False, unfurl_media=False)
            receipt.replies.append(reply["ts"])
        return receipt

    def _send(self, **arguments: Any) -> dict:
        """One `chat.postMessage`; Slack's errors become a `PostError` naming the cause."""
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            response = self.client.chat_postMessage(**arguments)
        except SlackApiError as error:
            code = error.response.get("error", "unknown_error") if error.response else "unknown_error"
            raise PostError(f"Slack refused chat.postMessage to {arguments['channel']}: {code}"
                            + _hint(code)) from None
        except (SlackClientError, OSError) as error:
            raise PostError(f"Slack is unreachable at {self.client.base_url}: {error}") from None
        return response.data if isinstance(response.data, dict) else {}


def _hint(code: str) -> str:
    """What a user can do about the common refusals."""
    return {
        "not_in_channel": " (invite the bot to the channel first)",
        "channel_not_found": " (check the channel name, or invite the bot to the private channel)",
        "invalid_auth": " (check slack.bot_token)",
        "not_authed": " (set slack.bot_token)",
        "missing_scope": " (the bot token needs the chat:write scope)",
    }.get(code, "")


def slack_poster(settings: SlackSettings) -> SlackPoster:
    """A poster using the configured bot token; a clear error when there is none."""
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        raise PostError("posting to Slack needs a bot token: set slack.bot_token "
                        "(env AUTORESEARCH_SLACK__BOT_TOKEN) to the app's xoxb- token")
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    base_url = settings.api_url if settings.api_url.endswith("/") else settings.api_url + "/"
    client = WebClient(token=settings.bot_token.get_secret_value(), base_url=base_url, timeout=30)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return SlackPoster(client)
