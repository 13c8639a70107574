"""Interim content stages, used only until `agent.outline`, `agent.writers`, `agent.verify` and
`agent.export` land (see `agent.stages.production_stages`): deliberately plain, grounded in the
papers' own abstracts, with the real modules' signatures. Delete this module when they land.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from agent.review_types import ComparisonRow, Draft, Outline, Theme, Verification
from agent.settings import Settings
from memory.embeddings import Embedder
from memory.library import Library
from memory.records import LibraryPaper

CITE = re.compile(r"\[@([^\]]+)\]")


def build_outline(topic: str, papers: list[LibraryPaper], embedder: Embedder, max_themes: int = 6) -> Outline:
    """Group papers by year, newest first (a stand-in for clustering by meaning)."""
    groups: dict[str, list[str]] = {}
    for record in sorted(papers, key=lambda r: r.paper.published, reverse=True):
        groups.setdefault(record.paper.year or "undated", []).append(record.paper.arxiv_id)
    themes = [Theme(title=f"Work from {year}", paper_ids=ids) for year, ids in groups.items()]
    return Outline(topic=topic, title=f"A review of {topic}", themes=themes[:max_themes])


def _key(record: LibraryPaper, taken: set[str]) -> str:
    word = (re.findall(r"[A-Za-z]+", record.paper.title) or ["paper"])[0].lower()
    key = f"{word}{record.paper.year}"
    while key in taken:
        key += "x"
    taken.add(key)
    return key


def write_review(topic: str, outline: Outline, papers: list[LibraryPaper], library: Library,
                 settings: Settings, chat_model=None, feedback: str = "", revision: int = 0) -> Draft:
    """One cited sentence per paper, taken from its abstract."""
    by_id, taken = {r.paper.arxiv_id: r for r in papers}, set()
    keys = {r.paper.arxiv_id: _key(r, taken) for r in papers}
    lines = [f"# {outline.title}", "", "## Introduction", "",
             f"This review covers {len(papers)} papers on {topic}.", ""]
    for theme in outline.themes:
        lines += [f"## {theme.title}", ""]
        for pid in theme.paper_ids:
            if pid in by_id:
                first = re.split(r"(?<=[.!?])\s", by_id[pid].paper.abstract.strip())[0]
                lines += [f"{by_id[pid].paper.title}: {first} [@{keys[pid]}]", ""]
    rows = [ComparisonRow(arxiv_id=r.paper.arxiv_id, key=keys[r.paper.arxiv_id], title=r.paper.title,
                          year=r.paper.year) for r in papers]
    lines += ["## Comparison", "", "| Paper | Year |", "|---|---|"]
    lines += [f"| {row.title} [@{row.key}] | {row.year} |" for row in rows]
    return Draft(title=outline.title, markdown="\n".join(lines) + "\n",
                 keys={k: pid for pid, k in keys.items()}, comparison=rows, revision=revision)


def verify_draft(draft: Draft, library: Library, papers: list[LibraryPaper]) -> tuple[Draft, Verification]:
    """Remove citation keys that name no stored paper, and list them."""
    cited = [k.strip().lstrip("@") for group in CITE.findall(draft.markdown) for k in group.split(";")]
    unresolved = sorted({k for k in cited if k not in draft.keys or library.get(draft.keys[k]) is None})

    def clean(match: re.Match) -> str:
        kept = [k for k in (p.strip().lstrip("@") for p in match.group(1).split(";")) if k not in unresolved]
        return "[" + "; ".join(f"@{k}" for k in kept) + "]" if kept else ""

    markdown = CITE.sub(clean, draft.markdown)
    if unresolved:
        markdown += "\n## Unverified statements\n\n" + "".join(f"- removed key `{k}`\n" for k in unresolved)
    cleaned = draft.model_copy(update={"markdown": markdown})
    return cleaned, Verification(total=len(cited), unresolved=unresolved, statements=len(cited))


def export_review(draft: Draft, verification: Verification, papers: list[LibraryPaper], out_dir: Path,
                  run_meta: dict, fmt: str = "md") -> list[Path]:
    """review.md, references.bib, run.json and figures/."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = out_dir / "figures"
    shutil.rmtree(figures, ignore_errors=True)
    figures.mkdir()
    by_id = {r.paper.arxiv_id: r.paper for r in papers}
    bib = []
    for key, pid in sorted(draft.keys.items()):
        paper = by_id.get(pid)
        if paper:
            bib.append(f"@misc{{{key},\n  title = {{{paper.title}}},\n  author = {{{' and '.join(paper.authors) or 'Unknown'}}},\n"
                       f"  year = {{{paper.year}}},\n  eprint = {{{pid}}},\n  archivePrefix = {{arXiv}}\n}}\n")
    review, references, run = out_dir / "review.md", out_dir / "references.bib", out_dir / "run.json"
    review.write_text(f"---\ntitle: \"{draft.title}\"\nbibliography: references.bib\n---\n\n" + draft.markdown)
    references.write_text("\n".join(bib))
    citations = {"total": verification.total, "unresolved": len(verification.unresolved),
                 "unsupported": len(verification.unsupported)}
    run.write_text(json.dumps({"citations": citations, **run_meta}, indent=1, default=str))
    return [review, references, run, figures]
