"""The parser on the eight real papers of ../shared/data/pdfs (skipped when they are absent).

The numbers come from `evals/pdf_quality.py` against the hand-counted `pdf_truth.json`; this test
holds the bars the issue sets. The built-PDF tests in test_pdf.py cover the same features offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.pdf_quality import evaluate
from tools.pdf.parse import PdfEncrypted, parse_pdf

pytestmark = pytest.mark.shared_data


@pytest.fixture
def report(shared_data: Path) -> dict:
    return evaluate(shared_data / "pdfs")


def test_all_eight_parse_with_figures_and_references(report) -> None:
    rows = {r["paper"]: r for r in report["papers"]}
    assert len(rows) == 8 and report["summary"]["crashes"] == 0
    assert all("error" not in r for r in rows.values())
    assert report["summary"]["caption_recall"] >= 0.95 and report["summary"]["true_recall"] >= 0.95
    for vector_paper in ("arxiv_1111.2011v2.pdf", "arxiv_2203.00274v2.pdf"):
        row = rows[vector_paper]
        assert row["true_recall"] == 1.0 and row["vector_found"] == sorted(row["vector_found"])
        assert len(row["vector_found"]) == row["true_figures"]  # drawn with paths, no images
    assert report["summary"]["blank_pngs"] == 0 and sum(r["pngs"] for r in rows.values()) >= 24
    for row in rows.values():
        if row["true_references"]:
            assert abs(row["references"] - row["true_references"]) <= 0.1 * row["true_references"], row["paper"]
    assert rows["arxiv_2103.15348v2_excerpt_empty_pages.pdf"]["warnings"] == ["empty or nearly empty pages: 2, 3"]
    assert rows["paperqa_pasa.pdf"]["tables_found"] == 16


def test_encrypted_paper_needs_1234(shared_data: Path) -> None:
    path = shared_data / "pdfs" / "arxiv_2206.01062_page3_password_protected.pdf"
    with pytest.raises(PdfEncrypted, match="encrypted"):
        parse_pdf(path, figures_dir=None)
    parsed = parse_pdf(path, figures_dir=None, password="1234")
    assert parsed.pages == 1 and [f.number for f in parsed.figures] == ["2"]
    assert parsed.figures[0].caption.startswith("Figure 2: Distribution of DocLayNet pages")
