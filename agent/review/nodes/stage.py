"""What every review node shares: stage events, timings, warnings, cancellation, the gate helper.

A node is written as `def ingest(state, runtime, report) -> dict` and wrapped by `@stage("ingest")`,
which checks for cancellation, sends StageStarted/StageFinished through LangGraph's stream writer,
and adds the stage's wall time and warnings to the node's update.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from agent.review.approval import Decision, auto_approve
from agent.review.context import ReviewContext
from agent.review.state import GateRecord, State
from agent.review.types import GateName
from agent.runs.events import Progress, StageFinished, StageStarted, Warning
from agent.settings import GatePolicy

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

NodeBody = Callable[[State, "Runtime[ReviewContext]", "Reporter"], dict[str, Any]]
HALT_POLL_S = 0.1
"""How often a halted stage (the crash-test hook) looks for a cancellation."""


class Node(Protocol):
    """A wrapped node as LangGraph calls it: the state, and the runtime by its name."""

    __name__: str

    def __call__(self, state: State, runtime: Runtime[ReviewContext]) -> dict[str, Any]: ...


class Reporter:
    """A node's voice: progress and warnings as events; every call is a cancellation point."""

    def __init__(self, runtime: Runtime[ReviewContext], stage: str) -> None:
        self.context = runtime.context
        self.emit = runtime.stream_writer
        self.stage = stage
        self.warnings: list[str] = []

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report `done` of `total`; stop here if the run was cancelled."""
        self.context.check_cancelled()
        self.emit(Progress(stage=self.stage, done=done, total=total, message=message).model_dump(mode="json"))
        if self.context.settings.review.halt_at == f"{self.stage}:{done}":
            self._halt()

    def warn(self, message: str) -> None:
        """Report a problem that does not stop the run (it is also kept in the run's report)."""
        self.warnings.append(message)
        self.emit(Warning(stage=self.stage, message=message).model_dump(mode="json"))

    def _halt(self) -> None:
        """The crash-test hook (`review.halt_at`): stay here until killed or cancelled."""
        self.emit(Warning(stage=self.stage, message="halted by review.halt_at").model_dump(mode="json"))
        stop = threading.Event()
        while not stop.wait(HALT_POLL_S):
            self.context.check_cancelled()


def stage(name: str) -> Callable[[NodeBody], Node]:
    """Wrap a node body with the stage's events, timing, warnings and cancellation check."""

    def wrap(body: NodeBody) -> Node:
        def node(state: State, runtime: Runtime[ReviewContext]) -> dict[str, Any]:
            runtime.context.check_cancelled()
            runtime.stream_writer(StageStarted(stage=name).model_dump(mode="json"))
            report = Reporter(runtime, name)
            started, spent_before = time.perf_counter(), runtime.context.usage()
            update = body(state, runtime, report) or {}
            seconds = round(time.perf_counter() - started, 4)
            runtime.stream_writer(StageFinished(stage=name, seconds=seconds).model_dump(mode="json"))
            update["timings"] = {name: seconds}
            spent = llm_spent(spent_before, runtime.context.usage())
            if spent["calls"]:
                update["llm_usage"] = {name: spent}
            if report.warnings:
                update["warnings"] = [f"{name}: {w}" for w in report.warnings]
            return update

        node.__name__ = node.__qualname__ = body.__name__
        node.__doc__ = body.__doc__
        return node

    return wrap


def llm_spent(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Chat-model calls, tokens and cost between two usage snapshots (cost None when unpriced)."""
    spent: dict[str, Any] = {k: after.get(k, 0) - before.get(k, 0)
                             for k in ("calls", "input_tokens", "output_tokens")}
    cost_after, cost_before = after.get("cost_usd", 0.0), before.get("cost_usd", 0.0)
    spent["cost_usd"] = None if cost_after is None or cost_before is None else round(cost_after - cost_before, 8)
    return spent


def ask(gate: GateName, policy: GatePolicy, request: Any) -> Decision:
    """Pass a gate: approve on an `auto` policy, else pause the run until a person decides.

    Everything a gate node does before calling this runs again when the run resumes (LangGraph
    re-executes the interrupted node), so it must only build the request.
    """
    if policy == "auto":
        return auto_approve()
    from langgraph.types import interrupt  # LangGraph itself loads only where a run is driven

    answer = interrupt(request.model_dump(mode="json"))
    decision = Decision.model_validate(answer)
    decision.check(request)
    return decision


def record(gate: GateName, decision: Decision, detail: str = "") -> list[GateRecord]:
    """The state update that logs a gate decision."""
    return [GateRecord(gate=gate, action=decision.action, by=decision.by, detail=detail)]
