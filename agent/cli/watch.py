"""`autoresearch watch`: the keywords the daily digest follows."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.cli.common import JSON_HELP, print_json, settings_from, stdout
from agent.usecases import watch as usecase
from agent.usecases.watch import record as _record

watch_app = typer.Typer(help="Keyword watchlists for the daily digest.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def add(
    ctx: typer.Context,
    keyword: Annotated[str, typer.Argument(help="The keyword, e.g. \"Video Anomaly Detection\" (the digest's heading).")],
    category: Annotated[list[str] | None, typer.Option("--category", "-c", help="arXiv category to keep (repeatable): cs.CV.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="A raw arXiv query to use instead of the keyword phrase.")] = None,
    replace: Annotated[bool, typer.Option(help="Change the options of a keyword already watched.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Watch a keyword: papers with the phrase in their title or abstract, newest first."""
    watch, outcome = usecase.add(settings_from(ctx), keyword, category, query or "", replace)
    if as_json:
        print_json({"outcome": outcome, "watch": _record(watch)})
        return
    stdout().print(f"{outcome}: {watch.name}  [dim]{watch.search_query()}[/dim]", highlight=False)


@watch_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List the watched keywords and the arXiv query each one sends."""
    watches = usecase.watches(settings_from(ctx))
    if as_json:
        print_json({"watches": [_record(w) for w in watches]})
        return
    if not watches:
        stdout().print("No keywords watched. Add one: autoresearch watch add \"Video Anomaly Detection\"",
                       markup=False, highlight=False)
        return
    table = Table(title=f"{len(watches)} watched keywords", title_justify="left")
    for column in ("keyword", "categories", "arXiv query", "source"):
        table.add_column(column, overflow="fold")
    for watch in watches:
        table.add_row(watch.name, " ".join(watch.categories), watch.search_query(), watch.source)
    stdout().print(table)


@watch_app.command("remove")
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The keyword to stop watching (case does not matter).")],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Stop watching a keyword."""
    removed = usecase.remove(settings_from(ctx), name)
    if as_json:
        print_json({"outcome": "removed", "watch": _record(removed)})
        return
    stdout().print(f"removed: {removed.name}", markup=False, highlight=False)
