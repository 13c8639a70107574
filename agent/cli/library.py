"""`autoresearch library`: see and prune what is remembered."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.cli.common import JSON_HELP, fail, print_json, settings_from, stdout
from agent.settings import Settings
from tools.paper import parse_paper_key

library_app = typer.Typer(help="The papers remembered across runs (list, show, remove, stats, migrate).",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(library_app, name="library")


def open_library(settings: Settings):
    """The library, or a one-line failure a user can act on (bad store, missing model)."""
    from agent import services
    from memory.chroma import EmbeddingMismatch
    from memory.embeddings import EmbeddingModelMissing
    from memory.store import StoreUnavailable

    try:
        return services.library(settings)
    except (EmbeddingMismatch, EmbeddingModelMissing, StoreUnavailable) as error:
        fail(str(error))


def paper_id(text: str) -> str:
    """The library key for `2501.12948v2`, an arXiv URL, or a `local-…` key (`tools.paper.parse_paper_key`:
    anything else is a `NotAPaperKey`, exit 2)."""
    return parse_paper_key(text)[0]


def summary(record) -> dict:
    """One library entry as plain JSON (what `library list --json` prints per paper)."""
    paper = record.paper
    return {"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
            "authors": paper.authors, "published": paper.published, "chunks": record.chunks,
            "figures": record.figures, "abstract_only": record.abstract_only, "added": record.added}


@library_app.command("list")
def list_papers(ctx: typer.Context,
                as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """List every paper in the library."""
    records = open_library(settings_from(ctx)).list(with_text=False)
    if as_json:
        print_json([summary(r) for r in records])
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
    key = paper_id(arxiv_id)
    record = open_library(settings_from(ctx)).get(key)
    if record is None:
        fail(f"{arxiv_id} is not in the library")
    parsed = record.parsed
    document = {**summary(record), "abstract": record.paper.abstract,
                "sections": [{"path": path, "page": s.page, "paragraphs": len(s.paragraphs)}
                             for path, s in (parsed.section_paths() if parsed else [])],
                "figures_list": [f.model_dump(include={"number", "caption", "page", "image_path", "kind", "description"})
                                 for f in (parsed.figures if parsed else [])],
                "warnings": parsed.warnings if parsed else []}
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
    key = paper_id(arxiv_id)
    if not open_library(settings_from(ctx)).remove(key):
        fail(f"{arxiv_id} is not in the library")
    if as_json:
        print_json({"removed": key})
    else:
        stdout().print(f"removed {key}", markup=False, highlight=False)


@library_app.command("stats")
def stats(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Count papers, chunks and figures; say where they are stored and with which model."""
    settings = settings_from(ctx)
    library = open_library(settings)
    document = {**library.stats(), "embedding_model": library.embedder.name,
                "backend": getattr(library.embedder, "backend", ""),
                "store": settings.memory.chroma_url or str(settings.data_dir / "chroma")}
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
    from filelock import FileLock

    from memory.chroma import ChromaStore, EmbeddingMismatch
    from memory.migrate import migrate as copy_library
    from memory.migrate import open_source
    from memory.store import StoreUnavailable

    settings = settings_from(ctx)
    secret = token or (settings.memory.chroma_token.get_secret_value() if settings.memory.chroma_token else None)
    try:
        # The library's write lock: no process adds to the embedded store while it is read.
        with FileLock(str(settings.path("locks", "library.lock"))):
            source = open_source(settings.data_dir / "chroma")
            target = ChromaStore(source.embedding_model, url=to, token=secret)
            report = copy_library(source, target)
    except (StoreUnavailable, EmbeddingMismatch) as error:
        fail(str(error))
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
    if not report.verified:
        fail(f"{sum(c.missing for c in report.collections)} records did not reach {to}; run it again")
