"""Search strategies on the seed corpus: does searching like a librarian find more?

For each topic of `evals/datasets/seed_papers.jsonl`, through the arXiv mirror, four strategies:

- (a) literal: one query, the topic as a phrase in title or abstract (`ti:"…" OR abs:"…"`), in
  arXiv's own relevance order;
- (b) expansion: `search --strategy expand` (`tools.search.coverage`), ranked by meaning;
- (c) coverage: `search --strategy coverage`, which adds the loop over thin themes;
- (d) broad: one query of any of the topic's words, reranked, for context.

Reports recall@20, recall@50 and precision@20 (relevant papers in the first 20, over 20) per topic
against the papers labelled with that topic, and the API requests each strategy sent, counted at
the mirror (every strategy starts with an empty query cache). (b) and (c) run within a budget of
`--budget` requests per topic. Run: `python -m evals.search_strategies [--json] [--topic T]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from agent.settings import load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from evals.topic_retrieval import topics_of
from memory.embeddings import Embedder, load_embedder
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.search.coverage import coverage_search
from tools.search.query import phrase_query
from tools.search.topic import SearchRequest, search_topic

STRATEGIES = ("literal", "expansion", "coverage", "broad")
Runner = Callable[[ArxivClient, Embedder, str, int], list[str]]


def literal(client: ArxivClient, embedder: Embedder, topic: str, budget: int) -> list[str]:
    """(a) The topic as one phrase, in arXiv's order."""
    return [p.arxiv_id for p in client.search(phrase_query(topic), max_results=50)]


def expansion(client: ArxivClient, embedder: Embedder, topic: str, budget: int) -> list[str]:
    """(b) The topic and its expansions, ranked by meaning."""
    outcome = coverage_search(client, embedder, topic, budget=budget, max_results=50,
                              strategy="expand")
    return [c.paper.arxiv_id for c in outcome.candidates]


def coverage(client: ArxivClient, embedder: Embedder, topic: str, budget: int) -> list[str]:
    """(c) Expansions plus the coverage loop."""
    outcome = coverage_search(client, embedder, topic, budget=budget, max_results=50,
                              strategy="coverage")
    return [c.paper.arxiv_id for c in outcome.candidates]


def broad(client: ArxivClient, embedder: Embedder, topic: str, budget: int) -> list[str]:
    """(d) One query of any of the topic's words, reranked by meaning."""
    outcome = search_topic(client, embedder, SearchRequest(topic, max_results=50))
    return [p.arxiv_id for p in outcome.results]


RUNNERS: dict[str, Runner] = {"literal": literal, "expansion": expansion, "coverage": coverage,
                              "broad": broad}


def metrics(found: list[str], relevant: set[str]) -> dict[str, float]:
    """recall@20, recall@50 and precision@20 of a ranked list of ids."""
    hits20 = sum(1 for i in found[:20] if i in relevant)
    return {"recall@20": round(hits20 / len(relevant), 4),
            "recall@50": round(sum(1 for i in found[:50] if i in relevant) / len(relevant), 4),
            "precision@20": round(hits20 / 20, 4)}


def evaluate(corpus_path: Path = SEED_CORPUS, embedder: Embedder | None = None, budget: int = 10,
             topics: list[str] | None = None,
             strategies: tuple[str, ...] = STRATEGIES) -> list[dict]:
    """One row per topic and strategy: the metrics and the requests counted at the mirror."""
    truth = topics_of(corpus_path)
    rows = []
    with MirrorServer(Corpus.load(corpus_path)) as mirror:
        for topic in topics or sorted(truth):
            for name in strategies:
                with tempfile.TemporaryDirectory() as home:
                    settings = load_settings(home=home, arxiv={"api_url": mirror.api_url,
                                                               "min_interval_s": 0.0})
                    client = ArxivClient(settings.arxiv, Path(home) / "cache",
                                         HostLimiter(Path(home) / "locks", 0.0))
                    embedder = embedder or load_embedder(settings.memory)
                    before = len(mirror.api_hits())
                    found = RUNNERS[name](client, embedder, topic, budget)
                    rows.append({"topic": topic, "strategy": name, "relevant": len(truth[topic]),
                                 **metrics(found, truth[topic]),
                                 "requests": len(mirror.api_hits()) - before})
    return rows


def verdict(rows: list[dict], budget: int) -> list[str]:
    """The issue's check, per topic: (c) beats (a) on recall@20 at no worse precision@20,
    within the budget. Returns the failures (empty when every topic passes)."""
    by = {(r["topic"], r["strategy"]): r for r in rows}
    failures = []
    for topic in sorted({r["topic"] for r in rows}):
        a, c = by.get((topic, "literal")), by.get((topic, "coverage"))
        if not a or not c:
            continue
        if not (c["recall@20"] > a["recall@20"] and c["precision@20"] >= a["precision@20"]
                and c["requests"] <= budget):
            failures.append(f"{topic}: (c) R@20 {c['recall@20']:.2f} P@20 {c['precision@20']:.2f} "
                            f"{c['requests']} requests vs (a) R@20 {a['recall@20']:.2f} "
                            f"P@20 {a['precision@20']:.2f}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SEED_CORPUS)
    parser.add_argument("--budget", type=int, default=10)
    parser.add_argument("--topic", action="append", help="Only this topic (repeatable).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = evaluate(args.corpus, budget=args.budget, topics=args.topic)
    failures = verdict(rows, args.budget)
    if args.json:
        print(json.dumps({"budget": args.budget, "rows": rows, "failures": failures}))
        return
    print(f"{'topic':33} {'strategy':10} {'n':>3} {'R@20':>5} {'R@50':>5} {'P@20':>5} "
          f"{'requests':>8}")
    for r in rows:
        print(f"{r['topic']:33} {r['strategy']:10} {r['relevant']:3d} {r['recall@20']:5.2f} "
              f"{r['recall@50']:5.2f} {r['precision@20']:5.2f} {r['requests']:8d}")
    for name in STRATEGIES:
        mine = [r for r in rows if r["strategy"] == name]
        if mine:
            print(f"{'mean':33} {name:10} {'':3} {_mean(mine, 'recall@20'):5.2f} "
                  f"{_mean(mine, 'recall@50'):5.2f} {_mean(mine, 'precision@20'):5.2f} "
                  f"{_mean(mine, 'requests'):8.1f}")
    print("check (c) > (a) on every topic:", "passed" if not failures else "FAILED")
    for failure in failures:
        print("  " + failure)


def _mean(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows)


if __name__ == "__main__":
    main()
