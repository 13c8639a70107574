"""Memory benchmarks: embedding backends, ingest overhead, and `ask` latency at 20k chunks.

1. **backends**: sentence-transformers (torch) against the int8 ONNX graph on the same real
   chunks (the shared PDFs): texts/s each, and their cosine agreement (min / mean).
2. **ingest**: chunks/s of `Library.add` against bare embedding of exactly the texts it embeds
   (chunks, the paper's title + abstract), in the same process; the goal is ≤ 20 % overhead.
3. **ask**: p50 / p95 latency of `answer_question` (query embedding, MMR retrieval, figure
   search, extractive answer) over a store of 20k chunks. The 20k are built quickly: real chunks
   (shared PDFs + seed abstracts) are embedded once, then mixed pairwise into new unit vectors
   (0.7·a + 0.3·b + noise) carrying text a, spread over 500 synthetic papers.

Run: `python -m evals.bench_memory [--backends auto,torch] [--chunks 20000] [--json]`.
Timings are wall-clock on a shared machine: read ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

import numpy as np

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import MemorySettings, load_settings
from evals.ask_eval import QUESTIONS
from evals.memory_corpus import paper_for, parse, pdf_files, seed_papers
from memory.chunking import chunk_paper
from memory.embeddings import load_embedder
from memory.library import Library


def real_papers():
    """(Paper, ParsedPaper) for every readable shared PDF."""
    return [(paper_for(p), parse(p)) for p in pdf_files()]


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def cpu_timed(fn, *args):
    """(wall seconds, CPU seconds of this process, all threads, result): CPU time is what other
    people's work on a shared machine does not inflate."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bench_backends(texts: list[str]) -> dict:
    """Speed of each MiniLM backend on the same texts, and how far apart their vectors are."""
    out, vectors = {}, {}
    for backend in ("torch", "onnx"):
        model = load_embedder(MemorySettings(embedding_backend=backend))
        model.embed(texts[:8])  # load weights outside the timing
        seconds, cpu, vectors[backend] = cpu_timed(model.embed, texts)
        out[backend] = {"texts_per_s": round(len(texts) / seconds, 1),
                        "texts_per_cpu_s": round(len(texts) / cpu, 1), "name": model.name}
    cosine = np.sum(vectors["torch"] * vectors["onnx"], axis=1)
    out["agreement"] = {"min": round(float(cosine.min()), 4), "mean": round(float(cosine.mean()), 4),
                        "texts": len(texts)}
    out["onnx_speedup_wall"] = round(out["onnx"]["texts_per_s"] / out["torch"]["texts_per_s"], 2)
    out["onnx_speedup_cpu"] = round(out["onnx"]["texts_per_cpu_s"] / out["torch"]["texts_per_cpu_s"], 2)
    return out


def bench_ingest(backend: str, papers, repeats: int = 3) -> dict:
    """Best-of-`repeats` ingest time against best-of bare embedding of the same texts (wall and CPU)."""
    settings = MemorySettings(embedding_backend=backend)
    embedder = load_embedder(settings)
    embedder.embed(["warm up"])
    batches = []
    for paper, parsed in papers:
        chunks = [c.text for c in chunk_paper(paper, parsed, settings.chunk_chars, settings.chunk_overlap)]
        batches += [chunks[i:i + 64] for i in range(0, len(chunks), 64)] + [[f"{paper.title}. {paper.abstract}"]]
    n_chunks = sum(len(b) for b in batches) - len(papers)
    embed, ingest, noop_s = [], [], 0.0
    for _ in range(repeats):  # interleaved, so a burst of load elsewhere hits both sides alike
        embed.append(cpu_timed(lambda: [embedder.embed(b) for b in batches])[:2])
        with tempfile.TemporaryDirectory() as home:
            library = services.library(load_settings(home=home, memory={"embedding_backend": backend}), embedder)
            ingest.append(cpu_timed(lambda: [library.add(p, q) for p, q in papers])[:2])
            noop_s = timed(lambda: [library.add(p, q) for p, q in papers])[0]
            assert library.stats()["chunks"] == n_chunks
    wall_e, cpu_e = min(w for w, _ in embed), min(c for _, c in embed)
    wall_i, cpu_i = min(w for w, _ in ingest), min(c for _, c in ingest)
    return {"chunks": n_chunks, "papers": len(papers), "embed_chunks_per_s": round(n_chunks / wall_e, 1),
            "ingest_chunks_per_s": round(n_chunks / wall_i, 1), "overhead_wall": round(wall_i / wall_e - 1, 3),
            "overhead_cpu": round(cpu_i / cpu_e - 1, 3), "reingest_noop_s": round(noop_s, 3),
            "embed_wall_cpu_s": [[round(w, 2), round(c, 2)] for w, c in embed],
            "ingest_wall_cpu_s": [[round(w, 2), round(c, 2)] for w, c in ingest]}


