"""How well the extractive summary covers real papers, and what it costs next to parsing.

For every PDF in a folder: parse it, summarize it, and count the fields filled, the fields that
needed the last-resort quote, and the quoted sentences found in the PDF's own text (PyMuPDF's
raw text, compared on letters and digits only, so line-break hyphens and ligatures do not count
against a sentence). Time is reported as a ratio to parsing, measured in the same process.

    python -m evals.summary_coverage [PDF_DIR] [--password PW]   # prints one JSON document
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from pathlib import Path

from agent.summary.extract import FIELDS, summarize_extractive
from tools.pdf.parse import parse_pdf

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdfs"


def _letters(text: str) -> str:
    return re.sub(r"\W", "", unicodedata.normalize("NFKC", text))


def measure(pdf: Path, password: str | None) -> dict:
    """One paper's numbers."""
    import pymupdf


    started = time.perf_counter()
    parsed = parse_pdf(pdf, figures_dir=None, password=password)
    parsed_s = time.perf_counter() - started
    started = time.perf_counter()
    summary = summarize_extractive(parsed)
    summary_s = time.perf_counter() - started
    with pymupdf.open(pdf) as doc:
        if doc.needs_pass:
            doc.authenticate(password or "")
        raw = _letters(" ".join(page.get_text() for page in doc))
    sentences = [s for name in FIELDS for s in summary.field_sentences(name) if s]
    return {"pdf": pdf.name, "pages": parsed.pages, "parse_s": round(parsed_s, 3),
            "summary_s": round(summary_s, 3),
            "fields_filled": sum(any(summary.field_sentences(n)) for n in FIELDS),
            "fields_by_fallback": sum("closest sentence" in w for w in summary.warnings),
            "sentences": len(sentences), "in_pdf_text": sum(_letters(s) in raw for s in sentences),
            "figures": len(summary.figures)}


def main() -> None:
    """Measure every PDF in the folder and print the per-paper rows and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--password", default="1234", help="for encrypted PDFs (the shared one uses 1234)")
    args = parser.parse_args()
    rows = [measure(pdf, args.password) for pdf in sorted(args.folder.glob("*.pdf"))]
    total = {key: sum(r[key] for r in rows) for key in ("fields_filled", "fields_by_fallback", "sentences",
                                                       "in_pdf_text", "parse_s", "summary_s")}
    print(json.dumps({
        "papers": len(rows), "fields_filled_rate": round(total["fields_filled"] / max(1, 7 * len(rows)), 3),
        "fallback_fields": total["fields_by_fallback"],
        "verbatim_in_pdf_rate": round(total["in_pdf_text"] / max(1, total["sentences"]), 3),
        "summary_to_parse_time_ratio": round(total["summary_s"] / max(1e-9, total["parse_s"]), 3),
        "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
