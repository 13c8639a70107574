"""Pick the key figures of a review and write the gallery.

One figure per theme: the first overview or architecture figure among the theme's papers (the
figure reader's `diagram`, or a caption that says overview / architecture / framework / pipeline),
else the first figure of the theme's first paper that has one. Only figures whose image exists are
used, so the export never links a missing file.
"""

from __future__ import annotations

import re
from pathlib import Path

from agent.review.types import DraftFigure, Outline
from agent.review.writers.markdown import cite, escape, figure_filename
from agent.review.writers.sentences import split_sentences
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
    """Each theme's overview figures, in the outline's order, at most `limit` in all.

    A theme shows one figure when there are four or more themes; with fewer, each theme may show
    up to 4 // themes figures, from different papers, so a short review still shows its key
    figures.
    """
    per_theme = max(1, 4 // max(len(outline.themes), 1))
    chosen: list[DraftFigure] = []
    for theme in outline.themes:
        shown = 0
        for arxiv_id, figure in _ranked(theme.paper_ids, records):
            if shown == per_theme or len(chosen) == limit:
                break
            chosen.append(DraftFigure(arxiv_id=arxiv_id, key=keys[arxiv_id], number=figure.number,
                                      caption=figure.caption, description=figure.description,
                                      image_path=figure.image_path, theme=theme.title,
                                      kind=figure.kind))
            shown += 1
    return chosen


def _ranked(paper_ids: list[str], records: dict[str, LibraryPaper]) -> list[tuple[str, Figure]]:
    """Each paper's best figure (overview first, else its first), best papers' figures first."""
    best: list[tuple[int, int, str, Figure]] = []
    for order, arxiv_id in enumerate(paper_ids):
        record = records.get(arxiv_id)
        parsed = record.parsed if record else None
        figures = [f for f in (parsed.figures if parsed else []) if _usable(f)]
        if figures:
            top = max(range(len(figures)), key=lambda i: (_overview_score(figures[i]), -i))
            best.append((-_overview_score(figures[top]), order, arxiv_id, figures[top]))
    return [(arxiv_id, figure) for _, _, arxiv_id, figure in sorted(best, key=lambda b: b[:2])]


def short_caption(caption: str, limit: int = 300) -> str:
    """The caption without its "Figure N:" label, cut after the sentence that passes `limit`."""
    caption = re.sub(r"^\s*(?:Figure|FIG|Fig)\.?\s*[\w.]+\s*[:.]?\s*", "", caption, flags=re.I)
    if len(caption) <= limit:
        return caption
    sentences = split_sentences(caption)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) >= limit:
            break
        kept += " " + sentence
    return kept + (" …" if len(kept) < len(caption) else "")


def figure_markdown(figure: DraftFigure, title: str) -> str:
    """The figure as a Pandoc image with its caption, and the figure reader's description."""
    caption = short_caption(figure.caption)
    label = re.sub(r"[^A-Za-z0-9]", "-", f"fig-{figure.arxiv_id}-{figure.number}")
    alt = (f"Figure {escape(figure.number)} of *{escape(title)}* {cite(figure.key)}: "
           f"{escape(caption)}")
    text = f"![{alt}]({figure_filename(figure)}){{#{label} width=90%}}"
    if figure.description:
        kind = f" ({escape(figure.kind)})" if figure.kind else ""
        text += f"\n\n*Figure reader{kind}:* {escape(figure.description)}"
    return text
