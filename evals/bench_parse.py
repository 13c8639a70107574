"""Benchmark: full PDF parse speed against pymupdf4llm and bare text extraction, in one run.

Every method reads the same files in the same process, after one warm-up pass (imports, fonts,
the layout model), so the ratios compare like with like on whatever machine runs them:

- `parse`: `tools.pdf.parse.parse_pdf` with figures rendered to PNG at 150 dpi (what ingest runs);
- `parse, no PNGs`: the same without rendering (what `autoresearch parse` runs by default);
- `pymupdf4llm`: `pymupdf4llm.to_markdown` as installed (2.x uses its ONNX layout model);
- `pymupdf4llm classic`: `to_markdown` after `pymupdf4llm.use_layout(False)`;
- `get_text("dict")`: PyMuPDF's text extraction alone with its default flags (image data
  included), and `text only` (the flags the parser uses): the floor any parser pays.

Run: `python -m evals.bench_parse [--pdfs DIR] [--rounds N] [--json]` (best of N rounds).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from evals.pdf_quality import SHARED_PDFS, TRUTH
from tools import allow_pymupdf_layout
from tools.pdf.parse import parse_pdf

PASSWORDS = {name: entry["password"] for name, entry in json.loads(TRUTH.read_text())["papers"].items()
             if entry.get("password")}


def _open(path: Path):
    import pymupdf

    doc = pymupdf.open(path)
    if doc.needs_pass:
        doc.authenticate(PASSWORDS.get(path.name, ""))
    return doc


def _parse(render: bool) -> Callable[[Path, Path], None]:
    def run(path: Path, scratch: Path) -> None:
        parse_pdf(path, figures_dir=scratch / path.stem if render else None,
                  password=PASSWORDS.get(path.name))
    return run


def _dict(text_only: bool) -> Callable[[Path, Path], None]:
    def run(path: Path, scratch: Path) -> None:
        import pymupdf

        flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP if text_only else None
        with _open(path) as doc:
            for page in doc:
                page.get_text("dict", flags=flags)
    return run


def _markdown(layout: bool) -> Callable[[Path, Path], None]:
    def run(path: Path, scratch: Path) -> None:
        allow_pymupdf_layout()  # the product declines PyMuPDF's layout analyser; pymupdf4llm uses it
        import pymupdf4llm

        pymupdf4llm.use_layout(layout)
        quiet = io.StringIO()  # it prints OCR hints and parser messages
        with _open(path) as doc, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            pymupdf4llm.to_markdown(doc)
    return run


def measure(files: list[Path], run: Callable[[Path, Path], None], rounds: int) -> float:
    """Best wall time over `rounds` passes through all files."""
    best = float("inf")
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="bench-parse-") as scratch:
            started = time.perf_counter()
            for path in files:
                run(path, Path(scratch))
            best = min(best, time.perf_counter() - started)
    return best


def benchmark(pdf_dir: Path, rounds: int = 1, classic: bool = True) -> dict:
    """Pages per second for each method, and the ratios the targets are stated in."""
    files = sorted(pdf_dir.glob("*.pdf"))
    pages = 0
    for path in files:
        with _open(path) as doc:
            pages += doc.page_count
    methods: dict[str, Callable[[Path, Path], None]] = {
        "parse": _parse(True), "parse, no PNGs": _parse(False), "pymupdf4llm": _markdown(True),
        "get_text(\"dict\")": _dict(False), "get_text(\"dict\"), text only": _dict(True)}
    if classic:
        methods["pymupdf4llm classic"] = _markdown(False)
    for run in methods.values():  # warm-up: imports, fonts, the layout model
        run(files[0], Path(tempfile.gettempdir()))
    seconds = {name: measure(files, run, rounds) for name, run in methods.items()}
    speed = {name: round(pages / s, 2) for name, s in seconds.items()}
    ratios = {
        "parse / pymupdf4llm": round(speed["parse"] / speed["pymupdf4llm"], 1),
        "parse, no PNGs / pymupdf4llm": round(speed["parse, no PNGs"] / speed["pymupdf4llm"], 1),
        "parse / get_text(dict)": round(speed["parse"] / speed["get_text(\"dict\")"], 3),
        "parse / get_text(dict), text only": round(speed["parse"] / speed["get_text(\"dict\"), text only"], 3),
    }
    if classic:
        ratios["parse / pymupdf4llm classic"] = round(speed["parse"] / speed["pymupdf4llm classic"], 1)
    return {"files": len(files), "pages": pages, "rounds": rounds, "seconds": seconds,
            "pages_per_second": speed, "ratios": ratios, "versions": _versions()}


def _versions() -> dict[str, str]:
    import pymupdf
    import pymupdf4llm

    return {"pymupdf": pymupdf.__version__, "pymupdf4llm": getattr(pymupdf4llm, "__version__", "?")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED_PDFS)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-classic", action="store_true", help="Skip pymupdf4llm's classic path.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        sys.exit(f"bench_parse: no PDFs at {args.pdfs}")
    report = benchmark(args.pdfs, args.rounds, classic=not args.no_classic)
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['files']} files, {report['pages']} pages, best of {report['rounds']} "
          f"(pymupdf {report['versions']['pymupdf']}, pymupdf4llm {report['versions']['pymupdf4llm']})")
    for name, speed in report["pages_per_second"].items():
        print(f"  {name:28} {speed:8.2f} pages/s  ({report['seconds'][name]:.2f} s)")
    for name, ratio in report["ratios"].items():
        print(f"  {name:36} {ratio}×")


if __name__ == "__main__":
    main()
