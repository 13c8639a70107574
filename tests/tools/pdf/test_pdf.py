"""The PDF parser on PDFs the tests build with PyMuPDF (evals/sample_pdfs.py)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tools.pdf.parse import PdfBroken, PdfEncrypted, parse_pdf, peek_arxiv_id


def pixels(path: str) -> np.ndarray:
    import pymupdf

    pix = pymupdf.Pixmap(path)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)


@pytest.fixture(scope="module")
def paper(sample_pdfs, tmp_path_factory):
    return parse_pdf(sample_pdfs["paper"], figures_dir=tmp_path_factory.mktemp("figures"))


def test_metadata_and_sections_in_reading_order(paper) -> None:
    assert paper.title == "Sparse Attention for Long Documents"
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]
    assert (paper.arxiv_id, paper.version, paper.pages) == ("2401.00001", "v2", 3)
    assert paper.abstract.startswith("Sparse attention lets a transformer")
    assert [(s.number, s.title, s.level, s.page) for s in paper.sections] == [
        ("1", "Introduction", 1, 1), ("2", "Method", 1, 2), ("2.1", "Sparse patterns", 2, 2),
        ("3", "Conclusion", 1, 3), ("", "References", 1, 3)]
    intro = paper.sections[0].paragraphs
    # left column (two paragraphs) before the right column's; the figure's labels and caption
    # are not body text
    assert len(intro) == 3 and intro[1].text.startswith("Of the cost") is False
    assert intro[0].text.startswith("Sparse attention") and intro[2].text.startswith("A transformer")
    body = " ".join(p.text for s in paper.sections for p in s.paragraphs)
    assert "length (k tokens)" not in body and "Accuracy of sparse attention" not in body
    assert "0.81" not in body  # table cells stay in the table


def test_vector_and_raster_figures_rendered(paper) -> None:
    assert [f.number for f in paper.figures] == ["1", "2"]  # "Figure 2 shows…" is not a caption
    plot, image = paper.figures
    assert plot.caption.startswith("Figure 1: Accuracy of sparse attention")
    assert plot.vector and not image.vector
    x0, y0, x1, y1 = plot.bbox
    assert x0 <= 330 and y0 <= 382 and x1 >= 546 and 520 <= y1 < 534  # axes, labels; not the caption
    assert "acc" in plot.text_inside and "length (k tokens)" in plot.text_inside
    for figure in paper.figures:
        assert Path(figure.image_path).exists()
        png = pixels(figure.image_path)
        assert png.std() > 10 and (png < 200).any()
    assert abs(pixels(plot.image_path).shape[1] / 150 * 72 - (x1 - x0)) < 3  # rendered at 150 dpi


def test_table_read_as_markdown(paper) -> None:
    [table] = paper.tables
    assert table.number == "1" and table.caption.startswith("Table 1: Results")
    assert table.bbox is not None and table.bbox[1] > 60
    assert table.markdown.splitlines()[0] == "| Model | Recall | F1 |"
    assert "| Ours | 0.81 | 0.77 |" in table.markdown


def test_references_split_and_read(paper) -> None:
    refs = paper.references
    assert len(refs) == 6
    assert refs[0].title == "Attention is all you need" and refs[0].year == "2017"
    assert refs[1].authors == ["I. Beltagy", "M. E. Peters", "A. Cohan"]
    assert refs[1].arxiv_id == "2004.05150" and refs[1].title == "Longformer: The long-document transformer"
    assert refs[2].doi == "10.48550/arXiv.2007.14062"
    assert refs[4].doi == "10.1145/3530811" and refs[4].year == "2022"
    assert all(r.raw.startswith(f"[{i + 1}]") for i, r in enumerate(refs))


def test_figure_traps(sample_pdfs, tmp_path: Path) -> None:
    parsed = parse_pdf(sample_pdfs["tricky"], figures_dir=tmp_path)
    figures = {f.number: f for f in parsed.figures}
    assert sorted(figures) == ["1", "3", "4", "5"]
    panels = figures["1"]  # behind everything: an invisible full-page rectangle
    assert panels.bbox[0] < 80 and panels.bbox[2] > 540
    assert "(a) Short documents." in panels.text_inside and "(b) Long documents." in panels.text_inside
    screenshot = figures["3"]  # the 4 pt "Figure 3." inside the drawing is not the caption
    assert screenshot.caption.startswith("Figure 3: A screenshot of another paper")
    assert screenshot.bbox[0] < 151 and screenshot.bbox[2] > 459
    clipped = figures["4"]  # the image's box covers the page; only 250×180 pt of it shows
    assert clipped.page == 3 and not clipped.vector
    assert abs((clipped.bbox[2] - clipped.bbox[0]) - 250) < 4 and abs((clipped.bbox[3] - clipped.bbox[1]) - 180) < 4
    overleaf = figures["5"]  # captioned on page 5, drawn on page 4
    assert overleaf.page == 4 and overleaf.bbox[3] - overleaf.bbox[1] > 500
    assert all(pixels(f.image_path).std() > 10 for f in parsed.figures)
    # no heading and no text larger than the body: no title is made up, no text is dropped
    assert parsed.title == "" and [s.title for s in parsed.sections] == ["Text"]
    assert len(parsed.sections[0].paragraphs) > 5


def test_encrypted_needs_its_password(sample_pdfs) -> None:
    with pytest.raises(PdfEncrypted, match="encrypted: give its password"):
        parse_pdf(sample_pdfs["encrypted"], figures_dir=None)
    with pytest.raises(PdfEncrypted, match="wrong"):
        parse_pdf(sample_pdfs["encrypted"], figures_dir=None, password="4321")
    assert parse_pdf(sample_pdfs["encrypted"], figures_dir=None, password="1234").title
    # an owner password alone (empty user password) opens without asking
    assert len(parse_pdf(sample_pdfs["owner_only"], figures_dir=None).figures) == 2


def test_broken_inputs_are_clear(sample_pdfs, tmp_path: Path) -> None:
    with pytest.raises(PdfBroken, match="HTML page"):
        parse_pdf(sample_pdfs["html"], figures_dir=None)
    with pytest.raises(PdfBroken, match="no such file"):
        parse_pdf(tmp_path / "missing.pdf", figures_dir=None)
    (tmp_path / "zero.pdf").write_bytes(b"%PDF-1.7\n")
    with pytest.raises(PdfBroken):
        parse_pdf(tmp_path / "zero.pdf", figures_dir=None)
    truncated = parse_pdf(sample_pdfs["truncated"], figures_dir=None)
    assert any("repaired" in w for w in truncated.warnings)


def test_no_text_layer_and_empty_pages_warn(sample_pdfs) -> None:
    scanned = parse_pdf(sample_pdfs["scanned"], figures_dir=None)
    assert scanned.pages == 1 and any("no text layer" in w for w in scanned.warnings)
    spaced = parse_pdf(sample_pdfs["empty_pages"], figures_dir=None)
    assert spaced.pages == 5 and "empty or nearly empty pages: 2, 3" in spaced.warnings
    assert len(spaced.figures) == 2 and len(spaced.references) == 6


def test_glyph_page_and_time_budget_never_hang(sample_pdfs) -> None:
    started = time.monotonic()
    glyphs = parse_pdf(sample_pdfs["glyphs"], figures_dir=None, time_budget_s=30)
    assert time.monotonic() - started < 30
    assert any("1000 images" in w for w in glyphs.warnings)
    assert glyphs.figures[0].bbox == (0.0, 0.0, 0.0, 0.0)  # glyphs never make a figure
    out_of_time = parse_pdf(sample_pdfs["paper"], figures_dir=None, time_budget_s=0)
    assert any("time budget" in w for w in out_of_time.warnings)


def test_peek_arxiv_id(sample_pdfs, tmp_path: Path) -> None:
    assert peek_arxiv_id(sample_pdfs["paper"]) == ("2401.00001", "v2")
    from evals.sample_pdfs import paper

    unstamped = paper(tmp_path / "arxiv_2312.01234v3.pdf", stamp="")
    assert peek_arxiv_id(unstamped) == ("2312.01234", "v3")
    assert peek_arxiv_id(paper(tmp_path / "notes.pdf", stamp="")) is None
