"""figures: have the figure reader describe the approved papers' figures, once.

Descriptions are stored in the library, so a re-run (a resume, a later review of the same papers)
only describes figures that have none yet. The reader is `figures.reader`: the vision-language
model on a GPU when one is configured, else the CPU reader; without a usable one, figures keep
their captions and the run says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State
from memory.records import LibraryPaper
from tools.document import Figure
from tools.figures.base import FigureDescription, figure_inputs
from tools.figures.models import FigureModelMissing

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("figures")
def figures(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Describe every figure of the run's papers that has no description yet."""
    services = runtime.context.services
    pending = [r for r in library_papers(services, readable_ids(state)) if _undescribed(r)]
    if not pending:
        return {}
    try:
        reader = services.figure_reader
    except FigureModelMissing as missing:
        report.warn(f"figures keep only their captions: {missing}")
        return {}
    cache = runtime.context.settings.pdf_cache
    for number, record in enumerate(pending, start=1):
        todo = _undescribed(record)
        assert record.parsed is not None
        described = reader.describe(figure_inputs(record.paper.arxiv_id, record.parsed, todo, cache))
        by_number = {f.number: d for f, d in zip(todo, described, strict=True)}
        assert record.parsed is not None
        updated = [_apply(f, by_number.get(f.number)) for f in record.parsed.figures]
        services.library.update_figures(record.paper.arxiv_id, updated)
        report.progress(number, len(pending), f"{record.paper.arxiv_id}: {len(todo)} figures by {reader.name}")
    return {}


def _undescribed(record: LibraryPaper) -> list[Figure]:
    if record.parsed is None:
        return []
    return [f for f in record.parsed.figures if f.image_path and not f.description]


def _apply(figure: Figure, description: FigureDescription | None) -> Figure:
    if description is None:
        return figure
    return figure.model_copy(update={"kind": description.kind, "description": description.text()})
