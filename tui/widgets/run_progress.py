"""A run's progress: one row per stage (bar, count, elapsed, latest message), then its warnings.

Also `RunCard`, the compact version the chat shows under `/review`.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static

from tui.app_node import AppNode
from tui.run_state import STAGES, RunView, StageView

ICONS = {"waiting": "·", "running": "▸", "done": "✓", "paused": "◆", "failed": "✗", "skipped": "–"}
"""One cell wide in every terminal font we tried (no emoji presentation)."""
LABELS = {"gate_papers": "papers gate", "gate_cited": "cited papers gate", "gate_outline": "outline gate", "gate_draft": "draft gate"}
WARNINGS_SHOWN = 6


def seconds(value: float | None) -> str:
    """`0.4 s`, `12 s`, `3:05`."""
    if value is None:
        return ""
    if value < 10:
        return f"{value:.1f} s"
    if value < 60:
        return f"{value:.0f} s"
    return f"{int(value // 60)}:{int(value % 60):02d}"


class StageRow(Horizontal):
    """`✓ search   ━━━━━━━━━━  3/3   2.4 s  found 10 candidates`."""

    def __init__(self, name: str) -> None:
        super().__init__(classes="stage-row", id=f"stage-{name}")
        self.stage = name

    def compose(self) -> ComposeResult:
        yield Static("", classes="stage-name")
        yield ProgressBar(total=1, show_percentage=False, show_eta=False, classes="stage-bar")
        yield Static("", classes="stage-count")
        yield Static("", classes="stage-time")
        yield Static("", classes="stage-message")

    def show(self, stage: StageView, now: float) -> None:
        """Draw the stage's state."""
        for status in ICONS:
            self.set_class(stage.status == status, f"-{status}")
        label = LABELS.get(stage.name, stage.name)
        self.query_one(".stage-name", Static).update(f"{ICONS[stage.status]} {label}")
        bar = self.query_one(ProgressBar)
        if stage.total:
            bar.update(total=stage.total, progress=stage.done)
        else:
            bar.update(total=1, progress=1 if stage.status == "done" else 0)
        count = f"{stage.done}/{stage.total}" if stage.total else ""
        self.query_one(".stage-count", Static).update(count)
        self.query_one(".stage-time", Static).update(seconds(stage.elapsed(now)))
        message = {"paused": "waiting for you (enter)", "skipped": "not needed in this run"}.get(stage.status,
                                                                                               stage.message)
        self.query_one(".stage-message", Static).update(escape(message))


class RunProgress(Vertical):
    """Every stage of one run, and its warnings."""

    def compose(self) -> ComposeResult:
        yield Static("", id="run-title")
        yield Static("", id="run-headline")
        for name in STAGES:
            yield StageRow(name)
        yield Static("", id="run-warnings")

    def show(self, view: RunView | None, now: float) -> None:
        """Draw `view` (or a hint when no run is selected)."""
        title = self.query_one("#run-title", Static)
        if view is None:
            title.update("No run selected. Start one from the chat: /review TOPIC")
            self.set_class(True, "-empty")
            return
        self.set_class(False, "-empty")
        title.update(f"[b]{escape(view.topic or '(no topic)')}[/b]  [dim]{view.run_id}[/]")
        headline = self.query_one("#run-headline", Static)
        headline.update(escape(view.headline()))
        for status in ("running", "paused", "finished", "failed", "cancelled", "stopped"):
            headline.set_class(view.status == status, f"-{status}")
        for row in self.query(StageRow):
            row.show(view.stages[row.stage], now)
        shown = view.warnings[-WARNINGS_SHOWN:]
        more = len(view.warnings) - len(shown)
        lines = [f"⚠ {escape(w)}" for w in shown] + ([f"[dim]… and {more} earlier[/]"] if more else [])
        self.query_one("#run-warnings", Static).update("\n".join(lines))


class RunCard(AppNode, Static):
    """The chat's view of a run it started: topic, where it stands, the current stage's count."""

    def __init__(self, run_id: str) -> None:
        super().__init__("", classes="run-card")
        self.run_id = run_id
        self.border_title = f"review {run_id}"

    def on_mount(self) -> None:
        self.watch(self.app, "runs_version", self._refresh_card)

    def _refresh_card(self, _: int = 0) -> None:
        view = self.app.run_views.get(self.run_id)
        if view is None:
            return
        stage = view.current()
        count = f" {stage.done}/{stage.total}" if stage and stage.total and stage.status == "running" else ""
        done = sum(s.status in ("done", "skipped") for s in view.stages.values())
        lines = [f"[b]{escape(view.topic)}[/b]", f"{escape(view.headline())}{count}  [dim]{done}/{len(STAGES)} stages[/]"]
        if view.warnings:
            lines.append(f"[dim]⚠ {len(view.warnings)} warning{'s' if len(view.warnings) != 1 else ''} (F3)[/]")
        self.update("\n".join(lines))
        self.set_class(view.status == "paused", "-paused")
        self.set_class(view.status == "finished", "-finished")
        self.set_class(view.status in ("failed", "cancelled"), "-failed")
