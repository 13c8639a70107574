"""`autoresearch ingest`: download, parse and remember papers (ids, URLs, PDF files, titles)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agent.cli.common import EXIT_USAGE, JSON_HELP, fail, print_json, settings_from, stderr, stdout


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("ingest")(ingest)


def ingest(
    ctx: typer.Context,
    items: Annotated[list[str] | None, typer.Argument(help="arXiv ids, arXiv or PDF URLs, PDF paths.")] = None,
    from_file: Annotated[Path | None, typer.Option("--from-file", help="One item a line: id, URL, PDF path or a title.")] = None,
    password: Annotated[str | None, typer.Option(help="Password for encrypted local PDFs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Read papers in full and add them to the library; one bad paper never stops the others."""
    from agent import services
    from agent.ingest.pipeline import resolve_items

    lines = list(items or [])
    if from_file is not None:
        try:
            lines += from_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            fail(f"cannot read {from_file}: {error.strerror or error}", EXIT_USAGE)
    if not any(line.strip() and not line.strip().startswith("#") for line in lines):
        fail("nothing to ingest: give arXiv ids, URLs, PDF paths, or --from-file FILE", EXIT_USAGE)
    settings = settings_from(ctx)
    limiter = services.limiter(settings)
    client = services.arxiv_client(settings, limiter)
    library = services.library(settings)
    run = _Run(settings, client, services.downloader(settings, limiter), library, password)
    resolutions = resolve_items(lines, client, library.embedder)
    results = run.all(resolutions)
    if as_json:
        print_json({"results": results, "resolutions": [r.model_dump(exclude={"paper"}) for r in resolutions],
                    "ingested": sum(r.ok for r in results), "failed": sum(not r.ok for r in results)})
    else:
        stdout().print(_summary(results))
    if not any(r.ok for r in results):
        first = next((r.error for r in results if r.error), "unknown reason")
        fail(f"nothing ingested: all {len(results)} failed (first: {first})")


class _Run:
    """Ingest resolved items one by one, with a progress bar on stderr."""

    def __init__(self, settings, client, downloader, library, password: str | None) -> None:
        self.settings = settings
        self.client = client
        self.downloader = downloader
        self.library = library
        self.password = password

    def all(self, resolutions) -> list:
        """One `IngestResult` per resolution, in order."""
        records = self._metadata(resolutions)
        console = stderr()
        columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"))
        results = []
        with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
            task = progress.add_task("", total=len(resolutions))
            for resolution in resolutions:
                progress.update(task, description=resolution.item[:50])
                results.append(self.one(resolution, records))
                progress.advance(task)
        return results

    def _metadata(self, resolutions) -> dict:
        """arXiv records for every id in the list, in one API request (missing ones stay unknown)."""
        from tools.http import FetchError

        ids = sorted({r.arxiv_id + r.version for r in resolutions if r.kind == "arxiv" and r.ok})
        if not ids:
            return {}
        try:
            found = self.client.fetch(ids)
        except FetchError as error:
            stderr().print(f"[yellow]warning:[/yellow] no arXiv metadata ({error}); ingesting from the PDFs")
            return {}
        return {p.arxiv_id: p for p in found}

    def one(self, resolution, records: dict):
        """Ingest one resolved item."""
        from agent.ingest.pipeline import IngestResult, ingest_local_pdf, ingest_paper, ingest_url
        from tools.paper import Paper

        store = self.library.papers
        common = dict(library=self.library, store=store, settings=self.settings)
        if not resolution.ok:
            return IngestResult(item=resolution.item, arxiv_id=resolution.arxiv_id, title=resolution.title,
                                status="failed", error=_why(resolution))
        if resolution.kind == "pdf":
            return ingest_local_pdf(Path(resolution.path), arxiv_client=self.client, password=self.password,
                                    item=resolution.item, **common)
        if resolution.kind == "url":
            return ingest_url(resolution.url, downloader=self.downloader, arxiv_client=self.client, **common)
        paper = resolution.paper or records.get(resolution.arxiv_id) or Paper(
            arxiv_id=resolution.arxiv_id, version=resolution.version, title="")
        if resolution.version and paper.version != resolution.version:
            paper = paper.model_copy(update={"version": resolution.version})
        return ingest_paper(paper, downloader=self.downloader, item=resolution.item, **common)


def _why(resolution) -> str:
    if resolution.kind == "title" and resolution.title:
        return (f"{resolution.note} — best arXiv match “{resolution.title}” "
                f"(arXiv:{resolution.arxiv_id}, score {resolution.score:.2f})")
    return resolution.note or "could not be resolved"


def _summary(results) -> Table:
    ok = sum(r.ok for r in results)
    table = Table(title=f"{ok} of {len(results)} ingested", title_justify="left")
    for column, style in (("item", "cyan"), ("status", ""), ("title", "bold")):
        table.add_column(column, style=style, overflow="fold", ratio=2 if column != "status" else None,
                         no_wrap=column == "status")
    for column in ("pages", "figs", "tables", "refs", "chunks"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("note", style="dim", overflow="fold", ratio=3)
    colour = {"ingested": "green", "abstract_only": "yellow", "title_only": "yellow", "failed": "red"}
    for r in results:
        numbers = [str(v) if r.ok else "" for v in (r.pages, r.figures, r.tables, r.references)]
        table.add_row(r.item, f"[{colour[r.status]}]{r.status}[/]", r.title[:60], *numbers,
                      str(r.chunks or ""), r.error or "; ".join(r.warnings[:2]))
    return table
