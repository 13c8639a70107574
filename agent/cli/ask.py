"""`autoresearch ask`: answer a question from the library, every claim cited."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from agent.cli.common import JSON_HELP, fail, print_json, settings_from, stderr, stdout
from agent.settings import Settings
from tools.inputs import nonblank


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("ask")(ask)


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question about the papers in your library.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages to retrieve.")] = 8,
    paper: Annotated[list[str] | None, typer.Option("--paper", help="Only this paper (repeatable): 2501.12948.")] = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Extractive answer even when a chat model is set.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Retrieve, rerank (MMR) and answer; extractive with citations when no LLM is configured."""
    from agent.ask.extractive import answer_question
    from agent.cli.library import open_library, paper_id

    question = nonblank(question, "the question")
    ids = [paper_id(p) for p in paper or []]
    settings = settings_from(ctx)
    library = open_library(settings)
    for key in ids:
        if library.get(key) is None:
            fail(f"{key} is not in the library (see `autoresearch library list`)")
    chat = None if no_llm else _chat_model(settings)
    answer = answer_question(library, question, k, ids or None, chat, settings.memory.mmr_diversity)
    if as_json:
        print_json(answer)
        return
    stdout().print(answer.answer, markup=False, highlight=False)
    if answer.notice:
        stderr().print(answer.notice, markup=False, highlight=False)
    if answer.removed_citations:
        stderr().print(f"removed {len(answer.removed_citations)} citation(s) that match no retrieved passage: "
                       + " ".join(answer.removed_citations), markup=False, highlight=False)


def _chat_model(settings: Settings) -> Any | None:
    """The `chat` role's model (`llm.chat`), or None: then the answer is extractive."""
    from agent import services
    from agent.llm.errors import LLMError

    try:
        return services.chat_model(settings, "chat")
    except LLMError as error:
        fail(str(error))
