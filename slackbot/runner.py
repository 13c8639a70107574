"""Drive a review run from Slack: one progress message as the thread root, gates and results in
its thread, one clear line when something goes wrong.

These functions run in the bot's job pool (never on Slack's request thread). They only call the
shared core (`ReviewSession.start/resume/show`); everything Slack-shaped is in `blocks`,
`progress` and `web`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agent.review.approval import Decision, DraftRequest, InvalidDecision, parse_request
from agent.review.state import ReviewRequest
from agent.runs.events import ApprovalNeeded, BaseEvent, Failed, Finished
from agent.runs.registry import RunBusy, RunNotFound, new_run_id
from agent.runs.session import NotResumable
from agent.usecases import review
from slackbot.blocks import answered, context, gate_message, mrkdwn
from slackbot.bot import Bot
from slackbot.mrkdwn import escape
from slackbot.progress import ProgressMessage, ProgressView
from slackbot.refs import GateRef, Place
from slackbot.web import SlackCallError, call, one_line
from tools.errors import AutoresearchError

log = logging.getLogger(__name__)
Decide = Callable[[Any], Decision]
"""Turns the pending gate request into the person's decision (raises `Refused` to say no)."""


class Refused(AutoresearchError, ValueError):
    """The click cannot be acted on; the message tells the person why (sent only to them)."""


def start_review(bot: Bot, client: Any, channel: str, user: str, request: ReviewRequest) -> None:
    """Start a run: post its progress message in `channel`, then drive it to its first stop."""
    run_id = new_run_id()
    view = ProgressView.start(run_id, request.topic, user)
    text, blocks = view.message()
    root = call(client, "chat_postMessage", channel=channel, text=text, blocks=blocks)
    place = Place(channel=root.get("channel", channel), thread_ts=root["ts"])
    try:
        follow(bot, client, place, view, review.start(bot.session, request, run_id))
    except Exception as error:  # noqa: BLE001 - the thread exists now: the one clear line goes there
        log.warning("run %s: %s", run_id, one_line(error), exc_info=log.isEnabledFor(logging.DEBUG))
        say_line(client, place, f"Run {run_id} stopped: {one_line(error)}")


def resume_review(bot: Bot, client: Any, place: Place, ref: GateRef, user: str, decide: Decide) -> None:
    """Answer the gate `ref` names with `decide(request)` and drive the run to its next stop.

    Refuses (to the clicker only) a click on a gate that is no longer pending, or while another
    click on the same run is being handled.
    """
    with bot.claim(ref.run) as free:
        try:
            if not free:
                raise Refused("someone is answering this gate right now")
            info = review.show(bot.session, ref.run)
            request = _pending(info, ref)
            decision = decide(request)
            events = review.answer(bot.session, info.run_id, decision, by=f"slack:{user}")
        except (Refused, RunNotFound, RunBusy, NotResumable, InvalidDecision) as refusal:
            tell(client, place, user, str(refusal))
            return
        _mark_answered(client, place, ref, request, f"{_verb(decision)} by <@{user}>")
        view = ProgressView.start(info.run_id, info.topic, ref.by, timings=info.timings)
        follow(bot, client, place, view, events)


def _pending(info: Any, ref: GateRef) -> Any:
    """The run's pending request if it is still the gate (and draft revision) the button shows."""
    if info.status != "paused" or info.pending is None:
        raise Refused(f"run {info.run_id} is {info.status}: nothing is waiting for an answer")
    request = parse_request(info.pending)
    revision = request.revision if isinstance(request, DraftRequest) else 0
    if request.gate != ref.gate or revision != ref.rev:
        where = f"the {request.gate} gate" + (f" (revision {revision})" if revision else "")
        raise Refused(f"this gate was already answered: run {info.run_id} now waits at {where}")
    return request


def show_run(bot: Bot, client: Any, channel: str, user: str, run_id: str) -> None:
    """Post a run started elsewhere (the CLI, the TUI) with its pending gate, to answer it here."""
    info = review.show(bot.session, run_id)
    view = ProgressView.start(info.run_id, info.topic, user, timings=info.timings)
    view.state, view.note = info.status, info.error
    view.current = f"gate_{info.gate}" if info.gate else ""
    text, blocks = view.message()
    root = call(client, "chat_postMessage", channel=channel, text=text, blocks=blocks)
    if info.pending is not None:
        request = parse_request(info.pending)
        _post_gate(client, Place(channel=root.get("channel", channel), thread_ts=root["ts"]),
                   GateRef(run=info.run_id, gate=request.gate, rev=getattr(request, "revision", 0), by=user), request)


