"""Load on a shared deployment: concurrent headless reviews and an ask loop on one Postgres and
one Chroma server.

Each review is a real `autoresearch review --approve auto --json` process with its own data dir
(a machine of its own); they share only the Postgres checkpointer and run registry, the Chroma
server and the arXiv mirror. One more process asks questions in a loop while they run. Reports
runs/min, asks/s and ask latency, against a baseline measured in the same session (one run alone,
asks on an idle server), and checks that the shared state is consistent: every run finished, the
library holds exactly the union of the approved papers, chunk counts add up, no duplicate chunks.

    python -m evals.load_shared [--runs 4] [--max-papers 5] [--out report.json]

starts its own PostgreSQL (durable settings), `chroma run` and mirror on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import load_settings
from evals.local_chroma import ChromaServer
from evals.local_postgres import TempPostgres
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer

REPO = Path(__file__).resolve().parents[1]
TOPICS = ("video anomaly detection", "talking head generation", "vision language model",
          "video anomaly detection", "multimodal large language model", "video understanding")
"""Run i reviews TOPICS[i % 6]: runs 1 and 4 share a topic, so they write the same papers at once."""
QUESTIONS = ("Which methods detect anomalies in surveillance video?",
             "How are talking head videos generated from audio?",
             "Which benchmarks evaluate vision language models?",
             "How do multimodal models align images and text?")


class RunResult(BaseModel):
    """One headless review process."""

    topic: str
    exit_code: int
    seconds: float
    run_id: str = ""
    finished: bool = False
    counts: dict[str, int] = {}
    papers: list[str] = []
    """The approved papers' ids (from the run's run.json)."""
    error: str = ""


class AskStats(BaseModel):
    """The ask loop's throughput and latency."""

    asks: int
    errors: int
    error_messages: list[str] = []
    """The distinct failures (first line each, at most five)."""
    seconds: float
    with_passages: int
    asks_per_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float


class Consistency(BaseModel):
    """What the shared stores hold after the load."""

    statuses: dict[str, str]
    """run id → status in the shared registry."""
    papers_expected: int
    papers_stored: int
    chunks_stored: int
    chunks_by_entries: int
    """The sum of every paper entry's chunk count (equal to chunks_stored when nothing is duplicated)."""
    duplicate_chunks: int
    """Chunks of a paper under another version, or beyond its entry's count."""
    ok: bool


class LoadReport(BaseModel):
    """Everything `python -m evals.load_shared` measures."""

    runs: list[RunResult]
    wall_s: float
    runs_per_min: float
    ask: AskStats
    consistency: Consistency
    baseline_run_s: float | None = None
    """One run alone on the same servers, before the load."""
    baseline_ask: AskStats | None = None
    """The ask loop on the idle servers."""
    local_wall_s: float | None = None
    """The same runs at once, each with SQLite and embedded Chroma in its own data dir (no ask loop)."""
    shared_quiet_wall_s: float | None = None
    """The same runs at once on fresh shared servers, without the ask loop."""


def ask_loop(stop_file: Path, out: Path, max_asks: int = 0) -> None:
    """Ask QUESTIONS round-robin until `stop_file` exists (or `max_asks` are done); write AskStats."""
    library = services.library(load_settings())
    latencies, errors, with_passages = [], [], 0
    started = time.perf_counter()
    while not stop_file.exists() and not (max_asks and len(latencies) >= max_asks):
        tick = time.perf_counter()
        try:
            answer = answer_question(library, QUESTIONS[len(latencies) % len(QUESTIONS)], k=4)
            with_passages += bool(answer.passages)
        except Exception as error:  # noqa: BLE001 - counted: the load report says how many asks failed, and why
            errors.append(f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}")
        latencies.append(time.perf_counter() - tick)
    out.write_text(_ask_stats(latencies, errors, with_passages, time.perf_counter() - started).model_dump_json())


def _ask_stats(latencies: list[float], errors: list[str], with_passages: int, seconds: float) -> AskStats:
    ms = sorted(x * 1000 for x in latencies) or [0.0]
    return AskStats(asks=len(latencies), errors=len(errors), error_messages=sorted(set(errors))[:5], seconds=round(seconds, 2), with_passages=with_passages,
                    asks_per_s=round(len(latencies) / seconds, 2) if seconds else 0.0,
                    p50_ms=round(statistics.median(ms), 1), p95_ms=round(ms[int(0.95 * (len(ms) - 1))], 1),
                    max_ms=round(ms[-1], 1))


