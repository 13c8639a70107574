"""The configuration reference: generated from the settings model, complete, and true."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from agent.cli.app import main
from agent.settings import load_settings
from agent.settings_doc import markdown, settings_reference

ROOT = Path(__file__).resolve().parents[3]


def test_docs_configuration_md_is_what_config_doc_prints_today() -> None:
    written = (ROOT / "docs" / "configuration.md").read_text()
    assert written == markdown(settings_reference()), \
        "docs/configuration.md is stale: run `autoresearch config doc > docs/configuration.md`"


def test_every_setting_says_what_it_is_for() -> None:
    rows = settings_reference()
    assert len(rows) > 60
    assert [row.name for row in rows if len(row.description) < 10] == []
    assert len({row.name for row in rows}) == len(rows)


def _sample(row_type: str, default: object) -> tuple[str, object] | None:
    """An environment value for a scalar setting that differs from its default, and what it parses to."""
    if row_type == "int":
        return str(int(default) + 1), int(default) + 1  # type: ignore[arg-type]
    if row_type == "float":
        return str(float(default) + 0.5), float(default) + 0.5  # type: ignore[arg-type]
    if row_type == "str":
        return "x-from-env", "x-from-env"
    return None


def test_every_environment_variable_the_reference_names_sets_its_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = 0
    for row in settings_reference():
        sample = _sample(row.type, row.default)
        if sample is None or row.name == "chroma_url":  # the shortcut folds into memory.chroma_url
            continue
        raw, expected = sample
        monkeypatch.setenv(row.env, raw)
        value: object = load_settings()
        for part in row.name.split("."):
            value = getattr(value, part)
        monkeypatch.delenv(row.env)
        assert value == expected, row.name
        checked += 1
    assert checked > 50


def test_settings_with_a_fixed_set_of_values_list_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.settings import Settings

    page = markdown(settings_reference())
    listed = 0
    for row in settings_reference():
        group, _, leaf = row.name.partition(".")
        if not leaf:
            continue
        annotation = Settings.model_fields[group].annotation.model_fields[leaf].annotation  # type: ignore[union-attr]
        if typing.get_origin(annotation) is typing.Literal:
            assert row.choices == [str(c) for c in typing.get_args(annotation)]
            line = next(line for line in page.splitlines() if line.startswith(f"| `{row.name}` |"))
            assert all(f"`{choice}`" in line for choice in row.choices), line
            monkeypatch.setenv(row.env, row.choices[-1])
            value = getattr(getattr(load_settings(), group), leaf)
            monkeypatch.delenv(row.env)
            assert value == row.choices[-1]
            listed += 1
    assert listed >= 6  # embedding backend, figure reader, checkpoint backend, the three gates


def test_config_doc_prints_markdown_and_json(capsys: pytest.CaptureFixture) -> None:
    assert main(["config", "doc"]) == 0
    text = capsys.readouterr().out
    assert "| `arxiv.min_interval_s` | `AUTORESEARCH_ARXIV__MIN_INTERVAL_S` | `3.0` |" in text
    assert main(["config", "doc", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["settings"]}
    assert rows["slack.bot_token"]["secret"] is True and rows["slack.bot_token"]["default"] is None
    assert rows["checkpoint.backend"]["default"] == "sqlite"
