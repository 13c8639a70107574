"""What every command shares: settings from the global flags, JSON output, exit codes."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console

from agent.services import Services
from agent.settings import Settings, load_settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PAUSED = 3
"""A review paused at an approval gate (the run id is printed)."""

JSON_HELP = "Print one JSON document instead of a table."


@dataclass
class CliContext:
    """The global flags, carried in `typer.Context.obj`."""

    config: Path | None = None
    home: Path | None = None
    verbose: bool = False


def settings_from(ctx: typer.Context, **overrides: Any) -> Settings:
    """Settings with the global flags and a command's own flags applied (flags win)."""
    cli: CliContext = ctx.obj or CliContext()
    return load_settings(cli.config, home=cli.home, **overrides)


def services_from(ctx: typer.Context, **overrides: Any) -> Services:
    """The services of one command over the data dir the flags name (built as they are used)."""
    return Services(settings_from(ctx, **overrides), cache_embeddings=False)


def stdout() -> Console:
    """A console for results on stdout."""
    return Console(soft_wrap=False)


def stderr() -> Console:
    """A console for progress and messages on stderr (stdout stays clean for `--json`)."""
    return Console(stderr=True)


def print_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(document), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def to_jsonable(value: Any) -> Any:
    """Pydantic models, dates and paths as plain JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (date, Path)):
        return str(value)
    return value


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    """Stop with a one-line reason on stderr and a non-zero exit code.

    For what the front end itself refuses (a bad option, a file it cannot write); the core's
    errors (`tools.errors.AutoresearchError`) are left to `agent.cli.app.main`, which shows them
    with their hint.
    """
    sys.stderr.write(f"autoresearch: {message.splitlines()[0] if message else 'failed'}\n")
    raise typer.Exit(code)


def parse_date(value: str | None) -> date | None:
    """Read `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) as a date; None stays None."""
    if not value:
        return None
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(*numbers[:3])
    except (ValueError, TypeError):
        raise typer.BadParameter(f"not a date: {value!r} (use YYYY-MM-DD)") from None
