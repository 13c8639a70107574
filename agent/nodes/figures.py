"""figures: have the figure reader describe the approved papers' figures, once.

Descriptions are stored in the library, so a re-run (a resume, a later review of the same papers)
only describes figures that have none yet. Without a reader the figures keep their captions.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.context import ReviewContext
from agent.nodes.stage import Reporter, stage
from agent.stages import library_papers
from agent.state import State
from memory.records import LibraryPaper
from tools.document import Figure
from tools.figures.base import FigureDescription, FigureInput


@stage("figures")
def figures(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Describe every figure that has no description yet."""
    services = runtime.context.services
    ids = [i for i, o in state.ingest.items() if o.status != "failed"]
    pending = [r for r in library_papers(services, ids) if _undescribed(r)]
    if not pending:
        return {}
    reader = services.figure_reader
    if reader is None:
        count = sum(len(_undescribed(r)) for r in pending)
        report.warn(f"{count} figures keep only their captions: no figure reader is available")
        return {}
    for number, record in enumerate(pending, start=1):
        todo = _undescribed(record)
        descriptions = reader.describe([_input(record, f) for f in todo])
        described = {d.number: d for d in descriptions}
        assert record.parsed is not None
        updated = [_apply(f, described.get(f.number)) for f in record.parsed.figures]
        services.library.update_figures(record.paper.arxiv_id, updated)
        report.progress(number, len(pending), f"{record.paper.arxiv_id}: {len(todo)} figures")
    return {}


def _undescribed(record: LibraryPaper) -> list[Figure]:
    if record.parsed is None:
        return []
    return [f for f in record.parsed.figures if f.image_path and not f.description]


def _input(record: LibraryPaper, figure: Figure) -> FigureInput:
    assert record.parsed is not None
    return FigureInput(arxiv_id=record.paper.arxiv_id, number=figure.number, caption=figure.caption,
                       image_path=figure.image_path, pdf_path=record.parsed.source, page=figure.page,
                       bbox=figure.bbox, text_inside=figure.text_inside)


def _apply(figure: Figure, description: FigureDescription | None) -> Figure:
    if description is None:
        return figure
    return figure.model_copy(update={"kind": description.kind,
                                     "description": description.description or description.summary})
