"""Fixtures for the reliability tests: the real CLI, run in-process, its exit code and output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass
class Outcome:
    """What one command did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def reason(self) -> str:
        """The final `autoresearch: …` line on stderr (the one-line reason of a failure)."""
        lines = [line for line in self.err.splitlines() if line.startswith("autoresearch:")]
        return lines[-1] if lines else ""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run `autoresearch ARGS…` in this process (the same `main` the console script runs)."""
    from agent.cli.app import main

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run
