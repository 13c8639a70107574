"""`AutoresearchApp`: the terminal front end — chat, runs, approvals and the library.

Three modes (chat F2, runs F3, library F4) keep their state while you switch; the paper view,
the approval screens and the help screen open on top. Every call into the core runs in a thread
worker (`tui.backend.Backend` is blocking), so typing never waits for arXiv, a PDF or a model.
Review runs are driven here event by event: each event updates the run's view (`run_state`),
and a run that reaches a gate opens its approval screen; answering it resumes the same
checkpointed run the CLI (`autoresearch runs …`) and the Slack bot see.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import BindingType
from textual.reactive import reactive

from agent.review.approval import parse_request
from agent.review.state import ReviewRequest
from agent.runs.events import ApprovalNeeded, Failed, Finished
from agent.runs.registry import new_run_id
from agent.settings import Settings
from tools.errors import explain
from tui.backend import Backend, TuiBackend
from tui.keys import APP_BINDINGS
from tui.messages import GateRequested, LibraryChanged, PaperRequested, RunEventArrived
from tui.run_state import RunView
from tui.screens.chat import ChatScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.gates import gate_screen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.paper import PaperScreen
from tui.screens.runs import RunsScreen

DARK, LIGHT = "textual-dark", "textual-light"


class AutoresearchApp(App[None]):
    """The TUI. `backend` defaults to the real one over `settings`; `clock` is for fixed-time tests."""

    CSS_PATH = "app.tcss"
    TITLE = "autoresearch"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # typed by `App` (an optional list)
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    DEFAULT_MODE = "chat"
    MODES: ClassVar[dict[str, Any]] = {"chat": ChatScreen, "runs": RunsScreen, "library": LibraryScreen}

    runs_version: reactive[int] = reactive(0)
    """Bumped whenever a run's view changes (screens watch it)."""
    library_version: reactive[int] = reactive(0)
    """Bumped whenever papers were added or removed."""
    status_line: reactive[str] = reactive("")
    """The header's right side: library size, runs waiting."""

    def __init__(self, settings: Settings, backend: TuiBackend | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.settings = settings
        self.backend: TuiBackend = backend or Backend(settings)
        self.clock = clock
        self.run_views: dict[str, RunView] = {}
        self.driving: set[str] = set()
        self.paper_count: int | None = None
        self._stopping = False

    def on_mount(self) -> None:
        self.theme = self.settings.tui.theme if self.settings.tui.theme in self.available_themes else DARK
        self.load_status()
        self.refresh_runs()

    # -- status ---------------------------------------------------------------------------------

    @work(thread=True, group="status", exclusive=True, exit_on_error=False)
    def load_status(self) -> None:
        """Open the library in the background (loads the embedder) and count what it holds."""
        try:
            stats = self.backend.warm()
        except Exception as error:  # noqa: BLE001 - shown to the person; the rest of the app still works
            self.call_from_thread(self.notify, f"The library could not be opened: {explain(error)}",
                                  severity="error", timeout=10)
            return
        self.call_from_thread(self._set_paper_count, stats.get("papers", 0))

    def _set_paper_count(self, count: int) -> None:
        self.paper_count = count
        self._update_status()

    def _update_status(self) -> None:
        parts = []
        if self.paper_count is not None:
            parts.append(f"{self.paper_count} paper{'s' if self.paper_count != 1 else ''}")
        paused = sum(v.status == "paused" for v in self.run_views.values())
        running = sum(v.status == "running" for v in self.run_views.values())
        if running:
            parts.append(f"{running} running")
        if paused:
            parts.append(f"{paused} to approve")
        self.status_line = " · ".join(parts)

    @on(LibraryChanged)
    def library_changed(self) -> None:
        self.library_version += 1
        self.load_status()

    # -- runs -----------------------------------------------------------------------------------

    @work(thread=True, group="runs-list", exclusive=True, exit_on_error=False)
    def refresh_runs(self) -> None:
        """Read the run registry (runs started here, by the CLI or by Slack)."""
        try:
            infos = self.backend.runs()
        except Exception as error:  # noqa: BLE001 - a broken registry must not take the app down
            self.call_from_thread(self.notify, f"Runs could not be read: {explain(error)}", severity="error")
            return
        self.call_from_thread(self._merge_runs, infos)

    def _merge_runs(self, infos: list[Any]) -> None:
        for info in infos:
            self.run_views[info.run_id] = RunView.from_info(info, self.run_views.get(info.run_id))
        self.runs_version += 1
        self._update_status()

    def start_review(self, topic: str, max_papers: int) -> str:
        """Start a review run (driven in a worker); its id."""
        request = ReviewRequest(topic=topic, max_papers=max_papers)
        run_id = new_run_id()
        self.run_views[run_id] = RunView(run_id=run_id, topic=topic, live_here=True)
        self.runs_version += 1
        self.drive(run_id, lambda: self.backend.start_review(request, run_id))
        return run_id

    def drive(self, run_id: str, events: Callable[[], Iterator[Any]]) -> None:
        """Drive a run in a thread worker; each event comes back as a `RunEventArrived`."""
        view = self.run_views.setdefault(run_id, RunView(run_id=run_id))
        view.live_here = True
        self.driving.add(run_id)
        self.run_worker(lambda: self._drive(run_id, events), thread=True, group="drive",
                        exit_on_error=False, name=f"run {run_id}")

    def _drive(self, run_id: str, events: Callable[[], Iterator[Any]]) -> None:
        try:
            for event in events():
                self.post_message(RunEventArrived(event))
                if self._stopping:  # quitting: the run stays resumable from its last checkpoint
                    break
        except Exception as error:  # noqa: BLE001 - RunBusy, NotResumable, InvalidDecision, a bug: say it
            self.call_from_thread(self._drive_failed, run_id, explain(error))
        finally:
            self.call_from_thread(self._drive_ended, run_id)

    def _drive_failed(self, run_id: str, message: str) -> None:
        self.notify(f"Run {run_id}: {message}", severity="error", timeout=10)

    def _drive_ended(self, run_id: str) -> None:
        self.driving.discard(run_id)
        if run_id in self.run_views:
            self.run_views[run_id].live_here = False
        self.runs_version += 1
        self.refresh_runs()

    @on(RunEventArrived)
    def run_event(self, message: RunEventArrived) -> None:
        event = message.event
        view = self.run_views.setdefault(event.run_id, RunView(run_id=event.run_id, live_here=True))
        view.apply(event)
        self.runs_version += 1
        self._update_status()
        if isinstance(event, ApprovalNeeded):
            self.open_gate(event.run_id, event.request)
        elif isinstance(event, Finished):
            self.notify(f"Review written: {event.out_dir}/review.md", title=f"Run {event.run_id} finished",
                        timeout=10)
            self.post_message(LibraryChanged())
        elif isinstance(event, Failed):
            self.notify(event.error, title=f"Run {event.run_id} {'cancelled' if event.cancelled else 'failed'}",
                        severity="warning" if event.cancelled else "error", timeout=10)

    # -- gates ----------------------------------------------------------------------------------

    @on(GateRequested)
    def gate_requested(self, message: GateRequested) -> None:
        self.load_gate(message.run_id)

    @work(thread=True, group="gate", exit_on_error=False)
    def load_gate(self, run_id: str) -> None:
        """Read a paused run's pending request (from any process) and open its approval screen."""
        try:
            info = self.backend.show(run_id)
        except Exception as error:  # noqa: BLE001 - a missing run is a message, not a crash
            self.call_from_thread(self.notify, explain(error), severity="error")
            return
        if not info.pending:
            self.call_from_thread(self.notify, f"Run {info.run_id} is {info.status}: it waits for nothing")
            return
        self.call_from_thread(self.open_gate, info.run_id, info.pending)

    def open_gate(self, run_id: str, request: dict[str, Any]) -> None:
        """Show the approval screen for a gate request; the answer resumes the run."""
        screen = gate_screen(run_id, parse_request(request))
        self.push_screen(screen, lambda decision: self._answered(run_id, decision))

    def _answered(self, run_id: str, decision: Any) -> None:
        if decision is None:
            gate = self.run_views[run_id].gate if run_id in self.run_views else "its"
            self.notify(f"Run {run_id} waits at the {gate} gate; answer it from Runs (F3).")
            return
        self.drive(run_id, lambda: self.backend.resume(run_id, decision))

    def resume_run(self, run_id: str) -> None:
        """Pick up a stopped or failed run from its last checkpoint."""
        self.drive(run_id, lambda: self.backend.resume(run_id))

    @work(thread=True, group="cancel", exit_on_error=False)
    def cancel_run(self, run_id: str) -> None:
        """Cancel a run; a live one stops at its next step."""
        try:
            info = self.backend.cancel(run_id)
        except Exception as error:  # noqa: BLE001 - e.g. already finished: say so
            self.call_from_thread(self.notify, explain(error), severity="warning")
            return
        note = "cancelled" if info.status == "cancelled" else "cancel requested: it stops at its next step"
        self.call_from_thread(self.notify, f"Run {info.run_id} {note}")
        self.refresh_runs()

    # -- navigation -----------------------------------------------------------------------------

    @on(PaperRequested)
    def open_paper(self, message: PaperRequested) -> None:
        self.push_screen(PaperScreen(message.arxiv_id, message.citation))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    async def action_quit(self) -> None:
        if not self.driving:
            self.exit()
            return

        runs = ", ".join(sorted(self.driving))
        question = (f"Run {runs} is working. Quit anyway? It stops at its next step and can be resumed "
                    "later (Runs → r, or `autoresearch runs resume`).")
        self.push_screen(ConfirmScreen(question, yes="Quit"), self._quit_confirmed)

    def _quit_confirmed(self, yes: bool | None) -> None:
        if yes:
            self._stopping = True
            self.exit()

    def on_unmount(self) -> None:
        self.backend.close()
