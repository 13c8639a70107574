"""One error family: every exception class of the project derives from `AutoresearchError`, and a
front end shows an error as its first line with the hint in parentheses."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from agent.cli.app import main
from tools.errors import AutoresearchError, BadUsage, explain

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "tools", "memory", "tui", "slackbot", "evals")


def project_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a project module (each module imported once)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name == "agent.__main__":
                continue
            module = importlib.import_module(name)
            found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                      if issubclass(cls, BaseException) and cls.__module__ == name]
    return found


def test_every_project_exception_is_an_autoresearch_error() -> None:
    classes = project_exceptions()
    assert len(classes) >= 40  # the walk found them (a broken walk would pass vacuously)
    assert [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, AutoresearchError)] == []


def test_the_old_bases_stay_for_callers_that_catch_them() -> None:
    from agent.digest.watch import WatchError
    from agent.runs.registry import RunNotFound
    from tools.download import PdfNotFound
    from tools.http import FetchError

    assert issubclass(WatchError, ValueError) and issubclass(RunNotFound, KeyError)
    assert issubclass(PdfNotFound, FetchError) and issubclass(BadUsage, ValueError)
    assert str(RunNotFound("no run 'x'")) == "no run 'x'"


def test_explain_is_one_line_with_the_hint() -> None:
    assert explain(AutoresearchError("no keywords watched\nmore", hint="add one")) == "no keywords watched (add one)"
    assert explain(AutoresearchError("arXiv is unavailable")) == "arXiv is unavailable"
    assert explain(ValueError("")) == "ValueError"


def test_the_cli_shows_message_and_hint_once_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--home", str(tmp_path), "digest"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ('autoresearch: no keywords watched (add one with `autoresearch watch add '
                            '"Video Anomaly Detection"` or pass --keyword)\n')
    assert captured.out == ""


def test_bad_usage_from_the_core_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--home", str(tmp_path), "ingest"]) == 2
    assert capsys.readouterr().err.startswith("autoresearch: nothing to ingest")
