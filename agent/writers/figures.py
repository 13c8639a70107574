"""Pick the key figures of a review and write the gallery.

One figure per theme: the first overview or architecture figure among the theme's papers (the
figure reader's `diagram`, or a caption that says overview / architecture / framework / pipeline),
else the first figure of the theme's first paper that has one. Only figures whose image exists are
used, so the export never links a missing file.
"""

from __future__ import annotations

import re
from pathlib import Path

from agent.review_types import DraftFigure, Outline
from agent.writers.markdown import cite, escape, figure_filename
from memory.records import LibraryPaper
from tools.document import Figure

_OVERVIEW = re.compile(r"\b(?:overview|architecture|framework|pipeline|overall|schematic|workflow|"
                       r"illustration of (?:our|the proposed))\b", re.IGNORECASE)


def _usable(figure: Figure) -> bool:
    return bool(figure.image_path) and Path(figure.image_path).is_file()


def _overview_score(figure: Figure) -> int:
    """2 for a diagram that says overview, 1 for either, 0 otherwise."""
    return int(figure.kind == "diagram") + int(bool(_OVERVIEW.search(figure.caption)))


def key_figures(outline: Outline, records: dict[str, LibraryPaper], keys: dict[str, str],
                limit: int = 8) -> list[DraftFigure]:
    """At most one figure per theme (and `limit` in all), in the outline's order."""
    chosen: list[DraftFigure] = []
    for theme in outline.themes:
        candidates = [(arxiv_id, f) for arxiv_id in theme.paper_ids
                      if arxiv_id in records and records[arxiv_id].parsed
                      for f in records[arxiv_id].parsed.figures if _usable(f)]
        if not candidates:
            continue
        best = max(range(len(candidates)), key=lambda i: (_overview_score(candidates[i][1]), -i))
        arxiv_id, figure = candidates[best]
        chosen.append(DraftFigure(arxiv_id=arxiv_id, key=keys[arxiv_id], number=figure.number,
                                  caption=figure.caption, description=figure.description,
                                  image_path=figure.image_path, theme=theme.title,
                                  kind=figure.kind))
        if len(chosen) == limit:
            break
    return chosen


def figure_markdown(figure: DraftFigure, title: str) -> str:
    """The figure as a Pandoc image with its caption, and the figure reader's description."""
    caption = re.sub(r"^\s*(?:Figure|Fig\.?)\s*[\w.]+\s*[:.]?\s*", "", figure.caption)
    label = re.sub(r"[^A-Za-z0-9]", "-", f"fig-{figure.arxiv_id}-{figure.number}")
    alt = (f"Figure {escape(figure.number)} of *{escape(title)}* {cite(figure.key)}: "
           f"{escape(caption)}")
    text = f"![{alt}]({figure_filename(figure)}){{#{label} width=90%}}"
    if figure.description:
        kind = f" ({escape(figure.kind)})" if figure.kind else ""
        text += f"\n\n*Figure reader{kind}:* {escape(figure.description)}"
    return text
