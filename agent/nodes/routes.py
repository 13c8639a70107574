"""Routers: pure functions of the state that pick the next node."""

from __future__ import annotations

from typing import Literal

from agent.state import State


def route_draft_decision(state: State) -> Literal["draft", "export"]:
    """After the draft gate: export an approved draft, else write the next revision."""
    return "export" if state.draft_approved else "draft"
