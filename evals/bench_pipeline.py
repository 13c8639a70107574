"""Benchmark: requests against the politeness floor, cold starts, long-PDF ingest, unreachable API.

    python -m evals.bench_pipeline [--only review cold ingest offline] [--pages 300] [--repeats 5]

arXiv asks for one request every three seconds, so a review can take no less than its floor:
(API requests + PDF downloads) × `arxiv.min_interval_s`. Four measures, each in fresh processes:

- review: a full-text review of `TOPIC` (`evals.pipeline_corpus`: real PDFs and generated ones)
  against the loopback mirror with the DEFAULT 3 s spacing, `--approve auto`, extractive, with
  OpenAlex (citation counts, snowballing) served by a local OpenAlex-format server listing the
  mirror's records (`evals.openalex_server`): once on an idle machine and once beside two busy
  processes (CPU spinners); then once idle with OpenAlex off (snowballing looks references up on
  arXiv). Per stage: requests as the mirror logged them, the floor, the wall time and their ratio.
  Targets: requests <= papers + 5, wall <= 1.1 × floor + 10 s, idle and busy.
- cold: the best of N wall times of `ask` (a new question each time, so the embedding model
  loads), `library list`, `runs list` and a cached `search`, each a new process on the review's
  data dir. Targets: ask <= 1.2 s, lists <= 0.8 s.
- ingest: a generated `--pages`-page PDF ingested in a child process that does nothing else:
  pages/s, chunks/s and peak memory (the child's maxrss). Throughput is compared in a second
  child, in one process as the project's benchmarks are: bare embedding of the same chunks,
  then `COMPARE_INGESTS` times an ingest (each into a fresh library) followed by bare embedding
  again. Each ingest's ratio is its chunks/s over the mean of the two bare runs beside it, and
  the result is the median of those ratios: a machine that slows down or speeds up moves both
  sides, and one slow spell moves one ratio, not the result (one ingest against one bare run in
  separate processes moved ±0.1 from run to run). Targets: peak <= 600 MB, throughput >= 0.9 × bare embedding.
- offline: `ingest` of three local PDFs while the API answers 503 to everything: API requests
  sent and wall time. Target: at most one retry cycle (`arxiv.max_tries` requests) per command.

Timings depend on the machine and on what else runs on it: the load average is printed with each
measure. Results go to stdout and `<out>/bench_pipeline.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from agent import services
from agent.ingest.pipeline import ingest_local_pdf
from agent.settings import Settings
from evals import pipeline_corpus
from evals.long_pdf import long_paper
from evals.mirror import Fault, MirrorServer
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import arxiv_works
from memory.chunking import chunk_paper
from tools.paper import Paper
from tools.pdf.parse import parse_pdf

SPACING_S = 3.0
"""The default `arxiv.min_interval_s`: the benchmark never lowers it."""
COLD_COMMANDS = {
    "ask": ["ask", "which datasets are used for table structure recognition?", "--json"],
    "library list": ["library", "list", "--json"],
    "runs list": ["runs", "list", "--json"],
    "search (cached)": ["search", pipeline_corpus.TOPIC, "--json"],
}
COMPARE_INGESTS = 3
"""Ingests in the throughput comparison, each between two bare embeddings of the same chunks."""
OFFLINE_PDFS = ["arxiv_2501.12948v1.pdf", "arxiv_2302.07302v1.pdf", "arxiv_1804.07821v1.pdf"]


def load() -> str:
    """The 1-minute load average and the core count, for reading the numbers beside."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def env_for(home: Path, mirror: MirrorServer, openalex: OpenAlexServer | None = None) -> dict[str, str]:
    """The environment of an autoresearch process on `home` pointed at the mirror, and at a local
    OpenAlex (another host, with its own limiter: not part of arXiv's floor) or with OpenAlex off."""
    works = {"AUTORESEARCH_OPENALEX__ENABLED": "true", "AUTORESEARCH_OPENALEX__API_URL": openalex.api_url} \
        if openalex is not None else {"AUTORESEARCH_OPENALEX__ENABLED": "false"}
    return {**os.environ, "AUTORESEARCH_HOME": str(home), "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
            "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url, **works, "AUTORESEARCH_LLM__WRITER": "",
            "AUTORESEARCH_LLM__PLANNER": "", "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.getcwd()}


def autoresearch(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent", *args], env=env, capture_output=True, text=True,
                          check=False)


# -- review --------------------------------------------------------------------------------------

def review(mirror: MirrorServer, home: Path, busy: int, openalex: OpenAlexServer | None) -> dict:
    """One review from a fresh data dir, beside `busy` CPU spinners; per-stage requests and time.

    With `openalex`, citation counts and snowballing go through it (the default configuration);
    without, OpenAlex is off and snowballing looks references up on arXiv."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        conditions = load()
        first, works_first = len(mirror.hits), len(openalex.hits) if openalex is not None else 0
        started = time.time()
        done = autoresearch(["review", pipeline_corpus.TOPIC, "--approve", "auto", "--max-papers", "10",
                             "--out", str(home / "review"), "--json"], env_for(home, mirror, openalex))
        wall = time.time() - started
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    if done.returncode != 0:
        raise SystemExit(f"the review failed ({done.returncode}): {done.stderr.strip()[-600:]}")
    (home / "events.jsonl").write_text(done.stdout)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    hits = mirror.hits[first:]
    (home / "hits.jsonl").write_text("".join(json.dumps({"at": h.at, "path": h.path, "method": h.method,
                                                         "params": h.params}) + "\n" for h in hits))
    return {"busy": busy, "openalex": openalex is not None,
            "openalex_requests": len(openalex.hits) - works_first if openalex is not None else 0,
            "conditions": conditions, "wall_s": round(wall, 2),
            "counts": events[-1].get("counts", {}), "stages": per_stage(events, hits),
            "api": sum(h.path.startswith("/api/") for h in hits),
            "pdf": sum(h.path.startswith("/pdf/") for h in hits)}


def per_stage(events: list[dict], hits: list) -> list[dict]:
    """Each stage's wall time, the requests that reached the mirror during it, and its floor.

    A stage that runs twice (ingest, after snowballing) is reported once per run: each finish is
    paired with the latest start of that stage before it.
    """
    rows, begun, seen = [], {}, {}
    for event in events:
        if event["type"] == "stage_started":
            begun[event["stage"]] = event["at"]
        if event["type"] != "stage_finished":
            continue
        name = event["stage"]
        seen[name] = seen.get(name, 0) + 1
        begin = begun.pop(name, event["at"] - event["seconds"])
        inside = [h for h in hits if begin <= h.at <= event["at"]]
        rows.append({"stage": name if seen[name] == 1 else f"{name} #{seen[name]}",
                     "wall_s": round(event["seconds"], 2),
                     "api": sum(h.path.startswith("/api/") for h in inside),
                     "pdf": sum(h.path.startswith("/pdf/") for h in inside),
                     "floor_s": len(inside) * SPACING_S})
    return rows


# -- cold starts ---------------------------------------------------------------------------------

def cold_starts(mirror: MirrorServer, home: Path, repeats: int, openalex: OpenAlexServer) -> dict:
    """Best-of-`repeats` wall time of each command in a new process (a cached search primed first)."""
    env = env_for(home, mirror, openalex)
    autoresearch(COLD_COMMANDS["search (cached)"], env)
    out = {"conditions": load()}
    for name, args in COLD_COMMANDS.items():
        times = []
        for number in range(repeats):
            if name == "ask":  # a new question each time: a repeated one is embedded from the cache
                args = [args[0], f"{COLD_COMMANDS['ask'][1]} ({number + 1})", *args[2:]]
            started = time.perf_counter()
            done = autoresearch(args, env)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
        out[name] = round(min(times), 3)
    return out


# -- long-PDF ingest -----------------------------------------------------------------------------

def child(mode: str, pdf: Path, home: Path) -> dict:
    """Run `mode` (ingest or compare) on `pdf` in a new process; its result and peak memory (maxrss)."""
    done = subprocess.run([sys.executable, "-m", "evals.bench_pipeline", f"--child-{mode}", str(pdf)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "AUTORESEARCH_HOME": str(home), "HF_HUB_OFFLINE": "1",
                               "PYTHONPATH": os.getcwd(),
                               "AUTORESEARCH_ARXIV__API_URL": "http://127.0.0.1:9/api/query"})
    if done.returncode != 0:
        raise SystemExit(f"the {mode} child failed: {done.stderr.strip()[-600:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = round(result["maxrss_kb"] / 1024)
    return result


def run_child(mode: str, pdf: Path) -> None:
    """In the child: time an ingest alone (`ingest`), or, in this one process (`compare`), bare
    embedding before, between and after `COMPARE_INGESTS` ingests. The model is loaded first."""
    settings = Settings()
    embedder = services.embedder(settings)
    embedder.embed(["load the model before timing"])

    def ingest(settings: Settings) -> dict:
        library = services.library(settings, embedder)
        started = time.perf_counter()
        done = ingest_local_pdf(pdf, library=library, store=library.papers, settings=settings)
        return {"chunks": done.chunks, "pages": done.pages, "status": done.status,
                "seconds": time.perf_counter() - started}

    if mode == "ingest":
        result = ingest(settings)
    else:
        parsed = parse_pdf(pdf, figures_dir=None)
        texts = [c.text for c in chunk_paper(Paper(arxiv_id="x", title=""), parsed)]

        def bare() -> float:
            started = time.perf_counter()
            embedder.embed(texts)
            return time.perf_counter() - started

        bare_s, ingests = [bare()], []
        for number in range(1, COMPARE_INGESTS + 1):  # each into a library of its own
            home = settings.data_dir / f"ingest-{number}"
            ingests.append(ingest(settings.model_copy(update={"home": home})))
            bare_s.append(bare())
        result = {"chunks": len(texts), "bare_seconds": bare_s, "ingests": ingests}
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result))


def ingest_long(out: Path, pages: int) -> dict:
    """Ingest a generated long PDF alone (memory), then compare it with bare embedding (throughput)."""
    pdf = long_paper(out / f"long-{pages}.pdf", pages)
    conditions = load()
    ingest = child("ingest", pdf, out / "home-ingest")
    compare = child("compare", pdf, out / "home-compare")
    if any(i["chunks"] != compare["chunks"] for i in compare["ingests"]):
        raise SystemExit(f"an ingest stored other chunks than the {compare['chunks']} the bare runs embedded")
    bare = compare["bare_seconds"]
    ratios = [(bare[number] + bare[number + 1]) / 2 / done["seconds"]
              for number, done in enumerate(compare["ingests"])]
    return {"conditions": conditions, "pages": pages, "ingest": ingest, "compare": compare,
            "pages_per_s": round(pages / ingest["seconds"], 2),
            "chunks_per_s": round(ingest["chunks"] / ingest["seconds"], 2),
            "bare_chunks_per_s": round(compare["chunks"] / statistics.median(bare), 2),
            "ratios": [round(r, 3) for r in ratios],
            "throughput_ratio": round(statistics.median(ratios), 3)}


# -- unreachable API -----------------------------------------------------------------------------

def offline(mirror: MirrorServer, out: Path) -> dict:
    """`ingest` of local PDFs while the API answers 503 to every request."""
    folder = out / "offline-pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [shutil.copy(pipeline_corpus.SHARED_PDFS / name, folder / name) for name in OFFLINE_PDFS]
    mirror.always = Fault(status=503, body=b"Service Unavailable", path_prefix="/api/")
    first = len(mirror.hits)
    conditions = load()
    started = time.time()
    try:
        done = autoresearch(["ingest", *map(str, paths), "--json"], env_for(out / "home-offline", mirror))
    finally:
        mirror.always = None
    wall = time.time() - started
    stored = json.loads(done.stdout) if done.stdout.strip() else {}
    return {"conditions": conditions, "pdfs": len(paths), "exit": done.returncode, "wall_s": round(wall, 2),
            "api_requests": sum(h.path.startswith("/api/") for h in mirror.hits[first:]),
            "ingested": stored.get("ingested", 0)}


# -- report --------------------------------------------------------------------------------------

def report(results: dict) -> str:
    """Plain tables, one per measure, with the targets."""
    lines = []
    for run in results.get("review", []):
        works = (f"OpenAlex on a local server ({run['openalex_requests']} OpenAlex requests)"
                 if run.get("openalex") else "OpenAlex off: references looked up on arXiv")
        lines.append(f"\nreview, {run['busy']} busy processes beside it, {works} ({run['conditions']})")
        lines.append(f"{'stage':<14}{'api':>5}{'pdf':>5}{'floor s':>9}{'wall s':>9}{'wall/floor':>12}")
        for row in run["stages"]:
            ratio = f"{row['wall_s'] / row['floor_s']:.2f}" if row["floor_s"] else "-"
            lines.append(f"{row['stage']:<14}{row['api']:>5}{row['pdf']:>5}{row['floor_s']:>9.0f}"
                         f"{row['wall_s']:>9.1f}{ratio:>12}")
        requests, floor = run["api"] + run["pdf"], (run["api"] + run["pdf"]) * SPACING_S
        papers = run["pdf"]
        lines.append(f"{'total':<14}{run['api']:>5}{run['pdf']:>5}{floor:>9.0f}{run['wall_s']:>9.1f}"
                     f"{run['wall_s'] / floor:>12.2f}")
        lines.append(f"requests {requests} for {papers} PDFs (target <= {papers + 5}); wall {run['wall_s']:.1f} s "
                     f"vs 1.1 × floor + 10 s = {1.1 * floor + 10:.1f} s; counts {run['counts']}")
    if "cold" in results:
        cold = results["cold"]
        lines.append(f"\ncold starts, best of {results['repeats']} ({cold['conditions']}); targets: ask <= 1.2 s, "
                     "library list / runs list <= 0.8 s")
        lines += [f"  {name:<18}{seconds:>7.2f} s" for name, seconds in cold.items() if name != "conditions"]
    if "ingest" in results:
        ing = results["ingest"]
        lines.append(f"\ningest of a generated {ing['pages']}-page PDF ({ing['conditions']})")
        lines.append(f"  {ing['ingest']['chunks']} chunks in {ing['ingest']['seconds']:.1f} s: {ing['pages_per_s']} pages/s, "
                     f"{ing['chunks_per_s']} chunks/s, peak {ing['ingest']['peak_mb']} MB (target <= 600)")
        cmp = ing["compare"]
        bare = ", ".join(f"{s:.1f}" for s in cmp["bare_seconds"])
        ingests = ", ".join(f"{i['seconds']:.1f}" for i in cmp["ingests"])
        lines.append(f"  one process: bare embedding {bare} s, ingests between them {ingests} s "
                     f"({ing['bare_chunks_per_s']} bare chunks/s); ingest/bare throughput per ingest "
                     f"{', '.join(map(str, ing['ratios']))}, median {ing['throughput_ratio']} (target >= 0.9)")
    if "offline" in results:
        off = results["offline"]
        lines.append(f"\ningest of {off['pdfs']} local PDFs, API answering 503 ({off['conditions']}): "
                     f"{off['api_requests']} API requests, {off['wall_s']:.1f} s, exit {off['exit']}, "
                     f"{off['ingested']} ingested (target: one retry cycle = arxiv.max_tries requests)")
    return "\n".join(lines)


def _saver(out: Path, results: dict):
    """`save(name, result)`: keep a measure, rewrite the JSON and print its table at once (a long
    run cut short still leaves what it measured)."""

    def save(name: str, result: dict, append: bool = False) -> None:
        if append:
            results.setdefault(name, []).append(result)
        else:
            results[name] = result
        (out / "bench_pipeline.json").write_text(json.dumps(results, indent=1))
        print(report({"repeats": results["repeats"], name: [result] if append else result}), flush=True)

    return save


def main(argv: list[str] | None = None) -> int:
    """Run the chosen measures; print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=["review", "cold", "ingest", "offline"])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--busy", type=int, default=2, help="CPU spinners beside the busy review")
    parser.add_argument("--out", type=Path, default=Path("out/bench_pipeline"))
    parser.add_argument("--child-ingest", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-compare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_ingest or args.child_compare:
        run_child("ingest" if args.child_ingest else "compare", args.child_ingest or args.child_compare)
        return 0
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    results: dict = {"repeats": args.repeats, "spacing_s": SPACING_S}
    save = _saver(args.out, results)
    with pipeline_corpus.mirror(args.out / "corpus") as mirror, \
            OpenAlexServer(arxiv_works(pipeline_corpus.records(args.out / "corpus"))) as openalex:
        if "review" in args.only:
            for busy in (0, args.busy):
                save("review", review(mirror, args.out / f"home-busy{busy}", busy, openalex), append=True)
            save("review", review(mirror, args.out / "home-arxiv-only", 0, None), append=True)
        if "cold" in args.only:
            home = args.out / "home-busy0"
            if not home.exists():
                save("review", review(mirror, home, 0, openalex), append=True)
            save("cold", cold_starts(mirror, home, args.repeats, openalex))
        if "offline" in args.only:
            save("offline", offline(mirror, args.out))
    if "ingest" in args.only:
        save("ingest", ingest_long(args.out, args.pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
