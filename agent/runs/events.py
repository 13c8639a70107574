"""What a review run tells its front ends: a stream of typed events.

The CLI renders them as progress bars (or JSON lines with `--json`), the TUI as widgets, the Slack
bot as messages; all three read exactly these models. Every event carries the run id and a `type`
discriminator, so one JSON line is enough to rebuild the event with `parse_event`.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from agent.review.types import GateName


class BaseEvent(BaseModel):
    """Fields every event has."""

    run_id: str = ""
    """The run this event belongs to (stamped by the session)."""
    at: float = Field(default_factory=time.time)
    """When it happened (Unix seconds)."""


class StageStarted(BaseEvent):
    """A stage (graph node) began: plan, search, gate_papers, ingest, figures, outline, …"""

    type: Literal["stage_started"] = "stage_started"
    stage: str


class StageFinished(BaseEvent):
    """A stage finished; `seconds` is its wall time."""

    type: Literal["stage_finished"] = "stage_finished"
    stage: str
    seconds: float


class Progress(BaseEvent):
    """`done` of `total` items of a stage are through (papers ingested, queries sent, …)."""

    type: Literal["progress"] = "progress"
    stage: str
    done: int
    total: int
    message: str = ""


class Warning(BaseEvent):  # noqa: A001 - the public name the front ends use; no builtin needed here
    """Something went wrong without stopping the run (one paper could not be read, …)."""

    type: Literal["warning"] = "warning"
    stage: str = ""
    message: str


class ApprovalNeeded(BaseEvent):
    """The run paused at a gate; `request` is the gate's typed request as JSON
    (`agent.review.approval.PapersRequest | OutlineRequest | DraftRequest`)."""

    type: Literal["approval_needed"] = "approval_needed"
    gate: GateName
    request: dict[str, Any]


class Finished(BaseEvent):
    """The review is written: `out_dir` holds review.md, references.bib, run.json, figures/."""

    type: Literal["finished"] = "finished"
    out_dir: str
    counts: dict[str, int] = Field(default_factory=dict)
    """papers, ingested, abstract_only, failed, themes, citations, unresolved, unsupported."""


class Failed(BaseEvent):
    """The run stopped: one line saying why. `cancelled` when a person cancelled it."""

    type: Literal["failed"] = "failed"
    error: str
    cancelled: bool = False


Event = Annotated[StageStarted | StageFinished | Progress | Warning | ApprovalNeeded | Finished | Failed,
                  Field(discriminator="type")]
"""Any event; `type` tells which."""

_EVENT = TypeAdapter(Event)


def parse_event(data: dict[str, Any] | str) -> BaseEvent:
    """Rebuild an event from its JSON (a dict or one JSON line)."""
    if isinstance(data, str):
        return _EVENT.validate_json(data)
    return _EVENT.validate_python(data)
