"""Block Kit builders stay under Slack's limits (checked by the fake Web API's validator), show
what a person needs to decide, and read back what the person chose; mrkdwn and command parsing."""

from __future__ import annotations

import json

import pytest

from agent.review.approval import DraftRequest, OutlineRequest, PaperBrief, PapersRequest
from agent.review.types import Outline, Theme
from evals.fake_slack import _check_blocks, _check_view
from slackbot import blocks as kit
from slackbot.args import UsageError, parse_research
from slackbot.mrkdwn import chunks, cite_links, markdown_excerpt, strip_mentions
from slackbot.refs import GateRef, ModalMeta, Place, place_of
from tools.paper import Candidate, Paper

REF = GateRef(run="20261122-abc123", gate="papers", by="U1")


def _candidates(n: int) -> list[Candidate]:
    return [Candidate(paper=Paper(arxiv_id=f"2501.{i:05d}", version="v1", title=f"Paper <{i}> & | friends",
                                  published="2025-01-17"),
                      score=1 - i / 100, reasons=[f"found by query `q{i}`", "cited by 2401.00001"])
            for i in range(n)]


def test_the_checklist_shows_reasons_and_both_buttons() -> None:
    _, blocks = kit.papers_message(REF, PapersRequest(topic="t <x>", queries=["q1"], candidates=_candidates(3)))
    assert not _check_blocks(blocks)
    rows = [b for b in blocks if "accessory" in b]
    assert len(rows) == 3 and all(r["accessory"]["initial_options"] == r["accessory"]["options"] for r in rows)
    assert "_found by query `q0` · cited by 2401.00001_" in rows[0]["text"]["text"]
    assert "<https://arxiv.org/abs/2501.00000v1|Paper &lt;0&gt; &amp; ∣ friends>" in rows[0]["text"]["text"]
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [kit.PAPERS_APPROVE, kit.PAPERS_KEEP_ALL]
    assert GateRef.parse(blocks[-1]["elements"][0]["value"]) == REF


def test_flagged_candidates_come_unticked_with_relevance_and_why() -> None:
    candidates = _candidates(3)
    candidates[2] = candidates[2].model_copy(update={
        "relevance": 0.31, "reason": "relevance 0.31 (the better half: 0.74)",
        "flag": "far below the other candidates: likely an off-topic keyword match"})
    request = PapersRequest(topic="t", candidates=candidates)
    _, blocks = kit.papers_message(REF, request)
    assert not _check_blocks(blocks)
    rows = [b for b in blocks if "accessory" in b]
    assert "initial_options" in rows[0]["accessory"] and "initial_options" not in rows[2]["accessory"]
    assert "relevance 0.31" in rows[2]["text"]["text"] and "off-topic keyword match" in rows[2]["text"]["text"]
    assert kit.selection({}, request) == ([c.paper.arxiv_id for c in candidates[:2]], [candidates[2].paper.arxiv_id])


def test_the_outline_lists_subsections_kinds_and_papers_left_out() -> None:
    ids = [f"2501.{i:05d}" for i in range(5)]
    outline = Outline(topic="t", title="T: A Survey", themes=[
        Theme(title="Existing surveys", kind="surveys", paper_ids=ids[:1]),
        Theme(title="Video anomaly detection", paper_ids=ids[1:2], subthemes=[
            Theme(title="Weakly supervised learning", paper_ids=ids[2:4])])],
        left_out={ids[4]: "a 1-page excerpt with no abstract"})
    request = OutlineRequest(topic="t", outline=outline, papers=[PaperBrief(arxiv_id=i, title=f"P{i}") for i in ids])
    _, blocks = kit.outline_message(REF, request)
    assert not _check_blocks(blocks)
    text = json.dumps(blocks)
    assert "(surveys)" in text and "*2.1 Weakly supervised learning*" in text
    assert "a 1-page excerpt with no abstract" in text and "### Weakly supervised learning" in kit.outline_text(request)


def test_a_long_candidate_list_fits_one_message_and_the_rest_are_kept() -> None:
    request = PapersRequest(topic="t", candidates=_candidates(120))
    _, blocks = kit.papers_message(REF, request)
    assert not _check_blocks(blocks) and len(blocks) <= 50
    assert "80 more, all kept" in json.dumps(blocks)
    state = {"paper:2501.00001": {kit.PAPER_KEEP: {"type": "checkboxes", "selected_options": []}}}
    kept, dropped = kit.selection(state, request)
    assert dropped == ["2501.00001"] and len(kept) == 119


