"""`autoresearch search` end to end: a real process against the mirror."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evals.mirror import Fault, MirrorServer

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=180)


def test_search_json_against_the_mirror(mirror: MirrorServer) -> None:
    env = {"AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0"}
    done = run_cli("search", "video anomaly detection", "--since", "2023-01-01", "--category", "cs.CV",
                   "--max", "10", "--json", env=env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert "video" in document["query"] and "cat:cs.CV" in document["query"]
    assert "submittedDate:[202301010000" in document["query"]
    results = document["results"]
    assert len(results) == 10
    for paper in results:
        assert set(paper) >= {"arxiv_id", "version", "title", "authors", "published", "categories",
                              "abstract", "pdf_url"}
        assert paper["published"] >= "2023-01-01"
    top = " ".join(r["title"] + r["abstract"] for r in results[:5]).lower()
    assert top.count("anomal") >= 5


def test_search_table_and_failure_exit_code(mirror: MirrorServer) -> None:
    env = {"AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0",
           "AUTORESEARCH_ARXIV__BACKOFF_BASE_S": "0.01", "AUTORESEARCH_ARXIV__MAX_TRIES": "2"}
    done = run_cli("search", "ti:talking", "--max", "3", env=env)
    assert done.returncode == 0, done.stderr
    assert "Talking" in done.stdout and "first author" in done.stdout
    mirror.always = Fault(503)
    failed = run_cli("search", "ti:video", "--refresh", "--json", env=env)
    assert failed.returncode == 1
    assert failed.stdout == ""
    lines = failed.stderr.strip().splitlines()
    reasons = [line for line in lines if line.startswith("autoresearch:")]
    assert reasons == lines[-1:]  # retry warnings may come first; the reason is one final line
    assert "arXiv is unavailable: 503 on 2 tries" in reasons[0]


def test_search_explain_says_why_each_paper_is_there(mirror: MirrorServer) -> None:
    env = {"AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0"}
    done = run_cli("search", "talking head generation", "--strategy", "coverage", "--budget", "4",
                   "--max", "8", "--explain", "--json", env=env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["strategy"] == "coverage" and document["requests"] <= 4 == document["budget"]
    assert len(mirror.api_hits()) == document["requests"]
    assert document["rounds"][0]["kind"] == "topic" and document["stopped"]
    assert [q["round"] for q in document["queries"]][0] == 0
    for paper in document["results"]:
        assert paper["reasons"][0].startswith("found by query '")
        assert paper["reasons"][-1].startswith("relevance ")
    table = run_cli("search", "video anomaly detection", "--max", "3", "--explain",
                    env={**env, "COLUMNS": "400"})
    assert table.returncode == 0, table.stderr
    assert "why" in table.stdout and "found by query" in table.stdout and "rank 1" in table.stdout
    raw = run_cli("search", "ti:video AND ti:anomaly", "--strategy", "expand", env=env)
    assert raw.returncode == 2 and "plain words" in raw.stderr
