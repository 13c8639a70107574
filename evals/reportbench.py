"""ReportBench: does search find a field's literature on topics it has never seen?

49 expert surveys (`../shared/data/reportbench/tasks.jsonl`) and the 8,371 papers they cite
(`corpus.jsonl`, titles only) served by the arXiv mirror on 127.0.0.1. For each survey and each
search strategy, search its `topic` exactly as `autoresearch search TOPIC --max 100 [--strategy S]`
does, and measure recall@100 and precision@20 against the survey's references, the arXiv requests
counted at the mirror (every search starts with an empty query cache) and the wall time. `or` is
the baseline: one query of any of the topic's words, in the server's own relevance order. The
default strategy also searches each survey's `prompt` — the request in plain words, date limit
included — to check that reading a request costs little recall (`prompt/topic`).

The tasks are split in two halves by survey id (`--split tune|check`): tune on one, check the
other, so a gain that only fits the tuning half shows. Embeddings of paper titles are cached on
disk between runs (`out/eval-cache/`), so a second run spends its time searching, not embedding.

Run: `python -m evals.reportbench [--strategy S …] [--field topic|prompt|both] [--split S]
[--limit N] [--per-task] [--json]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from agent.settings import load_settings
from evals.mirror import Corpus, MirrorServer
from memory.embeddings import Embedder, load_embedder
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.search.query import broad_query
from tools.search.strategies import DEFAULT, STRATEGIES, search_request

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "reportbench"
CACHE = Path(__file__).resolve().parents[1] / "out" / "eval-cache"
BUDGET = 10
MAX_RESULTS = 100
BASELINE = "or"
Searcher = Callable[[ArxivClient, Embedder, str], list[str]]


class MemoEmbedder:
    """An embedder that remembers every text across tasks, optionally persisted to a `.npz`."""

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self.inner, self.name, self.path = inner, inner.name, path
        self.memo: dict[str, np.ndarray] = {}
        self.dirty = False
        if path and path.exists():
            with np.load(path) as stored:
                self.memo = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed the texts never seen before, in one batch."""
        keys = [_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.memo}
        if missing:
            self.memo.update(zip(missing, self.inner.embed(list(missing.values())), strict=True))
            self.dirty = True
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.memo[k] for k in keys])

    def save(self) -> None:
        """Write the memo beside the other eval caches (only when it grew)."""
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.memo)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.memo[k] for k in keys]))
            self.dirty = False


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def load_tasks(folder: Path = DATA) -> list[dict]:
    """The surveys, each with its `topic`, `prompt` and `gold_ids`."""
    return [json.loads(line) for line in (folder / "tasks.jsonl").read_text().splitlines() if line]


def half(task: dict) -> str:
    """`tune` or `check`: a fixed split by a hash of the survey id (not by topic)."""
    digest = hashlib.sha1(task["survey_id"].encode()).digest()[0]
    return "tune" if digest % 2 == 0 else "check"


def baseline(client: ArxivClient, embedder: Embedder, text: str) -> list[str]:
    """Any of the topic's words, in the server's relevance order: one request."""
    return [p.arxiv_id for p in client.search(broad_query(text), max_results=MAX_RESULTS)]


def searcher(strategy: str) -> Searcher:
    """What `autoresearch search TEXT --max 100 --strategy STRATEGY` runs, as ranked ids."""
    if strategy == BASELINE:
        return baseline

    def run(client: ArxivClient, embedder: Embedder, text: str) -> list[str]:
        found = search_request(client, embedder, text, strategy=strategy,
                               max_results=MAX_RESULTS, budget=BUDGET)
        return [c.paper.arxiv_id for c in found.outcome.candidates]

    return run


def metrics(found: list[str], gold: set[str]) -> dict[str, float]:
    """recall@100, precision@20 and precision@10 of a ranked list of ids."""
    return {"recall@100": round(len(set(found[:100]) & gold) / len(gold), 4),
            "precision@20": round(len(set(found[:20]) & gold) / 20, 4),
            "precision@10": round(len(set(found[:10]) & gold) / 10, 4)}


def runs(strategies: list[str], field: str) -> list[tuple[str, str]]:
    """(strategy, field) pairs to measure: every strategy on the topic, the default on the prompt."""
    pairs = [(s, "topic") for s in strategies] if field in ("topic", "both") else []
    if field in ("prompt", "both"):
        pairs += [(s, "prompt") for s in strategies if s == DEFAULT or field == "prompt"]
    return pairs


