"""Benchmark: a 30-paper review from the local arXiv mirror, cold and warm, wall time per stage.

    python -m evals.bench_review [--papers 30] [--topic "…"] [--out out/bench_review]

Cold: a fresh data dir (empty arXiv cache, library and embedding cache), in a new process, as a
person running `autoresearch review` for the first time. Warm: the same command again on the same
data dir (query cache hit, papers already stored, vectors cached). Both use the extractive writer,
every gate on `auto` and the politeness interval at 0 (it is a mirror on 127.0.0.1). Goals: cold
<= 90 s, warm <= 10 s. Machine speed is measured first in this process (MiniLM abstracts per
second over 64 seed abstracts), so numbers from a busy machine can be read against it. Results go to stdout and to
`<out>/bench_review.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from agent.settings import MemorySettings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from memory.embeddings import load_embedder

GOALS_S = {"cold": 90.0, "warm": 10.0}
TOPIC = "video understanding"
"""Finds 30 papers in the seed corpus through the coverage loop (8 requests, stops on min_new_fraction)."""


def machine_speed(texts: list[str]) -> float:
    """Abstracts per second the offline embedder manages here, now (the baseline)."""
    embedder = load_embedder(MemorySettings())
    embedder.embed(texts[:4])  # load the weights outside the timing
    started = time.perf_counter()
    embedder.embed(texts)
    return len(texts) / (time.perf_counter() - started)


def review_once(topic: str, papers: int, out: Path, env: dict[str, str]) -> dict:
    """Run one review in a new process; its wall time and the stage timings it reported."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "agent", "review", topic, "--approve", "auto",
                           "--max-papers", str(papers), "--out", str(out), "--json"],
                          env={**os.environ, **env}, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the review failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    stages = {e["stage"]: e["seconds"] for e in events if e["type"] == "stage_finished"}
    counts = events[-1]["counts"]
    return {"wall_s": round(wall, 2), "stages_s": stages, "counts": counts,
            "outside_stages_s": round(wall - sum(stages.values()), 2)}


def report(results: dict) -> str:
    """A plain table: per stage, cold and warm seconds; then totals against the goals."""
    cold, warm = results["cold"], results["warm"]
    lines = [f"{'stage':<14}{'cold s':>9}{'warm s':>9}"]
    for stage in cold["stages_s"]:
        lines.append(f"{stage:<14}{cold['stages_s'][stage]:>9.2f}{warm['stages_s'].get(stage, 0):>9.2f}")
    lines.append(f"{'(startup)':<14}{cold['outside_stages_s']:>9.2f}{warm['outside_stages_s']:>9.2f}")
    for name in ("cold", "warm"):
        verdict = "meets" if results[name]["wall_s"] <= GOALS_S[name] else "misses"
        lines.append(f"{name}: {results[name]['wall_s']:.1f} s wall, {verdict} the goal of {GOALS_S[name]:.0f} s")
    lines.append(f"warm/cold: {warm['wall_s'] / cold['wall_s']:.2f}; machine speed (baseline, this "
                 f"process): MiniLM embeds {results['embed_per_s']:.0f} abstracts/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=30)
    parser.add_argument("--topic", default=TOPIC)
    parser.add_argument("--out", type=Path, default=Path("out/bench_review"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    corpus = Corpus.load(SEED_CORPUS)
    results: dict = {"topic": args.topic, "papers": args.papers,
                     "embed_per_s": round(machine_speed([f"{r['title']}. {r['abstract']}" for r in corpus.records[:64]]), 1)}
    with MirrorServer(corpus) as mirror:
        env = {"AUTORESEARCH_HOME": str(args.out / "home"), "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
               "AUTORESEARCH_OPENALEX__ENABLED": "false",
               "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url, "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0",
               "AUTORESEARCH_LLM__WRITER": "", "AUTORESEARCH_LLM__PLANNER": "", "HF_HUB_OFFLINE": "1"}
        for name in ("cold", "warm"):
            results[name] = review_once(args.topic, args.papers, args.out / name, env)
    (args.out / "bench_review.json").write_text(json.dumps(results, indent=1))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
