"""`autoresearch llm`: see which model each role uses, try one, and list the prompt templates."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer
from rich.table import Table

from agent.cli.common import EXIT_FAILED, JSON_HELP, fail, print_json, settings_from, stdout
from agent.llm.errors import LLMError
from agent.llm.factory import ROLES, chat_model, usage_recorder
from agent.llm.prompts import PromptBook

llm_app = typer.Typer(help="Chat models per role (planner, writer, summarizer, chat, translator).",
                      no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(llm_app, name="llm")


@llm_app.command("status")
def status(ctx: typer.Context,
           as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Show each role's model and whether it can be built here (no model is called)."""
    settings = settings_from(ctx)
    rows: list[dict[str, Any]] = []
    for role in ROLES:
        model = getattr(settings.llm, role).strip()
        row: dict[str, Any] = {"role": role, "model": model or None, "state": "none", "error": None}
        try:
            row["state"] = "ready" if chat_model(settings, role) is not None else "none"
        except LLMError as error:
            row.update(state="error", error=str(error))
        rows.append(row)
    if as_json:
        print_json({"roles": rows})
    else:
        table = Table(title="chat models by role (none = extractive)", title_justify="left")
        for column in ("role", "model", "state", "error"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(row["role"], row["model"] or "-", row["state"], row["error"] or "")
        stdout().print(table)
    broken = [row for row in rows if row["state"] == "error"]
    if broken:
        fail(f"llm.{broken[0]['role']}: {broken[0]['error']}", EXIT_FAILED)


@llm_app.command("ping")
def ping(ctx: typer.Context,
         role: Annotated[str, typer.Argument(help="planner, writer, summarizer, chat or translator.")],
         prompt: Annotated[str | None, typer.Option(help="Send this instead of the ping prompt.")] = None,
         as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Send one short prompt to a role's model; print the reply, tokens, speed and cost."""
    from langchain_core.messages import HumanMessage  # LangChain loads with the model, not with the CLI

    settings = settings_from(ctx)
    usage = usage_recorder(settings)
    model = chat_model(settings, role, usage=usage)
    if model is None:
        fail(f"llm.{role} is not set (e.g. AUTORESEARCH_LLM__{role.upper()}=llamacpp:smollm2)")
    messages = [HumanMessage(prompt)] if prompt else PromptBook(settings.llm.prompts).render("ping")
    model.count_tokens("warm up")  # loads a local model, so the timing is generation only
    started = time.perf_counter()
    with usage.stage("ping"):
        reply = model.invoke(messages)
    seconds = time.perf_counter() - started
    snapshot = usage.snapshot()
    document = {"role": role, "model": getattr(settings.llm, role), "reply": str(reply.text),
                "seconds": round(seconds, 3), "tokens_per_s": round(snapshot["output_tokens"] / seconds, 1)
                if seconds else None, "usage": snapshot}
    if as_json:
        print_json(document)
        return
    out = stdout()
    out.print(document["reply"], markup=False, highlight=False)
    out.print(f"[dim]{document['model']} · {seconds:.2f} s · {usage.summary()}[/dim]")


@llm_app.command("prompts")
def prompts(ctx: typer.Context,
            name: Annotated[str | None, typer.Argument(help="Show this template in full.")] = None,
            as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """List the prompt templates in force (with overrides) and their placeholders."""
    book = PromptBook(settings_from(ctx).llm.prompts)
    chosen = [book.get(name)] if name else [book.get(n) for n in book.names()]
    records = [{"name": p.name, "system": p.system, "user": p.user,
                "placeholders": {"system": sorted(p.variables("system")),
                                 "user": sorted(p.variables("user"))}} for p in chosen]
    if as_json:
        print_json(records if name is None else records[0])
        return
    out = stdout()
    for record in records:
        fields = ", ".join("{" + v + "}" for v in sorted(set(sum(record["placeholders"].values(), []))))
        out.print(f"[bold]{record['name']}[/bold]  {fields}")
        if name:
            out.print(f"--- system ---\n{record['system']}\n--- user ---\n{record['user']}",
                      markup=False, highlight=False)
