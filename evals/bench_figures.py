"""Benchmark: figures per second through the GPU figure reader at batch 1 versus batch N.

Both runs use the same loaded model in the same process, over the same figures (the four kinds
from `evals.figure_fixtures`, repeated), and every answer is forced to `--tokens` new tokens so the
two runs do the same work; the result is the ratio. Without `--model` it builds the tiny random
SmolVLM model (evals/tiny_vlm.py), which measures the reader's batching path, not a real model's
speed. The device and dtype are printed with the numbers.

    python -m evals.bench_figures [--model DIR_OR_NAME] [--figures 16] [--batch 8] [--tokens 32] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from agent.settings import FigureSettings
from evals.figure_fixtures import build_figure_pdf
from evals.tiny_vlm import build_tiny_vlm
from tools.figures.vlm import VLMReader


def _figures(folder: Path, count: int):
    """`count` figures cycled from the four fixture kinds, numbered 1…count."""
    base = build_figure_pdf(folder)
    return [base[i % len(base)].model_copy(update={"number": str(i + 1)}) for i in range(count)]


def _rate(reader, figures, batch: int) -> float:
    """Figures per second at one batch size (after a warm-up batch)."""
    reader.batch_size = batch
    reader.describe(figures[:batch])
    start = time.perf_counter()
    out = reader.describe(figures)
    elapsed = time.perf_counter() - start
    assert len(out) == len(figures) and reader.batch_size == batch, "a batch ran out of memory"
    return len(figures) / elapsed


def run(model: str, count: int, batch: int, tokens: int, device: str, dtype: str, work: Path) -> dict:
    """Measure batch 1 and batch `batch`; return the report."""
    import torch

    model = model or str(build_tiny_vlm(work / "tiny-smolvlm"))
    settings = FigureSettings(model=model, batch_size=batch, max_new_tokens=tokens, device=device, dtype=dtype)
    reader = VLMReader(settings)
    reader.load()
    reader._model.generation_config.min_new_tokens = tokens  # same work per figure in both runs
    figures = _figures(work / "figures", count)
    one = _rate(reader, figures, 1)
    many = _rate(reader, figures, batch)
    return {"model": model, "device": reader.device, "dtype": str(reader.dtype).replace("torch.", ""),
            "torch": torch.__version__, "threads": torch.get_num_threads(), "figures": count,
            "new_tokens": tokens, "batch": batch, "figures_per_s_batch1": round(one, 2),
            f"figures_per_s_batch{batch}": round(many, 2), "speedup": round(many / one, 2)}


def main(argv: list[str] | None = None) -> int:
    """Print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="", help="model folder or cached hub name (default: tiny random model)")
    parser.add_argument("--figures", type=int, default=16)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = run(args.model, args.figures, args.batch, args.tokens, args.device, args.dtype, Path(tmp))
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"model {report['model']} on {report['device']} ({report['dtype']}), torch {report['torch']}, "
          f"{report['threads']} threads; {args.figures} figures, {args.tokens} new tokens each")
    print(f"batch 1: {report['figures_per_s_batch1']:.2f} figures/s")
    print(f"batch {args.batch}: {report[f'figures_per_s_batch{args.batch}']:.2f} figures/s")
    print(f"speedup: {report['speedup']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
