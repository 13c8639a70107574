"""`autoresearch library …` and `autoresearch ask` as real processes over a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agent import services
from agent.settings import load_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "memory"))
from paperfactory import make_paper  # noqa: E402

REPO = Path(__file__).resolve().parents[3]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=180)


def test_library_commands_and_ask_json(embedder) -> None:
    library = services.library(load_settings(), embedder)
    library.add(*make_paper("2405.00001", "v2", 0))
    library.add(*make_paper("2405.00002", "v1", 3))

    listed = cli("library", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    papers = json.loads(listed.stdout)
    assert [(p["arxiv_id"], p["version"], p["title"]) for p in papers] == [
        ("2405.00001", "v2", "A study of video anomaly detection"), ("2405.00002", "v1", "A study of crowd counting")]

    stats = json.loads(cli("library", "stats", "--json").stdout)
    assert {k: stats[k] for k in ("papers", "chunks", "figures")} == library.stats()
    assert stats["embedding_model"] == "all-MiniLM-L6-v2"

    shown = cli("library", "show", "https://arxiv.org/abs/2405.00002v1", "--json")
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert record["arxiv_id"] == "2405.00002" and [s["path"] for s in record["sections"]][:2] == ["1 Part 1", "2 Part 2"]
    assert [f["number"] for f in record["figures_list"]] == ["1", "2"]

    asked = cli("ask", "which dataset is used for crowd counting?", "--k", "3", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert set(answer) >= {"question", "answer", "passages"} and len(answer["passages"]) == 3
    top = answer["passages"][0]
    assert set(top) >= {"arxiv_id", "section", "page", "text", "score"}
    assert top["arxiv_id"] == "2405.00002" and "ShanghaiTech" in top["text"]
    assert f"[2405.00002, §{top['section']}, p.{top['page']}]" in answer["answer"]

    only = json.loads(cli("ask", "which dataset?", "--paper", "2405.00001v2", "--json").stdout)
    assert {p["arxiv_id"] for p in only["passages"]} == {"2405.00001"}

    removed = cli("library", "remove", "2405.00001", "--json")
    assert removed.returncode == 0 and json.loads(removed.stdout) == {"removed": "2405.00001"}
    assert library.stats()["papers"] == 1


def test_tables_and_failures(capsys) -> None:
    """In-process (`agent.cli.app.main`) to keep the suite quick; the JSON paths above run as processes."""
    from agent.cli.app import main

    services.library(load_settings()).add(*make_paper("2405.00003", "v1", 2))
    assert main(["library", "list"]) == 0
    table = capsys.readouterr().out
    assert "2405.00003v1" in table and "A study of table" in table
    assert main(["ask", "how are tables recognised?", "--k", "2"]) == 0
    assert "[2405.00003, §" in capsys.readouterr().out
    for args, code, reason in ((["library", "show", "2405.09999"], 1, "2405.09999 is not in the library"),
                               (["library", "remove", "2405.09999", "--json"], 1, "2405.09999 is not in the library"),
                               (["ask", "anything?", "--paper", "2405.09999"], 1, "2405.09999 is not in the library"),
                               (["library", "show", "not-an-id"], 2, "not an arXiv id")):
        assert main(args) == code, args
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(f"autoresearch: {reason}") and err.count("\n") == 1, err


def test_ask_with_a_configured_chat_model_fake_openai_server(fake_openai) -> None:
    services.library(load_settings()).add(*make_paper("2405.00004", "v1", 1))
    fake_openai.script("Lip sync is evaluated on VoxCeleb2 [@S1], see also [@2999.00001].")
    env = {"AUTORESEARCH_LLM__CHAT": "openai:gpt-4o-mini", "AUTORESEARCH_LLM__BASE_URL": fake_openai.base_url,
           "AUTORESEARCH_LLM__OPENAI_API_KEY": "sk-test"}
    done = subprocess.run([sys.executable, "-m", "agent", "ask", "what is evaluated on VoxCeleb2?", "--k", "2",
                           "--json"], cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    first = answer["passages"][0]
    assert answer["mode"] == "llm"
    assert answer["answer"].startswith(
        f"Lip sync is evaluated on VoxCeleb2 [2405.00004, §{first['section']}, p.{first['page']}]")
    assert "2999.00001" not in answer["answer"] and answer["removed_citations"] == ["@2999.00001"]
    extractive = subprocess.run([sys.executable, "-m", "agent", "ask", "what is evaluated?", "--no-llm", "--json"],
                                cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=180)
    assert json.loads(extractive.stdout)["mode"] == "extractive"
