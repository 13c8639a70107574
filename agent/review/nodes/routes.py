"""Routers: pure functions of the state that pick the next node."""

from __future__ import annotations

from typing import Literal

from agent.review.state import State


def route_after_ingest(state: State) -> Literal["snowball", "figures"]:
    """After ingest: follow the references once, then go on."""
    return "figures" if state.snowballed else "snowball"


def route_after_snowball(state: State) -> Literal["gate_cited", "figures"]:
    """After snowballing: ask about the cited works when there are any."""
    return "gate_cited" if state.cited else "figures"


def route_draft_decision(state: State) -> Literal["draft", "export"]:
    """After the draft gate: export an approved draft, else write the next revision."""
    return "export" if state.draft_approved else "draft"
