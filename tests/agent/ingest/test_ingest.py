"""Ingest end to end: the mirror serves metadata and PDFs, a real Chroma library stores them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent import services
from agent.ingest.pipeline import ingest_local_pdf, ingest_paper, resolve_items
from agent.settings import Settings, load_settings
from evals.mirror import MirrorServer, PdfFolder
from evals.sample_pdfs import paper
from memory.chunking import TITLE_ONLY
from tools.paper import Paper

REPO = Path(__file__).resolve().parents[3]
IDS = ["2004.00222v3", "2501.09733v1", "2311.07042v3", "2110.05086v1", "2104.06653v1"]


@pytest.fixture
def pdf_mirror(mirror: MirrorServer, mirror_settings: Settings, tmp_path: Path) -> MirrorServer:
    """PDFs for the first three ids; the fourth is missing (404), the fifth answers with HTML."""
    folder = tmp_path / "served"
    folder.mkdir()
    for vid in IDS[:3]:
        paper(folder / f"{vid}.pdf", stamp=f"arXiv:{vid}  [cs.CV]  1 Jan 2024")
    mirror.pdfs = PdfFolder(folder)
    mirror.overrides["/pdf/2104.06653v1"] = (200, "text/html", b"<html><body>Just a moment...</body></html>")
    return mirror


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=300)


def test_five_ids_three_ingested_two_reported(pdf_mirror: MirrorServer, tmp_path: Path) -> None:
    listing = tmp_path / "ids.txt"
    listing.write_text("# papers to read\n" + "\n".join(IDS[1:]) + "\n")
    done = run_cli("ingest", IDS[0], "--from-file", str(listing), "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    results = {r["item"]: r for r in document["results"]}
    assert [results[i]["status"] for i in IDS] == ["ingested"] * 3 + ["abstract_only"] * 2
    assert document["ingested"] == 3 and document["abstract_only"] == 2  # stored by the abstract
    assert document["stored"] == 5 and document["failed"] == 0
    assert "HTTP 404" in results[IDS[3]]["error"] and "download failed" in results[IDS[3]]["error"]
    assert "HTML page" in results[IDS[4]]["error"]
    for vid in IDS[:3]:
        row = results[vid]
        assert (row["pages"], row["figures"], row["tables"], row["references"]) == (3, 2, 1, 6)
        assert row["chunks"] > 3 and row["title"]  # the title comes from the arXiv record
    assert results[IDS[3]]["chunks"] >= 1  # remembered by its abstract
    stored = {r.paper.arxiv_id: r.abstract_only for r in services.library(load_settings()).list()}
    assert stored == {i.split("v")[0]: n >= 3 for n, i in enumerate(IDS)}


def test_all_failing_exits_non_zero_with_one_line(pdf_mirror: MirrorServer) -> None:
    done = run_cli("ingest", "2401.99998", "2401.99999", "--json")  # unknown to arXiv, no PDFs
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("autoresearch: nothing ingested: all 2 failed")
    results = json.loads(done.stdout)["results"]  # the document still says why, item by item
    assert [(r["item"], r["status"]) for r in results] == [("2401.99998", "failed"), ("2401.99999", "failed")]
    assert all("HTTP 404" in r["error"] for r in results)
    usage = run_cli("ingest")
    assert usage.returncode == 2 and "nothing to ingest" in usage.stderr


def test_library_holds_full_text_and_abstracts(pdf_mirror: MirrorServer, mirror_settings: Settings,
                                                embedder) -> None:
    library = services.library(mirror_settings, embedder)
    downloader = services.downloader(mirror_settings)
    [record] = services.arxiv_client(mirror_settings).fetch([IDS[0]])
    result = ingest_paper(record, downloader=downloader, library=library, store=library.papers,
                          settings=mirror_settings)
    assert result.status == "ingested" and result.version == "v3"
    stored = library.get("2004.00222")
    assert stored is not None and not stored.abstract_only and stored.parsed.arxiv_id == "2004.00222"
    for figure in stored.parsed.figures:
        assert Path(figure.image_path).is_file()
        assert Path(figure.image_path).parent == library.papers.figures_dir("2004.00222")
    [hit] = library.search_figures("accuracy as documents grow longer", k=1)
    assert hit.arxiv_id == "2004.00222" and hit.number == "1"
    missing = Paper(arxiv_id="2110.05086", version="v1", title="Deep Video Anomaly Detection",
                    abstract="Anomaly detection in videos.")
    fallback = ingest_paper(missing, downloader=downloader, library=library, store=library.papers,
                            settings=mirror_settings)
    assert fallback.status == "abstract_only" and library.get("2110.05086").abstract_only
    bare = Paper(arxiv_id="2104.06653", version="v1", title="Bird's-Eye View Perception",
                 authors=["A. Author", "B. Author"], published="2021-04-14", categories=["cs.CV"])
    titled = ingest_paper(bare, downloader=downloader, library=library, store=library.papers,
                          settings=mirror_settings)
    assert titled.status == "title_only" and library.get("2104.06653").abstract_only
    [hit] = library.search("bird's-eye view perception", k=1, arxiv_ids=["2104.06653"])
    assert hit.section == TITLE_ONLY and "By A. Author and B. Author (2021)" in hit.text
    unknown = ingest_paper(Paper(arxiv_id="2401.99999", title=""), downloader=downloader, library=library,
                           store=library.papers, settings=mirror_settings)
    assert unknown.status == "failed" and library.get("2401.99999") is None


def test_local_pdfs_keyed_by_stamp_or_content(mirror_settings: Settings, embedder, sample_pdfs,
                                              tmp_path: Path) -> None:
    library = services.library(mirror_settings, embedder)
    client = services.arxiv_client(mirror_settings)
    common = dict(library=library, store=library.papers, settings=mirror_settings, arxiv_client=client)
    stamped = paper(tmp_path / "mine.pdf", stamp="arXiv:2501.09733v1  [cs.CV]  3 Jan 2025")
    result = ingest_local_pdf(stamped, **common)
    assert result.status == "ingested" and result.arxiv_id == "2501.09733"
    assert result.title.startswith("ComplexVAD")  # metadata from the (mirrored) arXiv record
    anonymous = ingest_local_pdf(paper(tmp_path / "notes.pdf", stamp=""), **common)
    assert anonymous.arxiv_id.startswith("local-") and anonymous.title == "Sparse Attention for Long Documents"
    assert library.get(anonymous.arxiv_id).parsed.figures
    locked = ingest_local_pdf(sample_pdfs["encrypted"], **common)
    assert locked.status == "failed" and "encrypted" in locked.error
    opened = ingest_local_pdf(sample_pdfs["encrypted"], password="1234", **common)
    assert opened.status == "ingested" and opened.arxiv_id == "2401.00001"


def test_resolving_a_messy_list(mirror: MirrorServer, mirror_settings: Settings, embedder,
                                sample_pdfs) -> None:
    client = services.arxiv_client(mirror_settings)
    lines = [
        "# ids, urls, files and titles",
        "arXiv:2004.00222v3",
        "https://arxiv.org/abs/2501.09733",
        "https://arxiv.org/pdf/2311.07042v3.pdf",
        str(sample_pdfs["paper"]),
        "[12] Open-Vocabulary Video Anomaly Detection. P. Wu, X. Zhou, G. Pang. CVPR 2024.",
        "Deep video anomaly detection: opportunities and challenges",
        "Video anomaly detection for smart cooking robots",
        "Braised lentils with cumin and garlic",
        "missing-file.pdf",
        "",
    ]
    found = resolve_items(lines, client, embedder)
    assert [(r.kind, r.status) for r in found] == [
        ("arxiv", "ok"), ("arxiv", "ok"), ("arxiv", "ok"), ("pdf", "ok"), ("title", "ok"), ("title", "ok"),
        ("title", "weak"), ("title", "none"), ("invalid", "error")]
    assert [r.arxiv_id for r in found[:3]] == ["2004.00222", "2501.09733", "2311.07042"]
    assert (found[0].version, found[1].version, found[2].version) == ("v3", "", "v3")
    assert found[4].arxiv_id == "2311.07042" and found[4].score >= 0.85
    assert found[5].arxiv_id == "2110.05086" and found[5].paper is not None
    weak = found[6]
    assert 0.6 <= weak.score < 0.85 and weak.paper is None and "weak match" in weak.note
