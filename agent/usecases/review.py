"""Review: start a run, answer its gates, resume or cancel it, list and show runs.

Every front end drives runs through `agent.runs.session.ReviewSession` on the same data dir (the
CLI's `review` and `runs`, the TUI's runs, the bot's `/research` and buttons), so a run started in
one is answered in another. These are the steps they share; how a decision is collected (flags,
a modal, a screen) stays with the front end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent.review.approval import Decision
from agent.review.state import CollectionSpec, ReviewRequest
from agent.review.taskfile import TaskFile, build_request, load_task
from agent.runs.events import BaseEvent
from agent.runs.registry import RunInfo
from agent.runs.session import ReviewSession
from agent.settings import Settings
from tools.errors import BadUsage


def request(settings: Settings, task: Path | None = None, **flags: Any) -> ReviewRequest:
    """What to review: `review.*` settings < the task file < the flags given (None = not given)."""
    spec = load_task(task) if task else TaskFile()
    return build_request(spec, settings.review, **flags)


def collection_spec(from_bib: Path | None = None, from_file: Path | None = None, zotero: str | None = None,
                    collection: str | None = None) -> CollectionSpec | None:
    """The collection a review starts from (None: an arXiv search); raises `BadUsage` when unclear.

    `zotero` is a `zotero.sqlite` path, `local` (`zotero.sqlite_path`) or `web` (the web API).
    """
    given = [o for o, v in (("--from-bib", from_bib), ("--from-file", from_file), ("--zotero", zotero)) if v]
    if len(given) > 1:
        raise BadUsage(f"give one starting collection, not {' and '.join(given)}")
    if collection and not zotero:
        raise BadUsage("--collection names a Zotero collection: use it with --zotero")
    if zotero:
        kind = "zotero-web" if zotero == "web" else "zotero"
        path = "" if zotero in ("web", "local") else str(Path(zotero).expanduser().resolve())
        return CollectionSpec(path=path, kind=kind, name=collection or "")
    file = from_bib or from_file
    if file is None:
        return None
    if not file.is_file():
        raise BadUsage(f"no such file: {file}")
    return CollectionSpec(path=str(file.resolve()), kind="bibtex" if from_bib else None)


def start(session: ReviewSession, review: ReviewRequest, run_id: str | None = None) -> Iterator[BaseEvent]:
    """Start a run; its events until it finishes, fails or pauses at a gate."""
    return session.start(review, run_id)


def answer(session: ReviewSession, run_id: str, decision: Decision, by: str) -> Iterator[BaseEvent]:
    """Answer the run's pending gate as `by` (`cli`, `tui`, `slack:U123`) and continue it.

    Raises `RunNotFound`, `NotResumable`, `RunBusy` or `InvalidDecision` before anything runs.
    """
    return session.resume(run_id, decision.model_copy(update={"by": by}))


def resume(session: ReviewSession, run_id: str) -> Iterator[BaseEvent]:
    """Pick up a run whose process died or failed from its last checkpoint (a paused run asks again)."""
    return session.resume(run_id)


def cancel(session: ReviewSession, run_id: str) -> RunInfo:
    """Cancel a run; a live one stops at its next step."""
    return session.cancel(run_id)


def runs(session: ReviewSession, limit: int = 50) -> list[RunInfo]:
    """The latest runs on this data dir, newest first."""
    return session.runs(limit)


def show(session: ReviewSession, run_id: str) -> RunInfo:
    """One run (id or unique prefix) with its pending gate request and stage timings."""
    return session.show(run_id)
