"""Does `ask` find the passage that answers a question? hit@5 over the shared PDFs.

Ingests `../shared/data/pdfs` (plus, by default, the 108 seed abstracts as distractors) into a
fresh library, asks each question in `evals/datasets/ask_questions.jsonl` exactly as `autoresearch
ask` does, and reports paper hit@5 (a top-5 passage comes from the right paper), passage hit@5 (a
top-5 passage contains the answering sentence) and the mean reciprocal rank of the right paper.
Run: `python -m evals.ask_eval [--no-seed] [--backend auto|torch|onnx] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import load_settings
from evals.memory_corpus import SHARED_PDFS, paper_for, parse, pdf_files, seed_papers
from memory.library import Library

QUESTIONS = Path(__file__).parent / "datasets" / "ask_questions.jsonl"


def normalise(text: str) -> str:
    """Compare text the way a reader would: ligatures unfolded, line-break hyphens joined."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
    return re.sub(r"(\w)- ?(\w)", r"\1\2", text).lower()  # "fine-tuning" = "fine- tuning"


def build(library: Library, pdfs: Path, with_seed: bool) -> dict:
    """Ingest the PDFs (and seed abstracts); how long it took and how much was stored."""
    start = time.perf_counter()
    for path in pdf_files(pdfs):
        library.add(paper_for(path), parse(path))
    if with_seed:
        for paper in seed_papers():
            library.add(paper)
    return {**library.stats(), "ingest_s": round(time.perf_counter() - start, 1)}


def evaluate(library: Library, k: int = 5, diversity: float = 0.15) -> list[dict]:
    """Ask every question; one row per question."""
    rows = []
    for line in QUESTIONS.read_text().splitlines():
        item = json.loads(line)
        answer = answer_question(library, item["question"], k, diversity=diversity)
        ids = [p.arxiv_id for p in answer.passages]
        rank = ids.index(item["arxiv_id"]) + 1 if item["arxiv_id"] in ids else 0
        sentence = normalise(item["answer"])
        rows.append({"question": item["question"], "arxiv_id": item["arxiv_id"], "paper_rank": rank,
                     "paper_hit": rank > 0,
                     "passage_hit": any(sentence in normalise(p.text) for p in answer.passages),
                     "top": answer.passages[0].citation() if answer.passages else ""})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED_PDFS)
    parser.add_argument("--no-seed", action="store_true", help="Leave out the seed abstracts (distractors).")
    parser.add_argument("--backend", default="auto", choices=["auto", "torch", "onnx"])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        raise SystemExit(f"no PDFs at {args.pdfs} (../shared/data/pdfs beside the checkout)")
    with tempfile.TemporaryDirectory() as home:
        library = services.library(load_settings(home=home, memory={"embedding_backend": args.backend}))
        stored = build(library, args.pdfs, not args.no_seed)
        rows = evaluate(library, args.k)
    n = len(rows)
    summary = {"questions": n, f"paper_hit@{args.k}": sum(r["paper_hit"] for r in rows) / n,
               f"passage_hit@{args.k}": sum(r["passage_hit"] for r in rows) / n,
               "paper_mrr": round(sum(1 / r["paper_rank"] for r in rows if r["paper_rank"]) / n, 3),
               "stored": stored, "backend": getattr(library.embedder, "backend", "")}
    if args.json:
        print(json.dumps({**summary, "rows": rows}))
        return
    for r in rows:
        print(f"{'ok ' if r['paper_hit'] else 'MISS'} {'p' if r['passage_hit'] else '-'} "
              f"rank={r['paper_rank']} {r['arxiv_id']:11} {r['question'][:70]}  top={r['top']}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
