"""`autoresearch library`: see and prune what is remembered."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.cli.common import JSON_HELP, print_json, services_from, settings_from, stdout
from agent.usecases import library as usecase

library_app = typer.Typer(help="The papers remembered across runs (list, show, remove, stats, migrate).",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(library_app, name="library")


@library_app.command("list")
def list_papers(ctx: typer.Context,
                as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """List every paper in the library."""
    records = usecase.papers(services_from(ctx))
    if as_json:
        print_json([usecase.entry(r) for r in records])
        return
    table = Table(title=f"{len(records)} papers in the library", title_justify="left")
    for column, style in (("id", "cyan"), ("title", "bold"), ("chunks", ""), ("figures", ""), ("added", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for r in records:
        table.add_row(r.paper.versioned_id, r.paper.title, str(r.chunks) + (" (abstract)" if r.abstract_only else ""),
                      str(r.figures), r.added[:10])
    stdout().print(table)


@library_app.command("show")
def show(ctx: typer.Context, arxiv_id: Annotated[str, typer.Argument(help="arXiv id (2501.12948), URL, or local-… key.")],
         as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Show one paper: metadata, sections and figures as stored."""
    record, document = usecase.show(services_from(ctx), arxiv_id)
    if as_json:
        print_json(document)
        return
    out = stdout()
    out.print(f"[bold]{record.paper.title}[/bold]  [cyan]{record.paper.versioned_id}[/cyan]")
    out.print(f"{', '.join(record.paper.authors)}  {record.paper.published}", markup=False)
    out.print(f"{record.chunks} chunks, {record.figures} figures"
              + (", abstract only" if record.abstract_only else "") + f"; added {record.added}", markup=False)
    for section in document["sections"]:
        out.print(f"  {section['path']}  (p.{section['page']})", markup=False, highlight=False)
    for figure in document["figures_list"]:
        out.print(f"  Figure {figure['number']} (p.{figure['page']}): {figure['caption'][:100]}",
                  markup=False, highlight=False)


@library_app.command("remove")
def remove(ctx: typer.Context, arxiv_id: Annotated[str, typer.Argument(help="arXiv id, URL, or local-… key.")],
           as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Remove a paper and everything stored for it (chunks, figures, parsed text, figure images)."""
    key = usecase.remove(services_from(ctx), arxiv_id)
    if as_json:
        print_json({"removed": key})
    else:
        stdout().print(f"removed {key}", markup=False, highlight=False)


@library_app.command("stats")
def stats(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Count papers, chunks and figures; say where they are stored and with which model."""
    document = usecase.stats(services_from(ctx))
    if as_json:
        print_json(document)
        return
    stdout().print("\n".join(f"{k:16} {v}" for k, v in document.items()), markup=False, highlight=False)


@library_app.command("migrate")
def migrate(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The Chroma server's URL: http://host:8000.")],
    token: Annotated[str | None, typer.Option(help="Its auth token (default memory.chroma_token; prefer the "
                                                   "env AUTORESEARCH_MEMORY__CHROMA_TOKEN to a flag).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Copy the embedded library (this data dir's) to a Chroma server, vectors as stored; safe to re-run."""
    report = usecase.migrate(settings_from(ctx), to, token)
    if as_json:
        print_json(report)
    else:
        table = Table(title=f"{report.source} → {report.target} ({report.embedding_model}, {report.seconds:.1f} s)",
                      title_justify="left")
        for column in ("collection", "source", "new", "replaced", "on server", "missing"):
            table.add_column(column)
        for c in report.collections:
            table.add_row(c.name, str(c.source), str(c.new), str(c.replaced), str(c.target), str(c.missing))
        stdout().print(table)
        if report.verified:
            stdout().print(f"verified; now set memory.chroma_url = {to!r} (env AUTORESEARCH_MEMORY__CHROMA_URL)",
                           markup=False, highlight=False)
    usecase.check_migrated(report, to)