def evaluate(tasks: list[dict], pairs: list[tuple[str, str]], embedder: Embedder | None = None,
             corpus: Path = DATA / "corpus.jsonl", phrases: str = "sequence") -> list[dict]:
    """One row per task, strategy and field: metrics, requests counted at the mirror, seconds."""
    rows = []
    server = MirrorServer(Corpus.load(corpus))
    server.corpus.phrase_mode = phrases
    with server as mirror, tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(home=scratch, arxiv={"api_url": mirror.api_url, "min_interval_s": 0.0},
                                 openalex={"enabled": False})  # offline: no citation graph to ask
        embedder = embedder or load_embedder(settings.memory)
        for number, task in enumerate(tasks):
            gold = set(task["gold_ids"])
            for strategy, field in pairs:
                cache = Path(scratch) / f"{number}-{strategy}-{field}"
                client = ArxivClient(settings.arxiv, cache, HostLimiter(cache / "locks", 0.0))
                before, started = len(mirror.api_hits()), time.perf_counter()
                found = searcher(strategy)(client, embedder, task[field])
                rows.append({"survey": task["survey_id"], "topic": task["topic"], "half": half(task),
                             "strategy": strategy, "field": field, "gold": len(gold),
                             **metrics(found, gold),
                             "returned": len(found), "requests": len(mirror.api_hits()) - before,
                             "seconds": round(time.perf_counter() - started, 2)})
    return rows


def summary(rows: list[dict]) -> list[dict]:
    """Mean metrics per strategy, over all tasks and per half; empty results counted."""
    out = []
    for strategy, field in dict.fromkeys((r["strategy"], r["field"]) for r in rows):
        for part in ("all", "tune", "check"):
            mine = [r for r in rows if (r["strategy"], r["field"]) == (strategy, field)
                    and part in ("all", r["half"])]
            if not mine:
                continue
            out.append({"strategy": strategy, "field": field, "half": part, "tasks": len(mine),
                        **{k: round(statistics.mean(r[k] for r in mine), 4) for k in
                           ("recall@100", "precision@20", "requests", "seconds")},
                        "max_requests": max(r["requests"] for r in mine),
                        "empty": sum(1 for r in mine if r["returned"] == 0)})
    return out


def print_tables(rows: list[dict], means: list[dict], per_task: bool) -> None:
    """Per-task rows (when asked) and the means table."""
    if per_task:
        print(f"{'topic':44} {'strategy':9} {'field':6} {'gold':>4} {'R@100':>6} {'P@20':>5} "
              f"{'req':>3} {'s':>5}")
        for r in rows:
            print(f"{r['topic'][:44]:44} {r['strategy']:9} {r['field']:6} {r['gold']:4d} "
                  f"{r['recall@100']:6.3f} {r['precision@20']:5.2f} {r['requests']:3d} "
                  f"{r['seconds']:5.1f}")
    print(f"\n{'strategy':9} {'field':6} {'half':5} {'tasks':>5} {'R@100':>6} {'P@20':>5} "
          f"{'req':>5} {'max':>3} {'s/task':>6} {'empty':>5}")
    for m in means:
        print(f"{m['strategy']:9} {m['field']:6} {m['half']:5} {m['tasks']:5d} {m['recall@100']:6.3f} "
              f"{m['precision@20']:5.3f} {m['requests']:5.1f} {m['max_requests']:3d} "
              f"{m['seconds']:6.2f} {m['empty']:5d}")
    ratio = prompt_ratio(means)
    if ratio is not None:
        print(f"\nrecall@100 from the prompt / from the topic ({DEFAULT}): {ratio:.2f}")


def prompt_ratio(means: list[dict]) -> float | None:
    """The default strategy's mean recall@100 from the prompt over that from the topic."""
    by = {(m["strategy"], m["field"]): m["recall@100"] for m in means if m["half"] == "all"}
    if (DEFAULT, "prompt") in by and by.get((DEFAULT, "topic")):
        return round(by[(DEFAULT, "prompt")] / by[(DEFAULT, "topic")], 4)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategy", action="append", choices=[BASELINE, *STRATEGIES],
                        help="only this strategy (repeatable); default: all and the OR baseline")
    parser.add_argument("--field", choices=("topic", "prompt", "both"), default="both",
                        help="what is searched: the topic, the request in plain words, or both "
                             "(the prompt with the default strategy only)")
    parser.add_argument("--split", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--limit", type=int, default=0, help="only the first N tasks")
    parser.add_argument("--phrases", choices=("sequence", "words"), default="sequence",
                        help="how the mirror matches a quoted phrase (see evals/mirror_query.py)")
    parser.add_argument("--per-task", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"reportbench data not found at {DATA}", file=sys.stderr)
        return 1
    tasks = [t for t in load_tasks() if args.split in ("all", half(t))]
    tasks = tasks[: args.limit] if args.limit else tasks
    settings = load_settings()
    embedder = MemoEmbedder(load_embedder(settings.memory), CACHE / "reportbench-embeddings.npz")
    started = time.perf_counter()
    rows = evaluate(tasks, runs(args.strategy or [BASELINE, *STRATEGIES], args.field), embedder,
                    phrases=args.phrases)
    embedder.save()
    means = summary(rows)
    if args.json:
        print(json.dumps({"budget": BUDGET, "rows": rows, "means": means,
                          "prompt/topic": prompt_ratio(means),
                          "seconds": round(time.perf_counter() - started, 1)}))
        return 0
    print_tables(rows, means, args.per_task)
    print(f"\n{len(tasks)} tasks, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
