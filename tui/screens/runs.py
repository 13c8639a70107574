"""Runs: every review on this data dir, and the highlighted one's progress stage by stage.

Runs this app drives update live from their events; runs driven elsewhere (the CLI, Slack) are
re-read from the run registry every few seconds while this screen shows. Enter answers a paused
run's gate (so does `a`), `c` cancels, `r` resumes a run whose process stopped.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from tui.app_node import AppNode
from tui.messages import GateRequested
from tui.run_state import RunView
from tui.screens.confirm import ConfirmScreen
from tui.widgets.header import AppHeader
from tui.widgets.run_progress import RunProgress

REFRESH_S = 3.0
"""How often the registry is re-read while the screen shows."""
STATUS_STYLE = {"running": "bold", "paused": "bold yellow", "finished": "green", "failed": "red",
                "cancelled": "dim", "stopped": "yellow"}


class RunsScreen(AppNode, Screen):
    """The runs table and the progress of the highlighted run."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer", "Answer gate"),  # enter on a row does the same
        Binding("c", "cancel", "Cancel run"),
        Binding("r", "resume", "Resume"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader("runs")
        table: DataTable[Any] = DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("run", "status", "waits for / stage", "topic")
        yield table
        yield RunProgress(id="run-progress")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "runs_version", self._redraw)
        self.ticker = self.set_interval(1.0, self._tick, pause=True)
        self.poller = self.set_interval(REFRESH_S, self.app.refresh_runs, pause=True)
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.app.refresh_runs()
        self.ticker.resume()
        self.poller.resume()

    def on_screen_suspend(self) -> None:
        self.ticker.pause()
        self.poller.pause()

    @property
    def views(self) -> dict[str, RunView]:
        return self.app.run_views

    def _redraw(self, _: int = 0) -> None:
        table = self.query_one(DataTable)
        ordered = sorted(self.views.values(), key=lambda v: v.run_id, reverse=True)
        ids = [v.run_id for v in ordered]
        if ids == [str(key.value) for key in table.rows]:  # same runs: update the cells in place
            for view in ordered:
                for column, value in zip(table.columns, _cells(view)):
                    table.update_cell(view.run_id, column, value)
        else:
            keep = self.selected
            table.clear()
            for view in ordered:
                table.add_row(*_cells(view), key=view.run_id)
            if ordered:
                table.move_cursor(row=ids.index(keep) if keep in ids else 0, animate=False)
        self._show_selected()

    def _show_selected(self) -> None:
        view = self.views.get(self.selected) if self.selected else None
        self.query_one(RunProgress).show(view, self.app.clock())

    def _tick(self) -> None:
        view = self.views.get(self.selected) if self.selected else None
        if view is not None and view.status == "running":
            self._show_selected()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        selected = str(event.row_key.value) if event.row_key else None
        changed, self.selected = selected != self.selected, selected
        self._show_selected()
        view = self._view()
        if changed and view is not None and not view.live_here:
            self.load_detail(view.run_id)

    @work(thread=True, group="run-detail", exclusive=True, exit_on_error=False)
    def load_detail(self, run_id: str) -> None:
        """Read a run's stage timings and pending request (a run driven elsewhere sends no events)."""
        try:
            info = self.app.backend.show(run_id)
        except Exception:  # noqa: BLE001 - the table row still shows what the registry said
            return
        self.app.call_from_thread(self._detail, info)

    def _detail(self, info: Any) -> None:
        views = self.views
        views[info.run_id] = RunView.from_info(info, views.get(info.run_id))
        if info.run_id == self.selected:
            self._show_selected()
        self._redraw()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_answer()

    def _view(self) -> RunView | None:
        return self.views.get(self.selected) if self.selected else None

    def action_answer(self) -> None:
        view = self._view()
        if view is None:
            return
        if view.status != "paused":
            self.notify(f"Run {view.run_id} is {view.status}: it waits for nothing.")
            return
        self.post_message(GateRequested(view.run_id))

    def action_cancel(self) -> None:
        view = self._view()
        if view is None or view.status in ("finished", "cancelled"):
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.cancel_run(view.run_id)

        self.app.push_screen(ConfirmScreen(f"Cancel run {view.run_id} ({view.topic})? A cancelled run "
                                           "cannot be resumed.", yes="Cancel run", no="Keep it"), confirmed)

    def action_resume(self) -> None:
        view = self._view()
        if view is None:
            return
        if view.live_here or view.status not in ("stopped", "failed"):
            self.notify(f"Run {view.run_id} is {view.status}: only a stopped or failed run resumes"
                        + (" (answer its gate with enter)" if view.status == "paused" else ""))
            return
        self.app.resume_run(view.run_id)

    def action_refresh(self) -> None:
        self.app.refresh_runs()


def _cells(view: RunView) -> tuple[Any, ...]:
    return (view.run_id, Text(view.status, style=STATUS_STYLE.get(view.status, "")), _where(view), view.topic)


def _where(view: RunView) -> str:
    """The table's third column: the gate a paused run waits at, or the running stage."""
    if view.status == "paused":
        return view.waits_for().removeprefix("approval of ")
    stage = view.current()
    if view.status == "running" and stage is not None:
        return stage.name + (f" {stage.done}/{stage.total}" if stage.total else "")
    return ""
