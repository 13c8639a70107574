"""Load on one Postgres and one Chroma server (both real, on 127.0.0.1): four headless reviews at
once, each a process with its own data dir, and an ask loop beside them. Small on purpose
(abstract-only seed papers through the mirror); `python -m evals.load_shared` measures bigger."""

from __future__ import annotations

from pathlib import Path

from evals.load_shared import TOPICS, Deployment, run_load
from evals.mirror import MirrorServer
from tests.agent.conftest import EMBEDDING_CACHE


def test_four_runs_and_an_ask_loop_share_one_postgres_and_one_chroma(
        postgres_dsn: str, chroma_server: str, mirror: MirrorServer, seed_vectors, tmp_path: Path) -> None:
    deployment = Deployment(postgres_dsn=postgres_dsn, chroma_url=chroma_server, api_url=mirror.api_url,
                            pdf_url=mirror.pdf_url)
    cache = tmp_path / "warm" / Path(EMBEDDING_CACHE).name
    cache.parent.mkdir()
    cache.write_bytes(seed_vectors.path.read_bytes())
    report = run_load(deployment, tmp_path, runs=4, max_papers=3, baseline=False, warm_cache=cache, timeout_s=240)

    assert [(r.exit_code, r.finished, r.error) for r in report.runs] == [(0, True, "")] * 4
    assert [r.topic for r in report.runs] == list(TOPICS[:4])
    assert all(r.counts["papers"] == 3 == len(r.papers) for r in report.runs)
    assert report.runs[0].papers == report.runs[3].papers  # one topic twice: the same papers written at once
    consistency = report.consistency
    assert set(consistency.statuses.values()) == {"finished"} and len(consistency.statuses) == 4
    assert consistency.papers_stored == consistency.papers_expected == len({p for r in report.runs for p in r.papers})
    assert consistency.chunks_stored == consistency.chunks_by_entries > 0
    assert consistency.duplicate_chunks == 0 and consistency.ok
    assert report.ask.asks > 0 and report.ask.errors == 0 and report.runs_per_min > 0
