"""Events: every kind survives a JSON line, so front ends can rebuild them from `--json` output."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent.runs.events import (
    ApprovalNeeded,
    Failed,
    Finished,
    Progress,
    StageFinished,
    StageStarted,
    Warning,
    parse_event,
)

EVENTS = [StageStarted(run_id="r", stage="ingest"), StageFinished(run_id="r", stage="ingest", seconds=1.5),
          Progress(run_id="r", stage="ingest", done=2, total=5, message="2501.12948: ingested"),
          Warning(run_id="r", stage="ingest", message="PDF is encrypted"),
          ApprovalNeeded(run_id="r", gate="papers", request={"gate": "papers", "topic": "t", "candidates": []}),
          Finished(run_id="r", out_dir="/tmp/x", counts={"papers": 5}),
          Failed(run_id="r", error="cancelled", cancelled=True)]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
def test_every_event_round_trips_through_one_json_line(event) -> None:
    line = event.model_dump_json()
    assert "\n" not in line
    again = parse_event(line)
    assert type(again) is type(event) and again == event
    assert parse_event(event.model_dump(mode="json")) == event


def test_an_unknown_event_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_event('{"type": "exploded", "run_id": "r"}')
