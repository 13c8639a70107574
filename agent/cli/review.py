"""`autoresearch review`: from a topic to a verified literature review, with approval gates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import parse_date, settings_from
from agent.cli.render import follow
from agent.runs.session import ReviewSession
from agent.usecases import review as usecase

JSON_EVENTS = "Stream events as JSON lines on stdout (one object per event)."


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("review")(review)


def review(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Argument(help="The review's topic in plain words (or `topic` in --task).")] = None,
    approve: Annotated[str | None, typer.Option(help="auto: pass every gate; ask: pause at each (exit 3).")] = None,
    max_papers: Annotated[int | None, typer.Option(min=1, max=500, help="Most papers to propose at the papers gate.")] = None,
    since: Annotated[str | None, typer.Option(help="Submitted on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Submitted on or before (YYYY-MM-DD).")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", "-c", help="arXiv category (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: <data dir>/reviews/<run id>).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="md, or latex (a .tex beside review.md).")] = None,
    max_revisions: Annotated[int | None, typer.Option(min=0, help="Most times the draft may be sent back.")] = None,
    planner: Annotated[str | None, typer.Option(help="Chat model that plans the search (default llm.planner).")] = None,
    writer: Annotated[str | None, typer.Option(help="Chat model that writes (default llm.writer; none = extractive).")] = None,
    task: Annotated[Path | None, typer.Option(help="A TOML task file with any of these options; flags win.")] = None,
    from_bib: Annotated[Path | None, typer.Option("--from-bib", help="Start from a BibTeX/BibLaTeX file instead of an arXiv search.")] = None,
    from_file: Annotated[Path | None, typer.Option("--from-file", help="Start from a CSL-JSON or RIS export (or a .bib).")] = None,
    zotero: Annotated[str | None, typer.Option(help="Start from Zotero: a zotero.sqlite path, `local` (zotero.sqlite_path) or `web` (zotero.api_key, zotero.library_id).")] = None,
    collection: Annotated[str | None, typer.Option(help="With --zotero: only this collection (and its subcollections).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_EVENTS)] = False,
) -> None:
    """Search, approve papers, read them, outline, approve, draft, verify, approve, export."""
    if approve not in (None, "auto", "ask"):
        raise typer.BadParameter("--approve must be auto or ask")
    if fmt not in (None, "md", "latex"):
        raise typer.BadParameter("--format must be md or latex")
    settings = settings_from(ctx)
    start = usecase.collection_spec(from_bib, from_file, zotero, collection)
    request = usecase.request(settings, task, topic=topic, approve=approve, max_papers=max_papers,
                              since=parse_date(since), until=parse_date(until), categories=category,
                              out=out.resolve() if out else None, format=fmt, max_revisions=max_revisions,
                              models={"planner": planner, "writer": writer}, collection=start)
    with ReviewSession(settings) as session:
        code = follow(usecase.start(session, request), as_json)
    if code:
        raise typer.Exit(code)
