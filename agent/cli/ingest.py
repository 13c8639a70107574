"""`autoresearch ingest`: download, parse and remember papers (ids, URLs, PDF files, titles)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agent.cli.common import JSON_HELP, print_json, services_from, stderr, stdout
from agent.ingest.pipeline import IngestResult
from agent.usecases import ingest as usecase


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("ingest")(ingest)


def ingest(
    ctx: typer.Context,
    items: Annotated[list[str] | None, typer.Argument(help="arXiv ids, arXiv or PDF URLs, PDF paths.")] = None,
    from_file: Annotated[Path | None, typer.Option("--from-file", help="One item a line: id, URL, PDF path or a title.")] = None,
    from_bib: Annotated[Path | None, typer.Option("--from-bib", help="A BibTeX, RIS or CSL-JSON file: each entry matched on OpenAlex/arXiv, then read.")] = None,
    password: Annotated[str | None, typer.Option(help="Password for encrypted local PDFs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Read papers in full and add them to the library; one bad paper never stops the others."""
    if from_bib is not None:
        _from_collection(ctx, from_bib, as_json)
        return
    lines = usecase.read_items(items or [], from_file)
    console = stderr()
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("", total=None)

        def step(done: int, total: int, item: str) -> None:
            progress.update(task, completed=done, total=total, description=item[:50])

        def warn(message: str) -> None:
            console.print(f"[yellow]warning:[/yellow] {message}")

        report = usecase.ingest(services_from(ctx), lines, password=password, progress=step, warn=warn)
    if as_json:
        print_json(report.document())
    else:
        stdout().print(_summary(report.results))
    report.check()


def _summary(results: list[IngestResult]) -> Table:
    ok = sum(r.ok for r in results)
    table = Table(title=f"{ok} of {len(results)} ingested", title_justify="left")
    for column, style in (("item", "cyan"), ("status", ""), ("title", "bold")):
        table.add_column(column, style=style, overflow="fold", ratio=2 if column != "status" else None,
                         no_wrap=column == "status")
    for column in ("pages", "figs", "tables", "refs", "chunks"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("note", style="dim", overflow="fold", ratio=3)
    colour = {"ingested": "green", "abstract_only": "yellow", "failed": "red"}
    for r in results:
        numbers = [str(v) if r.ok else "" for v in (r.pages, r.figures, r.tables, r.references)]
        table.add_row(r.item, f"[{colour[r.status]}]{r.status}[/]", r.title[:60], *numbers,
                      str(r.chunks or ""), r.error or "; ".join(r.warnings[:2]))
    return table


def _from_collection(ctx: typer.Context, path: Path, as_json: bool) -> None:
    """Match a collection's entries and ingest the papers they became."""
    report = usecase.ingest_collection_file(services_from(ctx), path)
    if as_json:
        print_json(report.document())
    else:
        stderr().print(f"{report.matched} of {len(report.imported)} entries matched")
        stdout().print(_summary(report.results))
    report.check()
