"""The ask eval's pieces on real PDFs: PyMuPDF page text in, the right paper's passage out."""

from __future__ import annotations

import json
from pathlib import Path

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import load_settings
from evals.ask_eval import QUESTIONS, normalise
from evals.memory_corpus import paper_for, parse
from tools.paper import Paper


def write_pdf(path: Path, pages: list[str]) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        doc.new_page().insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=10)
    doc.save(path)
    return path


def test_questions_file_is_well_formed() -> None:
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines()]
    assert len(rows) == 10 and all(set(r) == {"question", "arxiv_id", "pdf", "answer"} for r in rows)
    assert len({r["arxiv_id"] for r in rows}) >= 6
    assert normalise("ﬁne-\n tuning  Data") == normalise("fine-tuning data") == "finetuning data" and normalise("con- sists") == "consists"
    assert normalise("a 4% - 6% drop") == "a 4% - 6% drop"


def test_parsed_pdfs_and_ask_finds_the_right_page(tmp_path: Path, embedder, shared_data: Path) -> None:
    ours = write_pdf(tmp_path / "own.pdf", [
        "Bird song recognition. We record dawn choruses in twelve forests with cheap microphones.",
        "Results. The recogniser identifies forty species of warblers from their songs with 91% accuracy."])
    parsed = parse(ours)
    assert parsed.pages == 2
    library = services.library(load_settings(), embedder)
    library.add(Paper(arxiv_id="2406.00001", version="v1", title="Bird songs"), parsed)
    excerpt = shared_data / "pdfs" / "arxiv_2103.15348v2_excerpt_empty_pages.pdf"
    library.add(paper_for(excerpt), parse(excerpt))  # empty pages give no chunks, no error
    birds = answer_question(library, "how accurately are warbler species recognised from song?", k=2)
    assert birds.passages[0].arxiv_id == "2406.00001" and birds.passages[0].page == 2
    layout = answer_question(library, "What open-source toolkit streamlines deep learning for document image analysis?", k=5)
    assert layout.passages[0].arxiv_id == "2103.15348"
    assert any(normalise("LayoutParser, an open-source library") in normalise(p.text) for p in layout.passages)
