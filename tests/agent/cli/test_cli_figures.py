"""`autoresearch figures` and `autoresearch models pull`, end to end in real processes."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from agent import services
from agent.settings import load_settings
from evals.figure_fixtures import EXPECTED_KINDS, build_figure_pdf
from tools.document import Figure, ParsedPaper
from tools.paper import Paper

REPO = Path(__file__).resolve().parents[3]
PAPER = Paper(arxiv_id="2401.00002", version="v1", title="Segmenting cells with a tiny network",
              abstract="We segment cells in microscopy images with an encoder-decoder.")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def stored_paper(tmp_path: Path, embedder) -> Path:
    """A paper stored as ingest stores it: source = its URL, the PDF in the download cache by hash."""
    settings = load_settings()
    figures = build_figure_pdf(tmp_path / "pdf")
    data = Path(figures[0].pdf_path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    settings.path("cache", "pdf", f"{sha}.pdf").write_bytes(data)
    Path(figures[0].pdf_path).unlink()  # the reader must find the cached copy
    parsed = ParsedPaper(source="https://arxiv.org/pdf/2401.00002v1", sha256=sha, arxiv_id=PAPER.arxiv_id,
                         figures=[Figure(number=f.number, caption=f.caption, page=f.page, bbox=f.bbox,
                                         image_path=f.image_path, text_inside=f.text_inside) for f in figures])
    services.library(settings, embedder).add(PAPER, parsed)
    return settings.data_dir / "cache" / "pdf" / f"{sha}.pdf"


def test_figures_json_describes_stores_lists_and_is_searchable(stored_paper: Path, embedder) -> None:
    done = run_cli("figures", "2401.00002v1", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert isinstance(listed, list) and len(listed) == 4
    for figure in listed:
        assert set(figure) >= {"number", "caption", "kind", "description", "image_path", "page"}
        assert Path(figure["image_path"]).is_file() and figure["description"]
    assert {f["number"]: f["kind"] for f in listed} == EXPECTED_KINDS
    library = services.library(load_settings(), embedder)
    stored = library.get("2401.00002").parsed.figures
    assert [f.kind for f in stored] == [f["kind"] for f in listed]
    assert "Ours rises from 0.20 to 0.90" in stored[0].description
    [hit] = library.search_figures("which figure plots accuracy against training steps?", k=1)
    assert hit.number == "1" and hit.kind == "plot"
    del library
    table = run_cli("figures", "2401.00002")  # nothing left to describe: lists what is stored
    assert table.returncode == 0, table.stderr
    assert "4 figures" in table.stdout and "diagram" in table.stdout and "Training steps" in table.stdout


def test_ingested_pdf_figures_end_to_end(tmp_path: Path) -> None:
    """`ingest` parses a PDF with the project's parser; `figures` then reads what it stored."""
    pdf = Path(build_figure_pdf(tmp_path / "pdf")[0].pdf_path)
    ingested = run_cli("ingest", str(pdf), "--json")
    assert ingested.returncode == 0, ingested.stderr
    [result] = json.loads(ingested.stdout)["results"]
    assert result["figures"] == 4, result
    done = run_cli("figures", result["arxiv_id"], "--reader", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert {f["number"]: f["kind"] for f in listed} == EXPECTED_KINDS
    assert all(Path(f["image_path"]).is_file() for f in listed)
    assert "Legend: ours; baseline" in listed[0]["description"]


def test_figures_failures_are_one_line_with_a_reason(stored_paper: Path) -> None:
    missing = run_cli("figures", "2401.99999", "--json")
    assert missing.returncode == 1 and "not in the library" in missing.stderr and missing.stdout == ""
    gpu = run_cli("figures", "2401.00002", "--reader", "gpu")
    assert gpu.returncode == 1
    assert "figures.model" in gpu.stderr and "models pull" in gpu.stderr
    assert len(gpu.stderr.strip().splitlines()) == 1
    assert run_cli("figures", "not-an-id").returncode == 2  # not an id at all: bad usage (issue 20 item 11)
    assert run_cli("figures", "2401.00002", "--reader", "tpu").returncode == 2


@pytest.mark.slow
def test_gpu_reader_through_the_cli_with_the_tiny_model(stored_paper: Path, tmp_path: Path) -> None:
    from evals.tiny_vlm import build_tiny_vlm

    model = build_tiny_vlm(tmp_path / "tiny-smolvlm")
    done = run_cli("figures", "2401.00002", "--reader", "gpu", "--json",
                   env={"AUTORESEARCH_FIGURES__MODEL": str(model), "AUTORESEARCH_FIGURES__MAX_NEW_TOKENS": "4"})
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [f["number"] for f in listed] == ["1", "2", "3", "4"]
    assert all(f["kind"] in ("plot", "diagram", "table-image", "photo", "other") for f in listed)


def test_models_pull_fails_clearly_offline() -> None:
    done = run_cli("models", "pull", "HuggingFaceTB/SmolVLM-256M-Instruct", env={"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 1 and "HF_HUB_OFFLINE" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_models_pull_fails_clearly_when_the_hub_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a local port with nothing listening: refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_cli("models", "pull", "HuggingFaceTB/SmolVLM-256M-Instruct", "--dir", str(tmp_path / "m"),
                   env={"HF_HUB_OFFLINE": "0", "AUTORESEARCH_FIGURES__HUB_ENDPOINT": f"http://127.0.0.1:{port}"})
    assert done.returncode == 1, done.stdout
    assert "cannot pull HuggingFaceTB/SmolVLM-256M-Instruct" in done.stderr
    assert not any((tmp_path / "m").glob("*.safetensors"))
