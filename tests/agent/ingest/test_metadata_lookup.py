"""Local PDFs never stall on arXiv: one batched look-up, one retry cycle when arXiv is down, the
papers stored from their PDFs and enriched by the next ingest (requests counted at the mirror)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agent import services
from agent.settings import Settings, load_settings
from evals.mirror import Fault, MirrorServer
from evals.sample_pdfs import paper

REPO = Path(__file__).resolve().parents[3]
IDS = ["2004.00222v3", "2501.09733v1", "2311.07042v3", "2110.05086v1"]
"""Seed-corpus papers: their PDFs are built here, their records served by the mirror."""


def ingest(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", "ingest", *map(str, paths), "--json"], cwd=REPO,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


def test_arxiv_down_costs_one_retry_cycle_and_the_next_ingest_enriches(
        mirror: MirrorServer, mirror_settings: Settings, tmp_path: Path) -> None:
    pdfs = [paper(tmp_path / f"local-{n}.pdf", stamp=f"arXiv:{vid}  [cs.CV]  1 Jan 2024")
            for n, vid in enumerate(IDS)]
    mirror.always = Fault(status=503, body=b"down", path_prefix="/api/")
    down = ingest(*pdfs[:3])
    assert down.returncode == 0, down.stderr
    assert len(mirror.api_hits()) == mirror_settings.arxiv.max_tries  # one cycle, not one per PDF
    assert len({h.params.get("id_list") for h in mirror.api_hits()}) == 1  # the three ids, batched
    assert "no arXiv metadata" in down.stderr
    assert json.loads(down.stdout)["ingested"] == 3
    library = services.library(load_settings())
    stored = {r.paper.arxiv_id: r.paper for r in library.list(with_text=False)}
    assert set(stored) == {vid[:-2] for vid in IDS[:3]}
    assert all(p.title == "Sparse Attention for Long Documents" and not p.published for p in stored.values())

    mirror.always = None
    before = len(mirror.api_hits())
    up = ingest(pdfs[3])
    assert up.returncode == 0, up.stderr
    [request] = mirror.api_hits()[before:]  # the new PDF and the three waiting papers, in one request
    assert sorted(i[:10] for i in request.params["id_list"].split(",")) == sorted(v[:10] for v in IDS)
    seed = {json.loads(line)["arxiv_id"]: json.loads(line)
            for line in (REPO / "evals" / "datasets" / "seed_papers.jsonl").read_text().splitlines() if line}
    for record in services.library(load_settings()).list(with_text=False):
        assert record.paper.title == seed[record.paper.arxiv_id]["title"] and record.paper.published
