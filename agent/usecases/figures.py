"""Figures: describe a stored paper's figures (kind and description) and remember them."""

from __future__ import annotations

from agent import services as factories
from agent.services import Services
from agent.usecases.library import find
from tools.document import Figure
from tools.errors import AutoresearchError
from tools.figures.base import FigureDescription, figure_inputs


class NoFigures(AutoresearchError):
    """Only the abstract of the paper is stored."""


def describe(services: Services, paper: str, *, reader: str | None = None, redo: bool = False) -> list[Figure]:
    """The paper's figures, those without a description (all with `redo` or a `reader`) described
    by the figure reader `reader` (`gpu`, `cpu`; default `figures.reader`) and stored."""
    library = services.library
    record = find(library, paper)
    if record.parsed is None:
        raise NoFigures(f"only the abstract of {paper} is stored, so it has no figures to describe")
    stored = record.parsed.figures
    todo = [f for f in stored if redo or reader is not None or not f.description]
    if not todo:
        return stored
    figure_reader = factories.figure_reader(services.settings, prefer=reader)
    described = figure_reader.describe(figure_inputs(record.paper.arxiv_id, record.parsed, todo,
                                                     services.settings.pdf_cache))
    updated = merge(stored, todo, described)
    library.update_figures(record.paper.arxiv_id, updated)
    return updated


def merge(stored: list[Figure], todo: list[Figure], described: list[FigureDescription]) -> list[Figure]:
    """The stored figures with the new kinds and descriptions filled in."""
    by_number = {f.number: d for f, d in zip(todo, described, strict=False)}
    out = []
    for figure in stored:
        description = by_number.get(figure.number)
        if description is None:
            out.append(figure)
        else:
            out.append(figure.model_copy(update={"kind": description.kind, "description": description.text()}))
    return out
