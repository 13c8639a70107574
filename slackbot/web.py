"""Calls to Slack's Web API from the bot, with Slack's refusals turned into one clear line.

The adapter boundary for everything the bot sends (messages, edits, ephemeral notes, modals,
files): `slack_sdk` raises several error types; here they become `SlackCallError`, whose message
says which method failed, Slack's error code, and what to do about the common ones.
"""

from __future__ import annotations

from typing import Any

from agent.digest.post import _hint as digest_hint
from tools.errors import AutoresearchError, explain

HINTS = {
    "missing_scope": " (add the scope Slack names to the bot token: chat:write, files:write, commands, "
                     "app_mentions:read)",
    "expired_trigger_id": " (the button is too old: click it again)",
    "message_not_found": " (the message was deleted)",
}


class SlackCallError(AutoresearchError, RuntimeError):
    """A Web API call failed; the message is one line a person can act on."""


def call(client: Any, method: str, **arguments: Any) -> dict[str, Any]:
    """Call `client.<method>(**arguments)` (e.g. `chat_postMessage`); its answer as a dict."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    name = method.replace("_", ".", 1)
    try:
        response = getattr(client, method)(**arguments)
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error") if error.response else "unknown_error"
        raise SlackCallError(f"Slack refused {name}: {code}{HINTS.get(code) or digest_hint(code)}") from None
    except (SlackClientError, OSError) as error:
        raise SlackCallError(f"Slack is unreachable ({name}): {one_line(error)}") from None
    return response.data if isinstance(response.data, dict) else {}


def one_line(error: BaseException) -> str:
    """An error as one line (with its hint, for the project's own errors)."""
    return explain(error)
