"""`autoresearch figures ID`: describe a stored paper's figures and remember the descriptions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from agent.cli.common import EXIT_USAGE, JSON_HELP, fail, print_json, settings_from, stdout
from agent.cli.library import paper_id
from tools.document import Figure
from tools.figures.base import FigureDescription, figure_inputs


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("figures")(figures)


def figures(
    ctx: typer.Context,
    arxiv_id: Annotated[str, typer.Argument(metavar="ID", help="A paper in the library: 2501.12948 (or with its version), an arXiv URL, or a local-… key.")],
    reader: Annotated[str | None, typer.Option(help="gpu (the vision-language model in figures.model) or cpu; default: figures.reader.")] = None,
    redo: Annotated[bool, typer.Option("--redo", help="Describe every figure again, not only those without a description.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List a paper's figures with descriptions, describing those not yet described."""
    from agent import services
    from tools.figures import FigureModelMissing

    if reader is not None and reader not in ("gpu", "cpu"):
        fail(f"--reader must be gpu or cpu, not {reader!r}", code=EXIT_USAGE)
    key = paper_id(arxiv_id)  # an arXiv id or URL, or a local PDF's `local-…` key
    settings = settings_from(ctx)
    library = services.library(settings)
    record = library.get(key)
    if record is None:
        fail(f"{arxiv_id} is not in the library: add it with `autoresearch ingest {arxiv_id}`")
    if record.parsed is None:
        fail(f"only the abstract of {arxiv_id} is stored, so it has no figures to describe")
    stored = record.parsed.figures
    todo = [f for f in stored if redo or reader is not None or not f.description]
    if todo:
        try:
            figure_reader = services.figure_reader(settings, prefer=reader)
            described = figure_reader.describe(figure_inputs(record.paper.arxiv_id, record.parsed, todo,
                                                             settings.pdf_cache))
        except FigureModelMissing as missing:
            fail(str(missing))
        updated = _merge(stored, todo, described)
        library.update_figures(record.paper.arxiv_id, updated)
        stored = updated
    _show(stored, as_json)


def _merge(stored: list[Figure], todo: list[Figure],
           described: list[FigureDescription]) -> list[Figure]:
    """The stored figures with the new kinds and descriptions filled in."""
    by_number = {f.number: d for f, d in zip(todo, described)}
    out = []
    for figure in stored:
        description = by_number.get(figure.number)
        if description is None:
            out.append(figure)
        else:
            out.append(figure.model_copy(update={"kind": description.kind, "description": description.text()}))
    return out


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
