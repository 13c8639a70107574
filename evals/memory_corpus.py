"""Real text for the memory benchmarks and the ask eval: the shared PDFs and the seed abstracts.

PDFs are read with the real parser (`tools.pdf.parse.parse_pdf`), figures not rendered.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.mirror import SEED_CORPUS
from tools.document import ParsedPaper
from tools.paper import Paper, split_arxiv_id
from tools.pdf.parse import parse_pdf

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


def parse(path: Path) -> ParsedPaper:
    """Parse a shared PDF with the real parser (no figure rendering: text is what memory needs)."""
    return parse_pdf(path, figures_dir=None)


def seed_papers(path: Path = SEED_CORPUS) -> list[Paper]:
    """The seed corpus as abstract-only papers."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    fields = ("arxiv_id", "version", "title", "authors", "published", "abstract")
    return [Paper(**{k: r[k] for k in fields if r.get(k) is not None}) for r in rows]
