"""Real processes against one embedded store: kill -9 mid-ingest, and two writers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from paperfactory import make_paper

from agent import services
from agent.settings import load_settings
from memory.chroma import ChromaStore
from memory.library import Library
from memory.pending import pending_count

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("ingest_worker.py")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short chunks: a test paper makes ~20 of them, so a kill lands mid-paper."""
    monkeypatch.setenv("AUTORESEARCH_MEMORY__CHUNK_CHARS", "400")
    monkeypatch.setenv("AUTORESEARCH_MEMORY__CHUNK_OVERLAP", "80")
    monkeypatch.setenv("PYTHONPATH", str(REPO))


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_file(path: Path, process: subprocess.Popen[str], deadline_s: float = 120.0) -> None:
    """Poll until the worker signals, failing fast if it died instead."""
    end = time.monotonic() + deadline_s
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"worker exited {process.returncode} early: {process.stderr.read()}")
        assert time.monotonic() < end, f"no {path.name} within {deadline_s} s"
        time.sleep(0.01)


def snapshot(library: Library) -> dict:
    """Counts, ids, and how many chunks a nearest-neighbour query can actually reach."""
    stats = library.stats()
    reachable = library.store.query("chunks", np.ones(384, dtype=np.float32) / np.sqrt(384), stats["chunks"] + 5)
    return {**stats, "chunk_ids": sorted(library.store.ids("chunks")),
            "figure_ids": sorted(library.store.ids("figures")), "reachable": len(reachable),
            "papers_listed": [(p.paper.arxiv_id, p.paper.version, p.chunks) for p in library.list()]}


def clean_snapshot(tmp_path: Path, embedder, papers: list[tuple[str, str, int]]) -> dict:
    """What a clean ingest of `papers` (in order) stores, in a data dir of its own."""
    library = services.library(load_settings(home=tmp_path / "clean"), embedder)
    for arxiv_id, version, topic in papers:
        library.add(*make_paper(arxiv_id, version, topic, sections=6))
    return snapshot(library)


@pytest.mark.parametrize(("hold", "before"), [("embed:3", None), ("write:2", "v1")],
                         ids=["fresh-paper-killed-outside-lock", "new-version-killed-holding-lock"])
def test_kill_9_mid_ingest_then_ingest_again_equals_a_clean_ingest(
        tmp_path: Path, embedder, hold: str, before: str | None) -> None:
    if before:  # a complete older version is already stored
        services.library(load_settings(), embedder).add(*make_paper("2401.00007", before, 1, sections=6))
    worker = start("2401.00007", "v2", "1", "--hold", hold, "--signals", str(tmp_path))
    try:
        wait_for_file(tmp_path / "2401.00007.held", worker)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    raw = ChromaStore(embedder.name, path=load_settings().data_dir / "chroma")
    assert pending_count(raw, "chunks") > 0  # the kill really landed mid-paper: some chunks were written
    del raw
    library = services.library(load_settings(), embedder)  # opening cleans up what the kill left
    assert pending_count(library.store, "chunks") == 0
    listed = [(p.paper.arxiv_id, p.paper.version) for p in library.list()]
    assert listed == ([("2401.00007", before)] if before else [])  # no half-paper is listed
    assert library.stats()["chunks"] == (clean_snapshot(tmp_path / "v1", embedder, [("2401.00007", before, 1)])
                                         ["chunks"] if before else 0)
    library.add(*make_paper("2401.00007", "v2", 1, sections=6))  # a lock left by the kill would hang here
    assert snapshot(library) == clean_snapshot(tmp_path, embedder, [("2401.00007", "v2", 1)])


def test_two_processes_ingesting_at_once_both_complete_with_right_counts(tmp_path: Path, embedder) -> None:
    meet = tmp_path / "meet"
    meet.mkdir()
    papers = [("2401.00011", "v1", 2), ("2401.00012", "v1", 3)]
    for arxiv_id, _, _ in papers:
        (meet / f"{arxiv_id}.expect").touch()
    workers = [start(i, v, str(t), "--meet", str(meet)) for i, v, t in papers]
    outputs = [w.communicate(timeout=240) for w in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    assert all((meet / f"{i}.wrote").exists() for i, _, _ in papers)  # they did interleave
    got = snapshot(services.library(load_settings(), embedder))
    assert got == clean_snapshot(tmp_path, embedder, papers)
    assert got["reachable"] == got["chunks"] > 30
