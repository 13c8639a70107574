"""`autoresearch search`: find papers on arXiv for a topic."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from agent.cli.common import JSON_HELP, parse_date, print_json, services_from, stderr, stdout
from agent.usecases import search as usecase
from tools.paper import Candidate, Paper
from tools.search.topic import SearchRequest


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
    strategy: Annotated[str, typer.Option(help="broad: one query of the topic's words, reranked; expand: the topic and its other names and sub-topics, one query each; coverage: expand, then query the thin themes until a round adds little.")] = "broad",
    budget: Annotated[int | None, typer.Option(min=1, help="arXiv requests expand/coverage may send (default search.max_requests).")] = None,
    explain: Annotated[bool, typer.Option(help="Say why each paper is there: the query that found it, its relevance and rank.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Search arXiv for a topic, newest versions only: a broad query reranked by meaning, or
    (--strategy) the topic's other names, sub-topics and thin themes, one query each."""
    if sort not in ("relevance", "date"):
        raise typer.BadParameter("--sort must be relevance or date")
    if strategy not in usecase.STRATEGIES:
        raise typer.BadParameter(f"--strategy must be one of {', '.join(usecase.STRATEGIES)}")
    request = SearchRequest(topic=topic, max_results=max_results, categories=category or [],
                            since=parse_date(since), until=parse_date(until), sort=sort,
                            refresh=refresh)
    result = usecase.search(services_from(ctx, search={"max_requests": budget}), request, strategy=strategy,
                        rerank=rerank, explain=explain)
    for warning in result.warnings:
        stderr().print(f"[yellow]warning:[/] {warning}")
    if as_json:
        print_json({**result.document(), "results": [
            {**_record(c.paper), **({"reasons": c.reasons} if explain else {})} for c in result.candidates]})
        return
    _table(topic, result.candidates, explain)


def _table(topic: str, candidates: list[Candidate], explain: bool) -> None:
    table = Table(title=f"{len(candidates)} papers for {topic!r}", title_justify="left")
    columns = [("id", "cyan"), ("date", ""), ("title", "bold"), ("first author", ""),
               ("categories", "dim")] + ([("why", "")] if explain else [])
    for column, style in columns:
        table.add_column(column, style=style, overflow="fold")
    for candidate in candidates:
        paper = candidate.paper
        row = [paper.versioned_id, paper.published, paper.title,
               paper.authors[0] if paper.authors else "", " ".join(paper.categories)]
        table.add_row(*row, *(["\n".join(candidate.reasons)] if explain else []))
    stdout().print(table)


def _record(paper: Paper) -> dict[str, Any]:
    return {key: getattr(paper, key) for key in (
        "arxiv_id", "version", "title", "authors", "published", "categories", "abstract",
        "pdf_url", "comment", "doi", "score", "cited_by_count")}
