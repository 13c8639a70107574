"""Item 2: an answer at the papers gate that names non-candidates is a usage error, and no gate
answer moves a run into a state it cannot leave."""

from __future__ import annotations

import json

import pytest

TOPIC = "video anomaly detection"


@pytest.fixture
def paused(small_mirror, shared_embedder, cli) -> tuple[str, list[str]]:
    """A review paused at its papers gate: (run id, candidate ids)."""
    started = cli("review", TOPIC, "--max-papers", "3", "--json")
    assert started.code == 3, started.err
    gate = json.loads(started.out.splitlines()[-1])
    assert gate["gate"] == "papers"
    return gate["run_id"], [c["paper"]["arxiv_id"] for c in gate["request"]["candidates"]]


def status(cli, run_id: str) -> tuple[str, str | None]:
    shown = json.loads(cli("runs", "show", run_id, "--json").out)
    return shown["status"], shown["gate"]


def test_item02_keep_or_drop_of_a_non_candidate_is_a_usage_error(paused, cli) -> None:
    run_id, candidates = paused
    for option in ("--keep", "--drop"):
        answer = cli("runs", "approve", run_id, option, "9999.99999")
        assert answer.code == 2, (option, answer.err)
        assert "9999.99999" in answer.reason and all(c in answer.reason for c in candidates)
        assert status(cli, run_id) == ("paused", "papers")
    kept = cli("runs", "approve", run_id, "--keep", candidates[0], "--json")
    assert kept.code == 3, kept.err  # on to the outline gate, with the one paper kept
    assert status(cli, run_id) == ("paused", "outline")


def test_item02_an_answer_that_leaves_no_papers_is_refused(paused, cli) -> None:
    run_id, candidates = paused
    answer = cli("runs", "approve", run_id, "--drop", ",".join(candidates))
    assert answer.code == 2, answer.err
    assert "no papers" in answer.reason
    assert status(cli, run_id) == ("paused", "papers")


def test_item02_adding_only_unknown_ids_asks_again(paused, cli) -> None:
    """`--keep A --add X` is valid, but when arXiv has no X and nothing else is left the run
    must pause at the gate again, not fail for good."""
    run_id, candidates = paused
    answer = cli("runs", "approve", run_id, "--drop", ",".join(candidates), "--add", "9999.99999", "--json")
    assert answer.code == 3, answer.err
    events = [json.loads(line) for line in answer.out.splitlines()]
    assert any("9999.99999" in e.get("message", "") for e in events if e["type"] == "warning")
    assert status(cli, run_id) == ("paused", "papers")
    kept = cli("runs", "approve", run_id, "--keep", candidates[1], "--json")
    assert kept.code == 3, kept.err
    assert status(cli, run_id) == ("paused", "outline")
