"""The conversation: a scrolling column of messages that sticks to the bottom as they arrive."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from textual import on
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static

from tui.citations import Citation, cited_papers, link_citations, target
from tui.messages import PaperRequested


class UserMessage(Static):
    """What the person typed."""

    def __init__(self, text: str) -> None:
        super().__init__(escape(text), classes="user")


class Notice(Static):
    """A quiet line from the app (how to go on, what happened)."""

    def __init__(self, text: str, markup: bool = True) -> None:
        super().__init__(text if markup else escape(text), classes="notice")


class ErrorLine(Static):
    """Something went wrong; the line says why and what to do."""

    def __init__(self, text: str) -> None:
        super().__init__(f"[b]✗[/b] {escape(text)}", classes="error")


class Pending(Static):
    """Work in progress (replaced by its result)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"⋯ {escape(text)}", classes="pending")


class ToolLine(Static):
    """A tool the assistant called, or what it returned."""

    def __init__(self, text: str, ok: bool = True) -> None:
        super().__init__(escape(text), classes="tool" + ("" if ok else " -failed"))


class AnswerMarkdown(Markdown):
    """An answer in Markdown whose citations are links that open the paper."""

    def __init__(self, markdown: str, title: str = "") -> None:
        linked, self.citations = link_citations(markdown)
        super().__init__(linked, classes="answer", open_links=False)
        if title:
            self.border_title = title

    @property
    def papers(self) -> list[str]:
        """The papers cited, in first-use order."""
        return cited_papers(self.citations)

    @on(Markdown.LinkClicked)
    def _clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        citation = target(event.href, self.citations)
        if citation is not None:
            self.post_message(PaperRequested(citation.arxiv_id, citation))
        elif event.href.startswith(("http://", "https://")):
            self.app.open_url(event.href)


def search_table(results: list, width: int = 0) -> Table:
    """Search results as a compact table: #, id, year, title."""
    table = Table(box=None, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("arXiv", style="cyan", no_wrap=True)
    table.add_column("year", no_wrap=True)
    table.add_column("title", ratio=1, overflow="ellipsis", no_wrap=True)
    for rank, paper in enumerate(results, start=1):
        table.add_row(str(rank), paper.versioned_id, paper.year, paper.title)
    return table


class ChatLog(VerticalScroll):
    """The messages, newest at the bottom."""

    can_focus = True

    def on_mount(self) -> None:
        self.anchor()

    def say(self, widget: Widget) -> Widget:
        """Append a message."""
        self.mount(widget)
        return widget

    def replace(self, old: Widget, new: Widget) -> Widget:
        """Put a result where its placeholder was."""
        if old.parent is self:
            self.mount(new, after=old)
            old.remove()
        else:
            self.mount(new)
        return new

    def last_citations(self) -> list[Citation]:
        """The citations of the latest answer that cites anything."""
        for answer in reversed(list(self.query(AnswerMarkdown))):
            if answer.citations:
                return answer.citations
        return []
