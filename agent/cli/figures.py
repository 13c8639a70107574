"""`autoresearch figures ID`: describe a stored paper's figures and remember the descriptions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.cli.common import EXIT_USAGE, JSON_HELP, fail, print_json, services_from, stdout
from agent.usecases import figures as usecase
from tools.document import Figure


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("figures")(figures)


def figures(
    ctx: typer.Context,
    arxiv_id: Annotated[str, typer.Argument(metavar="ID", help="A paper in the library: 2501.12948 (or with its version).")],
    reader: Annotated[str | None, typer.Option(help="gpu (the vision-language model in figures.model) or cpu; default: figures.reader.")] = None,
    redo: Annotated[bool, typer.Option("--redo", help="Describe every figure again, not only those without a description.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List a paper's figures with descriptions, describing those not yet described."""
    if reader is not None and reader not in ("gpu", "cpu"):
        fail(f"--reader must be gpu or cpu, not {reader!r}", code=EXIT_USAGE)
    _show(usecase.describe(services_from(ctx), arxiv_id, reader=reader, redo=redo), as_json)


def _show(stored: list[Figure], as_json: bool) -> None:
    """Print the figures as one JSON list, or as a table."""
    if as_json:
        print_json([{"number": f.number, "caption": f.caption, "kind": f.kind,
                     "description": f.description, "image_path": f.image_path, "page": f.page,
                     "bbox": list(f.bbox), "vector": f.vector} for f in stored])
        return
    table = Table(title=f"{len(stored)} figures", title_justify="left")
    for column, style in (("fig", "cyan"), ("page", ""), ("kind", "bold"), ("description", ""),
                          ("image", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for figure in stored:
        table.add_row(figure.number, str(figure.page), figure.kind or "-", figure.description,
                      figure.image_path)
    stdout().print(table)
