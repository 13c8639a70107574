"""Build the Bolt app: the Web API client from settings, request verification, the listeners.

`build_app(settings)` is what `autoresearch slack` serves (Socket Mode or the HTTP receiver) and
what tests drive over real HTTP. Tokens and the signing secret are read from the settings'
`SecretStr`s only here and handed to Bolt and slack_sdk; nothing logs them.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from agent.settings import Settings, SlackSettings
from slackbot.bot import Bot
from slackbot.listeners import actions, commands, events, views
from tools.errors import AutoresearchError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

log = logging.getLogger(__name__)
LISTENERS = (commands, events, actions, views)


class BotConfigError(AutoresearchError, ValueError):
    """A setting the bot needs is missing; the message names it and its environment variable."""


def secret(value: Any) -> str:
    """A `SecretStr`'s value, or "" when unset."""
    return value.get_secret_value().strip() if value is not None else ""


def web_client(slack: SlackSettings) -> WebClient:
    """The Web API client: the bot token, `slack.api_url`, and retries after Slack's 429s."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    token = secret(slack.bot_token)
    if not token:
        raise BotConfigError("the Slack bot needs a bot token: set slack.bot_token "
                             "(env AUTORESEARCH_SLACK__BOT_TOKEN) to the app's xoxb- token")
    base_url = slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"
    client = WebClient(token=token, base_url=base_url, timeout=30, logger=logging.getLogger("slackbot.web"))
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def build_app(settings: Settings, *, bot: Bot | None = None, client: WebClient | None = None,
              socket_mode: bool = False, token_verification_enabled: bool = True) -> App:
    """The Bolt app with every listener registered.

    Over HTTP every request must carry a valid Slack signature (`slack.signing_secret`); Socket
    Mode requests arrive over Slack's own authenticated websocket and carry none.
    `token_verification_enabled` calls `auth.test` now, so a wrong token fails at start.
    """
    from slack_bolt import App
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    client = client or web_client(settings.slack)
    signing_secret = secret(settings.slack.signing_secret)
    if not socket_mode and not signing_secret:
        raise BotConfigError("the HTTP receiver needs the app's signing secret: set slack.signing_secret "
                             "(env AUTORESEARCH_SLACK__SIGNING_SECRET), or use Socket Mode (slack.app_token)")
    bot = bot or Bot(settings)
    try:
        app = App(client=client, signing_secret=signing_secret or None,
                  request_verification_enabled=not socket_mode, token_verification_enabled=token_verification_enabled,
                  listener_executor=bot.workers.listeners, logger=logging.getLogger("slackbot.bolt"))
    except BoltError as error:  # Bolt's auth.test at start said no
        found = re.search(r"'error': '([a-z_]+)'", str(error))
        raise BotConfigError(f"Slack refused slack.bot_token: {found.group(1) if found else 'unknown_error'} "
                             "(check the xoxb- token and the app's installation)") from None
    except (SlackClientError, OSError) as error:
        raise BotConfigError(f"Slack is unreachable at {settings.slack.api_url}: {error}") from None
    for listeners in LISTENERS:
        listeners.register(app, bot)
    app.error(_log_error)
    return app


def _log_error(error: Exception, body: dict[str, Any]) -> None:
    """A listener raised: one line in the log (Bolt answers Slack; the person sees no traceback)."""
    kind = body.get("type") or body.get("command") or "request"
    log.warning("a %s listener failed: %s", kind, str(error).splitlines()[0] if str(error) else type(error).__name__)
