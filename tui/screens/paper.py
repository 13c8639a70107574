"""One paper of the library: overview, sections, figures (with their descriptions), references,
and its structured summary (written on first view of the tab, in a worker).

Opened from a citation, it starts on the cited section. `d` removes the paper (after asking).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static, TabbedContent, TabPane

from agent.summary.render import render_summary_markdown
from tools.errors import explain
from tui.app_node import AppNode
from tui.citations import Citation
from tui.messages import LibraryChanged
from tui.paper_text import (
    figures_markdown,
    overview_markdown,
    references_markdown,
    sections_markdown,
)
from tui.screens.confirm import ConfirmScreen

TABS = ("overview", "sections", "figures", "references", "summary")


class PaperScreen(AppNode, Screen):
    """A paper, tab by tab (1–5 switch tabs, esc goes back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        *(Binding(str(n), f"tab('{name}')", name.title(), show=False) for n, name in enumerate(TABS, start=1)),
        Binding("d", "remove", "Remove"),
    ]

    def __init__(self, arxiv_id: str, citation: Citation | None = None) -> None:
        super().__init__()
        self.arxiv_id = arxiv_id
        self.citation = citation
        self.record: Any = None
        self.cited = ""
        """The heading a citation scrolled to."""
        self._summary_started = False

    def compose(self) -> ComposeResult:
        yield Static(f"[b]{escape(self.arxiv_id)}[/b]  [dim]loading …[/]", id="paper-title")
        with TabbedContent(id="paper-tabs"):
            for name in TABS:
                with TabPane(f"{TABS.index(name) + 1} {name.title()}", id=f"tab-{name}"):
                    with VerticalScroll(classes="paper-pane"):
                        yield Markdown("", id=f"md-{name}", open_links=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, group="paper", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read the paper with its parsed text."""
        try:
            record = self.app.backend.paper(self.arxiv_id)
        except Exception as error:  # noqa: BLE001 - shown on the screen
            self.app.call_from_thread(self._missing, f"could not be read: {explain(error)}")
            return
        if record is None:
            self.app.call_from_thread(self._missing, "is not in the library (/ingest it from the chat)")
            return
        self.app.call_from_thread(self._show, record)

    def _missing(self, why: str) -> None:
        self.query_one("#paper-title", Static).update(f"[b]{escape(self.arxiv_id)}[/b] {escape(why)}")

    async def _show(self, record: Any) -> None:
        self.record = record
        paper = record.paper
        self.query_one("#paper-title", Static).update(
            f"[b]{escape(paper.title)}[/b]  [dim]{paper.versioned_id}[/]")
        for name, text in (("overview", overview_markdown(record)), ("sections", sections_markdown(record)),
                           ("figures", figures_markdown(record)), ("references", references_markdown(record)),
                           ("summary", "_Open this tab to write the summary._")):
            await self.query_one(f"#md-{name}", Markdown).update(text)
        if self.citation is not None:
            self._go_to(self.citation)

    def _go_to(self, citation: Citation) -> None:
        """Open the tab a citation points at and scroll to its figure or section."""
        if citation.figure:
            tab, wanted = "figures", f"Figure {citation.figure} "
        elif citation.section and self.record.parsed is not None:
            tab, wanted = "sections", citation.section.split(" > ")[-1].strip()
        else:
            return
        self.action_tab(tab)
        markdown = self.query_one(f"#md-{tab}", Markdown)
        header = next((h for _, title, h in markdown.table_of_contents if title.startswith(wanted)), None)
        if header is not None:
            self.cited = wanted
            self.call_after_refresh(lambda: markdown.query_one(f"#{header}").scroll_visible(top=True, animate=False))
        self.notify(f"Cited: {citation.label}", timeout=4)

    def action_tab(self, name: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{name}"

    @on(TabbedContent.TabActivated)
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-summary" and self.record is not None and not self._summary_started:
            self._summary_started = True
            self.query_one("#md-summary", Markdown).update("_Writing the summary …_")
            self.summarize()

    @work(thread=True, group="paper-summary", exit_on_error=False)
    def summarize(self) -> None:
        """Write the summary (extractive unless `llm.summarizer` is set)."""
        try:
            text = render_summary_markdown(self.app.backend.summarize(self.arxiv_id))
        except Exception as error:  # noqa: BLE001 - shown in the tab
            text = f"_The summary could not be written: {explain(error)}_"
        self.app.call_from_thread(self.query_one("#md-summary", Markdown).update, text)

    def action_remove(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.remove_paper()

        self.app.push_screen(ConfirmScreen(f"Remove {self.arxiv_id} and everything stored for it?",
                                           yes="Remove", no="Keep"), confirmed)

    @work(thread=True, group="paper-remove", exit_on_error=False)
    def remove_paper(self) -> None:
        """Remove the paper, then go back."""
        removed = self.app.backend.remove(self.arxiv_id)
        self.app.call_from_thread(self.notify, f"Removed {self.arxiv_id}" if removed else "Nothing was stored")
        self.app.post_message(LibraryChanged())
        self.app.call_from_thread(self.dismiss)
