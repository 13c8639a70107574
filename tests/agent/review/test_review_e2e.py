"""The whole review, end to end, as a person runs it: `autoresearch review` against the arXiv mirror
serving the eight real PDFs of ../shared/data, with records taken from their first pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from evals.mirror import Corpus, MirrorServer, PdfFolder

REPO = Path(__file__).resolve().parents[3]
RECORDS = REPO / "evals" / "datasets" / "shared_pdf_records.jsonl"
PDF_NAMES = {"2501.10120": "paperqa_pasa.pdf"}
"""The one shared PDF whose file name does not carry its arXiv id."""
TOPIC = "deep learning for documents, tables, citations, counting, reasoning and paper search"
"""Every part of it names one of the papers (DeepSeek-R1 is about reasoning: a request without the
word would have it flagged at the papers gate as far below the others)."""
CATEGORIES = ["cs.CV", "cs.CL", "cs.HC", "cs.IR"]
"""Computer science only: the physics paper among the shared PDFs is not part of this review."""


@pytest.mark.shared_data
def test_a_review_of_the_shared_pdfs_is_complete_and_verified(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    with MirrorServer(Corpus.load(RECORDS), PdfFolder(shared_data / "pdfs", PDF_NAMES)) as mirror:
        env = {**os.environ, "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
               "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0"}
        done = subprocess.run([sys.executable, "-m", "agent", "review", TOPIC, "--approve", "auto",
                               "--max-papers", "8", "--out", str(out), "--json",
                               *(f"--category={c}" for c in CATEGORIES)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((out / "run.json").read_text())
    review = (out / "review.md").read_text()

    themes = [t["title"] for t in report["outline"]["themes"]]
    assert len(themes) >= 3
    headings = re.findall(r"^#{2,3} (.+)$", review, re.MULTILINE)
    assert all(any(title in h for h in headings) for title in themes)
    assert re.search(r"^\|.+\|\n\|[ :|-]+\|$", review, re.MULTILINE), "no comparison table"
    figures = re.findall(r"^!\[.*\]\((figures/[^)\s]+)\)", review, re.MULTILINE)
    assert figures and all((out / f).is_file() for f in figures)

    library = bibtexparser.parse_string((out / "references.bib").read_text())
    assert not library.failed_blocks and library.entries
    assert all({"eprint", "archiveprefix"} <= {f.key.lower() for f in e.fields} for e in library.entries)
    cited = set(re.findall(r"@([\w:.-]+)", " ".join(re.findall(r"\[@[^\]]+\]", review))))
    assert cited and cited <= {e.key for e in library.entries}
    assert report["citations"]["unresolved"] == 0 and report["citations"]["total"] > 0

    statuses = {p["arxiv_id"]: p["status"] for p in report["ingest"]}
    assert "1111.2011" not in statuses and len(statuses) == 7
    assert statuses.pop("2206.01062") == "abstract_only"  # password-protected: its abstract stands in
    assert set(statuses.values()) == {"ingested"}
    assert set(report["timings"]) >= {"search", "ingest", "outline", "draft", "verify", "export"}
