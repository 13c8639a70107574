"""`autoresearch digest` end to end against the arXiv mirror (and the fake Slack Web API)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent import services
from agent.cli.app import main
from agent.settings import Settings
from evals.fake_slack import TOKEN, FakeSlackApi
from evals.mirror import Fault, MirrorServer
from tests.fakes.chat import ScriptedFakeChatModel, fake_translation, guarded

REPO = Path(__file__).resolve().parents[3]
KEYWORDS = ["--keyword", "Video Anomaly Detection", "--keyword", "Talking Head Generation"]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *argv], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def test_cron_run_is_quiet_writes_the_file_and_exits_zero(mirror_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "site" / "README.md"
    done = _run("digest", *KEYWORDS, "--out", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    text = out.read_text()
    assert "## Video Anomaly Detection\n| **Title** | **Date** | **Abstract** | **Comment** |" in text
    assert "## Talking Head Generation\n" in text and text.count("| 🆕 ") == 17
    again = _run("digest", *KEYWORDS, "--out", str(out), "--verbose")
    assert again.returncode == 0 and again.stdout == ""
    assert "digest: Video Anomaly Detection: 15 papers, 0 new" in again.stderr
    assert "🆕" not in out.read_text().split("\n## ", 1)[1]


def test_json_digest_of_the_watchlist(mirror_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "add", "Video Understanding"]) == 0
    capsys.readouterr()
    assert main(["digest", "--json", "--since", "2025-06-01"]) == 0
    document = json.loads(capsys.readouterr().out)
    (table,) = document["keywords"]
    assert table["keyword"] == "Video Understanding" and table["papers"]
    for paper in table["papers"]:
        assert {"arxiv_id", "title", "published", "new"} <= set(paper) and paper["new"] is True
        assert paper["published"] >= "2025-06-01"
    assert main(["digest", "--format", "html", "--since", "2025-06-01"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<h2>Video Understanding</h2>" in page
    assert page.count("<tr><td>") == len(table["papers"]) and "🆕 new" not in page  # seen by the JSON run


def test_no_watchlist_is_a_clear_failure(mirror_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest"]) == 1
    assert "no keywords watched" in capsys.readouterr().err


def test_translate_without_a_translator_fails_before_any_request(
        mirror_settings: Settings, mirror: MirrorServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", *KEYWORDS, "--translate", "zh"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "llm.translator" in captured.err and mirror.api_hits() == []


def test_translate_with_a_fake_chat_model_adds_the_second_language(
        mirror_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AUTORESEARCH_LLM__TRANSLATOR", "fake:translator")
    model = guarded(ScriptedFakeChatModel(reply=fake_translation))
    monkeypatch.setattr(services, "chat_model", lambda settings, role: model if role == "translator" else None)
    assert main(["digest", "--keyword", "Talking Head Generation", "--translate", "zh", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["language"] == "zh"
    for paper in document["keywords"][0]["papers"]:
        assert paper["title_zh"] == "【译】" + paper["title"]
        assert paper["abstract_zh"].startswith("【译】")
    assert main(["digest", "--keyword", "Talking Head Generation", "--translate", "zh", "--format", "md"]) == 0
    assert "**<br>【译】" in capsys.readouterr().out


def test_a_failing_search_exits_non_zero_with_one_line(mirror_settings: Settings, mirror: MirrorServer,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MAX_TRIES", "1")
    mirror.always = Fault(503)
    assert main(["digest", *KEYWORDS, "--format", "md"]) == 1
    captured = capsys.readouterr()
    assert "> **Search failed:**" in captured.out  # what could be delivered still is
    reasons = [line for line in captured.err.splitlines() if line.startswith("autoresearch:")]
    assert reasons == [captured.err.strip().splitlines()[-1]]
    assert "digest incomplete: Video Anomaly Detection" in reasons[0] and "(and 1 more)" in reasons[0]


def test_post_slack_needs_a_token(mirror_settings: Settings, mirror: MirrorServer,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", *KEYWORDS, "--post-slack", "#papers"]) == 1
    assert "slack.bot_token" in capsys.readouterr().err and mirror.api_hits() == []


def test_post_slack_delivers_and_a_failed_post_keeps_papers_new(
        mirror_settings: Settings, slack_api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AUTORESEARCH_SLACK__BOT_TOKEN", TOKEN)
    monkeypatch.setenv("AUTORESEARCH_SLACK__API_URL", slack_api.base_url)
    assert main(["digest", *KEYWORDS, "--post-slack", "#nowhere"]) == 1
    assert "channel_not_found" in capsys.readouterr().err
    assert main(["digest", *KEYWORDS, "--post-slack", "#papers"]) == 0
    assert capsys.readouterr().out == ""  # quiet: the digest went to Slack
    overview = slack_api.state.messages[0]
    assert overview["channel"] == "C0PAPERS" and "17 new" in overview["text"]  # still new after the failed post
    assert main(["digest", *KEYWORDS, "--post-slack", "#papers"]) == 0
    later = [m for m in slack_api.state.messages if m["thread_ts"] is None][-1]
    assert "0 new" in later["text"]
