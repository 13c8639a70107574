"""`autoresearch search`: find papers on arXiv for a topic."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from agent.cli.common import JSON_HELP, check_categories, parse_date, print_json, services_from, stderr, stdout
from agent.usecases import search as usecase
from tools.paper import Candidate, Paper
from tools.search.topic import SearchRequest


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("search")(search)


def search(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="A topic or a request in plain words (date limits such as 'before April 2025' are read from it), or a raw arXiv query (ti:… AND cat:…).")],
    since: Annotated[str | None, typer.Option(help="Submitted on or after (YYYY-MM-DD); wins over a date in the request.")] = None,
    until: Annotated[str | None, typer.Option(help="Submitted on or before (YYYY-MM-DD); wins over a date in the request.")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", "-c", callback=check_categories, help="arXiv category (repeatable): cs.CV.")] = None,
    max_results: Annotated[int, typer.Option("--max", min=1, max=2000, help="How many papers to return.")] = 50,
    sort: Annotated[str, typer.Option(help="relevance or date (newest first among the most relevant).")] = "relevance",
    refresh: Annotated[bool, typer.Option(help="Bypass the 24 h query cache.")] = False,
    rerank: Annotated[bool, typer.Option(help="Rerank candidates by meaning with the offline embedding model (--no-rerank: one query of the topic's words, in arXiv's order).")] = True,
    strategy: Annotated[str, typer.Option(help="broad: the topic's words, its phrases as papers write them and the field's own vocabulary learned from the best results; expand: broad, then its other names and sub-topics; coverage: expand, then the thin themes until a round adds little.")] = "broad",
    budget: Annotated[int | None, typer.Option(min=1, help="arXiv requests one search may send (default search.max_requests).")] = None,
    explain: Annotated[bool, typer.Option(help="Say which queries ran, why the search stopped and why each paper is there.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Search arXiv for a topic, newest versions only: the topic's words and phrases and the
    field's own vocabulary, reranked by meaning (--strategy: also other names and thin themes)."""
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
    if result.request.get("taken"):
        stderr().print("read from the request: " + "; ".join(result.request["taken"]))
    if explain:
        _queries(result)
    _table(result.topic or topic, result.candidates, explain)


def _queries(result: usecase.SearchResult) -> None:
    """The queries sent, round by round, and why the search stopped."""
    console = stderr()
    for query in result.queries or []:
        brought = f"{query['returned']} results, {query['new']} new" + (
            f", error: {query['error']}" if query["error"] else "")
        console.print(f"round {query['round']} ({query['source']}): {query['why']} — {brought}",
                      highlight=False)
    console.print(f"stopped: {result.stopped} ({result.requests} requests)", highlight=False)


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
