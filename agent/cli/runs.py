"""`autoresearch runs`: list, inspect, approve, resume and cancel review runs (from any process)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError
from rich.table import Table

from agent.cli.common import JSON_HELP, fail, print_json, settings_from, stdout
from agent.cli.render import follow, show_pending
from agent.cli.review import JSON_EVENTS
from agent.review.approval import Decision, outline_from_markdown
from agent.review.types import Outline
from agent.runs.session import ReviewSession
from agent.usecases import review as usecase

runs_app = typer.Typer(help="Review runs: list, show, approve, resume, cancel.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `runs` group to the root app."""
    app.add_typer(runs_app, name="runs")


def _session(ctx: typer.Context) -> ReviewSession:
    """A session on the data dir (a missing, busy or finished run is one line on stderr and exit 1)."""
    return ReviewSession(settings_from(ctx))


@runs_app.command("list")
def list_runs(ctx: typer.Context, limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
              as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """List review runs, newest first."""
    with _session(ctx) as session:
        runs = usecase.runs(session, limit)
    if as_json:
        print_json({"runs": runs})
        return
    table = Table(title=f"{len(runs)} runs", title_justify="left")
    for column in ("run", "status", "gate", "topic", "updated", "output"):
        table.add_column(column, overflow="fold")
    for run in runs:
        status = run.status if run.live or run.status != "running" else "running (process gone: resume it)"
        table.add_row(run.run_id, status, run.gate or "", run.topic, run.updated, run.out_dir)
    stdout().print(table)


@runs_app.command("show")
def show(ctx: typer.Context, run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
         markdown: Annotated[bool, typer.Option("--markdown", help="Print a pending draft's Markdown.")] = False,
         as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Show a run: status, timings, and what it waits for."""
    with _session(ctx) as session:
        info = usecase.show(session, run_id)
    if as_json:
        print_json(info)
        return
    if markdown and info.pending and info.pending.get("gate") == "draft":
        stdout().print(info.pending["markdown"], markup=False, highlight=False)
        return
    out = stdout()
    out.print(f"run {info.run_id}: {info.status}{' at the ' + info.gate + ' gate' if info.gate else ''}")
    out.print(f"topic: {info.topic}\noutput: {info.out_dir}\nstarted {info.created}, updated {info.updated}")
    if info.error:
        out.print(f"error: {info.error}", markup=False)
    if info.timings:
        out.print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in info.timings.items()))
    if info.pending:
        show_pending(info.run_id, info.pending)


@runs_app.command("approve")
def approve(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    keep: Annotated[str | None, typer.Option(help="Papers gate: keep only these ids (comma-separated).")] = None,
    drop: Annotated[str | None, typer.Option(help="Papers gate: drop these ids.")] = None,
    add: Annotated[str | None, typer.Option(help="Papers gate: add these arXiv ids.")] = None,
    outline: Annotated[Path | None, typer.Option(help="Outline gate: the edited outline (.md as shown, or .json).")] = None,
    feedback: Annotated[str | None, typer.Option(help="Draft gate: send the draft back with this feedback.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_EVENTS)] = False,
) -> None:
    """Answer a paused run's gate (approve, or edit/revise with a payload) and continue it."""
    with _session(ctx) as session:
        info = usecase.show(session, run_id)
        try:
            decision = Decision(action=_action(keep, drop, add, outline, feedback), keep=_ids(keep),
                                drop=_ids(drop), add=_ids(add), feedback=feedback or "",
                                outline=_outline(outline, info.topic) if outline else None)
        except (ValidationError, ValueError) as error:
            fail(_first_error(error))
        code = follow(usecase.answer(session, info.run_id, decision, by="cli"), as_json)
    if code:
        raise typer.Exit(code)


@runs_app.command("resume")
def resume(ctx: typer.Context, run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
           as_json: Annotated[bool, typer.Option("--json", help=JSON_EVENTS)] = False) -> None:
    """Continue a run whose process died or failed, from its last checkpoint."""
    with _session(ctx) as session:
        code = follow(usecase.resume(session, run_id), as_json)
    if code:
        raise typer.Exit(code)


@runs_app.command("cancel")
def cancel(ctx: typer.Context, run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
           as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Cancel a run; a live one stops at its next step."""
    with _session(ctx) as session:
        info = usecase.cancel(session, run_id)
    if as_json:
        print_json(info)
    elif info.status == "cancelled":
        stdout().print(f"run {info.run_id} cancelled")
    else:
        stdout().print(f"run {info.run_id}: cancel requested; it stops at its next step")


def _action(keep: str | None, drop: str | None, add: str | None, outline: Path | None,
            feedback: str | None) -> Literal["approve", "edit", "revise"]:
    if feedback:
        return "revise"
    return "edit" if (keep or drop or add or outline) else "approve"


def _ids(text: str | None) -> list[str]:
    return [i for i in re.split(r"[,\s]+", text or "") if i]


def _outline(path: Path, topic: str) -> Outline:
    """Read an edited outline: Markdown as `runs show` prints it, or the Outline's JSON."""
    try:
        text = path.read_text()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    if path.suffix == ".json":
        return Outline.model_validate_json(text)
    return outline_from_markdown(text, topic)


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return error.errors()[0]["msg"].removeprefix("Value error, ")
    return str(error)
