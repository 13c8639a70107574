"""How often the CPU figure reader names a figure's kind right, against hand labels.

`evals/datasets/figure_kinds.jsonl` holds the kind of every captioned figure in the shared PDFs,
labelled by a person looking at the rendered pages. This extracts the figures with the project's
parser (`tools.pdf.parse.parse_pdf`), describes them with the CPU reader, and reports accuracy, per-kind
recall and every miss (a labelled figure the parser did not find counts as a miss).

    python -m evals.figure_kinds [--data ../shared/data] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tools.figures.base import FigureInput
from tools.figures.cpu import CPUReader
from tools.pdf.parse import parse_pdf

LABELS = Path(__file__).parent / "datasets" / "figure_kinds.jsonl"
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def extract_figures(pdf: Path, out_dir: Path) -> list[FigureInput]:
    """A PDF's figures as reader inputs, extracted by the project's parser."""
    parsed = parse_pdf(pdf, figures_dir=out_dir / pdf.stem)
    return [FigureInput(number=f.number, caption=f.caption, image_path=f.image_path,
                        pdf_path=str(pdf), page=f.page, bbox=f.bbox, text_inside=f.text_inside)
            for f in parsed.figures]


def evaluate(data_dir: Path, out_dir: Path) -> dict:
    """Describe every labelled paper's figures and score the kinds."""
    labels = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    rows = []
    reader = CPUReader()
    for pdf in sorted({label["pdf"] for label in labels}):
        figures = extract_figures(data_dir / "pdfs" / pdf, out_dir)
        found = {d.number: d.kind for d in reader.describe(figures)}
        for label in (lab for lab in labels if lab["pdf"] == pdf):
            rows.append({"pdf": pdf, "number": label["number"], "label": label["kind"],
                         "predicted": found.get(label["number"], "(not extracted)")})
    extracted = [r for r in rows if r["predicted"] != "(not extracted)"]
    correct = sum(r["label"] == r["predicted"] for r in extracted)
    recall = {}
    for kind, total in Counter(r["label"] for r in extracted).items():
        hits = sum(r["label"] == r["predicted"] == kind for r in extracted)
        recall[kind] = {"correct": hits, "labelled": total}
    return {"extractor": "tools.pdf.parse.parse_pdf", "labelled": len(rows), "extracted": len(extracted),
            "correct": correct, "accuracy": round(correct / len(extracted), 3) if extracted else 0.0,
            "accuracy_over_labelled": round(correct / len(rows), 3) if rows else 0.0,
            "recall_by_kind": recall, "misses": [r for r in rows if r["label"] != r["predicted"]]}


def main(argv: list[str] | None = None) -> int:
    """Print the report (a table, or `--json`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "pdfs").is_dir():
        sys.stderr.write(f"figure_kinds: no PDFs under {args.data}/pdfs\n")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        report = evaluate(args.data, Path(tmp))
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"CPU reader kind accuracy: {report['correct']}/{report['extracted']} = {report['accuracy']:.1%} "
          f"({report['labelled']} labelled, {report['extracted']} extracted)")
    for kind, score in sorted(report["recall_by_kind"].items()):
        print(f"  {kind:12} {score['correct']}/{score['labelled']}")
    for miss in report["misses"]:
        print(f"  miss: {miss['pdf']} figure {miss['number']}: labelled {miss['label']}, got {miss['predicted']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
