"""The approval screens on fixed requests: every key turns into the typed decision it should."""

from __future__ import annotations

from agent.review.approval import Decision
from agent.settings import load_settings
from tests.tui.conftest import settle
from tests.tui.fixed_backend import (
    VAD,
    FixedBackend,
    draft_request,
    outline_request,
    papers_request,
)
from tui.app import AutoresearchApp
from tui.screens.gates import gate_screen


async def open_gate(pilot, request) -> list[Decision | None]:
    answers: list[Decision | None] = []
    await pilot.app.push_screen(gate_screen("20260921-c0ffee", request), answers.append)
    await settle(pilot)
    return answers


def app() -> AutoresearchApp:
    return AutoresearchApp(load_settings(), backend=FixedBackend())


async def test_papers_gate_untick_add_and_approve_is_an_edit() -> None:
    ids = [r["arxiv_id"] for r in VAD]
    async with app().run_test(size=(80, 24)) as pilot:
        answers = await open_gate(pilot, papers_request())
        gate = pilot.app.screen
        assert "6 of 6 selected" in str(gate.query_one("#papers-count").render())
        await pilot.press("down")
        assert VAD[1]["title"][:30] in str(gate.query_one("#preview").render())
        await pilot.press("space", "plus", *"arXiv:2409.03605v1", "enter")
        assert "6 of 7 selected" in str(gate.query_one("#papers-count").render())
        await pilot.press("plus", *"not an id", "enter")  # refused, nothing added
        assert gate.added == ["2409.03605"]
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
    assert answers == [Decision(action="edit", drop=[ids[1]], add=["2409.03605"], by="tui")]


async def test_papers_gate_all_none_and_plain_approve() -> None:
    async with app().run_test(size=(120, 40)) as pilot:
        answers = await open_gate(pilot, papers_request())
        await pilot.press("n", "ctrl+s")  # nothing ticked: refused with a notice, still open
        await pilot.pause()
        assert answers == [] and type(pilot.app.screen).__name__ == "PapersGate"
        await pilot.press("a", "ctrl+s")
        await pilot.pause()
    assert answers == [Decision(action="approve", by="tui")]


async def test_papers_gate_escape_answers_later() -> None:
    async with app().run_test(size=(80, 24)) as pilot:
        answers = await open_gate(pilot, papers_request())
        await pilot.press("escape")
        await pilot.pause()
    assert answers == [None]


async def test_outline_gate_edits_titles_order_and_membership() -> None:
    request = outline_request()
    ids = [r["arxiv_id"] for r in VAD]
    async with app().run_test(size=(80, 24)) as pilot:
        answers = await open_gate(pilot, request)
        gate = pilot.app.screen
        await pilot.press("e", "ctrl+u", *"Anomalies in Video", "enter")  # the review's title
        await pilot.press("down", "e", "ctrl+u", *"Weak supervision", "enter")  # section 1
        await pilot.press("j")  # section 1 moves below section 2
        assert [t.title for t in gate.edit.themes][:2] == ["Reconstruction and prediction", "Weak supervision"]
        await pilot.press("down", "x")  # the first paper of "Weak supervision" is left out
        assert ids[0] in gate.edit.left_out
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")  # … and moved back, into section 1 (now "Reconstruction …")
        await settle(pilot)
        assert ids[0] in gate.edit.themes[0].paper_ids and not gate.edit.left_out
        await pilot.press("n", *"Open problems", "enter")  # an empty section is dropped on approve
        await pilot.press("ctrl+s")
        await pilot.pause()
    decision = answers[0]
    assert decision is not None and decision.action == "edit" and decision.by == "tui"
    outline = decision.outline
    assert outline.title == "Anomalies in Video"
    assert [t.title for t in outline.themes] == ["Reconstruction and prediction", "Weak supervision", "Benchmarks"]
    assert outline.themes[0].paper_ids == [ids[3], ids[4], ids[0]]
    decision.check(request)  # the run accepts it: only papers it read


