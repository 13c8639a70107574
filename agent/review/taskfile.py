"""Task files: a review's every command-line option in TOML, for cron jobs and team repos.

    topic = "video anomaly detection"
    max_papers = 20
    categories = ["cs.CV"]
    since = "2023-01-01"
    until = "2025-12-31"
    out = "reviews/vad"          # relative to this file's folder
    format = "md"                # or "latex"
    approve = "auto"             # all gates; or per gate below
    max_revisions = 2
    [gates]
    papers = "ask"
    [models]
    planner = "openai:gpt-4o-mini"
    writer = "openai:gpt-4o-mini"

Flags given on the command line override the file.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.review.approval import GatePolicies
from agent.review.state import ReviewRequest
from agent.settings import GatePolicy, ReviewSettings
from tools.errors import AutoresearchError


class TaskFileError(AutoresearchError, ValueError):
    """A task file that cannot be read; the message names the file and the problem."""


class _Gates(BaseModel):
    model_config = ConfigDict(extra="forbid")
    papers: GatePolicy | None = None
    outline: GatePolicy | None = None
    draft: GatePolicy | None = None


class _Models(BaseModel):
    model_config = ConfigDict(extra="forbid")
    planner: str | None = None
    writer: str | None = None


class TaskFile(BaseModel):
    """The options of `autoresearch review`, as a file (unknown keys are an error, not ignored)."""

    model_config = ConfigDict(extra="forbid")
    topic: str | None = None
    max_papers: int | None = Field(default=None, ge=1)
    categories: list[str] = Field(default_factory=list)
    since: date | None = None
    until: date | None = None
    out: Path | None = None
    format: Literal["md", "latex"] | None = None
    approve: GatePolicy | None = None
    gates: _Gates = Field(default_factory=_Gates)
    max_revisions: int | None = Field(default=None, ge=0)
    models: _Models = Field(default_factory=_Models)


def load_task(path: Path) -> TaskFile:
    """Read a task file; relative `out` is taken from the file's folder."""
    try:
        task = TaskFile.model_validate(tomllib.loads(path.read_text()))
    except OSError as error:
        raise TaskFileError(f"cannot read task file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise TaskFileError(f"{path} is not valid TOML: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TaskFileError(f"{path}: {where}: {first['msg']}") from None
    if task.out is not None and not task.out.is_absolute():
        task.out = (path.parent / task.out).resolve()
    return task


def build_request(task: TaskFile, review: ReviewSettings, **flags: Any) -> ReviewRequest:
    """The run's request: settings < task file < command-line flags (None = flag not given)."""
    merged = task.model_dump(exclude={"gates", "models"})
    merged.update({k: v for k, v in flags.items()
                   if v not in (None, [], ()) and k not in ("approve", "models", "collection")})
    if not merged.get("topic"):
        raise TaskFileError("a topic is needed: `autoresearch review \"TOPIC\"` or `topic = …` in --task")
    approve = flags.get("approve") or task.approve
    gates = GatePolicies.from_settings(review, approve).model_copy(
        update={} if flags.get("approve") else task.gates.model_dump(exclude_none=True))
    models = {**task.models.model_dump(exclude_none=True),
              **{k: v for k, v in (flags.get("models") or {}).items() if v}}
    return ReviewRequest(topic=merged["topic"], max_papers=merged.get("max_papers"),
                         categories=merged.get("categories") or [], since=merged.get("since"),
                         until=merged.get("until"), out_dir=str(merged.get("out") or ""),
                         format=merged.get("format") or "md", gates=gates,
                         max_revisions=merged.get("max_revisions"), models=models,
                         collection=flags.get("collection"))
