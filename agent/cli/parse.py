"""`autoresearch parse`: read one PDF and show its structure (nothing is stored)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from agent.cli.common import JSON_HELP, print_json, settings_from, stdout
from tools.pdf.parse import parse_pdf


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("parse")(parse)


def parse(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The PDF to read.")],
    figures_dir: Annotated[Path | None, typer.Option("--figures-dir", help="Render figures to PNG files here.")] = None,
    password: Annotated[str | None, typer.Option(help="Password of an encrypted PDF.")] = None,
    dpi: Annotated[int | None, typer.Option(min=36, max=600, help="Resolution of rendered figures (default pdf.dpi).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Parse a PDF into sections, figures, tables and references."""
    settings = settings_from(ctx, pdf={"dpi": dpi})
    paper = parse_pdf(file, figures_dir=figures_dir, dpi=settings.pdf.dpi, password=password,
                      time_budget_s=settings.pdf.time_budget_s)
    if as_json:
        print_json(paper)
        return
    console = stdout()
    head = paper.title or file.name
    ident = f"  arXiv:{paper.arxiv_id}{paper.version}" if paper.arxiv_id else ""
    console.print(f"[bold]{head}[/bold]{ident}  ({paper.pages} pages)")
    if paper.authors:
        console.print(", ".join(paper.authors))
    console.print(_sections_tree(paper))
    if paper.figures or paper.tables:
        console.print(_items_table(paper))
    console.print(f"{len(paper.references)} references")
    for warning in paper.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def _sections_tree(paper) -> Tree:
    tree = Tree(f"{len(paper.sections)} sections" + ("  (abstract found)" if paper.abstract else ""))
    stack: list[tuple[int, Tree]] = [(0, tree)]
    for section in paper.sections:
        while stack[-1][0] >= section.level:
            stack.pop()
        label = f"{section.number} {section.title}".strip()
        node = stack[-1][1].add(f"{label} [dim]p.{section.page}, {len(section.paragraphs)} ¶[/dim]")
        stack.append((section.level, node))
    return tree


def _items_table(paper) -> Table:
    table = Table(title="Figures and tables", title_justify="left")
    for column, style in (("", "cyan"), ("page", ""), ("caption", ""), ("image / content", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for figure in paper.figures:
        where = figure.image_path or ("(region found)" if figure.bbox[2] > 0 else "(no region)")
        kind = "vector" if figure.vector else "raster"
        table.add_row(f"Figure {figure.number}", str(figure.page), _short(figure.caption), f"{kind}: {where}")
    for item in paper.tables:
        content = f"{item.markdown.count(chr(10)) + 1} Markdown rows" if item.markdown else "(no grid read)"
        table.add_row(f"Table {item.number}", str(item.page), _short(item.caption), content)
    return table


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
