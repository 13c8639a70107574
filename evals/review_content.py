"""Quality and speed of the review's content stages on the seed corpus (no network, no LLM).

Outline purity: seed papers carry their topic; mixes of topics are clustered by `build_outline` and
each theme's majority topic is compared with its papers' topics (1.0 = every theme is one topic).
Speed: outline, extractive writing and verification of N abstract-only papers in a real Chroma
library, reported in seconds and as a ratio to a baseline measured in the same process (embedding
the same N abstracts once), so numbers from different machines compare.

    python -m evals.review_content --papers 30 --json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from agent import services
from agent.review.outline import build_outline
from agent.review.verify import verify_draft
from agent.review.writers import write_review
from agent.settings import MemorySettings, load_settings
from evals.mirror import SEED_CORPUS
from memory.embeddings import load_embedder
from memory.records import LibraryPaper
from tools.paper import Paper

MIXES = {
    "3 topics (VAD, VU, THG)": ["Video Anomaly Detection", "Video Understanding", "Talking Head Generation"],
    "3 topics (VAD, VLM, THG)": ["Video Anomaly Detection", "Vision Language Model", "Talking Head Generation"],
    "5 topics (all)": ["Video Anomaly Detection", "Video Understanding", "Vision Language Model",
                       "Multimodal Large Language Model", "Talking Head Generation"],
}


def _papers(rows: list[dict]) -> list:
    return [LibraryPaper(paper=Paper(arxiv_id=r["arxiv_id"], version=r.get("version") or "v1", title=r["title"],
                                     authors=r.get("authors") or [], published=r.get("published") or "",
                                     abstract=r["abstract"], comment=r.get("comment") or ""),
                         abstract_only=True) for r in rows]


def purity(outline, topic_of: dict[str, str]) -> float:
    """Share of papers whose theme's majority topic is their own."""
    right = sum(Counter(topic_of[i] for i in t.paper_ids).most_common(1)[0][1] for t in outline.themes)
    return right / max(1, sum(len(t.paper_ids) for t in outline.themes))


def outline_quality(rows: list[dict], embedder, per_topic: int) -> dict[str, Any]:
    """Themes and purity for each topic mix (`per_topic` papers of each topic)."""
    topic_of = {r["arxiv_id"]: r.get("topic") or "" for r in rows}
    out = {}
    for name, topics in MIXES.items():
        chosen = [r for t in topics for r in [r for r in rows if r.get("topic") == t][:per_topic]]
        outline = build_outline("survey", _papers(chosen), embedder)
        out[name] = {"papers": len(chosen), "themes": len(outline.themes),
                     "purity": round(purity(outline, topic_of), 3),
                     "titles": [t.title for t in outline.themes]}
    return out


def speed(rows: list[dict], embedder, n: int) -> dict[str, Any]:
    """Seconds per stage for `n` seed papers, and each as a ratio to embedding their abstracts."""
    chosen = random.Random(0).sample([r for r in rows if r.get("topic")], n)
    papers = _papers(chosen)
    started = time.perf_counter()
    embedder.embed([f"{p.paper.title}. {p.paper.abstract}" for p in papers])
    baseline = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(config_file=Path(home) / "none.toml", home=Path(home))
        library = services.library(settings, embedder)
        stored = [library.add(p.paper) for p in papers]
        times = {}
        started = time.perf_counter()
        outline = build_outline("multimodal video", stored, embedder)
        times["outline"] = time.perf_counter() - started
        started = time.perf_counter()
        draft = write_review(outline.topic, outline, stored, library, settings)
        times["write_extractive"] = time.perf_counter() - started
        started = time.perf_counter()
        _, verification = verify_draft(draft, library, stored)
        times["verify"] = time.perf_counter() - started
    return {"papers": n, "baseline_embed_s": round(baseline, 3),
            "seconds": {k: round(v, 3) for k, v in times.items()},
            "ratio_to_baseline": {k: round(v / baseline, 3) for k, v in times.items()},
            "statements": verification.statements, "unsupported": len(verification.unsupported),
            "unresolved": len(verification.unresolved), "words": len(draft.markdown.split())}


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=30, help="papers in the speed run")
    parser.add_argument("--per-topic", type=int, default=8, help="papers per topic in the purity run")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    embedder = load_embedder(MemorySettings())
    embedder.embed(["warm up"])
    result = {"outline": outline_quality(rows, embedder, args.per_topic), "speed": speed(rows, embedder, args.papers)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name, found in result["outline"].items():
            print(f"{name}: {found['themes']} themes, purity {found['purity']:.2f} — {', '.join(found['titles'])}")
        s = result["speed"]
        print(f"{s['papers']} papers: " + ", ".join(f"{k} {v:.2f}s (×{s['ratio_to_baseline'][k]:.2f})"
                                                   for k, v in s["seconds"].items())
              + f"; baseline embed {s['baseline_embed_s']:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
