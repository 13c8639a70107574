"""Real text for the memory benchmarks and the ask eval: the shared PDFs and the seed abstracts.

Until the real parser (`tools/pdf.py`) is on this branch, a PDF becomes a `ParsedPaper` with one
section per page, built from PyMuPDF's plain page text (`pages_as_sections`). When `tools.pdf`
exposes `parse_pdf(path) -> ParsedPaper`, `parse` uses it instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from evals.mirror import SEED_CORPUS
from tools.document import Paragraph, ParsedPaper, Section
from tools.paper import Paper, split_arxiv_id

SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdfs"
SKIP = ("password_protected",)
"""Shared PDFs that are edge cases for the parser, not papers to remember."""
KNOWN_IDS = {"paperqa_pasa.pdf": ("2501.10120", "v1")}
"""PDFs whose file name carries no arXiv id."""


def pdf_files(folder: Path = SHARED_PDFS) -> list[Path]:
    """The readable papers in a folder of PDFs."""
    return [p for p in sorted(folder.glob("*.pdf")) if not any(s in p.name for s in SKIP)]


def paper_for(path: Path) -> Paper:
    """A `Paper` for a shared PDF, its id taken from the file name."""
    if path.name in KNOWN_IDS:
        arxiv_id, version = KNOWN_IDS[path.name]
    else:
        arxiv_id, version = split_arxiv_id(path.stem.replace("_", " "))
    return Paper(arxiv_id=arxiv_id, version=version or "v1", title=path.stem)


def pages_as_sections(path: Path) -> ParsedPaper:
    """A stand-in parse: every page one section, its text blocks the paragraphs."""
    import pymupdf

    sections = []
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, start=1):
            blocks = [re.sub(r"\s+", " ", b[4]).strip() for b in page.get_text("blocks") if b[6] == 0]
            paragraphs = [Paragraph(text=t, page=number) for t in blocks if len(t) > 20]
            sections.append(Section(title=f"Page {number}", page=number, paragraphs=paragraphs))
        pages = doc.page_count
    return ParsedPaper(source=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                       pages=pages, sections=sections)


def parse(path: Path) -> ParsedPaper:
    """The real parser when it is installed, else the page-per-section stand-in."""
    try:
        from tools.pdf import parse_pdf  # type: ignore[attr-defined]
    except ImportError:
        return pages_as_sections(path)
    return parse_pdf(path)


def seed_papers(path: Path = SEED_CORPUS) -> list[Paper]:
    """The seed corpus as abstract-only papers."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    fields = ("arxiv_id", "version", "title", "authors", "published", "abstract")
    return [Paper(**{k: r[k] for k in fields if r.get(k) is not None}) for r in rows]
