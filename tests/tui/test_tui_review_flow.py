"""A review end to end from the chat: start it, approve the papers in the modal, accept the outline,
read the draft, approve it — against the mirror, with real checkpoints the CLI sees too."""

from __future__ import annotations

import json
from pathlib import Path

from agent.review.context import ReviewServices
from agent.review.state import ReviewRequest
from agent.runs.session import ReviewSession
from tests.tui.conftest import TOPIC, settle, until


def screen_name(app) -> str:
    return type(app.screen).__name__


async def test_a_review_from_the_chat_through_every_gate(make_app, tui_settings) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press(*f"/review {TOPIC} --max 3", "enter")
        await until(pilot, lambda: screen_name(app) == "PapersGate", what="the papers gate")
        await settle(pilot)
        gate = app.screen
        run_id = gate.run_id
        candidates = [c.paper.arxiv_id for c in gate.request.candidates]
        assert len(candidates) == 3 and all(c.reasons for c in gate.request.candidates)
        assert "Why it is here" in str(gate.query_one("#preview").render())
        await pilot.press("down", "space")  # untick the second candidate
        assert len(gate.checklist.selected) == 2
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_name(app) == "OutlineGate", what="the outline gate")
        await settle(pilot)
        outline_gate = app.screen
        assert outline_gate.edit.themes and candidates[1] not in {
            i for t in outline_gate.edit.themes for i in t.paper_ids}
        await pilot.press("ctrl+s")  # accept the outline as proposed
        await until(pilot, lambda: screen_name(app) == "DraftGate", what="the draft gate")
        await settle(pilot)
        draft = app.screen
        assert draft.request.markdown.startswith("# ") and draft.request.citations["total"] > 0
        shown = draft.query_one("#draft").source
        assert shown == draft.request.markdown
        assert "revision 0" in str(draft.query_one("#draft-facts").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.run_views[run_id].status == "finished", what="the finished run")
        await settle(pilot)
        assert screen_name(app) == "ChatScreen"
        card = app.screen.query_one("RunCard")
        assert card.run_id == run_id and "finished" in str(card.render())

    out = Path(app.run_views[run_id].out_dir)
    report = json.loads((out / "run.json").read_text())
    assert [d["gate"] for d in report["decisions"]] == ["papers", "outline", "draft"]
    assert report["decisions"][0]["action"] == "edit" and report["decisions"][0]["by"] == "tui"
    assert [p["arxiv_id"] for p in report["ingest"]] == [candidates[0], candidates[2]]
    with ReviewSession(tui_settings) as session:  # the CLI's view of the same run
        assert session.show(run_id).status == "finished"


async def test_a_run_paused_by_another_process_is_answered_from_the_runs_screen(make_app, tui_settings,
                                                                                 embedder) -> None:
    services = ReviewServices(tui_settings, embedder=embedder)
    with ReviewSession(tui_settings, services=services) as session:  # as `autoresearch review` leaves it
        events = list(session.start(ReviewRequest(topic=TOPIC, max_papers=2)))
    run_id = events[-1].run_id
    assert events[-1].type == "approval_needed"
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        runs = app.screen
        assert screen_name(app) == "RunsScreen" and runs.selected == run_id
        assert "waits for approval of 2 papers" in str(runs.query_one("#run-headline").render())
        assert app.run_views[run_id].stages["search"].status == "done"
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "PapersGate", what="the papers gate")
        await pilot.press("escape")  # later: the run stays paused
        await settle(pilot)
        assert screen_name(app) == "RunsScreen"
        await pilot.press("c")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        assert app.run_views[run_id].status == "cancelled"
    with ReviewSession(tui_settings) as session:
        assert session.show(run_id).status == "cancelled"


async def test_a_live_run_shows_stage_progress_and_can_be_cancelled(make_app, tui_mirror) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        tui_mirror.pdfs.gate.clear()  # hold the first PDF: the run sits in its ingest stage
        try:
            run_id = app.start_review(TOPIC, 2)
            await until(pilot, lambda: app.screen.__class__.__name__ == "PapersGate", what="the papers gate")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await until(pilot, tui_mirror.pdfs.asked.is_set, what="the first PDF request")
            await pilot.press("f3")
            await until(pilot, lambda: app.run_views[run_id].stages["ingest"].status == "running", what="ingest")
            runs = app.screen
            assert runs.selected == run_id
            row = runs.query_one("#stage-ingest")
            assert row.has_class("-running") and row.query_one("ProgressBar").total == 2
            assert runs.query_one("#stage-search").has_class("-done")
            assert "s" in str(row.query_one(".stage-time").render())  # elapsed while it runs
            await pilot.press("c", "y")
        finally:
            tui_mirror.pdfs.gate.set()
        await until(pilot, lambda: app.run_views[run_id].status == "cancelled", what="the cancelled run")
        await settle(pilot)
        assert "cancelled" in str(runs.query_one("#run-headline").render())
