"""Item 11: one parser for paper ids: a malformed id is exit 2 with the same message in every
command, never silently read as the id it starts with."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

BAD = "2401.00001/../../x"
MESSAGE = "not an arXiv id or a library key"


@pytest.mark.parametrize("args", [
    ["library", "show", BAD], ["library", "remove", BAD], ["figures", BAD], ["summarize", BAD],
    ["ask", "what is sparse attention", "--paper", BAD], ["ingest", BAD],
], ids=lambda args: " ".join(args[:2]))
def test_item11_a_malformed_id_is_exit_2_with_one_message(args: list[str], small_mirror, cli) -> None:
    outcome = cli(*args)
    assert outcome.code == 2, outcome.err
    assert MESSAGE in outcome.reason, outcome.reason
    assert small_mirror.api_hits() == []  # never searched for as a title


def test_item11_gate_answers_use_the_same_parser() -> None:
    from agent.review.approval import Decision

    with pytest.raises(ValidationError, match="not an arXiv id"):
        Decision(action="edit", keep=[BAD])
    assert Decision(action="edit", keep=["arXiv:2401.00001v2", "https://arxiv.org/abs/2401.00002"]).keep == [
        "2401.00001", "2401.00002"]
