"""Bad usage exits 2 with the reason on stderr, whichever click copy typer parses with."""

from __future__ import annotations

import pytest

from agent.cli.app import main


@pytest.mark.parametrize("argv, reason", [
    (["search"], "Missing argument 'topic'"),
    (["search", "x", "--max", "0"], "--max"),
    (["review", "x", "--approve", "maybe"], "--approve must be auto or ask"),
    (["no-such-command"], "No such command"),
])
def test_bad_usage_exits_2_and_says_why(argv: list[str], reason: str, capsys: pytest.CaptureFixture) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert reason in captured.err and captured.out == ""


def test_help_exits_0(capsys: pytest.CaptureFixture) -> None:
    assert main(["search", "--help"]) == 0
    assert "topic" in capsys.readouterr().out.lower()
