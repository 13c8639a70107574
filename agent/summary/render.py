"""Render a paper summary as Markdown (the ChatPaper layout), bilingual when translated."""

from __future__ import annotations

from agent.summary.extract import FIELD_TITLES, FIELDS, PaperSummary


def render_summary_markdown(summary: PaperSummary) -> str:
    """The summary as Markdown: one heading per field, figures last."""
    tr = summary.translation
    lines = [f"# {summary.title or summary.source}"]
    if tr and tr.title:
        lines.append(f"**{tr.title}**")
    lines += ["", _byline(summary), "", _provenance(summary)]
    for name in FIELDS:
        lines += ["", f"## {FIELD_TITLES[name]}", ""]
        lines += _field(summary.field_sentences(name), bullets=name == "takeaways")
        if tr and name in tr.fields:
            lines += [""] + _field(tr.fields[name], bullets=name == "takeaways", quote=True)
    lines += ["", "## Figures", ""]
    if not summary.figures:
        lines.append("_No figures found._")
    for figure in summary.figures:
        lines.append(f"- **Figure {figure.number}** (page {figure.page}): {figure.caption}")
        if tr and figure.number in tr.captions:
            lines.append(f"  - {tr.captions[figure.number]}")
        if figure.description:
            who = "figure reader" if figure.described_by == "figure reader" else "from the paper"
            lines.append(f"  - _{who}:_ {figure.description}")
    if summary.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in summary.warnings]
    return "\n".join(lines) + "\n"


def _byline(summary: PaperSummary) -> str:
    parts = []
    if summary.authors:
        authors = ", ".join(summary.authors[:6]) + (" et al." if len(summary.authors) > 6 else "")
        parts.append(authors)
    if summary.arxiv_id:
        parts.append(f"[arXiv:{summary.arxiv_id}](https://arxiv.org/abs/{summary.arxiv_id})")
    elif summary.source:
        parts.append(f"`{summary.source}`")
    return " · ".join(parts)


def _provenance(summary: PaperSummary) -> str:
    if summary.mode == "llm":
        return f"> Written by the summarizer model `{summary.model}` from passages of the paper."
    return "> Extractive summary: every sentence below is quoted verbatim from the paper."


def _field(sentences: list[str], bullets: bool, quote: bool = False) -> list[str]:
    sentences = [s for s in sentences if s]
    if not sentences:
        return ["_Nothing found in the paper for this field._"]
    prefix = "> " if quote else ""
    if bullets:
        return [f"{prefix}- {s}" for s in sentences]
    return [prefix + " ".join(sentences)]
