"""What the bot's buttons and modals carry, so any bot process can pick a run back up.

Nothing about a run lives only in the bot's memory: a gate's buttons carry the run id, the gate
and the draft revision they answer (`GateRef`), and a modal's private metadata also carries where
the run's thread is (`Place`). A click after a restart, or on another bot process on the same data
dir, finds everything it needs in the payload and in the run's checkpoint.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from agent.review.types import GateName


class GateRef(BaseModel):
    """The gate a button answers: run, gate, draft revision, and who asked for the review."""

    run: str
    gate: GateName
    rev: int = 0
    """The draft revision shown (a click on an older revision's buttons is refused)."""
    by: str = ""
    """The Slack user who started the review (kept in the progress message's header)."""

    def value(self) -> str:
        """The button value (JSON; Slack allows 2,000 characters)."""
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def parse(cls, text: str | None) -> GateRef | None:
        """Read a button value; None when it is not one of ours."""
        try:
            return cls.model_validate_json(text or "")
        except ValidationError:
            return None


class Place(BaseModel):
    """Where a run lives in Slack: the channel, its progress message (the thread root), and the
    gate message being answered."""

    channel: str
    thread_ts: str
    message_ts: str = ""


class ModalMeta(BaseModel):
    """A modal's `private_metadata`: the gate it answers and where to report."""

    ref: GateRef
    place: Place

    @classmethod
    def parse(cls, text: str | None) -> ModalMeta | None:
        """Read a view's private metadata; None when it is not one of ours."""
        try:
            return cls.model_validate_json(text or "")
        except ValidationError:
            return None


def place_of(body: dict[str, Any]) -> Place | None:
    """Where a button was clicked: its channel, thread root and message (None outside a message)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    if not channel or not message_ts:
        return None
    thread_ts = container.get("thread_ts") or message.get("thread_ts") or message_ts
    return Place(channel=channel, thread_ts=thread_ts, message_ts=message_ts)