def _start_review(topic: str, max_papers: int, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "agent", "review", topic, "--approve", "auto", "--max-papers",
                             str(max_papers), "--json"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _result(topic: str, process: subprocess.Popen[str], started: float, timeout_s: float) -> RunResult:
    out, err = process.communicate(timeout=timeout_s)
    result = RunResult(topic=topic, exit_code=process.returncode, seconds=round(time.perf_counter() - started, 2),
                       error=(err.strip().splitlines() or [""])[-1] if process.returncode else "")
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if events:
        result.run_id = events[-1].get("run_id", "")
        result.finished = events[-1].get("type") == "finished"
        result.counts = events[-1].get("counts", {})
        report = Path(events[-1].get("out_dir") or "/nonexistent") / "run.json"
        if report.is_file():
            result.papers = [p["arxiv_id"] for p in json.loads(report.read_text())["papers"]]
    return result


def run_reviews(topics: list[str], max_papers: int, envs: list[dict[str, str]], timeout_s: float = 600) -> list[RunResult]:
    """Start one review per topic at once (topic i with envs[i]); wait for all of them."""
    started = time.perf_counter()
    processes = [_start_review(t, max_papers, e) for t, e in zip(topics, envs, strict=True)]
    return [_result(t, p, started, timeout_s) for t, p in zip(topics, processes, strict=True)]


def start_ask_loop(env: dict[str, str], folder: Path, max_asks: int = 0) -> tuple[subprocess.Popen[str], Path, Path]:
    """The ask loop as a process of its own: (process, stop file, result file)."""
    stop, out = folder / "stop-asking", folder / "ask-stats.json"
    command = [sys.executable, "-m", "evals.load_shared", "--ask-loop", str(stop), str(out), str(max_asks)]
    return subprocess.Popen(command, cwd=REPO, env=env, text=True), stop, out


def finish_ask_loop(process: subprocess.Popen[str], stop: Path, out: Path) -> AskStats:
    """Stop the ask loop after its current question; its stats."""
    stop.touch()
    if process.wait(timeout=300) != 0:
        raise RuntimeError(f"the ask loop exited with {process.returncode}")
    return AskStats.model_validate_json(out.read_text())


class Deployment(BaseModel):
    """Where the shared services are: what every process of the load is pointed at."""

    postgres_dsn: str
    chroma_url: str
    api_url: str
    pdf_url: str

    def env(self, home: Path, shared: bool = True) -> dict[str, str]:
        """The environment of a process with its own data dir on this deployment (or, not shared,
        with SQLite and embedded Chroma in that data dir: a laptop on its own)."""
        env = {**os.environ, "AUTORESEARCH_HOME": str(home), "AUTORESEARCH_ARXIV__API_URL": self.api_url,
               "AUTORESEARCH_OPENALEX__ENABLED": "false",
               "AUTORESEARCH_ARXIV__PDF_URL": self.pdf_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0"}
        if shared:
            env.update({"AUTORESEARCH_CHECKPOINT__BACKEND": "postgres",
                        "AUTORESEARCH_CHECKPOINT__POSTGRES_DSN": self.postgres_dsn,
                        "AUTORESEARCH_MEMORY__CHROMA_URL": self.chroma_url})
        return env

    def settings(self, home: Path) -> Any:
        """The same, as settings for this process."""
        return load_settings(home=home, checkpoint={"backend": "postgres", "postgres_dsn": self.postgres_dsn},
                             memory={"chroma_url": self.chroma_url})


def check(results: list[RunResult], settings: Any) -> Consistency:
    """Read the shared registry and library back and check them against what the runs reported."""
    registry = services.run_registry(settings)
    try:
        statuses = {r.run_id: registry.get(r.run_id).status for r in results if r.run_id}
    finally:
        registry.close()
    store = services.library(settings).store
    entries = store.get("papers")
    versions = {e.id: e.metadata.get("version", "") for e in entries}
    by_entries = sum(int(e.metadata.get("chunks", 0)) for e in entries)
    chunk_ids = store.ids("chunks")
    strays = [i for i in chunk_ids if versions.get(i.rsplit(":", 2)[0]) != i.rsplit(":", 2)[1]]
    expected = {p for r in results for p in r.papers}
    duplicates = len(strays) + max(0, len(chunk_ids) - len(strays) - by_entries)
    ok = (all(s == "finished" for s in statuses.values()) and len(statuses) == len(results)
          and set(versions) == expected and len(chunk_ids) == by_entries and duplicates == 0)
    return Consistency(statuses=statuses, papers_expected=len(expected), papers_stored=len(versions),
                       chunks_stored=len(chunk_ids), chunks_by_entries=by_entries, duplicate_chunks=duplicates, ok=ok)


def _timed(topics: list[str], max_papers: int, envs: list[dict[str, str]], timeout_s: float) -> float:
    """Wall seconds for these runs at once (a baseline: every one must finish)."""
    started = time.perf_counter()
    results = run_reviews(topics, max_papers, envs, timeout_s)
    if not all(r.finished for r in results):
        raise RuntimeError(f"a baseline run failed: {[r.error for r in results if not r.finished]}")
    return round(time.perf_counter() - started, 2)


def run_load(deployment: Deployment, workdir: Path, runs: int = 4, max_papers: int = 5, baseline: bool = True,
             warm_cache: Path | None = None, timeout_s: float = 600, quiet: Deployment | None = None) -> LoadReport:
    """The whole measurement: `runs` reviews at once with the ask loop on the shared servers; with
    `baseline`, first the same runs on local backends (and on `quiet`, fresh shared servers, without
    asks), one run alone, and asks on idle servers."""
    topics = [TOPICS[i % len(TOPICS)] for i in range(runs)]
    homes = [workdir / f"machine-{i}" for i in range(runs + 1)]
    local = [workdir / f"local-{i}" for i in range(runs)] if baseline else []
    calm = [workdir / f"quiet-{i}" for i in range(runs)] if baseline and quiet else []
    for home in homes + local + calm:
        if warm_cache is not None:
            (home / "cache").mkdir(parents=True, exist_ok=True)
            (home / "cache" / warm_cache.name).write_bytes(warm_cache.read_bytes())
    asker_env = deployment.env(homes[-1])
    baseline_run = baseline_ask = local_wall = quiet_wall = None
    earlier: list[RunResult] = []
    if baseline:
        local_wall = _timed(topics, max_papers, [deployment.env(h, shared=False) for h in local], timeout_s)
        if quiet is not None:
            quiet_wall = _timed(topics, max_papers, [quiet.env(h) for h in calm], timeout_s)
        earlier = run_reviews([TOPICS[-1]], max_papers, [deployment.env(workdir / "baseline")], timeout_s)
        baseline_run = earlier[0].seconds
        process, stop, out = start_ask_loop(asker_env, workdir, max_asks=40)
        baseline_ask = finish_ask_loop_when_done(process, out)
    process, stop, out = start_ask_loop(asker_env, workdir)
    started = time.perf_counter()
    results = run_reviews(topics, max_papers, [deployment.env(h) for h in homes[:runs]], timeout_s)
    wall = time.perf_counter() - started
    asked = finish_ask_loop(process, stop, out)
    consistency = check(earlier + results, deployment.settings(homes[-1]))
    return LoadReport(runs=results, wall_s=round(wall, 2), runs_per_min=round(60 * runs / wall, 2), ask=asked,
                      consistency=consistency, baseline_run_s=baseline_run, baseline_ask=baseline_ask,
                      local_wall_s=local_wall, shared_quiet_wall_s=quiet_wall)


def finish_ask_loop_when_done(process: subprocess.Popen[str], out: Path) -> AskStats:
    """Wait for an ask loop started with `max_asks` to finish on its own; its stats."""
    if process.wait(timeout=300) != 0:
        raise RuntimeError(f"the ask loop exited with {process.returncode}")
    stats = AskStats.model_validate_json(out.read_text())
    out.unlink()
    return stats


def main(argv: list[str] | None = None) -> int:
    """Start PostgreSQL, `chroma run` and the mirror on 127.0.0.1; measure; print the report."""
    args = _parser().parse_args(argv)
    if args.ask_loop:
        stop, out, max_asks = args.ask_loop
        ask_loop(Path(stop), Path(out), int(max_asks))
        return 0
    with tempfile.TemporaryDirectory(prefix="autoresearch-load-") as folder, TempPostgres(durable=True) as pg, \
            ChromaServer() as chroma, ChromaServer() as quiet_chroma, MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        deployment, quiet = (Deployment(postgres_dsn=pg.create_database(name), chroma_url=url, api_url=mirror.api_url,
                                        pdf_url=mirror.pdf_url) for name, url in (("load", chroma.url),
                                                                                  ("quiet", quiet_chroma.url)))
        report = run_load(deployment, Path(folder), runs=args.runs, max_papers=args.max_papers, quiet=quiet)
    text = report.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n")
    print(text)
    base = report.baseline_ask
    print(f"{args.runs} runs in {report.wall_s:.1f} s = {report.runs_per_min:.2f} runs/min (one alone: "
          f"{report.baseline_run_s:.1f} s); asks {report.ask.asks_per_s:.2f}/s, p50 {report.ask.p50_ms:.0f} ms, "
          f"p95 {report.ask.p95_ms:.0f} ms" + (f" (idle: {base.asks_per_s:.2f}/s, p50 {base.p50_ms:.0f} ms, "
          f"ratio p50 {report.ask.p50_ms / max(base.p50_ms, 0.1):.2f}x)" if base else "")
          + (f"; the same runs without asks: local backends {report.local_wall_s:.1f} s, shared "
             f"{report.shared_quiet_wall_s:.1f} s" if report.local_wall_s and report.shared_quiet_wall_s else "")
          + f"; consistent: {report.consistency.ok}", file=sys.stderr)
    return 0 if report.consistency.ok and all(r.finished for r in report.runs) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4, help="Concurrent headless reviews.")
    parser.add_argument("--max-papers", type=int, default=5, help="Papers per review.")
    parser.add_argument("--out", help="Also write the JSON report here.")
    parser.add_argument("--ask-loop", nargs=3, metavar=("STOP_FILE", "OUT", "MAX_ASKS"), help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    sys.exit(main())
