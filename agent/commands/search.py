"""`autoresearch search`: find papers on arXiv for a topic."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.commands.common import JSON_HELP, parse_date, print_json, settings_from, stdout


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("search")(search)


def search(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="A topic in plain words, or a raw arXiv query (ti:… AND cat:…).")],
    since: Annotated[str | None, typer.Option(help="Submitted on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Submitted on or before (YYYY-MM-DD).")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", "-c", help="arXiv category (repeatable): cs.CV.")] = None,
    max_results: Annotated[int, typer.Option("--max", min=1, max=2000, help="How many papers to return.")] = 50,
    sort: Annotated[str, typer.Option(help="relevance or date (newest first among the most relevant).")] = "relevance",
    refresh: Annotated[bool, typer.Option(help="Bypass the 24 h query cache.")] = False,
    rerank: Annotated[bool, typer.Option(help="Rerank candidates by meaning with the offline embedding model.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Search arXiv for a topic: a broad query, reranked by meaning, newest versions only."""
    from agent import services
    from tools.search import SearchRequest, search_topic

    if sort not in ("relevance", "date"):
        raise typer.BadParameter("--sort must be relevance or date")
    settings = settings_from(ctx)
    request = SearchRequest(topic=topic, max_results=max_results, categories=category or [],
                            since=parse_date(since), until=parse_date(until), sort=sort,
                            refresh=refresh)
    client = services.arxiv_client(settings)
    outcome = search_topic(client, services.embedder(settings) if rerank else None, request)
    if as_json:
        print_json({"query": outcome.query, "requests": outcome.requests,
                    "results": [_record(p) for p in outcome.results]})
        return
    table = Table(title=f"{len(outcome.results)} papers for {topic!r}", title_justify="left")
    for column, style in (("id", "cyan"), ("date", ""), ("title", "bold"), ("first author", ""),
                          ("categories", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for paper in outcome.results:
        table.add_row(paper.versioned_id, paper.published, paper.title,
                      paper.authors[0] if paper.authors else "", " ".join(paper.categories))
    stdout().print(table)


def _record(paper) -> dict:
    return {key: getattr(paper, key) for key in (
        "arxiv_id", "version", "title", "authors", "published", "categories", "abstract",
        "pdf_url", "comment", "doi", "score")}