def _outline_request(papers: int, title_words: int = 3) -> OutlineRequest:
    ids = [f"2501.{i:05d}" for i in range(papers)]
    themes = [Theme(title=f"Theme {t}", key_phrases=["a", "b"], paper_ids=ids[t::3]) for t in range(3)]
    return OutlineRequest(topic="t", outline=Outline(topic="t", title="A survey", themes=themes),
                          papers=[PaperBrief(arxiv_id=i, title=" ".join(["word"] * title_words)) for i in ids])


def test_the_outline_modal_falls_back_to_ids_then_to_the_cli_when_too_long() -> None:
    meta = ModalMeta(ref=REF.model_copy(update={"gate": "outline"}), place=Place(channel="C1", thread_ts="1.2"))
    for request, expect in [(_outline_request(6), "with titles"), (_outline_request(60, 10), "ids only"),
                            (_outline_request(400), "cli")]:
        view = kit.outline_modal(meta, request)
        assert not _check_view(view), expect
        inputs = [b for b in view["blocks"] if b["type"] == "input"]
        if expect == "cli":
            assert not inputs and "runs approve 20261122-abc123 --outline" in json.dumps(view)
        else:
            assert ("word word" in inputs[0]["element"]["initial_value"]) == (expect == "with titles")
        assert ModalMeta.parse(view["private_metadata"]) == meta
    _, blocks = kit.outline_message(meta.ref, _outline_request(6))
    assert not _check_blocks(blocks) and "Theme 0" in blocks[1]["text"]["text"]


def test_the_draft_summary_offers_revise_only_while_revisions_are_left() -> None:
    draft = DraftRequest(title="A survey", markdown="# A survey\n\n## Intro\nText [@key2020]." * 200, revision=2,
                         revisions_left=0, citations={"total": 9, "unresolved": 1}, notes=["applied: shorter"])
    _, blocks = kit.draft_message(REF.model_copy(update={"gate": "draft", "rev": 2}), draft)
    assert not _check_blocks(blocks)
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [kit.DRAFT_APPROVE]
    assert "9 citations · 1 unresolved" in blocks[0]["text"]["text"] and "[key2020]" in blocks[2]["text"]["text"]
    answered = kit.answered(blocks, "Approved by <@U1>")
    assert all(b["type"] != "actions" for b in answered) and answered[-1]["elements"][0]["text"].endswith("<@U1>")
    assert not _check_view(kit.feedback_modal(ModalMeta(ref=REF, place=Place(channel="C1", thread_ts="1.2"))))


def test_citations_become_arxiv_links_and_text_is_escaped() -> None:
    text = cite_links("A <@U1> & B [2501.12948, §3 Method, p.4] [local-x, §1] [cs/0112017v2, Fig. 3, p.7]")
    assert text.startswith("A &lt;@U1&gt; &amp; B [<https://arxiv.org/abs/2501.12948|2501.12948, §3 Method, p.4>]")
    assert "[local-x, §1]" in text and "<https://arxiv.org/abs/cs/0112017|cs/0112017v2, Fig. 3, p.7>" in text
    assert markdown_excerpt("# Title\nSee **this** [@a; @b] & [x](https://y.org).") == \
        "*Title*\nSee *this* [a; b] &amp; <https://y.org|x>."
    assert strip_mentions("<@U0BOT>  what is <!here> new?") == "what is new?"
    pieces = chunks(("line " * 100 + "\n") * 20, 1000)
    assert all(len(p) <= 1000 for p in pieces) and "".join(pieces).count("line") == 2000


def test_a_click_knows_its_thread() -> None:
    body = {"container": {"channel_id": "C1", "message_ts": "5.5", "thread_ts": "1.1"}, "message": {"ts": "5.5"}}
    assert place_of(body) == Place(channel="C1", thread_ts="1.1", message_ts="5.5")
    assert place_of({"container": {"type": "view"}}) is None
    assert GateRef.parse("click_me_123") is None


def test_research_arguments() -> None:
    parsed = parse_research('“video anomaly detection” —max 3 --since=2024-01 --until 2025')
    assert parsed.request is not None and parsed.request.topic == "video anomaly detection"
    assert (parsed.request.max_papers, str(parsed.request.since), str(parsed.request.until)) == (3, "2024-01-01",
                                                                                               "2025-01-01")
    assert parse_research("children's speech").request.topic == "children's speech"
    assert parse_research("show 20261122-abc1").show_run == "20261122-abc1"
    assert parse_research("show and tell").request.topic == "show and tell"


@pytest.mark.parametrize("text, message", [
    ("", "Usage: `/research <topic>"), ("--max 3", "What topic?"), ("x --max 0", "--max: Input should be"),
    ("x --max two", "--max needs a whole number"), ("x --since 2024-13-01", "--since: not a date"),
    ("x --depth 2", "Unknown option --depth"), ("x --max", "--max needs a value"), ('x "y', "Unbalanced quotes"),
])
def test_research_argument_mistakes_are_one_line(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_research(text)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