async def test_outline_gate_untouched_is_a_plain_approve_and_delete_leaves_papers_out() -> None:
    async with app().run_test(size=(80, 24)) as pilot:
        answers = await open_gate(pilot, outline_request())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert answers == [Decision(action="approve", by="tui")]
        answers = await open_gate(pilot, outline_request())
        gate = pilot.app.screen
        await pilot.press("down", "d")
        assert len(gate.edit.themes) == 2 and len(gate.edit.left_out) == 3
        assert "3 left out" in str(gate.query_one("#outline-count").render())


async def test_draft_gate_revise_with_feedback_or_approve() -> None:
    async with app().run_test(size=(80, 24)) as pilot:
        answers = await open_gate(pilot, draft_request())
        gate = pilot.app.screen
        assert "Weakly supervised detection" in gate.query_one("#draft").source
        assert "2 citations (0 unresolved, 0 unsupported) · 2 revisions left" in str(
            gate.query_one("#draft-facts").render())
        await pilot.press("r", *"compare the datasets", "ctrl+s")  # ctrl+s while typing sends the line
        await pilot.pause()
        assert answers == [Decision(action="revise", feedback="compare the datasets", by="tui")]
        answers = await open_gate(pilot, draft_request().model_copy(update={"revisions_left": 0}))
        await pilot.press("r")  # no revisions left: refused
        assert not pilot.app.screen.query_one("#feedback").display
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert answers == [Decision(action="approve", by="tui")]


def flagged_request():
    """The papers request with its last candidate flagged (far below the others)."""
    request = papers_request()
    last = request.candidates[-1].model_copy(update={
        "flag": "far below the other candidates (relevance 0.31, theirs 0.74)", "relevance": 0.31,
        "reason": "relevance 0.31 (the better half: 0.74); none of the request's words in the title"})
    return request.model_copy(update={"candidates": [*request.candidates[:-1], last]})


async def test_papers_gate_proposes_flagged_candidates_unticked() -> None:
    ids = [r["arxiv_id"] for r in VAD]
    async with app().run_test(size=(120, 40)) as pilot:
        answers = await open_gate(pilot, flagged_request())
        gate = pilot.app.screen
        assert "5 of 6 selected" in str(gate.query_one("#papers-count").render())
        await pilot.press(*["down"] * 5)
        shown = str(gate.query_one("#preview").render())
        assert "Proposed unticked" in shown and "relevance 0.31" in shown
        await pilot.press("ctrl+s")  # as proposed: a plain approve (the run leaves the flagged one out)
        await pilot.pause()
        assert answers == [Decision(action="approve", by="tui")]
        answers = await open_gate(pilot, flagged_request())
        await pilot.press(*["down"] * 5, "space", "ctrl+s")  # ticked by hand: kept by name
        await pilot.pause()
    assert answers == [Decision(action="edit", keep=ids, by="tui")]


async def test_outline_gate_shows_and_edits_subsections() -> None:
    from agent.review.types import Theme

    request = outline_request()
    ids = [r["arxiv_id"] for r in VAD]
    first = request.outline.themes[0].model_copy(update={"subthemes": [
        Theme(title="Multiple instance learning", paper_ids=ids[:2])]})
    outline = request.outline.model_copy(update={"themes": [first, *request.outline.themes[1:]]})
    async with app().run_test(size=(100, 30)) as pilot:
        answers = await open_gate(pilot, request.model_copy(update={"outline": outline}))
        gate = pilot.app.screen
        await pilot.press("down", "down", "down")  # title, section 1, its own paper, subsection 1.1
        assert gate._target() == ("sub", (0, 0))
        await pilot.press("e", "ctrl+u", *"MIL ranking", "enter", "d")  # rename, then delete it
        assert gate.edit.themes[0].subthemes == [] and gate.edit.themes[0].paper_ids == ids[:3]
        await pilot.press("ctrl+s")
        await pilot.pause()
    decision = answers[0]
    assert decision is not None and decision.action == "edit"
    assert decision.outline.themes[0].subthemes == [] and decision.outline.themes[0].paper_ids == ids[:3]