def synthetic_store(library: Library, base_texts: list[str], base: np.ndarray, n: int, seed: int = 7) -> None:
    """Fill `library` with `n` chunks mixed from real ones, 40 per synthetic paper, and some figures."""
    rng = np.random.default_rng(seed)
    for start in range(0, n, 2000):
        size = min(2000, n - start)
        a, b = rng.integers(0, len(base), size), rng.integers(0, len(base), size)
        mixed = 0.7 * base[a] + 0.3 * base[b] + rng.normal(0, 0.02, (size, base.shape[1]))
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        numbers = range(start, start + size)
        library.store.upsert("chunks", [f"9{i // 40:04d}.00000:v1:{i % 40}" for i in numbers], mixed.astype(np.float32),
                             [base_texts[j] for j in a],
                             [{"arxiv_id": f"9{i // 40:04d}.00000", "version": "v1", "title": f"Synthetic {i // 40}",
                               "section": f"{i % 7} Section", "page": 1 + i % 12, "chunk": i % 40} for i in numbers])
    picks = rng.integers(0, len(base), n // 20)
    library.store.upsert("figures", [f"9{i:04d}.00000:v1:fig1" for i in range(len(picks))], base[picks],
                         [base_texts[j][:200] for j in picks],
                         [{"arxiv_id": f"9{i:04d}.00000", "version": "v1", "number": "1",
                           "caption": base_texts[j][:200], "page": 1} for i, j in enumerate(picks)])


def bench_ask(backend: str, base_texts: list[str], questions: list[str], n_chunks: int, rounds: int,
              cache: dict[str, np.ndarray]) -> dict:
    """p50 / p95 of `answer_question` over a store of `n_chunks` (plus its build time).

    The base vectors are embedded once per model identity: backends that agree share them.
    """
    embedder = load_embedder(MemorySettings(embedding_backend=backend))
    if embedder.name not in cache:
        cache[embedder.name] = embedder.embed(base_texts)
    base = cache[embedder.name]
    with tempfile.TemporaryDirectory() as home:
        library = services.library(load_settings(home=home), embedder)
        build_s = timed(synthetic_store, library, base_texts, base, n_chunks)[0]
        for question in questions[:3]:
            answer_question(library, question)  # warm caches outside the timing
        latencies, embed_only = [], []
        for _ in range(rounds):
            for question in questions:
                latencies.append(timed(answer_question, library, question, 8)[0])
                embed_only.append(timed(library.query_vector, question)[0])
        stored = library.stats()["chunks"]

    def pct(values, q):
        return round(1000 * float(np.percentile(values, q)), 1)

    return {"chunks": stored, "queries": len(latencies), "build_s": round(build_s, 1),
            "p50_ms": pct(latencies, 50), "p95_ms": pct(latencies, 95),
            "query_embedding_p50_ms": pct(embed_only, 50), "mean_ms": round(1000 * statistics.mean(latencies), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="auto,torch", help="Comma-separated: auto, torch, onnx.")
    parser.add_argument("--chunks", type=int, default=20_000)
    parser.add_argument("--ingest-papers", type=int, default=3, help="Shared PDFs ingested for the ratio.")
    parser.add_argument("--rounds", type=int, default=3, help="Passes over the question set for latency.")
    parser.add_argument("--skip-backends", action="store_true", help="Skip the torch-vs-ONNX comparison.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    papers = real_papers()
    texts = [c.text for p, q in papers for c in chunk_paper(p, q)]
    base_texts = texts + [f"{p.title}. {p.abstract}" for p in seed_papers()]
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines()]
    questions += [f"What does the paper '{p.title}' propose?" for p in seed_papers()[:40]]
    report, cache = ({} if args.skip_backends else {"backends": bench_backends(texts[:200])}), {}
    for backend in args.backends.split(","):
        report[f"ingest[{backend}]"] = bench_ingest(backend, papers[:args.ingest_papers])
        report[f"ask[{backend}]"] = bench_ask(backend, base_texts, questions, args.chunks, args.rounds, cache)
    if args.json:
        print(json.dumps(report))
        return
    for name, values in report.items():
        print(f"{name:14} {json.dumps(values)}")


if __name__ == "__main__":
    main()
