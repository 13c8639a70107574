"""Gate requests and decisions: explicit, typed, checked against the gate they answer."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent.review.approval import (
    Decision,
    DraftRequest,
    GatePolicies,
    InvalidDecision,
    OutlineRequest,
    PaperBrief,
    PapersRequest,
    outline_from_markdown,
    outline_to_markdown,
    parse_request,
)
from agent.review.types import Outline, Theme
from agent.settings import ReviewSettings
from tools.paper import Candidate, Paper

OUTLINE = Outline(topic="vad", title="Video anomaly detection", themes=[
    Theme(title="Weak supervision", key_phrases=["multiple instance"], paper_ids=["2311.07042", "2104.06813"]),
    Theme(title="Open vocabulary", paper_ids=["2501.09733"])])
OUTLINE_GATE = OutlineRequest(topic="vad", outline=OUTLINE, papers=[
    PaperBrief(arxiv_id=i, title=f"paper {i}") for i in ("2311.07042", "2104.06813", "2501.09733")])


def draft_gate(left: int) -> DraftRequest:
    return DraftRequest(title="t", markdown="m", revision=2 - left, revisions_left=left)


def test_payloads_must_fit_the_action() -> None:
    with pytest.raises(ValidationError, match="approve takes no payload"):
        Decision(action="approve", feedback="looks fine")
    with pytest.raises(ValidationError, match="exactly one payload"):
        Decision(action="edit")
    with pytest.raises(ValidationError, match="exactly one payload"):
        Decision(action="edit", drop=["2311.07042"], outline=OUTLINE)
    with pytest.raises(ValidationError, match="revise needs feedback"):
        Decision(action="revise", feedback="   ")
    with pytest.raises(ValidationError, match="not an arXiv id"):
        Decision(action="edit", keep=["the good ones"])


def test_ids_are_read_in_any_form_and_kept_versionless() -> None:
    decision = Decision(action="edit", keep=["arXiv:2311.07042v3", "https://arxiv.org/abs/2104.06813v1",
                                             "2311.07042"])
    assert decision.keep == ["2311.07042", "2104.06813"]


def test_each_gate_takes_only_its_own_decisions() -> None:
    papers = PapersRequest(topic="vad", candidates=[
        Candidate(paper=Paper(arxiv_id=i, title=i)) for i in ("2311.07042", "2104.06813")])
    Decision(action="edit", drop=["2311.07042"]).check(papers)
    with pytest.raises(InvalidDecision, match="papers gate"):
        Decision(action="revise", feedback="more").check(papers)
    with pytest.raises(InvalidDecision, match="papers gate"):
        Decision(action="edit", outline=OUTLINE).check(papers)
    with pytest.raises(InvalidDecision, match="outline gate"):
        Decision(action="edit", keep=["2311.07042"]).check(OUTLINE_GATE)
    with pytest.raises(InvalidDecision, match="draft gate"):
        Decision(action="edit", drop=["2311.07042"]).check(draft_gate(1))
    Decision(action="revise", feedback="shorter").check(draft_gate(1))
    with pytest.raises(InvalidDecision, match="no revisions left"):
        Decision(action="revise", feedback="shorter").check(draft_gate(0))
    Decision(action="approve").check(draft_gate(0))


def test_an_edited_outline_may_only_use_the_runs_papers() -> None:
    stranger = OUTLINE.model_copy(update={"themes": [Theme(title="x", paper_ids=["1111.2011"])]})
    with pytest.raises(InvalidDecision, match="did not read: 1111.2011"):
        Decision(action="edit", outline=stranger).check(OUTLINE_GATE)
    empty = OUTLINE.model_copy(update={"themes": [Theme(title="x")]})
    with pytest.raises(InvalidDecision, match="no theme with papers"):
        Decision(action="edit", outline=empty).check(OUTLINE_GATE)


def test_the_outline_round_trips_through_markdown_a_person_edits() -> None:
    text = outline_to_markdown(OUTLINE, {"2311.07042": "Open-Vocabulary VAD"})
    assert "## Weak supervision" in text and "- 2311.07042  Open-Vocabulary VAD" in text
    assert outline_from_markdown(text, "vad") == OUTLINE
    edited = text.replace("## Open vocabulary", "## Beyond closed sets").replace("- 2104.06813\n", "")
    edited += "- 2104.06813v1\n"
    again = outline_from_markdown(edited, "vad")
    assert [t.title for t in again.themes] == ["Weak supervision", "Beyond closed sets"]
    assert again.themes[1].paper_ids == ["2501.09733", "2104.06813"]
    with pytest.raises(InvalidDecision, match="no `## Theme`"):
        outline_from_markdown("just some notes", "vad")


def test_subsections_kinds_and_left_out_papers_round_trip_through_markdown() -> None:
    outline = Outline(topic="vad", title="VAD: A Survey", themes=[
        Theme(title="Existing surveys", kind="surveys", paper_ids=["2501.09733"]),
        Theme(title="Video anomaly detection", key_phrases=["surveillance videos"], paper_ids=["2104.06813"],
              subthemes=[Theme(title="Weakly supervised learning", paper_ids=["2311.07042", "2404.04986"])])],
        left_out={"2206.01062": "a 1-page excerpt with no abstract"})
    text = outline_to_markdown(outline)
    assert "### Weakly supervised learning" in text and "<!-- kind: surveys -->" in text
    assert "- 2206.01062  (a 1-page excerpt with no abstract)" in text
    back = outline_from_markdown(text, "vad")
    assert back == outline.model_copy(update={"left_out": {}})  # a left-out paper stays out
    assert back.themes[1].paper_ids == ["2104.06813", "2311.07042", "2404.04986"]
    # A paper moved under a subsection heading belongs to its section too; the comment is skipped.
    moved = text.replace("- 2206.01062  (a 1-page excerpt with no abstract)\n", "").replace(
        "### Weakly supervised learning\n", "### Weakly supervised learning\n- 2206.01062\n")
    again = outline_from_markdown(moved, "vad")
    assert "2206.01062" in again.themes[1].subthemes[0].paper_ids and "2206.01062" in again.themes[1].paper_ids


def test_requests_round_trip_through_json() -> None:
    for request in (PapersRequest(topic="vad", candidates=[]), OUTLINE_GATE, draft_gate(1)):
        assert parse_request(request.model_dump(mode="json")) == request


def test_policies_come_from_settings_unless_one_is_given_for_all() -> None:
    review = ReviewSettings(approve_papers="auto", approve_outline="ask", approve_draft="ask")
    assert GatePolicies.from_settings(review) == GatePolicies(papers="auto", outline="ask", draft="ask")
    assert GatePolicies.from_settings(review, "auto") == GatePolicies(papers="auto", outline="auto", draft="auto")
