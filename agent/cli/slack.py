"""`autoresearch slack`: run the Slack bot (Socket Mode, or the HTTP receiver on /slack/events)."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Annotated, Any

import typer

from agent.cli.common import fail, print_json, settings_from


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("slack")(slack)


def slack(
    ctx: typer.Context,
    http: Annotated[bool, typer.Option("--http", help="Serve Slack's HTTP requests even when slack.app_token is set.")] = False,
    host: Annotated[str, typer.Option(help="Address the HTTP receiver listens on (put HTTPS in front of it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port of the HTTP receiver (0: any free port).")] = 3000,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document once listening (mode, url).")] = False,
) -> None:
    """Run the bot until stopped: /research, /digest, @mentions, approvals with buttons.

    Socket Mode when slack.app_token is set (no public URL needed), else the HTTP receiver on
    http://HOST:PORT/slack/events, which checks every request's Slack signature.
    """
    from slackbot.app import BotConfigError, build_app, secret
    from slackbot.bot import Bot

    settings = settings_from(ctx)
    socket_mode = bool(secret(settings.slack.app_token)) and not http
    bot = Bot(settings)
    try:
        app = build_app(settings, bot=bot, socket_mode=socket_mode)
    except BotConfigError as error:
        bot.close()
        fail(str(error))
    if not settings.slack.approvers:
        sys.stderr.write("autoresearch slack: slack.approvers is empty: nobody can answer review gates\n")
    stop = _stop_on_signals()
    try:
        if socket_mode:
            _serve_socket(app, secret(settings.slack.app_token), stop, as_json)
        else:
            _serve_http(app, host, port, secret(settings.slack.signing_secret), stop, as_json)
    finally:
        bot.close()


def _stop_on_signals() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM (a run in progress stays resumable from its checkpoint)."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _serve_http(app: Any, host: str, port: int, signing_secret: str, stop: threading.Event,
                as_json: bool) -> None:
    from slackbot.server import HttpReceiver

    try:
        receiver = HttpReceiver(app, host, port, signing_secret=signing_secret).start()
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
    _announce({"mode": "http", "url": receiver.url}, as_json)
    while not stop.wait(1.0):
        pass
    receiver.stop()


def _serve_socket(app: Any, app_token: str, stop: threading.Event, as_json: bool) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError, SlackClientError

    handler = SocketModeHandler(app, app_token)
    try:
        handler.connect()
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error") if error.response else "unknown_error"
        fail(f"Slack refused slack.app_token: {code} (it must be the app's xapp- token with connections:write)")
    except (SlackClientError, OSError) as error:
        fail(f"Slack is unreachable for Socket Mode: {str(error).splitlines()[0] if str(error) else error}")
    _announce({"mode": "socket"}, as_json)
    while not stop.wait(1.0):
        pass
    handler.close()


def _announce(where: dict[str, str], as_json: bool) -> None:
    if as_json:
        print_json({**where, "status": "listening"})
    else:
        url = f" on {where['url']}" if "url" in where else " over Socket Mode"
        sys.stderr.write(f"autoresearch slack: listening{url} (Ctrl-C stops)\n")
        sys.stderr.flush()
