"""What a review run's nodes may use besides the state: services, content stages, run controls.

LangGraph hands this to every node as `runtime.context`. It is rebuilt by each process that runs
or resumes a run (it is never checkpointed), so it may hold open clients and loaded models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agent.services import Services
from agent.settings import Settings
from tools.errors import AutoresearchError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.review.stages import Stages


class ReviewError(AutoresearchError, RuntimeError):
    """The run cannot go on; the message says why and what to do."""


class RunCancelled(AutoresearchError, RuntimeError):
    """A person cancelled the run; it stops at the next stage or progress boundary."""


ReviewServices = Services
"""The services a review uses: the front end's own (`agent.services.Services`), shared with its
other commands (the TUI keeps one embedder for every run)."""


def _no_model(role: str) -> None:
    return None


@dataclass
class ReviewContext:
    """Everything a node gets beside the state (`runtime.context`)."""

    run_id: str
    settings: Settings
    services: ReviewServices
    stages: Stages
    is_cancelled: Callable[[], bool] = field(default=lambda: False)
    """Whether someone asked (from any process) to cancel this run."""
    chat_model: Callable[[str], BaseChatModel | None] = field(default=_no_model)
    """The chat model for a role (`planner`, `writer`), or None: the extractive path."""
    usage: Callable[[], dict[str, Any]] = field(default=dict)
    """Tokens and cost spent by chat models so far (empty without an LLM)."""

    def check_cancelled(self) -> None:
        """Stop the run here if it was cancelled."""
        if self.is_cancelled():
            raise RunCancelled(f"run {self.run_id} was cancelled")
