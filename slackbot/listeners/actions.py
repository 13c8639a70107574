"""Buttons and checkboxes on gate messages: approve, keep all, open the outline or feedback modal.

Every click is acknowledged first. Only `slack.approvers` may answer a gate; anyone else gets an
ephemeral refusal and nothing changes. Modals open at once (a click's trigger expires in 3 s);
resuming the run happens in the job pool.
"""

from __future__ import annotations

import logging
from typing import Any

from agent.review.approval import Decision, OutlineRequest, PapersRequest, parse_request
from agent.runs.registry import RunNotFound
from slackbot import blocks as kit
from slackbot.bot import Bot
from slackbot.refs import GateRef, ModalMeta, Place, place_of
from slackbot.runner import Refused, resume_review, say_line, tell
from slackbot.web import SlackCallError, call

log = logging.getLogger(__name__)


def register(app: Any, bot: Bot) -> None:
    """Add the gate buttons' listeners to the Bolt app."""

    @app.action(kit.PAPER_KEEP)
    def toggle(ack: Any) -> None:
        """A tick or untick: nothing to do until Approve reads the boxes."""
        ack()  # a tick or untick; the Approve click reads the boxes' state

    for action_id in (kit.PAPERS_APPROVE, kit.PAPERS_KEEP_ALL, kit.OUTLINE_APPROVE, kit.DRAFT_APPROVE):
        app.action(action_id)(_answer_listener(bot))

    @app.action(kit.OUTLINE_OPEN)
    def open_outline(ack: Any, body: dict[str, Any], client: Any) -> None:
        """Edit outline…: the outline in a modal."""
        ack()
        open_modal(bot, body, client, outline=True)

    @app.action(kit.DRAFT_REVISE)
    def open_feedback(ack: Any, body: dict[str, Any], client: Any) -> None:
        """Revise…: the feedback modal."""
        ack()
        open_modal(bot, body, client, outline=False)


def _answer_listener(bot: Bot) -> Any:
    def answer(ack: Any, body: dict[str, Any], client: Any) -> None:
        """Approve / Keep all / Approve outline / Approve draft."""
        ack()
        answer_gate(bot, body, client)

    return answer


def clicked(bot: Bot, body: dict[str, Any], client: Any) -> tuple[GateRef, Place, str] | None:
    """The gate, place and user of a click, or None after refusing it (not ours, not an approver)."""
    action = (body.get("actions") or [{}])[0]
    ref, place, user = GateRef.parse(action.get("value")), place_of(body), (body.get("user") or {}).get("id", "")
    if ref is None or place is None:
        log.warning("ignored a click on %s that carries no gate", action.get("action_id"))
        return None
    if not bot.is_approver(user):
        tell(client, place, user, refusal(bot, user))
        return None
    return ref, place, user


def refusal(bot: Bot, user: str) -> str:
    """Why this person may not answer gates, and who can fix that."""
    if not bot.settings.slack.approvers:
        return ("Nobody may approve yet: the bot's admin sets `slack.approvers` "
                f"(env AUTORESEARCH_SLACK__APPROVERS), e.g. to [\"{user}\"].")
    people = ", ".join(f"<@{u}>" for u in bot.settings.slack.approvers[:10])
    return f"Only approvers can answer this gate ({people}); nothing was changed."


def answer_gate(bot: Bot, body: dict[str, Any], client: Any) -> None:
    """Resume the run with the decision this button stands for."""
    found = clicked(bot, body, client)
    if found is None:
        return
    ref, place, user = found
    action_id = body["actions"][0]["action_id"]
    values = ((body.get("state") or {}).get("values")) or {}

    def decide(request: Any) -> Decision:
        """Approve, or drop the unticked papers (at least one must stay)."""
        if action_id != kit.PAPERS_APPROVE or not isinstance(request, PapersRequest):
            return Decision(action="approve")
        kept, dropped = kit.selection(values, request)
        if not kept:
            raise Refused("Tick at least one paper, or cancel the run with `autoresearch runs cancel "
                          f"{ref.run}`.")
        if any(c.flag and c.paper.arxiv_id in kept for c in request.candidates):
            return Decision(action="edit", keep=kept)  # a flagged one ticked: name what stays
        dropped = [c.paper.arxiv_id for c in request.candidates if c.paper.arxiv_id in dropped and not c.flag]
        return Decision(action="edit", drop=dropped) if dropped else Decision(action="approve")

    bot.workers.run(lambda: resume_review(bot, client, place, ref, user, decide),
                    on_error=lambda line: say_line(client, place, line))


def open_modal(bot: Bot, body: dict[str, Any], client: Any, outline: bool) -> None:
    """Open the outline editor or the feedback form for an approver's click."""
    found = clicked(bot, body, client)
    if found is None:
        return
    ref, place, user = found
    meta = ModalMeta(ref=ref, place=place)
    try:
        if outline:
            info = bot.session.show(ref.run)
            request = parse_request(info.pending) if info.pending else None
            if not isinstance(request, OutlineRequest):
                tell(client, place, user, f"Run {ref.run} is not waiting at the outline gate any more.")
                return
            view = kit.outline_modal(meta, request)
        else:
            view = kit.feedback_modal(meta)
        call(client, "views_open", trigger_id=body["trigger_id"], view=view)
    except RunNotFound as error:
        tell(client, place, user, str(error))
    except SlackCallError as error:
        say_line(client, place, f"Could not open the form: {error}")
