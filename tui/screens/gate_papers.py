"""The papers gate: a checklist of candidates with a preview of the highlighted one.

Space ticks a paper, `a` ticks all, `n` none, `+` adds an arXiv id the search missed; the
preview shows the title, authors, date, its relevance to the request and why it was proposed
(its `reasons`), and the abstract. Flagged candidates (⚑: far below the others, or no abstract of
their own) start unticked. Approving what was proposed is a plain approve; otherwise it is an
edit that drops the unticked candidates (or keeps the ticked ones by name, when a flagged one is
ticked) and adds the typed ids (fetched from arXiv by the run).
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from agent.review.approval import PapersRequest
from tools.paper import Candidate, parse_paper_key
from tui.screens.gate_base import GateScreen, LineEditor

ABSTRACT_CHARS = 900
AUTHORS_SHOWN = 6


def preview(candidate: Candidate) -> str:
    """The highlighted candidate in full: title, byline, reasons, abstract."""
    paper = candidate.paper
    authors = ", ".join(paper.authors[:AUTHORS_SHOWN]) + (" et al." if len(paper.authors) > AUTHORS_SHOWN else "")
    lines = [f"[b]{escape(paper.title)}[/b]",
             f"[dim]{escape(authors or 'authors unknown')}[/]",
             f"[dim]{paper.published or 'date unknown'} · arXiv:{paper.versioned_id}"
             + (f" · {', '.join(paper.categories[:3])}" if paper.categories else "") + "[/]", ""]
    if candidate.flag:
        lines += [f"[b $warning]⚑ Proposed unticked:[/] {escape(candidate.flag)}", ""]
    if candidate.reason:
        lines += [f"[b]Relevance[/b] {escape(candidate.reason)}", ""]
    if candidate.reasons:
        lines += ["[b]Why it is here[/b]"] + [f"• {escape(r)}" for r in candidate.reasons] + [""]
    abstract = " ".join(paper.abstract.split())
    if len(abstract) > ABSTRACT_CHARS:
        abstract = abstract[:ABSTRACT_CHARS].rsplit(" ", 1)[0] + " …"
    lines.append(escape(abstract) or "[dim]no abstract[/]")
    return "\n".join(lines)


def row(candidate: Candidate) -> str:
    """One checklist row: id, year, title (⚑ for a flagged candidate, proposed unticked)."""
    paper = candidate.paper
    mark = "[$warning]⚑[/] " if candidate.flag else ""
    return f"[cyan]{paper.arxiv_id:<11}[/] {paper.year or '----'}  {mark}{escape(paper.title)}"


class PapersGate(GateScreen):
    """Choose the papers the review covers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "select_all", "All"),
        Binding("n", "select_none", "None"),
        Binding("plus,equals_sign", "add_id", "Add id"),
    ]
    request: PapersRequest

    def __init__(self, run_id: str, request: PapersRequest) -> None:
        super().__init__(run_id, request)
        self.added: list[str] = []
        """Ids the person typed (in the checklist, ticked unless unticked again)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="gate"):
            yield Static(f"[b]Approve the papers[/b] for “{escape(self.request.topic)}”  [dim]run {self.run_id}[/]",
                         classes="gate-title")
            yield Static("", id="papers-count", classes="gate-subtitle")
            with Horizontal(classes="gate-body"):
                yield SelectionList[str](*(Selection(row(c), c.paper.arxiv_id, not c.flag)
                                           for c in self.request.candidates), id="candidates")
                with VerticalScroll(id="preview-box"):
                    yield Static("", id="preview")
            yield LineEditor(id="add-id")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#add-id", LineEditor).display = False
        self.query_one(SelectionList).focus()
        self._count()
        if self.request.candidates:
            self.query_one("#preview", Static).update(preview(self.request.candidates[0]))

    @property
    def checklist(self) -> SelectionList[str]:
        return self.query_one(SelectionList)

    def _count(self) -> None:
        total = len(self.request.candidates) + len(self.added)
        picked = len(self.checklist.selected)
        queries = "; ".join(self.request.queries[:3])
        self.query_one("#papers-count", Static).update(
            f"{picked} of {total} selected" + (f" · searched: {escape(queries)}" if queries else ""))

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self._count()

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        arxiv_id = event.selection.value
        found = next((c for c in self.request.candidates if c.paper.arxiv_id == arxiv_id), None)
        text = preview(found) if found else f"arXiv:{arxiv_id}\n\n[dim]Added by you: fetched from arXiv when you approve.[/]"
        self.query_one("#preview", Static).update(text)

    def action_select_all(self) -> None:
        self.checklist.select_all()

    def action_select_none(self) -> None:
        self.checklist.deselect_all()

    def action_add_id(self) -> None:
        self.query_one("#add-id", LineEditor).open("arXiv id to add (enter adds it, esc closes)")

    @on(Input.Submitted, "#add-id")
    def _add(self, event: Input.Submitted) -> None:
        editor = self.query_one("#add-id", LineEditor)
        try:
            arxiv_id = parse_paper_key(event.value, local=False)[0]
        except ValueError as error:
            self.notify(str(error), severity="error")
            return
        known = [c.paper.arxiv_id for c in self.request.candidates] + self.added
        if arxiv_id in known:
            self.checklist.select(arxiv_id)
        else:
            self.added.append(arxiv_id)
            self.checklist.add_option(Selection(f"[cyan]{arxiv_id:<11}[/] ----  [i]added by you[/i]", arxiv_id, True))
        editor.close()
        self.checklist.focus()
        self._count()

    @on(LineEditor.Cancelled)
    def _cancelled(self) -> None:
        self.checklist.focus()

    def action_approve(self) -> None:
        chosen = set(self.checklist.selected)
        if not chosen:
            self.notify("Tick at least one paper (a ticks all), or cancel the run from Runs (F3).",
                        severity="warning")
            return
        add = [i for i in self.added if i in chosen]
        if any(c.flag and c.paper.arxiv_id in chosen for c in self.request.candidates):
            keep = [c.paper.arxiv_id for c in self.request.candidates if c.paper.arxiv_id in chosen]
            self.decide(action="edit", keep=keep, add=add)  # a flagged one ticked: name them all
            return
        drop = [c.paper.arxiv_id for c in self.request.candidates
                if c.paper.arxiv_id not in chosen and not c.flag]
        if not drop and not add:
            self.decide(action="approve")
        else:
            self.decide(action="edit", drop=drop, add=add)
