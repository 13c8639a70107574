"""The one door every front end uses to run reviews: start, resume, list, show, cancel.

A run is a LangGraph thread behind the checkpointer (SQLite, or Postgres when shared; its id is
the thread id). `start` and `resume` return iterators of typed events (`agent.runs.events`); the run
advances as the caller iterates and stops at a gate (ApprovalNeeded), at the end (Finished) or on
an error (Failed). Nothing is lost if the caller stops iterating or the process dies: the run stays resumable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from agent import services as factories
from agent.llm.factory import configured_model
from agent.review.approval import Decision, InvalidDecision, parse_request
from agent.review.context import ReviewContext, ReviewServices, RunCancelled
from agent.review.state import ReviewRequest, State, resolve_request, run_counts
from agent.runs.events import ApprovalNeeded, BaseEvent, Failed, Finished, parse_event
from agent.runs.registry import RunBusy, RunInfo, RunNotFound, RunRegistry, new_run_id
from agent.settings import Settings
from tools.errors import AutoresearchError, explain
from tools.inputs import nonblank

if TYPE_CHECKING:
    from agent.review.stages import Stages

log = logging.getLogger(__name__)
ROLES_USED = ("planner", "writer")
"""The chat-model roles a review uses (each may be None: the extractive path)."""
__all__ = ["ReviewSession", "RunBusy", "RunNotFound", "InvalidDecision", "NotResumable"]


class NotResumable(AutoresearchError, RuntimeError):
    """The run is finished or cancelled."""


class ReviewSession:
    """Start, resume and inspect review runs on one data dir.

    Services (arXiv client, embedder, library) are built on first use unless given; the
    checkpointer and registry come from `agent.services` unless given; `chat_models(settings,
    role, usage=recorder)` builds a run's chat models (default `agent.services.chat_model`, which
    accounts tokens and cost in the run's recorder). Close it when done.
    """

    def __init__(self, settings: Settings, *, services: ReviewServices | None = None,
                 stages: Stages | None = None, checkpointer: Any = None,
                 registry: RunRegistry | None = None,
                 chat_models: Callable[..., Any] | None = None) -> None:
        self.settings = settings
        self.chat_models = chat_models or _configured_chat_model
        self.services = services or ReviewServices(settings)
        self._stages = stages
        self._owns_registry = registry is None
        self.registry = registry or factories.run_registry(settings)
        self._checkpointer = checkpointer
        self._graph: Any = None

    @property
    def stages(self) -> Stages:
        """What the nodes call (the production stages unless given; imported on first use, like
        the graph: listing and cancelling runs imports neither)."""
        if self._stages is None:
            from agent.review.stages import production_stages

            self._stages = production_stages()
        return self._stages

    @stages.setter
    def stages(self, value: Stages) -> None:
        self._stages = value

    @property
    def graph(self) -> Any:
        """The compiled review graph over the checkpointer (built on first use: listing and
        cancelling runs never pay for importing LangGraph or the review's nodes)."""
        if self._graph is None:
            from agent.review.graph import build_graph

            self._checkpointer = self._checkpointer or factories.checkpointer(self.settings)
            self._graph = build_graph(self._checkpointer)
        return self._graph

    def close(self) -> None:
        """Close the checkpointer's connection (or pool), and the registry this session opened."""
        connection = getattr(self._checkpointer, "conn", None)
        if connection is not None:
            connection.close()
        if self._owns_registry:
            self.registry.close()

    def __enter__(self) -> ReviewSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs -------------------------------------------------------------------------------------

    def start(self, request: ReviewRequest, run_id: str | None = None) -> Iterator[BaseEvent]:
        """Start a review; events until it finishes, fails or pauses at a gate.

        A blank topic is a `BadInput` before any run is recorded.
        """
        nonblank(request.topic, "the topic")
        run_id = run_id or new_run_id()
        resolved = resolve_request(request, self.settings, self.settings.data_dir / "reviews" / run_id)
        self.registry.create(run_id, resolved.topic, resolved.out_dir, resolved.model_dump_json())
        return self._drive(run_id, resolved, {"request": resolved})

    def resume(self, run_id: str, decision: Decision | None = None) -> Iterator[BaseEvent]:
        """Continue a run: answer its pending gate with `decision`, or (None) pick up a run whose
        process died or failed from its last checkpoint (a paused run just asks again).

        Raises RunNotFound, NotResumable, RunBusy or InvalidDecision before anything runs.
        """
        info = self.registry.get(run_id)
        if info.status in ("finished", "cancelled"):
            raise NotResumable(f"run {info.run_id} is {info.status}")
        if self.registry.is_live(info.run_id):
            raise RunBusy(f"run {info.run_id} is being driven by another process right now")
        request = ReviewRequest.model_validate_json(self.registry.request_json(info.run_id))
        pending = self._pending(info.run_id)
        # A run killed before its first checkpoint starts over from its stored request.
        graph_input: Any = None if self.graph.get_state(_config(info.run_id)).values else {"request": request}
        if decision is not None:
            if pending is None:
                raise InvalidDecision(f"run {info.run_id} is not waiting at a gate")
            decision.check(parse_request(pending))
            from langgraph.types import Command

            graph_input = Command(resume=decision.model_dump(mode="json"))
        return self._drive(info.run_id, request, graph_input)

    def runs(self, limit: int = 50) -> list[RunInfo]:
        """The latest runs on this data dir, newest first."""
        return self.registry.list(limit)

    def show(self, run_id: str) -> RunInfo:
        """One run, with its pending gate request and stage timings."""
        info = self.registry.get(run_id)
        snapshot = self.graph.get_state(_config(info.run_id))
        timings = dict(snapshot.values.get("timings", {})) if snapshot.values else {}
        return info.model_copy(update={"pending": self._pending(info.run_id), "timings": timings})

    def cancel(self, run_id: str) -> RunInfo:
        """Cancel a run from any process: a live one stops at its next step, others at once."""
        info = self.registry.get(run_id)
        if info.status in ("finished", "cancelled"):
            raise NotResumable(f"run {info.run_id} is already {info.status}")
        if self.registry.is_live(info.run_id):
            self.registry.request_cancel(info.run_id)
        else:
            self.registry.set_status(info.run_id, "cancelled", error="cancelled")
        return self.registry.get(info.run_id)

    # -- driving the graph ------------------------------------------------------------------------

    def _pending(self, run_id: str) -> dict[str, Any] | None:
        snapshot = self.graph.get_state(_config(run_id))
        interrupts = getattr(snapshot, "interrupts", ()) or ()
        return interrupts[0].value if interrupts else None

    def _context(self, run_id: str, request: ReviewRequest) -> ReviewContext:
        """The nodes' runtime context: this session's services, the run's own models."""
        settings = self.settings
        if request.models:
            settings = settings.model_copy(update={"llm": settings.llm.model_copy(update=request.models)})
        models: dict[str, Any] = {}
        usage = factories.usage_recorder(settings)

        def chat_model(role: str) -> Any:
            if role not in models:
                models[role] = self.chat_models(settings, role, usage=usage)
            return models[role]

        return ReviewContext(run_id=run_id, settings=settings, services=self.services, stages=self.stages,
                             is_cancelled=lambda: self.registry.cancel_requested(run_id),
                             chat_model=chat_model, usage=usage.snapshot)

    def _drive(self, run_id: str, request: ReviewRequest, graph_input: Any) -> Iterator[BaseEvent]:
        """Run the graph under the run's lock, translating its stream into events."""
        with self.registry.driving(run_id):
            self.registry.set_status(run_id, "running")
            config = _config(run_id)
            try:
                context = self._context(run_id, request)
                for role in ROLES_USED:  # a misconfigured model fails now, not after an hour of reading
                    context.chat_model(role)
                for mode, chunk in self.graph.stream(graph_input, config, stream_mode=["updates", "custom"],
                                                     context=context):
                    if mode == "custom":
                        yield parse_event({**chunk, "run_id": run_id})
                    elif "__interrupt__" in chunk:
                        gate_request = chunk["__interrupt__"][0].value
                        self.registry.set_status(run_id, "paused", gate=gate_request["gate"])
                        yield ApprovalNeeded(run_id=run_id, gate=gate_request["gate"], request=gate_request)
                        return
            except RunCancelled as stop:
                self.registry.set_status(run_id, "cancelled", error="cancelled")
                yield Failed(run_id=run_id, error=str(stop), cancelled=True)
                return
            # The session is the run's last line of defence: any failure becomes a Failed event
            # and a `failed` status, and the run stays resumable from its last checkpoint.
            except Exception as error:  # noqa: BLE001 - a run's last resort (see above)
                log.debug("run %s failed", run_id, exc_info=True)
                message = explain(error)
                self.registry.set_status(run_id, "failed", error=message)
                yield Failed(run_id=run_id, error=message)
                return
            state = State(**self.graph.get_state(config).values)
            self.registry.set_status(run_id, "finished")
            yield Finished(run_id=run_id, out_dir=state.request.out_dir, counts=run_counts(state))



def _configured_chat_model(settings: Settings, role: str, usage: Any = None) -> Any:
    """`agent.services.chat_model`, without loading the LLM layer for a role that has no model."""
    if not configured_model(settings, role):
        return None
    return factories.chat_model(settings, role, usage=usage)


def _config(run_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": run_id}}
