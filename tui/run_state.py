"""What the TUI knows about each review run: its stages' progress, built from the event stream.

A run driven by this TUI is followed event by event (`RunView.apply`); a run started elsewhere
(the CLI, Slack) is known from the run registry (`RunView.from_info`: status, gate, stage
timings). The Runs screen and the chat's run cards render these views; nothing here imports
Textual, so the bookkeeping is tested on its own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.runs.events import (
    ApprovalNeeded,
    BaseEvent,
    Failed,
    Finished,
    Progress,
    StageFinished,
    StageStarted,
    Warning,
)
from agent.runs.registry import RunInfo

STAGES = ("plan", "search", "gate_papers", "ingest", "snowball", "gate_cited", "figures", "outline",
          "gate_outline", "draft", "verify", "gate_draft", "export")
"""The review's stages in order (`agent.review.graph.STAGES`, repeated here so the TUI need not import
LangGraph to draw a table; a test keeps the two equal)."""
GATE_STAGES = {"papers": "gate_papers", "outline": "gate_outline", "draft": "gate_draft"}


def gate_stage(gate: str, request: dict | None) -> str:
    """The stage paused at a gate (the second papers round, on cited works, has its own)."""
    if gate == "papers" and (request or {}).get("round") == "citations":
        return "gate_cited"
    return GATE_STAGES[gate]


StageStatus = Literal["waiting", "running", "done", "paused", "failed", "skipped"]


class StageView(BaseModel):
    """One stage's row: status, progress, timing, latest message."""

    name: str
    status: StageStatus = "waiting"
    done: int = 0
    total: int = 0
    message: str = ""
    started_at: float | None = None
    seconds: float | None = None
    """Wall time once finished (summed over repeats, e.g. a revised draft)."""

    def elapsed(self, now: float) -> float | None:
        """Seconds spent: final once finished, running time while it runs."""
        if self.seconds is not None and self.status != "running":
            return self.seconds
        if self.started_at is not None:
            return (self.seconds or 0.0) + max(0.0, now - self.started_at)
        return None


class RunView(BaseModel):
    """A run as the TUI shows it."""

    run_id: str
    topic: str = ""
    status: str = "running"
    gate: str | None = None
    stages: dict[str, StageView] = Field(default_factory=lambda: {s: StageView(name=s) for s in STAGES})
    warnings: list[str] = Field(default_factory=list)
    error: str = ""
    out_dir: str = ""
    counts: dict[str, int] = Field(default_factory=dict)
    pending: dict[str, Any] | None = None
    live_here: bool = False
    """This TUI is driving the run now."""
    updated: str = ""

    @classmethod
    def from_info(cls, info: RunInfo, previous: RunView | None = None) -> RunView:
        """A view of a registry row, keeping what events already told us about it."""
        view = previous.model_copy(deep=True) if previous else cls(run_id=info.run_id)
        view.topic, view.updated, view.out_dir = info.topic, info.updated, info.out_dir or view.out_dir
        if not view.live_here:
            view.status, view.gate, view.error = info.status, info.gate, info.error
            if info.status == "running" and not info.live:
                view.status = "stopped"  # its process died: resume it
        for name, seconds in info.timings.items():
            stage = view.stages.get(name)
            if stage is not None and stage.status in ("waiting", "done"):
                stage.status, stage.seconds = "done", seconds
        if info.gate and not view.live_here:
            view.stages[gate_stage(info.gate, info.pending)].status = "paused"
        if info.pending is not None:
            view.pending = info.pending
        return view

    def apply(self, event: BaseEvent) -> None:
        """Fold one event into the view."""
        if isinstance(event, StageStarted):
            stage = self.stages.setdefault(event.stage, StageView(name=event.stage))
            stage.status, stage.started_at, stage.message = "running", event.at, ""
            stage.done = stage.total = 0
            self.status, self.gate = "running", None
        elif isinstance(event, Progress):
            stage = self.stages.setdefault(event.stage, StageView(name=event.stage))
            stage.done, stage.total, stage.message = event.done, event.total, event.message
        elif isinstance(event, StageFinished):
            stage = self.stages.setdefault(event.stage, StageView(name=event.stage))
            stage.seconds = round((stage.seconds or 0.0) + event.seconds, 3) if stage.status != "running" \
                else event.seconds + (stage.seconds or 0.0)
            stage.status, stage.started_at = "done", None
        elif isinstance(event, Warning):
            self.warnings.append(f"{event.stage}: {event.message}" if event.stage else event.message)
        else:
            self._apply_end(event)

    def _apply_end(self, event: BaseEvent) -> None:
        if isinstance(event, ApprovalNeeded):
            self.status, self.gate, self.pending = "paused", event.gate, event.request
            self.stages[gate_stage(event.gate, event.request)].status = "paused"
        elif isinstance(event, Finished):
            self.status, self.gate, self.pending = "finished", None, None
            self.out_dir, self.counts = event.out_dir, event.counts
            for stage in self.stages.values():
                if stage.status == "waiting":
                    stage.status = "skipped"  # e.g. the cited-papers gate when nothing was cited
        elif isinstance(event, Failed):
            self.status = "cancelled" if event.cancelled else "failed"
            self.error = event.error
            for stage in self.stages.values():
                if stage.status == "running":
                    stage.status = "failed"

    def current(self) -> StageView | None:
        """The stage running or waiting for a person now, if any."""
        return next((s for s in self.stages.values() if s.status in ("running", "paused")), None)

    def waits_for(self) -> str:
        """What a paused run waits for, in words: `10 papers`, `the outline`, `draft rev. 1`."""
        if self.status != "paused" or not self.gate:
            return ""
        request = self.pending or {}
        if self.gate == "papers":
            count = len(request.get("candidates", []))
            return f"approval of {count} papers" if count else "approval of the papers"
        if self.gate == "outline":
            return f"approval of the outline ({len(request.get('outline', {}).get('themes', []))} sections)" \
                if request else "approval of the outline"
        return f"approval of draft revision {request.get('revision', 0)}" if request else "approval of the draft"

    def headline(self) -> str:
        """One line: status, and what it waits for or where it stands."""
        if self.status == "paused":
            return f"paused: waits for {self.waits_for()}"
        if self.status == "running":
            stage = self.current()
            return f"running: {stage.name}" if stage else "running"
        if self.status == "finished":
            return f"finished: {self.out_dir}/review.md" if self.out_dir else "finished"
        if self.status == "stopped":
            return "stopped (its process ended): resume it with r"
        return f"{self.status}: {self.error}" if self.error else self.status
