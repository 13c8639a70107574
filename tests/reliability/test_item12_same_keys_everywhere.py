"""Item 12: every command that takes a paper accepts the same keys, `local-…` library keys included."""

from __future__ import annotations

import json
from pathlib import Path

from evals.sample_pdfs import paper


def test_item12_a_local_key_works_in_every_command(tmp_path: Path, small_mirror, shared_embedder, cli) -> None:
    done = cli("ingest", str(paper(tmp_path / "mine.pdf", stamp="")), "--json")
    assert done.code == 0, done.err
    key = json.loads(done.out)["results"][0]["arxiv_id"]
    assert key.startswith("local-")
    for args in (["library", "show", key, "--json"], ["figures", key, "--json"], ["summarize", key, "--json"],
                 ["ask", "what does sparse attention cost", "--paper", key, "--json"]):
        outcome = cli(*args)
        assert outcome.code == 0, (args, outcome.err)
    summary = json.loads(cli("summarize", key, "--json").out)
    assert summary["title"] == "Sparse Attention for Long Documents"
