"""Snapshots of the main screens at 80x24 and 120x40 (fixed data, a fixed clock).

Update after a deliberate change of the look with `pytest tests/tui/test_tui_snapshots.py
--snapshot-update`, and look at the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest

from agent.runs.events import Progress, StageFinished, StageStarted, Warning
from agent.settings import load_settings
from tests.tui.fixed_backend import (
    NOW,
    FixedBackend,
    draft_request,
    outline_request,
    papers_request,
)
from tui.app import AutoresearchApp
from tui.commands import Parsed
from tui.messages import PaperRequested, RunEventArrived
from tui.screens.gates import gate_screen

SIZES = [(80, 24), (120, 40)]
LIVE = "20260921-d00d00"


def app() -> AutoresearchApp:
    return AutoresearchApp(load_settings(), backend=FixedBackend(), clock=lambda: NOW)


async def settle(pilot) -> None:
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


async def chat(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.run_command(Parsed("search", "video anomaly detection"))
    await settle(pilot)
    await pilot.press(*"how fast is framegate?", "enter")
    await settle(pilot)
    await pilot.press(*"/re")


async def runs(pilot) -> None:
    await settle(pilot)
    for event in [StageStarted(stage="plan", at=NOW - 40), StageFinished(stage="plan", seconds=0.4),
                  StageStarted(stage="search", at=NOW - 39), Progress(stage="search", done=3, total=3),
                  StageFinished(stage="search", seconds=6.2), StageStarted(stage="gate_papers", at=NOW - 33),
                  StageFinished(stage="gate_papers", seconds=20.0), StageStarted(stage="ingest", at=NOW - 13),
                  Progress(stage="ingest", done=3, total=8, message="2311.07042 parsed: 14 pages, 6 figures"),
                  Warning(stage="ingest", message="2110.05086: PDF is encrypted; stored its abstract")]:
        pilot.app.post_message(RunEventArrived(event.model_copy(update={"run_id": LIVE})))
    await pilot.press("f3")
    await settle(pilot)
    pilot.app.run_views[LIVE].topic = "multimodal large language models"
    pilot.app.runs_version += 1
    await settle(pilot)


async def library(pilot) -> None:
    await pilot.press("f4")
    await settle(pilot)


async def paper(pilot) -> None:
    await settle(pilot)
    pilot.app.post_message(PaperRequested("2501.00001"))
    await settle(pilot)
    await pilot.press("3")  # figures
    await settle(pilot)


def gate(request):
    async def open_it(pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(gate_screen("20260921-c0ffee", request))
        await settle(pilot)
    return open_it


async def help_screen(pilot) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await settle(pilot)


SCREENS = {"chat": chat, "runs": runs, "library": library, "paper": paper, "help": help_screen,
           "papers_gate": gate(papers_request()), "outline_gate": gate(outline_request()),
           "draft_gate": gate(draft_request())}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(snap_compare, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(app(), terminal_size=size, run_before=SCREENS[screen])


def test_light_theme_snapshot(snap_compare) -> None:
    async def light_runs(pilot) -> None:
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "textual-light"
        await runs(pilot)

    assert snap_compare(app(), terminal_size=(80, 24), run_before=light_runs)
