"""Show a review run's events in a terminal: rich progress bars on stderr, or JSON lines on stdout.

Shared by `autoresearch review` and `autoresearch runs approve|resume`; the exit code follows the
last event: 0 finished, 3 paused at a gate (the run id and what it waits for are printed), 1 failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from agent.cli.common import EXIT_FAILED, EXIT_OK, EXIT_PAUSED, stderr, stdout
from agent.review.approval import DraftRequest, OutlineRequest, PapersRequest, outline_to_markdown, parse_request
from agent.runs.events import ApprovalNeeded, BaseEvent, Failed, Finished, StageFinished, StageStarted, Warning
from agent.runs.events import Progress as ProgressEvent


def follow(events: Iterator[BaseEvent], as_json: bool) -> int:
    """Print every event as it comes; return the exit code the last one means."""
    if as_json:
        return _follow_json(events)
    console = stderr()
    bars = Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[note]}"), TimeElapsedColumn(), console=console,
                    transient=False, disable=not console.is_terminal)
    tasks: dict[str, TaskID] = {}
    last: BaseEvent | None = None
    with bars:
        for event in events:
            last = event
            _show(event, bars, tasks)
    return _finish(last)


def _follow_json(events: Iterator[BaseEvent]) -> int:
    last: BaseEvent | None = None
    for event in events:
        last = event
        sys.stdout.write(event.model_dump_json() + "\n")
        sys.stdout.flush()
    if isinstance(last, Failed):
        sys.stderr.write(f"autoresearch: {last.error}\n")
    elif isinstance(last, ApprovalNeeded):
        sys.stderr.write(f"autoresearch: run {last.run_id} paused at the {last.gate} gate\n")
    return _code(last)


def _show(event: BaseEvent, bars: Progress, tasks: dict[str, TaskID]) -> None:
    if isinstance(event, StageStarted):
        tasks[event.stage] = bars.add_task(event.stage, total=None, note="")
        if not bars.console.is_terminal:
            bars.console.print(f"{event.stage} …")
    elif isinstance(event, ProgressEvent) and event.stage in tasks:
        bars.update(tasks[event.stage], completed=event.done, total=max(event.total, 1), note=event.message[:60])
    elif isinstance(event, StageFinished) and event.stage in tasks:
        task = bars.tasks[tasks[event.stage]]
        bars.update(tasks[event.stage], total=task.total or 1, completed=task.total or 1,
                    note=f"{event.seconds:.1f} s")
    elif isinstance(event, Warning):
        bars.console.print(f"[yellow]warning[/]: {event.stage + ': ' if event.stage else ''}{event.message}")


def _finish(last: BaseEvent | None) -> int:
    if isinstance(last, ApprovalNeeded):
        show_pending(last.run_id, last.request)
    elif isinstance(last, Finished):
        out = stdout()
        counts = ", ".join(f"{k} {v}" for k, v in last.counts.items() if v)
        out.print(f"Review written: {last.out_dir}/review.md")
        out.print(f"run {last.run_id}: {counts}")
    elif isinstance(last, Failed):
        sys.stderr.write(f"autoresearch: {last.error}\n")
    return _code(last)


def _code(last: BaseEvent | None) -> int:
    if isinstance(last, Finished):
        return EXIT_OK
    if isinstance(last, ApprovalNeeded):
        return EXIT_PAUSED
    return EXIT_FAILED


def papers_table(request: PapersRequest) -> Table:
    """The candidates: rank, id, year, score, relevance to the request (⚑ when flagged), title
    and the one-line reason."""
    table = Table(show_edge=False)
    for column in ("#", "id", "year", "score", "relevance", "title", "why"):
        table.add_column(column, overflow="fold")
    for rank, c in enumerate(request.candidates, start=1):
        relevance = "" if c.relevance is None else f"{c.relevance:.2f}"
        table.add_row(str(rank), c.paper.versioned_id, c.paper.year, f"{c.score:.2f}",
                      relevance + (" ⚑" if c.flag else ""), c.paper.title, c.reason)
    return table


def show_pending(run_id: str, raw: dict) -> None:
    """Print what a paused run waits for and the commands that answer it."""
    out = stdout()
    request = parse_request(raw)
    approve = f"autoresearch runs approve {run_id}"
    if isinstance(request, PapersRequest):
        out.print(f"Run {run_id} waits for approval of {len(request.candidates)} papers:")
        out.print(papers_table(request), markup=False, highlight=False)
        flagged = [c for c in request.candidates if c.flag]
        for c in flagged:
            out.print(f"  ⚑ {c.paper.arxiv_id}: {c.flag}", markup=False, highlight=False)
        left = " (the ⚑ flagged ones are left out unless you --keep or --add them)" if flagged else ""
        hints = [approve + left, f"{approve} --drop ID,ID  (or --keep ID,ID, --add ID,ID)"]
    elif isinstance(request, OutlineRequest):
        titles = {p.arxiv_id: p.title for p in request.papers}
        out.print(f"Run {run_id} waits for approval of the outline:\n")
        out.print(outline_to_markdown(request.outline, titles), markup=False, highlight=False)
        hints = [approve, f"{approve} --outline outline.md  (edit titles, order and membership)"]
    else:
        assert isinstance(request, DraftRequest)
        c = request.citations
        out.print(f"Run {run_id} waits for approval of draft revision {request.revision} "
                  f"({len(request.markdown.split())} words, {c.get('total', 0)} citations, "
                  f"{c.get('unresolved', 0)} unresolved, {c.get('unsupported', 0)} unsupported; "
                  f"{request.revisions_left} revisions left).")
        for note in request.notes:
            out.print(f"  note: {note}", markup=False, highlight=False)
        hints = [f"autoresearch runs show {run_id} --markdown   (read it)", approve]
        if request.revisions_left:
            hints.append(f'{approve} --feedback "what to change"')
    out.print("Answer with:\n" + "\n".join(f"  {h}" for h in hints), markup=False, highlight=False)
