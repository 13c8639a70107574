"""The deployment files in deploy/ stay true to the code: every variable they set is a setting that
parses, the services point at each other, and every command they run exists with those options.

(Docker cannot run here, so the compose file is checked as data; `systemd-analyze verify` on the
units is in docs/deploy.md's validation notes.)
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer
import yaml

from agent.cli.app import app
from agent.settings import load_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (an unset required one fails)."""
    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
        if values.get(name):
            return values[name]
        if op == ":?":
            raise AssertionError(f"{name} is required: {arg}")
        return arg
    return re.sub(r"\$\{(\w+)(:[-?])?([^}]*)\}", one, text)


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (systemd's EnvironmentFile and compose's .env), comments skipped."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip(): _unquote(value.strip()) for key, value in pairs}


def _unquote(value: str) -> str:
    """A value wrapped whole in single or double quotes loses them (systemd and compose alike)."""
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def settings_from_env(values: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return load_settings()


def compose() -> dict:
    """compose.yaml as `docker compose config` would see it with env.example as its .env: parsed
    first, then `${…}` filled into string values."""
    example = env_file(DEPLOY / "compose" / "env.example")

    def fill(node):
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(value) for value in node]
        return interpolate(node, example) if isinstance(node, str) else node

    return fill(yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text()))


def test_the_compose_apps_reach_postgres_and_chroma_by_service_name(monkeypatch: pytest.MonkeyPatch) -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "chroma", "caddy", "bot", "digest"}
    settings = settings_from_env(services["bot"]["environment"], monkeypatch)
    dsn = settings.checkpoint.postgres_dsn.get_secret_value()
    assert settings.checkpoint.backend == "postgres" and "@postgres:5432/autoresearch" in dsn
    assert settings.memory.chroma_url == "http://chroma:8000"
    assert settings.slack.approvers == ["U012ABCDEF"] and len(settings.digest.keywords) == 2
    chroma = services["chroma"]
    assert chroma["entrypoint"] == ["chroma"] and chroma["command"][:3] == ["run", "--path", "/data/chroma"]
    assert chroma["command"][-2:] == ["--port", "8000"] and services["caddy"]["environment"]["CHROMA_UPSTREAM"] == "chroma:8000"
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "autoresearch"
    assert services["digest"]["profiles"] == ["jobs"] and services["bot"]["command"] == ["slack"]
    assert services["digest"]["command"][-1] == "#arxiv-digest"


def test_the_systemd_environment_file_is_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {k: v for k, v in env_file(DEPLOY / "systemd" / "autoresearch.env.example").items()
              if k.startswith("AUTORESEARCH_")}
    settings = settings_from_env(values, monkeypatch)
    assert settings.checkpoint.backend == "postgres" and settings.memory.chroma_url == "http://127.0.0.1:8000"
    assert settings.checkpoint.postgres_dsn.get_secret_value().endswith("?host=/var/run/postgresql")
    assert settings.slack.approvers == ["U012ABCDEF"] and settings.digest.keywords


def run_lines() -> list[tuple[str, list[str]]]:
    """(where, argv after `autoresearch`) for every autoresearch command the deployment runs."""
    found = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and line.split()[0].endswith("/autoresearch"):
                found.append((unit.name, shlex.split(line)[1:]))
    for name, service in compose()["services"].items():
        if service.get("image") == "autoresearch:local" and "entrypoint" not in service:
            found.append((f"compose:{name}", service["command"]))
    return found


@pytest.mark.parametrize("where, argv", run_lines(), ids=[w for w, _ in run_lines()])
def test_every_command_the_deployment_runs_exists(where: str, argv: list[str]) -> None:
    command = COMMANDS[argv[0]]
    options = {opt for param in command.params for opt in param.opts}
    assert {a for a in argv[1:] if a.startswith("--")} <= options, where
