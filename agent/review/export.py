"""Write a verified review to disk: review.md, references.bib (and .json, .ris), figures/, run.json
(and review.tex).

`review.md` is Pandoc Markdown with YAML front matter naming `references.bib`, so
`pandoc review.md --citeproc -o review.pdf` renders it with its references; figures are copied
next to it and linked relatively, so the folder can be moved or zipped as a whole. The same
references go out as CSL-JSON (`references.json`) and RIS (`references.ris`), keyed alike, for
Zotero, Mendeley and EndNote.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from agent.review.latex import markdown_to_latex
from agent.review.types import Draft, Verification
from agent.review.writers.markdown import citation_keys, figure_filename
from memory.records import LibraryPaper
from tools.citation_formats import to_csl_json, to_ris
from tools.citations import paper_year, to_bibtex
from tools.paper import Paper

ExportFormat = Literal["md", "latex"]


def export_review(draft: Draft, verification: Verification,
                  papers: list[LibraryPaper] | list[Paper], out_dir: Path, run_meta: dict[str, Any],
                  fmt: ExportFormat = "md") -> list[Path]:
    """Write the review's files into `out_dir`; returns the paths written (figures included)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records = _as_papers(papers)
    id_to_key = {arxiv_id: key for key, arxiv_id in draft.keys.items()}
    cited = [records[i] for i in dict.fromkeys(draft.keys.values()) if i in records]
    markdown, figures, warnings = _copy_figures(draft, out_dir)
    written = list(figures)

    bib = out_dir / "references.bib"
    keys = {p.arxiv_id: id_to_key[p.arxiv_id] for p in cited}
    bib.write_text(to_bibtex(cited, keys), encoding="utf-8")
    csl, ris = out_dir / "references.json", out_dir / "references.ris"
    csl.write_text(to_csl_json(cited, keys), encoding="utf-8")
    ris.write_text(to_ris(cited, keys), encoding="utf-8")
    review = out_dir / "review.md"
    review.write_text(front_matter(draft.title) + markdown, encoding="utf-8")
    written[:0] = [review, bib, csl, ris]
    if fmt == "latex":
        tex = out_dir / "review.tex"
        latex = markdown_to_latex(markdown, draft.title, bibliography=bib.stem)
        tex.write_text(latex, encoding="utf-8")
        written.append(tex)
    report = out_dir / "run.json"
    meta = run_report(draft, verification, papers, markdown, run_meta, warnings)
    report.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n",
                      encoding="utf-8")
    written.append(report)
    return written


def front_matter(title: str) -> str:
    """YAML front matter Pandoc reads: the title and the bibliography beside the file."""
    date = datetime.now(UTC).date().isoformat()
    # A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {date}\n"
            "bibliography: references.bib\nlink-citations: true\n---\n\n")


def _as_papers(papers: list[LibraryPaper] | list[Paper]) -> dict[str, Paper]:
    out: dict[str, Paper] = {}
    for item in papers:
        paper = item.paper if isinstance(item, LibraryPaper) else item
        out[paper.arxiv_id] = paper
    return out


def _merge_papers(given: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The caller's per-paper records (ingest status, …) joined with ours by arXiv id."""
    if not isinstance(given, list):
        return rows
    theirs = {p.get("arxiv_id"): p for p in given if isinstance(p, dict)}
    merged = [{**theirs.get(row["arxiv_id"], {}), **row} for row in rows]
    ours = {row["arxiv_id"] for row in rows}
    return merged + [p for i, p in theirs.items() if i not in ours]


def _copy_figures(draft: Draft, out_dir: Path) -> tuple[str, list[Path], list[str]]:
    """Copy each figure's image into figures/; a figure whose image is gone leaves the review."""
    markdown, copied, warnings = draft.markdown, [], []
    for figure in draft.figures:
        relative = figure_filename(figure)
        source = Path(figure.image_path)
        if source.is_file():
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.resolve() != target.resolve():
                shutil.copyfile(source, target)
            copied.append(target)
            continue
        warnings.append(f"figure {figure.number} of {figure.arxiv_id} left out: "
                        f"{source} no longer exists")
        block = re.compile(r"(?:\n\n\*\*[^\n]*\*\*)?\n+!\[[^\n]*\]\(" + re.escape(relative)
                           + r"\)[^\n]*(?:\n\n\*Figure reader[^\n]*)?")
        markdown = block.sub("", markdown)
    return markdown, copied, warnings


def run_report(draft: Draft, verification: Verification, papers: list[LibraryPaper] | list[Paper],
               markdown: str, run_meta: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """run.json: the caller's metadata plus citations, counts, papers, notes, tokens and cost."""
    used = set(citation_keys(markdown))
    id_to_key = {arxiv_id: key for key, arxiv_id in draft.keys.items()}
    rows = []
    for item in papers:
        paper = item.paper if isinstance(item, LibraryPaper) else item
        rows.append({"arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
                     "year": paper_year(paper), "key": id_to_key.get(paper.arxiv_id, ""),
                     "cited": id_to_key.get(paper.arxiv_id, "") in used,
                     "abstract_only": bool(getattr(item, "abstract_only", False))})
    report: dict[str, Any] = dict(run_meta)
    rows = _merge_papers(run_meta.get("papers"), rows)
    report["citations"] = {"total": verification.total, "unresolved": len(verification.unresolved),
                           "unsupported": len(verification.unsupported)}
    report["verification"] = verification.model_dump(mode="json")
    report["papers"] = rows
    report["counts"] = {**report.get("counts", {}), "papers": len(rows), "cited_papers": len(used),
                        "statements": verification.statements, "figures": len(draft.figures),
                        "table_rows": len(draft.comparison),
                        "words": len(re.findall(r"\w+", markdown))}
    report["writer"] = draft.writer
    report["revision"] = draft.revision
    report["notes"] = [*report.get("notes", []), *draft.notes]
    if warnings:
        report["warnings"] = [*report.get("warnings", []), *warnings]
    if draft.usage:
        # The session's own recorder (all stages) wins when the caller passed one in run_meta.
        counts = ("calls", "input_tokens", "output_tokens")
        report.setdefault("tokens", {k: draft.usage.get(k, 0) for k in counts})
        report.setdefault("cost_usd", draft.usage.get("cost_usd"))
    return report
