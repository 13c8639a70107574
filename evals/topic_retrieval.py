"""Topic retrieval on the seed corpus: does searching a topic's name find that topic's papers?

For each topic in `evals/datasets/seed_papers.jsonl`, start the mirror, search it exactly the way
`autoresearch search "<topic>"` does (the default strategy), and report precision@10 (labelled
papers in the first ten over min(10, labelled papers)) and recall@20 against the papers labelled
with that topic. Run: `python -m evals.topic_retrieval [--json]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from agent.settings import load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from memory.embeddings import Embedder, load_embedder
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.search.strategies import search_request


def topics_of(corpus_path: Path) -> dict[str, set[str]]:
    """Topic name → ids of the papers labelled with it."""
    truth: dict[str, set[str]] = defaultdict(set)
    for line in corpus_path.read_text().splitlines():
        row = json.loads(line)
        if row.get("topic"):
            truth[row["topic"]].add(row["arxiv_id"])
    return dict(truth)


def evaluate(corpus_path: Path = SEED_CORPUS, embedder: Embedder | None = None) -> list[dict]:
    """Search every topic through a local mirror; one row of metrics per topic."""
    truth = topics_of(corpus_path)
    rows = []
    with tempfile.TemporaryDirectory() as home, MirrorServer(Corpus.load(corpus_path)) as mirror:
        settings = load_settings(home=home, arxiv={"api_url": mirror.api_url, "min_interval_s": 0.0})
        client = ArxivClient(settings.arxiv, settings.path("cache", "arxiv", "x").parent,
                             HostLimiter(settings.path("locks", "x").parent, 0.0))
        embedder = embedder or load_embedder(settings.memory)
        for topic, relevant in sorted(truth.items()):
            outcome = search_request(client, embedder, topic, max_results=20).outcome
            found = [c.paper.arxiv_id for c in outcome.candidates]
            rows.append({
                "topic": topic, "relevant": len(relevant),
                "precision@10": round(sum(1 for i in found[:10] if i in relevant)
                                      / min(10, len(relevant)), 4),
                "recall@20": sum(1 for i in found[:20] if i in relevant) / len(relevant),
                "requests": outcome.requests,
            })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SEED_CORPUS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = evaluate(args.corpus)
    mean_recall = sum(r["recall@20"] for r in rows) / len(rows)
    if args.json:
        print(json.dumps({"topics": rows, "mean_recall@20": mean_recall}))
        return
    print(f"{'topic':36} {'n':>3} {'P@10':>6} {'R@20':>6} {'requests':>8}")
    for r in rows:
        print(f"{r['topic']:36} {r['relevant']:3d} {r['precision@10']:6.2f} {r['recall@20']:6.2f} "
              f"{r['requests']:8d}")
    print(f"{'mean':36} {'':3} {sum(r['precision@10'] for r in rows) / len(rows):6.2f} "
          f"{mean_recall:6.2f}")


if __name__ == "__main__":
    main()
