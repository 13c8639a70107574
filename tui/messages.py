"""Messages widgets and workers post to the app (Textual's way for a child to ask for something)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tui.citations import Citation


class PaperRequested(Message):
    """Open a library paper (a clicked citation, a row of the library, the sources picker)."""

    def __init__(self, arxiv_id: str, citation: Citation | None = None) -> None:
        super().__init__()
        self.arxiv_id = arxiv_id
        self.citation = citation


class RunEventArrived(Message):
    """A review run driven by this app sent an event (posted from the driving thread)."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class GateRequested(Message):
    """Open the approval screen of a paused run."""

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id


class LibraryChanged(Message):
    """Papers were added or removed: views of the library should reload."""
