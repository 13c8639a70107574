"""The command line with OpenAlex on (a local server): `search --explain` says how often each
paper is cited, and `ingest --from-bib` matches a real BibTeX file's entries before reading them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import arxiv_works, make_work

REPO = Path(__file__).resolve().parents[3]
BIB = REPO / "evals" / "datasets" / "collections" / "d2l_first50.bib"


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=180)


def env_for(mirror: MirrorServer, openalex: OpenAlexServer) -> dict[str, str]:
    return {"AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url,
            "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0", "AUTORESEARCH_OPENALEX__ENABLED": "true",
            "AUTORESEARCH_OPENALEX__API_URL": openalex.api_url, "AUTORESEARCH_OPENALEX__MIN_INTERVAL_S": "0"}


def test_search_explain_shows_citation_counts(mirror: MirrorServer) -> None:
    records = [{**json.loads(line), "cited_by_count": 1234} for line in SEED_CORPUS.read_text().splitlines() if line]
    with OpenAlexServer(arxiv_works(records)) as openalex:
        done = run_cli("search", "video anomaly detection", "--max", "5", "--explain", "--json",
                       env=env_for(mirror, openalex))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["results"]
    assert all("cited by 1,234 (OpenAlex)" in r["reasons"] and r["cited_by_count"] == 1234 for r in results)
    assert len(openalex.hits) == 1  # one request for all five papers


def test_ingest_from_bib_matches_then_reads(tmp_path: Path) -> None:
    blocks = re.split(r"\n(?=@)", BIB.read_text())
    bib = tmp_path / "refs.bib"
    bib.write_text("\n".join(b for b in blocks if "Ba.Kiros.Hinton.2016" in b or "Bishop.2006" in b))
    layer_norm = {"arxiv_id": "1607.06450", "version": "v1", "title": "Layer Normalization",
                  "authors": ["Jimmy Lei Ba"], "published": "2016-07-21",
                  "abstract": "Layer normalization normalizes the inputs across the features of a layer."}
    works = [make_work(seed="ln", title="Layer Normalization", authors=["Jimmy Lei Ba"], year=2016,
                       doi="10.48550/arxiv.1607.06450", arxiv_id="1607.06450"),
             make_work(seed="prml", title="Pattern Recognition and Machine Learning",
                       authors=["Christopher M. Bishop"], year=2006, kind="book")]
    with MirrorServer(Corpus.from_records([layer_norm])) as mirror, OpenAlexServer(works) as openalex:
        done = run_cli("ingest", "--from-bib", str(bib), "--json", env=env_for(mirror, openalex))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["matched"] == 2
    by_key = {m["key"]: m for m in document["matches"]}
    assert by_key["Ba.Kiros.Hinton.2016"]["paper"] == "1607.06450"
    assert by_key["Bishop.2006"]["paper"].startswith("W9") and by_key["Bishop.2006"]["score"] >= 0.9
    statuses = {r["item"]: r["status"] for r in document["results"]}
    assert statuses == {"Ba.Kiros.Hinton.2016": "abstract_only", "Bishop.2006": "abstract_only"}
    missing = run_cli("ingest", "--from-bib", str(tmp_path / "nope.bib"), env={})
    assert missing.returncode == 2 and "no such file" in missing.stderr
