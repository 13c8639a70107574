"""Item 4: an empty or blank id, topic or query is a usage error (exit 2) everywhere; an unset shell
variable (`runs approve ""`) never matches a run."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("blank", ["", "   "])
def test_item04_blank_topic_or_query_is_exit_2_and_nothing_runs(blank: str, small_mirror, cli) -> None:
    for args in (["search", blank, "--no-rerank"], ["review", blank], ["ask", blank],
                 ["watch", "add", blank], ["library", "show", blank], ["library", "remove", blank],
                 ["figures", blank], ["summarize", blank], ["runs", "show", blank], ["runs", "cancel", blank]):
        outcome = cli(*args)
        assert outcome.code == 2, (args, outcome.err)
        assert "empty" in outcome.reason, (args, outcome.reason)
    assert small_mirror.api_hits() == []  # no search was sent
    assert json.loads(cli("runs", "list", "--json").out)["runs"] == []  # no run was created


def test_item04_runs_approve_with_an_empty_id_matches_no_run(small_mirror, shared_embedder, cli) -> None:
    started = cli("review", "video anomaly detection", "--max-papers", "2", "--json")
    assert started.code == 3, started.err
    run_id = json.loads(started.out.splitlines()[-1])["run_id"]
    for blank in ("", "  "):
        for args in (["runs", "approve", blank], ["runs", "resume", blank]):
            outcome = cli(*args)
            assert outcome.code == 2, (args, outcome.err)
            assert "empty" in outcome.reason
    shown = json.loads(cli("runs", "show", run_id, "--json").out)
    assert (shown["status"], shown["gate"]) == ("paused", "papers")  # nothing was approved
