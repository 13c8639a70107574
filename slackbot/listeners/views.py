"""Modal submissions: the edited outline, and the feedback that sends a draft back.

A submission is checked while the modal is still open (Slack waits up to 3 s for the answer), so
a mistake shows under the text box instead of as a failed run: an outline naming a paper the run
did not read, empty feedback, a gate someone else already answered.
"""

from __future__ import annotations

import logging
from typing import Any

from agent.review.approval import (
    Decision,
    InvalidDecision,
    OutlineRequest,
    outline_from_markdown,
    parse_request,
)
from agent.review.types import Outline
from agent.runs.registry import RunNotFound
from slackbot import blocks as kit
from slackbot.bot import Bot
from slackbot.listeners.actions import refusal
from slackbot.refs import ModalMeta
from slackbot.runner import resume_review, say_line, tell

log = logging.getLogger(__name__)


def register(app: Any, bot: Bot) -> None:
    """Add the modal listeners to the Bolt app."""

    @app.view(kit.OUTLINE_VIEW)
    def outline_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        """The outline modal's Approve."""
        submit_outline(bot, ack, body, view, client)

    @app.view(kit.FEEDBACK_VIEW)
    def feedback_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        """The feedback modal's Send back."""
        submit_feedback(bot, ack, body, view, client)


def _approver_meta(bot: Bot, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any
                   ) -> tuple[ModalMeta, str] | None:
    """The modal's gate and the submitting user; None after closing it for anyone else."""
    meta, user = ModalMeta.parse(view.get("private_metadata")), (body.get("user") or {}).get("id", "")
    if meta is None:
        ack()
        log.warning("ignored a submission of %s without our metadata", view.get("callback_id"))
        return None
    if not bot.is_approver(user):
        ack()
        tell(client, meta.place, user, refusal(bot, user))
        return None
    return meta, user


def submit_outline(bot: Bot, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
    """Approve the outline as submitted (edited or not); errors stay in the open modal."""
    found = _approver_meta(bot, ack, body, view, client)
    if found is None:
        return
    meta, user = found
    text = kit.submitted_text(view, kit.OUTLINE_BLOCK, kit.OUTLINE_INPUT)
    try:
        info = bot.session.show(meta.ref.run)
        request = parse_request(info.pending) if info.pending else None
        if not isinstance(request, OutlineRequest):
            raise InvalidDecision(f"run {meta.ref.run} is not waiting at the outline gate any more")
        decision = Decision(action="approve") if text is None else outline_decision(text, request)
        decision.check(request)
    except (InvalidDecision, RunNotFound) as error:
        if text is None:
            ack()
            tell(client, meta.place, user, str(error))
        else:
            ack(response_action="errors", errors={kit.OUTLINE_BLOCK: str(error)[:300]})
        return
    ack()
    bot.workers.run(lambda: resume_review(bot, client, meta.place, meta.ref, user, lambda _request: decision),
                    on_error=lambda line: say_line(client, meta.place, line))


def outline_decision(text: str, request: OutlineRequest) -> Decision:
    """Approve when the text is the proposed outline, else an edit with the outline it describes."""
    outline = outline_from_markdown(text, request.outline.topic)
    if _shape(outline) == _shape(request.outline):
        return Decision(action="approve")
    return Decision(action="edit", outline=outline)


def _shape(outline: Outline) -> tuple[str, list[tuple[str, list[str]]]]:
    return outline.title, [(t.title, list(t.paper_ids)) for t in outline.themes]


def submit_feedback(bot: Bot, ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
    """Send the draft back with the feedback typed in the modal."""
    found = _approver_meta(bot, ack, body, view, client)
    if found is None:
        return
    meta, user = found
    feedback = (kit.submitted_text(view, kit.FEEDBACK_BLOCK, kit.FEEDBACK_INPUT) or "").strip()
    if not feedback:
        ack(response_action="errors", errors={kit.FEEDBACK_BLOCK: "Say what the next revision should change."})
        return
    ack()
    decision = Decision(action="revise", feedback=feedback)
    bot.workers.run(lambda: resume_review(bot, client, meta.place, meta.ref, user, lambda _request: decision),
                    on_error=lambda line: say_line(client, meta.place, line))
