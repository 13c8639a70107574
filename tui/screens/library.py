"""The library: every stored paper in a table you can filter and sort; enter opens a paper.

`/` focuses the filter (words matched against id, title, authors and year), `s` cycles the
sort (newest added, title, year, id) — clicking a column header sorts by it too — and `d`
removes the highlighted paper after asking.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tools.errors import explain
from tui.app_node import AppNode
from tui.messages import LibraryChanged, PaperRequested
from tui.screens.confirm import ConfirmScreen
from tui.widgets.header import AppHeader

SORTS = {"added": ("newest added", lambda r: r.added, True),
         "title": ("title", lambda r: r.paper.title.lower(), False),
         "year": ("newest first", lambda r: (r.paper.published, r.paper.arxiv_id), True),
         "id": ("arXiv id", lambda r: r.paper.arxiv_id, False)}
COLUMN_SORTS = {"arXiv": "id", "year": "year", "title": "title", "added": "added"}


def matches(record: Any, words: list[str]) -> bool:
    """Whether every filter word occurs in the paper's id, title, authors or year."""
    paper = record.paper
    text = " ".join([paper.arxiv_id, paper.title, " ".join(paper.authors), paper.published]).lower()
    return all(word in text for word in words)


class LibraryScreen(AppNode, Screen):
    """The papers table with its filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("d,delete", "remove", "Remove"),
        Binding("f5", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.records: list[Any] = []
        self.sort = "added"

    def compose(self) -> ComposeResult:
        yield AppHeader("library")
        with Horizontal(id="library-bar"):
            yield Input(placeholder="filter: words in id, title, authors, year", id="filter")
            yield Static("", id="library-sort")
        table: DataTable[Any] = DataTable(id="papers", cursor_type="row", zebra_stripes=True)
        for label, key in (("arXiv", "id"), ("year", "year"), ("title", "title"), ("text", "text"),
                           ("figs", "figs"), ("added", "added")):
            table.add_column(label, key=key)
        yield table
        yield Static("", id="library-info")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "library_version", self._library_changed)
        self.query_one("#papers", DataTable).focus()

    def _library_changed(self, _version: int) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, group="library", exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read the library's entries (no parsed text: fast even for big libraries)."""
        try:
            records = self.app.backend.papers()
        except Exception as error:  # noqa: BLE001 - shown in place of the table
            self.app.call_from_thread(self._info, f"The library could not be read: {explain(error)}")
            return
        self.app.call_from_thread(self._loaded, records)

    def _loaded(self, records: list[Any]) -> None:
        self.records = records
        self.show()

    def _info(self, text: str) -> None:
        self.query_one("#library-info", Static).update(escape(text))

    def show(self) -> None:
        """Fill the table with the records that pass the filter, in the chosen order."""
        table = self.query_one("#papers", DataTable)
        keep = self._highlighted_id()
        words = self.query_one("#filter", Input).value.lower().split()
        label, key, reverse = SORTS[self.sort]
        shown = sorted((r for r in self.records if matches(r, words)), key=key, reverse=reverse)
        table.clear()
        for record in shown:
            paper = record.paper
            text = "abstract" if record.abstract_only else "full"
            table.add_row(paper.versioned_id, paper.year, paper.title, text, str(record.figures or ""),
                          record.added[:10], key=paper.arxiv_id)
        ids = [r.paper.arxiv_id for r in shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.query_one("#library-sort", Static).update(f"sort: {label} [dim](s)[/]")
        count = f"{len(shown)} of {len(self.records)}" if words else str(len(self.records))
        hint = "enter opens · d removes" if self.records else "empty: /ingest ID or /review TOPIC in the chat (F2)"
        self._info(f"{count} papers · {hint}")

    def _highlighted_id(self) -> str | None:
        table = self.query_one("#papers", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.show()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#papers", DataTable).focus()

    @on(DataTable.RowSelected, "#papers")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(PaperRequested(str(event.row_key.value)))

    @on(DataTable.HeaderSelected, "#papers")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        sort = COLUMN_SORTS.get(str(event.label))
        if sort:
            self.sort = sort
            self.show()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.show()

    def action_reload(self) -> None:
        self.load()

    def action_remove(self) -> None:
        arxiv_id = self._highlighted_id()
        if arxiv_id is None:
            return
        title = next((r.paper.title for r in self.records if r.paper.arxiv_id == arxiv_id), "")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.remove_paper(arxiv_id)

        self.app.push_screen(ConfirmScreen(f"Remove {arxiv_id} “{title}” and everything stored for it?",
                                           yes="Remove", no="Keep"), confirmed)

    @work(thread=True, group="library-remove", exit_on_error=False)
    def remove_paper(self, arxiv_id: str) -> None:
        """Remove a paper (in a worker: it deletes chunks, figures and files)."""
        removed = self.app.backend.remove(arxiv_id)
        self.app.call_from_thread(self.notify, f"Removed {arxiv_id}" if removed else f"{arxiv_id} was not stored")
        self.app.post_message(LibraryChanged())
