"""The approval screens, one per gate: which screen answers which request.

The screens themselves are `gate_papers`, `gate_outline` and `gate_draft`; what they share (the
modal, approve and later, the line editor) is in `gate_base`.
"""

from __future__ import annotations

from agent.review.approval import DraftRequest, OutlineRequest, PapersRequest
from tui.screens.gate_base import GateScreen, LineEditor
from tui.screens.gate_draft import DraftGate
from tui.screens.gate_outline import OutlineGate
from tui.screens.gate_papers import PapersGate

__all__ = ["GateScreen", "LineEditor", "gate_screen"]


def gate_screen(run_id: str, request: PapersRequest | OutlineRequest | DraftRequest) -> GateScreen:
    """The screen that answers `request`."""
    if isinstance(request, PapersRequest):
        return PapersGate(run_id, request)
    if isinstance(request, OutlineRequest):
        return OutlineGate(run_id, request)
    return DraftGate(run_id, request)
