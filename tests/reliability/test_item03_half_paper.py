"""Item 3: a paper killed (kill -9) while its chunks are being embedded and stored is invisible to
`ask`, `library stats` and `library show`, and the next open cleans the leftovers up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from evals.mirror import Corpus, MirrorServer, PdfFolder
from evals.sample_pdfs import paper

REPO = Path(__file__).resolve().parents[2]
PAPER_ID = "2401.00001"
QUESTION = "how does sparse attention read long documents"
RECORD = {"arxiv_id": PAPER_ID, "version": "v2", "title": "Sparse Attention for Long Documents",
          "authors": ["Ada Lovelace"], "published": "2024-01-01",
          "abstract": "Sparse attention lets a transformer read long documents cheaply."}


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The mirror serving the record and its PDF; small chunks, so the paper has several batches."""
    pdf = paper(tmp_path / "sparse.pdf")
    with MirrorServer(Corpus.from_records([RECORD]), PdfFolder(tmp_path, {PAPER_ID: pdf.name})) as mirror:
        for key, value in {"ARXIV__API_URL": mirror.api_url, "ARXIV__PDF_URL": mirror.pdf_url,
                           "ARXIV__MIN_INTERVAL_S": "0", "MEMORY__CHUNK_CHARS": "300",
                           "MEMORY__CHUNK_OVERLAP": "50"}.items():
            monkeypatch.setenv(f"AUTORESEARCH_{key}", value)
        yield mirror


def kill_ingest_at_the_embedding_step() -> None:
    """Run `ingest` in its own process with the `memory.halt_at` hook; kill -9 it once it says it halted."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "AUTORESEARCH_MEMORY__HALT_AT": "embed:1"}
    worker = subprocess.Popen([sys.executable, "-m", "agent", "ingest", PAPER_ID], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in worker.stderr:  # blocks until the line comes (or the process ends)
            seen.append(line)
            if "halted by memory.halt_at" in line:
                os.kill(worker.pid, signal.SIGKILL)
                break
        else:
            pytest.fail("ingest ended without reaching the hook:\n" + "".join(seen))
    finally:
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL


def cited(outcome) -> set[str]:
    return {p["arxiv_id"] for p in json.loads(outcome.out)["passages"]}


def test_item03_kill_9_while_embedding_leaves_nothing_ask_can_cite(served, shared_embedder, cli) -> None:
    kill_ingest_at_the_embedding_step()

    answer = cli("ask", QUESTION, "--no-llm", "--json")
    assert answer.code == 0, answer.err
    assert PAPER_ID not in cited(answer), "ask cites a paper that was never completely stored"
    stats = json.loads(cli("library", "stats", "--json").out)
    assert (stats["papers"], stats["chunks"], stats["figures"]) == (0, 0, 0)
    assert cli("library", "show", PAPER_ID).code == 1

    done = cli("ingest", PAPER_ID, "--json")  # the next ingest stores it completely
    assert done.code == 0, done.err
    stored = json.loads(done.out)["results"][0]["chunks"]
    stats = json.loads(cli("library", "stats", "--json").out)
    assert (stats["papers"], stats["chunks"]) == (1, stored)
    assert PAPER_ID in cited(cli("ask", QUESTION, "--no-llm", "--json"))
