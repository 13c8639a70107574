"""`autoresearch parse` as a real process on PDFs the tests build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=180)


def test_parse_json_contract(sample_pdfs, tmp_path: Path) -> None:
    done = run_cli("parse", str(sample_pdfs["paper"]), "--json", "--figures-dir", str(tmp_path / "figs"))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["title"] == "Sparse Attention for Long Documents" and document["pages"] == 3
    assert {"title", "level", "page"} <= set(document["sections"][0])
    assert [f["number"] for f in document["figures"]] == ["1", "2"]
    for figure in document["figures"]:
        assert {"number", "caption", "page", "bbox", "image_path"} <= set(figure)
        assert Path(figure["image_path"]).parent == tmp_path / "figs" and len(figure["bbox"]) == 4
    assert {"number", "caption", "page"} <= set(document["tables"][0])
    assert len(document["references"]) == 6
    assert {"raw", "title", "authors", "year", "arxiv_id", "doi"} <= set(document["references"][1])
    assert document["warnings"] == []


def test_parse_prints_the_structure(sample_pdfs) -> None:
    done = run_cli("parse", str(sample_pdfs["paper"]))
    assert done.returncode == 0, done.stderr
    for expected in ("Sparse Attention for Long Documents", "arXiv:2401.00001v2", "2.1 Sparse patterns",
                     "Figure 1", "Table 1", "6 references"):
        assert expected in done.stdout


def test_parse_failures_are_one_line(sample_pdfs, tmp_path: Path) -> None:
    locked = run_cli("parse", str(sample_pdfs["encrypted"]), "--json")
    assert locked.returncode == 1 and locked.stdout == ""
    assert locked.stderr.strip() == "autoresearch: encrypted.pdf is encrypted: give its password (--password)"
    opened = run_cli("parse", str(sample_pdfs["encrypted"]), "--json", "--password", "1234")
    assert opened.returncode == 0 and json.loads(opened.stdout)["pages"] == 3
    html = run_cli("parse", str(sample_pdfs["html"]))
    assert html.returncode == 1 and html.stderr.strip().endswith("is an HTML page (no %PDF header)")
    missing = run_cli("parse", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1
