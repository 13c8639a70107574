"""`autoresearch review` and `autoresearch runs` as real processes: gates answered from another
process, kill -9 then resume, cancel across processes, task files, JSON lines, exit codes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from agent.review.approval import GatePolicies
from agent.review.context import ReviewServices
from agent.review.state import ReviewRequest
from agent.runs.events import ApprovalNeeded, Failed, Finished, Progress, parse_event
from agent.runs.session import ReviewSession
from agent.settings import load_settings
from evals.mirror import Fault, MirrorServer
from tests.agent.conftest import TOPIC, warm_home

REPO = Path(__file__).resolve().parents[3]
AUTO = GatePolicies(papers="auto", outline="auto", draft="auto")


@pytest.fixture
def home(isolated_env: Path, mirror: MirrorServer, seed_vectors, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data dir the subprocesses share, pointed at the mirror, its embedding cache warmed."""
    monkeypatch.setenv("AUTORESEARCH_ARXIV__API_URL", mirror.api_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__PDF_URL", mirror.pdf_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "0")
    warm_home(isolated_env, seed_vectors)
    return isolated_env


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=240)


def events_of(stdout: str) -> list:
    return [parse_event(line) for line in stdout.splitlines() if line.strip()]


def start_halted(*args: str, halt_at: str) -> tuple[subprocess.Popen[str], list]:
    """Start a review that blocks at `halt_at`; read its events until it says it halted."""
    env = {**os.environ, "AUTORESEARCH_REVIEW__HALT_AT": halt_at, "AUTORESEARCH_REVIEW__CONCURRENCY": "1"}
    process = subprocess.Popen([sys.executable, "-m", "agent", "review", TOPIC, *args, "--json"], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(parse_event(line))
        if getattr(seen[-1], "message", "") == "halted by review.halt_at":
            return process, seen
    raise AssertionError(f"the run ended without halting: {process.wait()} {process.stderr.read()}")  # type: ignore[union-attr]


def test_pause_at_each_gate_and_approve_from_other_processes(home: Path, tmp_path: Path) -> None:
    started = cli("review", TOPIC, "--approve", "ask", "--max-papers", "4", "--json")
    assert started.returncode == 3, started.stderr
    paused = events_of(started.stdout)[-1]
    assert isinstance(paused, ApprovalNeeded) and paused.gate == "papers"
    run = paused.run_id
    assert f"run {run} paused at the papers gate" in started.stderr
    candidates = paused.request["candidates"]
    assert all(c["relevance"] is not None and c["reason"].startswith("relevance") for c in candidates)
    printed = cli("runs", "show", run).stdout  # the paused gate as a person reads it
    assert "relevance" in printed and candidates[0]["paper"]["arxiv_id"] in printed
    listed = json.loads(cli("runs", "list", "--json").stdout)["runs"]
    assert [(r["run_id"], r["status"], r["gate"], r["live"]) for r in listed] == [(run, "paused", "papers", False)]

    dropped = paused.request["candidates"][0]["paper"]["arxiv_id"]
    papers = cli("runs", "approve", run[:11], "--drop", dropped)  # a unique prefix of the id works
    assert papers.returncode == 3, papers.stderr
    assert f"Run {run} waits for approval of the outline" in papers.stdout
    shown = json.loads(cli("runs", "show", run, "--json").stdout)
    assert shown["status"] == "paused" and shown["pending"]["gate"] == "outline"
    edited = tmp_path / "outline.md"
    edited.write_text(papers.stdout.split("outline:", 1)[1].split("Answer with:")[0]
                      .replace("## ", "## Renamed: ", 1))
    outline = cli("runs", "approve", run, "--outline", str(edited), "--json")
    assert outline.returncode == 3, outline.stderr
    assert events_of(outline.stdout)[-1].gate == "draft"
    wrong = cli("runs", "approve", run, "--keep", dropped)
    assert wrong.returncode == 2 and "draft gate takes approve" in wrong.stderr  # a bad answer: bad usage

    done = cli("runs", "approve", run)
    assert done.returncode == 0, done.stderr
    out = Path(json.loads(cli("runs", "show", run, "--json").stdout)["out_dir"])
    assert f"Review written: {out}/review.md" in done.stdout.replace("\n", "")
    assert "## Renamed: " in (out / "review.md").read_text()
    report = json.loads((out / "run.json").read_text())
    assert dropped not in [p["arxiv_id"] for p in report["papers"]] and len(report["papers"]) == 3
    assert [(d["gate"], d["action"], d["by"]) for d in report["decisions"]] == [
        ("papers", "edit", "cli"), ("outline", "edit", "cli"), ("draft", "approve", "cli")]


def test_kill_9_during_ingest_then_resume_duplicates_nothing(home: Path, tmp_path: Path, seed_vectors) -> None:
    process, seen = start_halted("--approve", "auto", "--max-papers", "5", halt_at="ingest:2")
    assert [e.done for e in seen if isinstance(e, Progress) and e.stage == "ingest"] == [0, 1, 2]
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    run = seen[0].run_id
    [info] = json.loads(cli("runs", "list", "--json").stdout)["runs"]
    assert (info["run_id"], info["status"], info["live"]) == (run, "running", False)
    assert len(list((home / "papers").glob("*/record.json"))) == 2

    resumed = cli("runs", "resume", run, "--json")
    assert resumed.returncode == 0, resumed.stderr
    events = events_of(resumed.stdout)
    assert [e.stage for e in events if e.type == "stage_started"][0] == "ingest"  # not search again
    done = events[-1]
    assert isinstance(done, Finished) and (done.counts["stored"], done.counts["abstract_only"]) == (2, 3)

    settings = load_settings(home=tmp_path / "uninterrupted")
    with ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors)) as session:
        baseline = list(session.start(ReviewRequest(topic=TOPIC, max_papers=5, gates=AUTO)))[-1]
        assert isinstance(baseline, Finished) and baseline.counts["papers"] == 5
        expected = (session.services.library.stats(), sorted(session.services.library.store.ids("chunks")))
    killed = load_settings()  # the killed-and-resumed run's data dir
    with ReviewSession(killed, services=ReviewServices(killed, embedder=seed_vectors)) as session:
        library = session.services.library
        assert (library.stats(), sorted(library.store.ids("chunks"))) == expected


