"""A review's progress as ONE Slack message, edited in place (`chat.update`), never one per event.

`ProgressView` folds the run's events into what the message shows (stage checklist, a status
line); `ProgressMessage` sends it: at most one edit per `interval_s`, and a change that arrives
inside the interval is sent when the interval ends (a timer), so a long quiet stage never leaves
the message stale. The last state (paused, finished, failed) is always sent at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.review.graph import STAGES
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
from slackbot.mrkdwn import escape
from slackbot.web import SlackCallError, call

log = logging.getLogger(__name__)
Block = dict[str, Any]
STAGE_LABELS = {"gate_papers": "papers ✋", "gate_cited": "cited papers ✋", "gate_outline": "outline ✋", "gate_draft": "draft ✋"}
RunState = Literal["running", "paused", "finished", "failed", "cancelled"]


class StageState(BaseModel):
    """One stage as the message shows it."""

    status: Literal["pending", "running", "done"] = "pending"
    seconds: float = 0.0
    done: int = 0
    total: int = 0


class ProgressView(BaseModel):
    """What the progress message says, rebuilt from events."""

    run_id: str
    topic: str
    requested_by: str = ""
    stages: dict[str, StageState] = Field(default_factory=dict)
    state: RunState = "running"
    current: str = ""
    note: str = ""
    warnings: int = 0
    counts: dict[str, int] = Field(default_factory=dict)

    @classmethod
    def start(cls, run_id: str, topic: str, requested_by: str = "",
              timings: dict[str, float] | None = None) -> ProgressView:
        """A fresh view; `timings` marks the stages an earlier drive of the run already finished."""
        stages = {s: StageState() for s in STAGES}
        for stage, seconds in (timings or {}).items():
            if stage in stages:
                stages[stage] = StageState(status="done", seconds=seconds)
        return cls(run_id=run_id, topic=topic, requested_by=requested_by, stages=stages)

    def apply(self, event: BaseEvent) -> bool:
        """Fold one event in; True when it ends this drive of the run (send it now)."""
        stage = getattr(event, "stage", "")
        if isinstance(event, StageStarted):
            self.stages.setdefault(stage, StageState()).status = "running"
            self.current, self.note = stage, ""
        elif isinstance(event, Progress):
            state = self.stages.setdefault(stage, StageState(status="running"))
            state.done, state.total = event.done, event.total
            self.current, self.note = stage, event.message
        elif isinstance(event, StageFinished):
            self.stages[stage] = StageState(status="done", seconds=event.seconds)
        elif isinstance(event, Warning):
            self.warnings += 1
        elif isinstance(event, ApprovalNeeded):
            self.state, self.current = "paused", f"gate_{event.gate}"
        elif isinstance(event, Finished):
            self.state, self.counts = "finished", dict(event.counts)
        elif isinstance(event, Failed):
            self.state, self.note = ("cancelled" if event.cancelled else "failed"), event.error
        return self.state != "running"

    def message(self) -> tuple[str, list[Block]]:
        """The message's fallback text and blocks."""
        head = f"*Literature review:* {escape(self.topic)}\nRun `{self.run_id}`"
        if self.requested_by:
            head += f" · requested by <@{self.requested_by}>"
        status = self.status_line()
        blocks: list[Block] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": head[:3000]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": status[:3000]}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": self.stage_line()[:3000]}]},
        ]
        return f"Review of {self.topic}: {status}"[:3000], blocks

    def status_line(self) -> str:
        """One line: what the run is doing or how it ended."""
        warned = f" · {self.warnings} warning{'s' if self.warnings != 1 else ''}" if self.warnings else ""
        if self.state == "paused":
            gate = self.current.removeprefix("gate_")
            return f":raised_hand: Waiting at the *{gate}* gate: an approver answers in the thread.{warned}"
        if self.state == "finished" and not self.counts:
            return f":white_check_mark: Done.{warned}"
        if self.state == "finished":
            c = self.counts
            return (f":white_check_mark: Done: {c.get('papers', 0)} papers, {c.get('themes', 0)} themes, "
                    f"{c.get('citations', 0)} citations ({c.get('unresolved', 0)} unresolved).{warned}")
        if self.state == "cancelled":
            return ":no_entry: Cancelled."
        if self.state == "failed":
            return f":x: Failed: {escape(self.note)}"
        stage = self.stages.get(self.current)
        detail = f" {stage.done}/{stage.total}" if stage and stage.total else ""
        note = f" — {escape(self.note)[:200]}" if self.note else ""
        label = STAGE_LABELS.get(self.current, self.current) or "starting"
        return f":hourglass_flowing_sand: {label}{detail}{note}{warned}"

    def stage_line(self) -> str:
        """Every stage with a mark: done (with its time), running, or still to come (a finished run
        leaves out the stages it never needed, such as the cited-papers gate when nothing was cited)."""
        marks = []
        for name, stage in self.stages.items():
            label = STAGE_LABELS.get(name, name)
            if self.state == "finished" and stage.status not in ("done", "running"):
                continue
            if stage.status == "done":
                marks.append(f"✓ {label}" + (f" {stage.seconds:.1f} s" if not name.startswith("gate_") else ""))
            elif stage.status == "running":
                marks.append(f"▸ *{label}*" + (f" {stage.done}/{stage.total}" if stage.total else ""))
            else:
                marks.append(f"○ {label}")
        return "  ·  ".join(marks)


class ProgressMessage:
    """Send a `ProgressView` to one existing message, throttled."""

    def __init__(self, client: Any, channel: str, ts: str, view: ProgressView, interval_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.channel, self.ts, self.view = client, channel, ts, view
        self.interval_s = interval_s
        self.clock = clock
        self._lock = threading.Lock()
        self._last_sent = float("-inf")
        self._dirty = False
        self._timer: threading.Timer | None = None

    def record(self, event: BaseEvent) -> None:
        """Fold an event into the view; send now if the interval allows, else schedule it."""
        with self._lock:
            final = self.view.apply(event)
            self._dirty = True
        if final:
            self.flush()
            return
        wait = self.interval_s - (self.clock() - self._last_sent)
        if wait <= 0:
            self.flush()
        else:
            self._schedule(wait)

    def flush(self) -> None:
        """Send the view now if it changed since the last send."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not self._dirty:
                return
            self._dirty = False
            self._last_sent = self.clock()
            text, blocks = self.view.message()
            try:
                call(self.client, "chat_update", channel=self.channel, ts=self.ts, text=text, blocks=blocks)
            except SlackCallError as error:  # progress is cosmetic: a failed edit never stops a run
                log.warning("could not update the progress message: %s", error)

    def close(self) -> None:
        """Send what is pending and stop the timer."""
        self.flush()

    def _schedule(self, wait: float) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(wait, self.flush)
            self._timer.daemon = True
            self._timer.start()
