"""`autoresearch search`: find papers on arXiv for a topic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from agent.cli.common import EXIT_USAGE, JSON_HELP, fail, parse_date, print_json, settings_from, stderr, stdout
from tools.paper import Candidate

if TYPE_CHECKING:
    from agent.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("search")(search)


def search(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="A topic or a request in plain words (date limits such as 'before April 2025' are read from it), or a raw arXiv query (ti:… AND cat:…).")],
    since: Annotated[str | None, typer.Option(help="Submitted on or after (YYYY-MM-DD); wins over a date in the request.")] = None,
    until: Annotated[str | None, typer.Option(help="Submitted on or before (YYYY-MM-DD); wins over a date in the request.")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", "-c", help="arXiv category (repeatable): cs.CV.")] = None,
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
    from tools.search.query import is_raw_query

    if sort not in ("relevance", "date"):
        raise typer.BadParameter("--sort must be relevance or date")
    if strategy not in STRATEGIES:
        raise typer.BadParameter(f"--strategy must be one of {', '.join(STRATEGIES)}")
    if strategy != "broad" and is_raw_query(topic):
        fail(f"--strategy {strategy} expands a topic in plain words, not a raw arXiv query",
             EXIT_USAGE)
    settings = settings_from(ctx, search={"max_requests": budget})
    filters = {"categories": category or [], "since": parse_date(since), "until": parse_date(until)}
    document = (_run(settings, topic, strategy, max_results, refresh, filters) if rerank
                else _unranked(settings, topic, max_results, refresh, filters))
    candidates = document.pop("candidates")
    if sort == "date":
        candidates.sort(key=lambda c: (c.paper.published, c.paper.arxiv_id), reverse=True)
    if not candidates:
        stderr().print(f"[yellow]warning:[/] arXiv found nothing for {document['request']['topic']!r}; "
                       "try broader words, fewer categories or a wider date range")
    if as_json:
        print_json({**document, "results": [
            {**_record(c.paper), **({"reasons": c.reasons} if explain else {})}
            for c in candidates]})
        return
    _taken(document["request"])
    if explain:
        _queries(document)
    _table(document["request"]["topic"], candidates, explain)


STRATEGIES = ("broad", "expand", "coverage")


def _run(settings: Settings, text: str, strategy: str, max_results: int, refresh: bool,
         filters: dict) -> dict:
    """`tools.search.strategies.search_request` with the planner model when one is configured."""
    from agent import services
    from agent.llm.errors import LLMError
    from agent.llm.planner import model_planner
    from tools.search.strategies import search_request

    planner = None
    if strategy != "broad":
        try:
            model = services.chat_model(settings, "planner")
        except LLMError as error:
            fail(f"llm.planner: {error}")
        planner = model_planner(model) if model is not None else None
    found = search_request(
        services.arxiv_client(settings), services.embedder(settings), text, strategy=strategy,
        max_results=max_results, budget=settings.search.max_requests, planner=planner,
        min_new_fraction=settings.search.min_new_fraction, refresh=refresh, **filters)
    outcome = found.outcome
    for warning in outcome.warnings:
        stderr().print(f"[yellow]warning:[/] {warning}")
    return {"query": " | ".join(q.query for q in outcome.queries), "strategy": strategy,
            "request": found.request.as_dict(), "requests": outcome.requests,
            "budget": outcome.budget, "stopped": outcome.stopped, "vocabulary": outcome.vocabulary,
            "rounds": [r.model_dump() for r in outcome.rounds],
            "queries": [q.model_dump() for q in outcome.queries], "candidates": outcome.candidates}


def _unranked(settings: Settings, text: str, max_results: int, refresh: bool, filters: dict) -> dict:
    """One query of the topic's words (or a raw query as written), in arXiv's own order."""
    from agent import services
    from tools.search.request import parse_request
    from tools.search.topic import SearchRequest, search_topic

    request = parse_request(text)
    request.since, request.until = filters["since"] or request.since, filters["until"] or request.until
    outcome = search_topic(services.arxiv_client(settings), None, SearchRequest(
        topic=request.topic, max_results=max_results, categories=filters["categories"],
        since=request.since, until=request.until, refresh=refresh))
    candidates = [Candidate(paper=p, score=0.0, reasons=[
        f"found by query {outcome.query!r}", f"rank {rank} in arXiv's own order"])
        for rank, p in enumerate(outcome.results, start=1)]
    return {"query": outcome.query, "strategy": "broad", "request": request.as_dict(),
            "requests": outcome.requests, "stopped": "one query, in arXiv's order (--no-rerank)",
            "candidates": candidates}


def _taken(request: dict) -> None:
    """Say what was read from a request in plain words (nothing for a plain topic)."""
    if request["taken"]:
        stderr().print("read from the request: " + "; ".join(request["taken"]))


def _queries(document: dict) -> None:
    """The queries sent, round by round, and why the search stopped."""
    console = stderr()
    for query in document.get("queries", []):
        brought = f"{query['returned']} results, {query['new']} new" + (
            f", error: {query['error']}" if query["error"] else "")
        console.print(f"round {query['round']} ({query['source']}): {query['why']} — {brought}",
                      highlight=False)
    console.print(f"stopped: {document['stopped']} ({document['requests']} requests)", highlight=False)


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
        "pdf_url", "comment", "doi", "score")}
