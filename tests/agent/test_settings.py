"""One settings tree: defaults < TOML file < environment < command-line flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli.app import main
from agent.settings import load_settings


def test_defaults(isolated_env: Path) -> None:
    settings = load_settings()
    assert settings.arxiv.api_url == "https://export.arxiv.org/api/query"
    assert settings.arxiv.pdf_url == "https://arxiv.org/pdf"
    assert settings.arxiv.min_interval_s == 3.0
    assert settings.home == isolated_env
    assert settings.llm.writer == ""


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[arxiv]\npage_size = 7\ntimeout_s = 9\nmax_tries = 2\n[llm]\nwriter = "toml"\n')
    monkeypatch.setenv("AUTORESEARCH_CONFIG", str(config))
    monkeypatch.setenv("AUTORESEARCH_ARXIV__TIMEOUT_S", "11")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MAX_TRIES", "3")
    settings = load_settings(arxiv={"max_tries": 5, "page_size": None})
    assert settings.arxiv.page_size == 7        # file over default
    assert settings.arxiv.timeout_s == 11       # env over file
    assert settings.arxiv.max_tries == 5        # flag over env
    assert settings.arxiv.min_interval_s == 3.0  # untouched sibling keeps its default
    assert settings.llm.writer == "toml"


def test_home_and_chroma_shortcut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTORESEARCH_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("AUTORESEARCH_CHROMA_URL", "http://127.0.0.1:9")
    settings = load_settings()
    assert settings.home == tmp_path / "elsewhere"
    assert settings.memory.chroma_url == "http://127.0.0.1:9"


def test_config_show_masks_secrets(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("AUTORESEARCH_SLACK__SIGNING_SECRET", "s3cret-value")
    monkeypatch.setenv("AUTORESEARCH_LLM__OPENAI_API_KEY", "sk-abcdef")
    assert main(["config", "show", "--json"]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert document["slack"]["signing_secret"] == "**********"
    assert "s3cret-value" not in out and "sk-abcdef" not in out
    assert main(["config", "show"]) == 0
    text = capsys.readouterr().out
    assert "[arxiv]" in text and "s3cret-value" not in text


def test_global_home_flag(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--home", str(tmp_path / "h"), "config", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["home"] == str(tmp_path / "h")
