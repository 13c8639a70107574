"""Server mode: ingest and ask through a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from paperfactory import make_paper

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import load_settings
from memory.store import StoreUnavailable

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=180)


def test_ingest_and_ask_through_a_chroma_server(chroma_server: str, embedder, tmp_path: Path) -> None:
    settings = load_settings(memory={"chroma_url": chroma_server})
    library = services.library(settings, embedder)
    assert library.write_lock is None  # the server serialises writers itself
    for number, topic in ((1, 0), (2, 1), (3, 2)):
        library.add(*make_paper(f"2402.0000{number}", "v1", topic))
    stats = library.stats()
    assert stats["papers"] == 3 and stats["figures"] == 6 and stats["chunks"] >= 3 * 4
    answer = answer_question(library, "what is evaluated on VoxCeleb2 for talking heads?", k=4)
    assert answer.passages and {p.arxiv_id for p in answer.passages[:2]} == {"2402.00002"}
    assert "[2402.00002, §" in answer.answer
    assert not (settings.data_dir / "chroma").exists()  # nothing went to an embedded store

    # Another machine (a fresh data dir) sees the same library through the shortcut variable.
    env = {"AUTORESEARCH_CHROMA_URL": chroma_server, "AUTORESEARCH_HOME": str(tmp_path / "other-home")}
    listed = cli("library", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [(p["arxiv_id"], p["version"]) for p in json.loads(listed.stdout)] == [
        ("2402.00001", "v1"), ("2402.00002", "v1"), ("2402.00003", "v1")]
    asked = cli("ask", "which dataset is used for table structure recognition?", "--k", "3", "--json", env=env)
    assert asked.returncode == 0, asked.stderr
    document = json.loads(asked.stdout)
    assert document["passages"][0]["arxiv_id"] == "2402.00003"
    assert cli("library", "remove", "2402.00003", env=env).returncode == 0
    assert library.stats()["papers"] == 2 and not library.store.ids("chunks", {"arxiv_id": "2402.00003"})


def test_an_unreachable_server_is_one_clear_line(embedder) -> None:
    with pytest.raises(StoreUnavailable, match="cannot reach the Chroma server at http://127.0.0.1:9"):
        services.library(load_settings(memory={"chroma_url": "http://127.0.0.1:9"}), embedder)
    done = cli("library", "stats", "--json", env={"AUTORESEARCH_CHROMA_URL": "http://127.0.0.1:9"})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("autoresearch: cannot reach the Chroma server")
