"""The CPU reader on real PDFs: figures built here with PyMuPDF, and the shared papers' figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.figure_fixtures import EXPECTED_KINDS
from tools.figures.base import FigureInput
from tools.figures.cpu import CPUReader

REPO = Path(__file__).resolve().parents[3]


def test_kinds_come_from_the_region_not_the_caption(fixture_figures: list[FigureInput]) -> None:
    described = CPUReader().describe(fixture_figures)
    assert [d.number for d in described] == ["1", "2", "3", "4"]
    assert {d.number: d.kind for d in described} == EXPECTED_KINDS
    assert all(d.reader == "cpu" and d.description and d.summary for d in described)


def test_plot_axes_legend_and_trends_are_read_off_the_page(fixture_figures: list[FigureInput]) -> None:
    plot = CPUReader().describe_one(fixture_figures[0])
    assert plot.axes == ["x: Training steps (0–10)", "y: Accuracy (0–1)"]
    assert plot.legend == ["ours", "baseline"]
    ours, baseline = plot.trends
    assert ours.startswith("ours rises from 0.20 to 0.90") and "0.0 to 10.0" in ours
    assert baseline.startswith("baseline falls from 0.80 to 0.30")
    assert "Training steps" in plot.description and "Legend: ours; baseline" in plot.description


def test_diagram_and_table_quote_their_words(fixture_figures: list[FigureInput]) -> None:
    diagram, _, table = CPUReader().describe(fixture_figures[1:])
    assert "arrowheads" in diagram.description and "Encoder" in diagram.description
    assert diagram.axes == [] and diagram.trends == []
    assert "grid of numbers" in table.description and "4 adjoining cells" in table.description
    assert "BLEU" in table.description


def test_reader_is_deterministic(fixture_figures: list[FigureInput]) -> None:
    assert CPUReader().describe(fixture_figures) == CPUReader().describe(fixture_figures)


def test_without_a_pdf_the_picture_and_caption_still_give_a_description(fixture_figures) -> None:
    photo = fixture_figures[2].model_copy(update={"pdf_path": "", "bbox": None})
    assert CPUReader().describe_one(photo).kind == "photo"
    gone = fixture_figures[0].model_copy(update={"pdf_path": "", "image_path": "/nonexistent.png",
                                                 "caption": "Figure 1: Loss curves during training."})
    described = CPUReader().describe_one(gone)
    assert described.kind == "plot" and "Loss curves during training" in described.description


def test_broken_and_encrypted_pdfs_lose_nothing(tmp_path: Path, fixture_figures) -> None:
    import pymupdf

    broken = tmp_path / "broken.pdf"
    broken.write_text("<html>not a pdf</html>")
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(fixture_figures[0].pdf_path) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="1234", owner_pw="5678")
    for path in (broken, locked):
        figure = fixture_figures[2].model_copy(update={"pdf_path": str(path)})
        described = CPUReader().describe_one(figure)
        assert described.kind == "photo"  # from the PNG
        assert "could not be read" in described.description


def test_a_page_the_pdf_does_not_have(fixture_figures) -> None:
    figure = fixture_figures[0].model_copy(update={"page": 99})
    assert "could not be read" in CPUReader().describe_one(figure).description


@pytest.mark.shared_data
def test_shared_papers_plots_are_called_plots(shared_data: Path, tmp_path: Path) -> None:
    from evals.figure_kinds import extract_figures

    labels = [json.loads(line) for line in (REPO / "evals/datasets/figure_kinds.jsonl").read_text().splitlines()]
    wanted = {(r["pdf"], r["number"]): r["kind"] for r in labels}
    for pdf, expect_plots in (("arxiv_1111.2011v2.pdf", {"3"}), ("paperqa_pasa.pdf", {"3"})):
        figures = extract_figures(shared_data / "pdfs" / pdf, tmp_path)
        kinds = {d.number: d.kind for d in CPUReader().describe(figures)}
        assert {n for n, k in kinds.items() if k == "plot"} == expect_plots
        assert all(kinds[n] == wanted[(pdf, n)] for n in kinds if (pdf, n) in wanted)
