"""Task files: every option of `autoresearch review` from TOML; command-line flags win."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agent.review.taskfile import TaskFileError, build_request, load_task
from agent.settings import ReviewSettings

TASK = """
topic = "talking head generation"
max_papers = 12
categories = ["cs.CV", "cs.GR"]
since = 2023-01-01
until = "2025-06-30"
out = "reviews/talking"
format = "latex"
approve = "auto"
max_revisions = 1
[gates]
draft = "ask"
[models]
writer = "openai:gpt-4o-mini"
"""


def test_a_task_file_fills_every_option(tmp_path: Path) -> None:
    path = tmp_path / "team" / "talking.toml"
    path.parent.mkdir()
    path.write_text(TASK)
    request = build_request(load_task(path), ReviewSettings())
    assert request.topic == "talking head generation" and request.max_papers == 12
    assert request.categories == ["cs.CV", "cs.GR"]
    assert (request.since, request.until) == (date(2023, 1, 1), date(2025, 6, 30))
    assert request.out_dir == str(tmp_path / "team" / "reviews" / "talking")  # beside the file
    assert request.format == "latex" and request.max_revisions == 1
    assert request.gates is not None
    assert (request.gates.papers, request.gates.outline, request.gates.draft) == ("auto", "auto", "ask")
    assert request.models == {"writer": "openai:gpt-4o-mini"}


def test_command_line_flags_override_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TASK)
    request = build_request(load_task(path), ReviewSettings(), topic="video anomaly detection",
                            max_papers=3, categories=["cs.AI"], approve="ask", format="md",
                            models={"writer": None, "planner": "ollama:llama3"})
    assert request.topic == "video anomaly detection" and request.max_papers == 3
    assert request.categories == ["cs.AI"] and request.format == "md"
    assert request.gates is not None and {request.gates.papers, request.gates.draft} == {"ask"}
    assert request.models == {"writer": "openai:gpt-4o-mini", "planner": "ollama:llama3"}
    assert request.since == date(2023, 1, 1)  # not given on the command line: the file's


def test_without_a_task_file_the_settings_decide_the_gates() -> None:
    from agent.review.taskfile import TaskFile

    request = build_request(TaskFile(), ReviewSettings(approve_papers="auto"), topic="x")
    assert request.gates is not None and (request.gates.papers, request.gates.outline) == ("auto", "ask")


@pytest.mark.parametrize(("text", "message"), [
    ("topic = 'x'\nmax_paper = 3\n", "max_paper: Extra inputs are not permitted"),
    ("topic = 'x'\napprove = 'sometimes'\n", "approve: Input should be 'ask' or 'auto'"),
    ("topic = 'x\n", "is not valid TOML"),
    ("max_papers = 3\n", "a topic is needed"),
])
def test_a_bad_task_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(TaskFileError, match=message):
        build_request(load_task(path), ReviewSettings())


def test_a_missing_task_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TaskFileError, match="cannot read task file"):
        load_task(tmp_path / "nope.toml")