def follow(bot: Bot, client: Any, place: Place, view: ProgressView, events: Iterator[BaseEvent]) -> None:
    """Drive the run's events into the progress message; then post where it stopped."""
    progress = ProgressMessage(client, place.channel, place.thread_ts, view, bot.settings.slack.progress_interval_s)
    last: BaseEvent | None = None
    try:
        for event in events:
            progress.record(event)
            last = event
    finally:
        progress.close()
    if isinstance(last, ApprovalNeeded):
        request = parse_request(last.request)
        ref = GateRef(run=last.run_id, gate=request.gate, rev=getattr(request, "revision", 0), by=view.requested_by)
        _post_gate(client, place, ref, request)
    elif isinstance(last, Finished):
        _post_finished(client, place, last)
    elif isinstance(last, Failed) and not last.cancelled:
        say_line(client, place, f"Run {last.run_id} failed: {last.error} (resume it with "
                                f"`autoresearch runs resume {last.run_id}`)")


def _post_gate(client: Any, place: Place, ref: GateRef, request: Any) -> None:
    text, blocks = gate_message(ref, request)
    call(client, "chat_postMessage", channel=place.channel, thread_ts=place.thread_ts, text=text, blocks=blocks)
    if isinstance(request, DraftRequest):
        attach(client, place, f"draft-r{request.revision}.md", request.markdown, f"Draft, revision {request.revision}")


def _post_finished(client: Any, place: Place, done: Finished) -> None:
    c = done.counts
    line = (f":white_check_mark: *Review written*: {c.get('papers', 0)} papers, {c.get('themes', 0)} themes, "
            f"{c.get('citations', 0)} citations ({c.get('unresolved', 0)} unresolved, "
            f"{c.get('unsupported', 0)} unsupported).")
    call(client, "chat_postMessage", channel=place.channel, thread_ts=place.thread_ts, text="Review written",
         blocks=[mrkdwn(line), context(f"Output on the bot's machine: `{escape(done.out_dir)}`")])
    review = Path(done.out_dir) / "review.md"
    if review.is_file():
        attach(client, place, "review.md", review.read_text(encoding="utf-8"), "Literature review")


def attach(client: Any, place: Place, filename: str, content: str, title: str) -> None:
    """Upload a text file into the thread; a refusal becomes one line there instead."""
    try:
        call(client, "files_upload_v2", channel=place.channel, thread_ts=place.thread_ts, filename=filename,
             content=content, title=title)
    except SlackCallError as error:
        say_line(client, place, f"Could not attach {filename}: {error}")


def _mark_answered(client: Any, place: Place, ref: GateRef, request: Any, line: str) -> None:
    """Replace the gate message's buttons with who answered (nothing left to click twice)."""
    if not place.message_ts:
        return
    text, blocks = gate_message(ref, request)
    try:
        call(client, "chat_update", channel=place.channel, ts=place.message_ts, text=text,
             blocks=answered(blocks, line))
    except SlackCallError as error:
        log.warning("could not mark the gate message answered: %s", error)


def _verb(decision: Decision) -> str:
    return {"approve": ":white_check_mark: Approved", "edit": ":pencil2: Edited and approved",
            "revise": ":leftwards_arrow_with_hook: Sent back for revision"}[decision.action]


def say_line(client: Any, place: Place, line: str) -> None:
    """Post one line in the run's thread (errors land here, never in a traceback)."""
    text = f":warning: {line.splitlines()[0] if line else 'something went wrong'}"
    try:
        call(client, "chat_postMessage", channel=place.channel, thread_ts=place.thread_ts, text=text)
    except SlackCallError as error:
        log.warning("could not post to the thread: %s (the line was: %s)", error, text)


def tell(client: Any, place: Place, user: str, line: str) -> None:
    """Say something to one person only (an ephemeral message in the thread)."""
    try:
        call(client, "chat_postEphemeral", channel=place.channel, user=user, thread_ts=place.thread_ts,
             text=line.splitlines()[0])
    except SlackCallError as error:
        log.warning("could not tell %s: %s (the line was: %s)", user, error, line)
