"""`autoresearch llm status|ping|prompts` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evals.fake_openai import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120)


def test_status_lists_every_role_and_fails_on_a_missing_key() -> None:
    done = run_cli("llm", "status", "--json")
    assert done.returncode == 0, done.stderr
    roles = json.loads(done.stdout)["roles"]
    assert [r["role"] for r in roles] == ["planner", "writer", "summarizer", "chat", "translator"]
    assert {r["state"] for r in roles} == {"none"}
    broken = run_cli("llm", "status", "--json", env={"AUTORESEARCH_LLM__WRITER": "anthropic:claude-sonnet-4-5"})
    assert broken.returncode == 1
    writer = json.loads(broken.stdout)["roles"][1]
    assert writer["state"] == "error" and "llm.anthropic_api_key" in writer["error"]
    assert broken.stderr.strip().splitlines() == [
        "autoresearch: llm.writer: anthropic:claude-sonnet-4-5 needs an API key: set "
        "llm.anthropic_api_key (env AUTORESEARCH_LLM__ANTHROPIC_API_KEY)"]


def test_ping_through_a_fake_openai_server_reports_tokens_and_cost(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.script("<think>greet</think>Hello there.")
    env = {"AUTORESEARCH_LLM__CHAT": "openai:gpt-4o-mini", "AUTORESEARCH_LLM__BASE_URL": fake_openai.base_url,
           "AUTORESEARCH_LLM__PRICES": '{"openai:gpt-4o-mini": [0.15, 0.6]}'}
    done = run_cli("llm", "ping", "chat", "--json", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["reply"] == "Hello there." and report["model"] == "openai:gpt-4o-mini"
    usage = report["usage"]
    assert usage["calls"] == 1 and usage["by_stage"]["ping"]["calls"] == 1 and usage["cost_usd"] > 0
    [body] = fake_openai.state.requests
    assert body["messages"][-1]["content"].startswith("Reply with one short sentence")


def test_ping_without_a_model_says_how_to_set_one() -> None:
    done = run_cli("llm", "ping", "translator")
    assert done.returncode == 1
    assert "llm.translator is not set (e.g. AUTORESEARCH_LLM__TRANSLATOR=llamacpp:smollm2)" in done.stderr


def test_prompts_lists_templates_and_rejects_a_bad_override() -> None:
    done = run_cli("llm", "prompts", "grounded_answer", "--json")
    assert done.returncode == 0, done.stderr
    prompt = json.loads(done.stdout)
    assert prompt["placeholders"] == {"system": ["allowed_keys"],
                                      "user": ["allowed_keys", "passages", "question"]}
    bad = run_cli("llm", "prompts", env={"AUTORESEARCH_LLM__PROMPTS": '{"grounded_answer.user": "{question}"}'})
    assert bad.returncode == 1 and "missing {passages}" in bad.stderr
