"""`summarize` on real PDFs: built ones (PyMuPDF), then the shared real papers."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from agent.cli.app import main
from agent.summary.extract import FIELDS, summarize_extractive
from tests.fixtures.papers import sample_paper
from tests.fixtures.pdfs import write_paper_pdf
from tools.pdf.parse import parse_pdf


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_text(path: Path, password: str | None = None) -> str:
    import pymupdf

    with pymupdf.open(path) as doc:
        if password:
            doc.authenticate(password)
        return _words(" ".join(page.get_text() for page in doc))


def _sentences(summary: dict) -> dict[str, list[str]]:
    return {name: [summary[name]] if isinstance(summary[name], str) else summary[name] for name in FIELDS}


def test_summarize_a_built_pdf_quotes_it_verbatim(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_paper_pdf(sample_paper(), tmp_path / "framegate.pdf")
    assert main(["summarize", str(pdf), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    text = _pdf_text(pdf)
    for name, sentences in _sentences(summary).items():
        assert sentences and all(sentences), name
        for sentence in sentences:
            assert sentence in text, f"{name}: {sentence!r}"
    assert "must never be quoted" not in json.dumps(summary)  # nothing from the appendix
    assert [f["caption"] for f in summary["figures"]] == ["Figure 1: Overview of FrameGate."]
    assert main(["summarize", str(pdf)]) == 0
    assert "## Tasks and results" in capsys.readouterr().out


def test_an_encrypted_pdf_needs_its_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pymupdf

    plain = write_paper_pdf(sample_paper(), tmp_path / "plain.pdf")
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(plain) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="1234", owner_pw="owner")
    assert main(["summarize", str(locked)]) == 1
    assert "password" in capsys.readouterr().err.lower()
    assert main(["summarize", str(locked), "--password", "1234", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["one_line"]


def test_html_saved_as_a_pdf_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "paper.pdf"
    fake.write_text("<!DOCTYPE html><html><body>Just a moment...</body></html>")
    assert main(["summarize", str(fake)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("autoresearch: ") and len(err.strip().splitlines()) == 1


def test_every_field_of_every_shared_pdf_is_quoted_from_the_paper(shared_data: Path) -> None:
    for pdf in sorted((shared_data / "pdfs").glob("*.pdf")):
        password = "1234" if "password" in pdf.name else None
        parsed = parse_pdf(pdf, figures_dir=None, password=password)
        text = _words(" ".join([parsed.abstract] + [p.text for s in parsed.sections for p in s.paragraphs]))
        summary = summarize_extractive(parsed).model_dump()
        for name, sentences in _sentences(summary).items():
            assert sentences and all(sentences), f"{pdf.name}: {name} is empty"
            for sentence in sentences:
                assert _words(sentence) in text, f"{pdf.name}: {name}: {sentence!r}"
        raw = re.sub(r"\W", "", _pdf_text(pdf, password))
        found = sum(re.sub(r"\W", "", _words(s)) in raw for v in _sentences(summary).values() for s in v)
        total = sum(len(v) for v in _sentences(summary).values())
        assert found >= 0.8 * total, f"{pdf.name}: {found}/{total} sentences in the PDF's own text"
