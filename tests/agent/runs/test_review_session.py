"""The review graph driven through ReviewSession: gates, edits, revisions, failures, cancellation.

Real arXiv mirror on 127.0.0.1, real Chroma library, real SQLite checkpoints; content stages are
the production ones (or small stand-ins built on them, where a test needs a misbehaving stage).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from agent.review.approval import Decision, GatePolicies, InvalidDecision
from agent.review.graph import STAGES
from agent.review.stages import production_stages
from agent.review.state import ReviewRequest
from agent.review.types import Outline, Theme
from agent.runs.events import ApprovalNeeded, Failed, Finished, Progress, StageFinished, StageStarted, Warning
from agent.runs.session import NotResumable
from tests.agent.conftest import TOPIC, drain

AUTO = GatePolicies(papers="auto", outline="auto", draft="auto")
ASK = GatePolicies(papers="ask", outline="ask", draft="ask")
UNRELATED = "2409.03605"
"""A talking-head paper in the seed corpus, far from the topic."""


def request(gates: GatePolicies = AUTO, **extra) -> ReviewRequest:
    return ReviewRequest(topic=TOPIC, max_papers=4, gates=gates, **extra)


def test_an_auto_run_goes_through_every_stage_and_exports(make_session, mirror) -> None:
    session = make_session()
    events = drain(session.start(request()))
    ran = [s for s in STAGES if s != "gate_cited"]  # abstracts only: no reference lists to follow
    started = [e.stage for e in events if isinstance(e, StageStarted)]
    assert started == ran
    finished = {e.stage for e in events if isinstance(e, StageFinished)}
    assert finished == set(ran)
    assert all(isinstance(e, (StageStarted, StageFinished, Progress, Warning)) for e in events[:-1])
    done = events[-1]
    assert isinstance(done, Finished) and done.counts["papers"] == 4 and done.counts["abstract_only"] == 4
    assert all(e.run_id == done.run_id for e in events)
    out = Path(done.out_dir)
    assert (out / "review.md").is_file() and (out / "references.bib").is_file() and (out / "figures").is_dir()
    report = json.loads((out / "run.json").read_text())
    assert [p["status"] for p in report["ingest"]] == ["abstract_only"] * 4
    # search.strategy broad: the topic's words, its phrasings and two feedback rounds, one request each
    assert report["search"]["strategy"] == "broad" and report["search"]["requests"] <= 4
    assert report["citations"]["unresolved"] == 0 and report["citations"]["total"] > 0
    assert set(report["timings"]) == set(ran)
    assert report["request"]["gates"] == AUTO.model_dump()
    info = session.show(done.run_id)
    assert info.status == "finished" and info.pending is None and set(info.timings) >= set(ran) - {"export"}
    with pytest.raises(NotResumable):
        session.resume(done.run_id)


def test_papers_gate_edit_drops_and_adds_and_resumes_in_a_new_session(make_session, mirror, caplog) -> None:
    first = make_session()
    paused = drain(first.start(request(GatePolicies(papers="ask", outline="auto", draft="auto"))))[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.gate == "papers"
    candidates = [c["paper"]["arxiv_id"] for c in paused.request["candidates"]]
    assert len(candidates) == 4 and all(c["reasons"] for c in paused.request["candidates"])
    assert first.show(paused.run_id).status == "paused"
    first.close()

    second = make_session()  # another session: state comes back from the SQLite checkpoint
    assert second.show(paused.run_id).pending == paused.request
    asked_again = drain(second.resume(paused.run_id))[-1]  # no decision: the gate asks again
    assert isinstance(asked_again, ApprovalNeeded) and asked_again.request == paused.request
    with pytest.raises(InvalidDecision, match="papers gate"):
        second.resume(paused.run_id, Decision(action="revise", feedback="more"))
    with caplog.at_level(logging.WARNING):
        events = drain(second.resume(paused.run_id, Decision(action="edit", drop=[candidates[0]],
                                                            add=[UNRELATED, "2401.99999"], by="test")))
    assert not [r for r in caplog.records if "unregistered type" in r.getMessage()]
    done = events[-1]
    assert isinstance(done, Finished), events[-1]
    assert any(isinstance(e, Warning) and "2401.99999" in e.message for e in events)
    report = json.loads((Path(done.out_dir) / "run.json").read_text())
    assert [p["arxiv_id"] for p in report["ingest"]] == [*candidates[1:], UNRELATED]
    assert report["decisions"][0] == {"gate": "papers", "action": "edit", "by": "test",
                                      "detail": "4 of 4 candidates, 2 added"}


def test_outline_gate_edit_shapes_the_draft(make_session, mirror) -> None:
    session = make_session()
    paused = drain(session.start(request(GatePolicies(papers="auto", outline="ask", draft="auto"))))[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.gate == "outline"
    ids = [p["arxiv_id"] for p in paused.request["papers"]]
    edited = Outline(topic=TOPIC, title="Where anomalies hide", themes=[
        Theme(title="Benchmarks and settings", paper_ids=ids[:2]), Theme(title="Methods", paper_ids=ids[2:3])])
    with pytest.raises(InvalidDecision, match="did not read"):
        session.resume(paused.run_id, Decision(action="edit", outline=Outline(
            topic=TOPIC, title="x", themes=[Theme(title="x", paper_ids=[UNRELATED])])))
    events = drain(session.resume(paused.run_id, Decision(action="edit", outline=edited)))
    done = events[-1]
    assert isinstance(done, Finished)
    review = (Path(done.out_dir) / "review.md").read_text()
    assert review.index("## Benchmarks and settings") < review.index("## Methods")
    assert any(isinstance(e, Warning) and ids[3] in e.message for e in events)  # left out, and said so


def test_the_revise_loop_is_bounded_and_feeds_the_writer(make_session, mirror) -> None:
    seen: list[tuple[str, int]] = []
    real = production_stages()

    def writer(topic, outline, papers, library, settings, chat_model=None, feedback="", revision=0):
        seen.append((feedback, revision))
        return real.write_review(topic, outline, papers, library, settings, chat_model, feedback, revision)

    session = make_session(stages=dataclasses.replace(real, write_review=writer))
    gates = GatePolicies(papers="auto", outline="auto", draft="ask")
    paused = drain(session.start(request(gates, max_revisions=1)))[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.request["revisions_left"] == 1
    again = drain(session.resume(paused.run_id, Decision(action="revise", feedback="compare the datasets")))[-1]
    assert isinstance(again, ApprovalNeeded) and again.gate == "draft"
    assert (again.request["revision"], again.request["revisions_left"]) == (1, 0)
    assert any("compare the datasets" in note for note in again.request["notes"])  # what the writer made of it
    with pytest.raises(InvalidDecision, match="no revisions left"):
        session.resume(paused.run_id, Decision(action="revise", feedback="once more"))
    done = drain(session.resume(paused.run_id, Decision(action="approve")))[-1]
    assert isinstance(done, Finished) and done.counts["revisions"] == 1
    assert seen == [("", 0), ("compare the datasets", 1)]


def test_a_writer_model_inventing_a_citation_key_gets_it_removed_and_reported_fake_llm(make_session, mirror) -> None:
    """The writer is a hosted LLM in production; a fake chat model that invents a key stands in."""
    from agent.llm.factory import guard

    invent = AIMessage(content="Later detectors reached 99.9% accuracy on UCF-Crime [@made2099up].")

    def models(settings, role, usage=None):
        if role != "writer":
            return None
        fake = GenericFakeChatModel(messages=itertools.cycle([invent]))
        return guard(fake, "fake:writer", role, settings.llm, usage)

    events = drain(make_session(chat_models=models).start(request()))
    done = events[-1]
    assert isinstance(done, Finished) and done.counts["unresolved"] >= 1 and done.counts["llm_calls"] > 0
    assert any(isinstance(e, Warning) and "made2099up" in e.message for e in events)
    out = Path(done.out_dir)
    assert "made2099up" not in (out / "review.md").read_text()
    assert "made2099up" not in (out / "references.bib").read_text()
    report = json.loads((out / "run.json").read_text())
    assert "made2099up" in report["verification"]["unresolved"] and report["writer"] == "fake:writer"
    by_stage = report["usage"]["by_stage"]
    assert by_stage["draft"]["calls"] >= 1  # the outline stage may ask it to name sections too
    assert sum(stage["calls"] for stage in by_stage.values()) == done.counts["llm_calls"]


def test_one_bad_paper_is_recorded_and_skipped(make_session, mirror) -> None:
    real = production_stages()
    broken: list[str] = []

    def ingest(paper, services):
        if not broken:
            broken.append(paper.arxiv_id)
            raise OSError("PDF is encrypted")
        return real.ingest(paper, services)

    session = make_session(stages=dataclasses.replace(real, ingest=ingest))
    events = drain(session.start(request()))
    done = events[-1]
    assert isinstance(done, Finished) and (done.counts["failed"], done.counts["abstract_only"]) == (1, 3)
    assert any(isinstance(e, Warning) and "PDF is encrypted" in e.message for e in events)
    report = json.loads((Path(done.out_dir) / "run.json").read_text())
    failed = [p for p in report["ingest"] if p["status"] == "failed"]
    assert [p["arxiv_id"] for p in failed] == broken and failed[0]["message"] == "PDF is encrypted"


def test_a_failed_run_resumes_from_its_last_checkpoint(make_session, mirror) -> None:
    real = production_stages()
    calls: list[int] = []

    def flaky_export(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real.export_review(*args, **kwargs)

    session = make_session(stages=dataclasses.replace(real, export_review=flaky_export))
    failed = drain(session.start(request()))[-1]
    assert isinstance(failed, Failed) and failed.error == "disk full" and not failed.cancelled
    assert session.show(failed.run_id).status == "failed"
    hits, chunks = len(mirror.api_hits()), session.services.library.stats()["chunks"]
    events = drain(session.resume(failed.run_id))
    assert [e.stage for e in events if isinstance(e, StageStarted)] == ["export"]
    assert isinstance(events[-1], Finished)
    assert len(mirror.api_hits()) == hits and session.services.library.stats()["chunks"] == chunks


def test_cancel_stops_a_live_run_at_its_next_step_and_ends_a_paused_one(make_session, mirror) -> None:
    real = production_stages()
    session = make_session(concurrency=1)
    run_id = "20260101-cancel"

    def ingest_then_cancel(paper, services):
        session.cancel(run_id)  # as another process would: the run is live, so only a flag is set
        return real.ingest(paper, services)

    session.stages = dataclasses.replace(real, ingest=ingest_then_cancel)
    events = drain(session.start(request(), run_id=run_id))
    assert isinstance(events[-1], Failed) and events[-1].cancelled
    ingested = [e for e in events if isinstance(e, Progress) and e.stage == "ingest" and e.done]
    assert len(ingested) == 0  # stopped at the first progress step after the cancel
    assert session.show(run_id).status == "cancelled"
    with pytest.raises(NotResumable):
        session.resume(run_id)

    paused = drain(make_session().start(request(ASK)))[-1]
    assert isinstance(paused, ApprovalNeeded)
    assert session.cancel(paused.run_id).status == "cancelled"
    with pytest.raises(NotResumable):
        session.resume(paused.run_id, Decision(action="approve"))


def fake_planner(answer: str):
    """A hosted planner model stands in as a fake chat model, wrapped as `agent.llm.factory` wraps real ones."""
    from agent.llm.factory import guard

    def models(settings, role, usage=None):
        if role != "planner":
            return None
        return guard(FakeListChatModel(responses=[answer]), "fake:planner", role, settings.llm, usage)

    return models


def test_a_planner_model_adds_queries_and_its_tokens_are_counted_fake_llm(make_session, mirror) -> None:
    answer = '{"queries": ["weakly supervised anomaly localisation", "surveillance video events"], ' \
             '"categories": ["cs.CV", "not a category!"]}'
    session = make_session(chat_models=fake_planner(answer))
    events = drain(session.start(request()))
    search_steps = [e for e in events if isinstance(e, Progress) and e.stage == "search"]
    assert search_steps and search_steps[0].message.startswith("round 0 (topic)")
    queries = [h.params.get("search_query", "") for h in mirror.api_hits()]
    assert any("localisation" in q for q in queries) and all("cat:cs.CV" in q for q in queries)
    done = events[-1]
    report = json.loads((Path(done.out_dir) / "run.json").read_text())
    # One planning call; the outline stage may ask the same model to pick section names.
    assert isinstance(done, Finished) and done.counts["llm_calls"] == report["usage"]["calls"]
    assert report["plan"]["planner"] == "fake:planner"
    assert {"weakly supervised anomaly localisation", "surveillance video events"} <= set(report["search"]["queries"])
    assert report["search"]["strategy"] == "expand"  # a planner's queries are always asked
    assert report["search"]["requests"] <= report["search"]["budget"] == 10
    plan = report["usage"]["by_stage"]["plan"]
    assert plan["calls"] == 1 and plan["input_tokens"] > 0

    broken = make_session(chat_models=fake_planner("no idea"))
    events = drain(broken.start(request(ASK)))
    assert any(isinstance(e, Warning) and "planner model failed" in e.message for e in events)
    assert isinstance(events[-1], ApprovalNeeded)


def test_a_misconfigured_model_fails_the_run_at_once(make_session, mirror) -> None:
    session = make_session()
    failed = drain(session.start(request(models={"writer": "gpt-4o"})))
    assert len(failed) == 1 and isinstance(failed[0], Failed)
    assert "llm.writer = 'gpt-4o': write provider:model" in failed[0].error
    assert not mirror.api_hits()  # nothing was searched


def test_a_second_review_reuses_stored_papers_and_cached_queries(make_session, mirror) -> None:
    session = make_session()
    first = drain(session.start(request()))[-1]
    assert isinstance(first, Finished) and first.counts["abstract_only"] == 4
    hits, stats = len(mirror.api_hits()), session.services.library.stats()
    again = drain(session.start(request()))[-1]
    assert isinstance(again, Finished) and again.counts["stored"] == 4 and again.counts["abstract_only"] == 0
    assert len(mirror.api_hits()) == hits  # the query came from the day-long cache
    assert session.services.library.stats() == stats
    assert first.out_dir != again.out_dir  # each run writes its own folder by default


def test_a_run_that_died_before_its_first_checkpoint_starts_over_on_resume(make_session, mirror) -> None:
    session = make_session()
    never_driven = session.start(request(), run_id="20260101-early0")  # registered, then the process "died"
    del never_driven
    info = session.show("20260101-early0")
    assert (info.status, info.live, info.timings) == ("running", False, {})
    done = drain(session.resume("20260101-early0"))[-1]
    assert isinstance(done, Finished) and done.counts["papers"] == 4
