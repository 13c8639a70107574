"""A library paper as Markdown, tab by tab: overview, sections, figures, references.

Pure functions over `memory.records.LibraryPaper` (no Textual), so the paper view's content is
tested without a screen. Paper text is shown as text: Markdown it happens to contain is escaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def md(text: str) -> str:
    """Escape Markdown syntax in paper text, so it shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def overview_markdown(record: Any) -> str:
    """Title, authors, date, categories, what is stored, abstract."""
    paper = record.paper
    stored = "abstract only" if record.abstract_only else f"{record.chunks} chunks, {record.figures} figures"
    lines = [f"# {md(paper.title)}", "",
             md(", ".join(paper.authors)) or "_authors unknown_", "",
             f"**arXiv** [{paper.versioned_id}]({paper.abs_url}) · **published** {paper.published or '?'}"
             + (f" · **categories** {', '.join(paper.categories)}" if paper.categories else ""),
             f"**stored** {stored} · added {record.added[:10] or '?'}"]
    if paper.journal_ref or paper.doi:
        lines.append(f"**published in** {md(paper.journal_ref)} {md(paper.doi)}".rstrip())
    lines += ["", "## Abstract", "", md(paper.abstract) or "_no abstract_"]
    if record.parsed is not None and record.parsed.warnings:
        lines += ["", "## Warnings", ""] + [f"- {md(w)}" for w in record.parsed.warnings]
    return "\n".join(lines)


def sections_markdown(record: Any) -> str:
    """Every section with its page and text (the abstract only, for an abstract-only paper)."""
    parsed = record.parsed
    if parsed is None:
        return ("_Only the abstract is stored (no PDF could be read): /ingest the paper again to read "
                "it in full._\n\n## Abstract\n\n" + md(record.paper.abstract))
    abstract = parsed.abstract or record.paper.abstract
    lines: list[str] = ["## Abstract", "", md(abstract), ""] if abstract else []
    for path, section in parsed.section_paths():
        depth = "#" * min(2 + section.level - 1, 4)
        lines += [f"{depth} {md(path.split(' > ')[-1])}  ·  p.{section.page}", ""]
        lines += [md(p.text) + "\n" for p in section.paragraphs]
    for table in parsed.tables:
        lines += [f"### Table {md(table.number)} · p.{table.page}", "", md(table.caption), ""]
    return "\n".join(lines) or "_No sections were found in the PDF._"


def figures_markdown(record: Any) -> str:
    """Each figure: number, page, kind, caption, the figure reader's description, its image file."""
    parsed = record.parsed
    figures = parsed.figures if parsed is not None else []
    if not figures:
        return "_No figures stored for this paper._"
    lines: list[str] = []
    for figure in figures:
        kind = f" · {figure.kind}" if figure.kind else ""
        lines += [f"### Figure {md(figure.number)} · p.{figure.page}{kind}", "", md(figure.caption), ""]
        if figure.description:
            lines += [f"> **Described:** {md(figure.description)}", ""]
        else:
            lines += ["_Not described yet: `autoresearch figures describe` writes descriptions._", ""]
        if figure.image_path:
            lines += [f"`{Path(figure.image_path).name}`", ""]
    return "\n".join(lines)


def references_markdown(record: Any) -> str:
    """The bibliography, numbered, arXiv ids marked."""
    parsed = record.parsed
    references = parsed.references if parsed is not None else []
    if not references:
        return "_No references stored for this paper._"
    lines = []
    for number, ref in enumerate(references, start=1):
        mark = f" · **arXiv {ref.arxiv_id}**" if ref.arxiv_id else ""
        lines.append(f"{number}. {md(ref.raw)}{mark}")
    return "\n".join(lines)
