"""`autoresearch search`: find papers on arXiv for a topic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from agent.cli.common import EXIT_USAGE, JSON_HELP, fail, parse_date, print_json, settings_from, stderr, stdout
from tools.paper import Candidate

if TYPE_CHECKING:
    from agent.settings import Settings
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
    from tools.search.query import is_raw_query
    from tools.search.topic import SearchRequest

    if sort not in ("relevance", "date"):
        raise typer.BadParameter("--sort must be relevance or date")
    if strategy not in STRATEGIES:
        raise typer.BadParameter(f"--strategy must be one of {', '.join(STRATEGIES)}")
    if strategy != "broad" and is_raw_query(topic):
        fail(f"--strategy {strategy} expands a topic in plain words, not a raw arXiv query",
             EXIT_USAGE)
    settings = settings_from(ctx, search={"max_requests": budget})
    request = SearchRequest(topic=topic, max_results=max_results, categories=category or [],
                            since=parse_date(since), until=parse_date(until), sort=sort,
                            refresh=refresh)
    if strategy == "broad":
        document = _broad(settings, request, rerank, explain)
    else:
        document = _librarian(settings, request, strategy)
    if explain:
        document["candidates"] = _citation_counts(settings, document["candidates"])
    if as_json:
        print_json({**document, "results": [
            {**_record(c.paper), **({"reasons": c.reasons} if explain else {})}
            for c in document.pop("candidates")]})
        return
    _table(topic, document["candidates"], explain)


STRATEGIES = ("broad", "expand", "coverage")


def _broad(settings: Settings, request: SearchRequest, rerank: bool, explain: bool) -> dict:
    """`tools.search.topic.search_topic`, its results explained when asked."""
    from agent import services
    from tools.search.explain import Vectors, as_ranked, rank_reason
    from tools.search.topic import search_topic

    embedder = services.embedder(settings) if rerank or explain else None
    outcome = search_topic(services.arxiv_client(settings), embedder if rerank else None, request)
    candidates = [Candidate(paper=p, score=p.score or 0.0) for p in outcome.results]
    if explain and embedder is not None:
        why = f"found by query {outcome.query!r} (any of the topic's words)"
        scored = as_ranked(request.topic, outcome.results, Vectors(embedder, request.topic))
        for rank, (candidate, parts) in enumerate(zip(candidates, scored, strict=True), start=1):
            candidate.reasons = [why, rank_reason(parts, rank) if rerank
                                 else f"rank {rank} in arXiv's own order"]
    return {"query": outcome.query, "strategy": "broad", "requests": outcome.requests,
            "candidates": candidates}


def _librarian(settings: Settings, request: SearchRequest, strategy: str) -> dict:
    """`tools.search.coverage.coverage_search`: expansions, and for `coverage` the thin-theme rounds."""
    from agent import services
    from agent.llm.errors import LLMError
    from agent.llm.planner import model_planner
    from tools.search.coverage import coverage_search

    try:
        model = services.chat_model(settings, "planner")
    except LLMError as error:
        fail(f"llm.planner: {error}")
    planner = model_planner(model) if model is not None else None
    outcome = coverage_search(
        services.arxiv_client(settings), services.embedder(settings), request.topic,
        budget=settings.search.max_requests, max_results=request.max_results,
        categories=request.categories, since=request.since, until=request.until,
        min_new_fraction=settings.search.min_new_fraction, planner=planner,
        max_rounds=1 if strategy == "expand" else None, refresh=request.refresh)
    candidates = outcome.candidates
    if request.sort == "date":
        candidates = sorted(candidates, key=lambda c: (c.paper.published, c.paper.arxiv_id),
                            reverse=True)
    for warning in outcome.warnings:
        stderr().print(f"[yellow]warning:[/] {warning}")
    return {"query": " | ".join(q.query for q in outcome.queries), "strategy": strategy,
            "requests": outcome.requests, "budget": outcome.budget, "stopped": outcome.stopped,
            "rounds": [r.model_dump() for r in outcome.rounds],
            "queries": [q.model_dump() for q in outcome.queries], "candidates": candidates}


def _citation_counts(settings: Settings, candidates: list[Candidate]) -> list[Candidate]:
    """OpenAlex's "cited by N" as one more reason line (when `openalex.enabled`)."""
    from agent import services
    from tools.sources.counts import with_citation_counts

    client = services.openalex_client(settings)
    if client is None:
        return candidates
    candidates, warning = with_citation_counts(candidates, client)
    if warning:
        stderr().print(f"[yellow]warning:[/] {warning}")
    return candidates


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


def _record(paper) -> dict:
    return {key: getattr(paper, key) for key in (
        "arxiv_id", "version", "title", "authors", "published", "categories", "abstract",
        "pdf_url", "comment", "doi", "score", "cited_by_count")}
