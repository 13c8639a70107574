"""`autoresearch ask`: answer a question from the library, every claim cited."""

from __future__ import annotations

from typing import Annotated

import typer

from agent.cli.common import JSON_HELP, print_json, services_from, stderr, stdout
from agent.usecases.ask import ask as answer
from agent.usecases.library import paper_key


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("ask")(ask)


def _no_model(role: str) -> None:
    return None


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question about the papers in your library.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages to retrieve.")] = 8,
    paper: Annotated[list[str] | None, typer.Option("--paper", help="Only this paper (repeatable): 2501.12948.")] = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Extractive answer even when a chat model is set.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Retrieve, rerank (MMR) and answer; extractive with citations when no LLM is configured."""
    ids = [paper_key(p) for p in paper or []]
    result = answer(services_from(ctx), question, k=k, papers=ids, models=_no_model if no_llm else None)
    if as_json:
        print_json(result)
        return
    stdout().print(result.answer, markup=False, highlight=False)
    if result.notice:
        stderr().print(result.notice, markup=False, highlight=False)
    if result.removed_citations:
        stderr().print(f"removed {len(result.removed_citations)} citation(s) that match no retrieved passage: "
                       + " ".join(result.removed_citations), markup=False, highlight=False)