def test_cancel_a_live_run_from_another_process(home: Path) -> None:
    process, seen = start_halted("--approve", "auto", "--max-papers", "3", halt_at="ingest:1")
    run = seen[0].run_id
    cancelled = cli("runs", "cancel", run, "--json")
    assert cancelled.returncode == 0, cancelled.stderr
    info = json.loads(cancelled.stdout)
    assert (info["status"], info["live"], info["cancel_requested"]) == ("running", True, True)
    assert process.wait(timeout=60) == 1
    assert process.stdout is not None
    last = events_of(process.stdout.read())[-1]
    assert isinstance(last, Failed) and last.cancelled and last.run_id == run
    assert json.loads(cli("runs", "show", run, "--json").stdout)["status"] == "cancelled"
    again = cli("runs", "resume", run)
    assert again.returncode == 1 and f"run {run} is cancelled" in again.stderr


def test_a_task_file_runs_headless_with_json_lines(home: Path, tmp_path: Path) -> None:
    task = tmp_path / "reviews" / "vad.toml"
    task.parent.mkdir()
    task.write_text(f'topic = "{TOPIC}"\nmax_papers = 5\ncategories = ["cs.CV"]\nsince = 2020-01-01\n'
                    'approve = "auto"\nout = "vad"\nformat = "md"\n')
    done = cli("review", "--task", str(task), "--max-papers", "3", "--json")
    assert done.returncode == 0, done.stderr
    events = events_of(done.stdout)  # every stdout line is one event
    assert events[0].type == "stage_started" and events[0].stage == "plan"
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.out_dir == str(tmp_path / "reviews" / "vad")
    report = json.loads((tmp_path / "reviews" / "vad" / "run.json").read_text())
    assert report["request"]["max_papers"] == 3 and report["request"]["categories"] == ["cs.CV"]
    assert len(report["papers"]) == 3 and (tmp_path / "reviews" / "vad" / "review.md").is_file()

    bad = tmp_path / "bad.toml"
    bad.write_text('topic = "x"\napprove = "sometimes"\n')
    refused = cli("review", "--task", str(bad))
    assert refused.returncode == 1 and "approve: Input should be 'ask' or 'auto'" in refused.stderr


def test_a_failed_search_exits_1_with_one_line(home: Path, mirror: MirrorServer) -> None:
    mirror.always = Fault(503)
    failed = cli("review", "quantum error correction", "--approve", "auto", "--json",
                 AUTORESEARCH_ARXIV__MAX_TRIES="1")
    assert failed.returncode == 1
    assert isinstance(events_of(failed.stdout)[-1], Failed)
    assert failed.stderr.strip().splitlines()[-1].startswith("autoresearch: arXiv is unavailable")
    [info] = json.loads(cli("runs", "list", "--json").stdout)["runs"]
    assert info["status"] == "failed" and "arXiv is unavailable" in info["error"]


def test_listing_runs_stays_light() -> None:
    """`runs list` and `runs cancel` (and a front end's run list) never load LangGraph or models."""
    code = ("import sys; from agent.settings import load_settings; from agent.runs.session import ReviewSession; "
            "ReviewSession(load_settings()).runs(); "
            "print(sorted(m for m in ('torch', 'chromadb', 'langgraph', 'sentence_transformers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
