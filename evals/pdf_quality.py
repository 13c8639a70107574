"""PDF parsing quality on the real papers of `../shared/data/pdfs`.

Per paper: figure captions the parser found in the text vs figures extracted with an image region
(caption recall), the same against the hand-counted truth in `datasets/pdf_truth.json` (so a
caption the parser never saw still counts as missed), tables found, sections, references against
the true count (±10% passes), whether every rendered PNG is non-blank, and crashes. Run:
`python -m evals.pdf_quality [--pdfs DIR] [--json]`; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

from tools.pdf.parse import PdfError, parse_pdf

TRUTH = Path(__file__).parent / "datasets" / "pdf_truth.json"
SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdfs"
RECALL_TARGET = 0.95
REFERENCE_TOLERANCE = 0.10


def png_is_blank(path: Path) -> bool:
    """Whether a PNG is empty, unreadable, or one flat colour."""
    import pymupdf

    try:
        pix = pymupdf.Pixmap(str(path))
    except (RuntimeError, ValueError, FileNotFoundError):
        return True
    pixels = np.frombuffer(pix.samples, dtype=np.uint8)
    return pixels.size == 0 or float(pixels.std()) < 1.0


def evaluate_paper(path: Path, truth: dict, figures_root: Path) -> dict:
    """Parse one PDF and score it against its truth entry."""
    row: dict = {"paper": path.name, "crashed": False}
    started = time.perf_counter()
    try:
        parsed = parse_pdf(path, figures_dir=figures_root / path.stem, password=truth.get("password"))
    except PdfError as error:
        return {**row, "error": str(error)}
    except Exception:  # noqa: BLE001 - an eval counts crashes instead of stopping at the first
        return {**row, "crashed": True, "error": traceback.format_exc(limit=3)}
    row["seconds"] = round(time.perf_counter() - started, 3)
    with_region = {f.number for f in parsed.figures if f.bbox[2] > f.bbox[0] and f.image_path}
    blank = [f.image_path for f in parsed.figures if f.image_path and png_is_blank(Path(f.image_path))]
    true_figures = set(truth.get("figures", {}))
    true_refs = truth.get("references")
    row.update({
        "pages": parsed.pages,
        "captions_found": len(parsed.figures),
        "figures_with_region": len(with_region),
        "caption_recall": _ratio(len(with_region), len(parsed.figures)),
        "true_figures": len(true_figures),
        "true_recall": _ratio(len(true_figures & with_region), len(true_figures)),
        "missed": sorted(true_figures - with_region),
        "vector_found": sorted(f.number for f in parsed.figures if f.vector and f.number in with_region),
        "tables_found": len(parsed.tables),
        "true_tables": len(truth.get("tables", {})),
        "tables_with_markdown": sum(1 for t in parsed.tables if t.markdown),
        "sections": len(parsed.sections),
        "references": len(parsed.references),
        "true_references": true_refs,
        "references_ok": None if true_refs is None else abs(len(parsed.references) - true_refs)
        <= REFERENCE_TOLERANCE * true_refs,
        "pngs": len([f for f in parsed.figures if f.image_path]),
        "blank_pngs": blank,
        "warnings": parsed.warnings,
    })
    return row


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def evaluate(pdf_dir: Path = SHARED_PDFS, truth_path: Path = TRUTH) -> dict:
    """Every paper of the truth file that exists in `pdf_dir`, plus the totals and verdicts."""
    truth = json.loads(truth_path.read_text())["papers"]
    with tempfile.TemporaryDirectory(prefix="pdf-quality-") as tmp:
        rows = [evaluate_paper(pdf_dir / name, entry, Path(tmp)) for name, entry in sorted(truth.items())
                if (pdf_dir / name).exists()]
    true_total = sum(r.get("true_figures", 0) for r in rows)
    true_hit = sum(round((r.get("true_recall") or 0) * r.get("true_figures", 0)) for r in rows)
    found = sum(r.get("captions_found", 0) for r in rows)
    with_region = sum(r.get("figures_with_region", 0) for r in rows)
    summary = {
        "papers": len(rows),
        "crashes": sum(r["crashed"] for r in rows),
        "caption_recall": _ratio(with_region, found),
        "true_recall": _ratio(true_hit, true_total),
        "blank_pngs": sum(len(r.get("blank_pngs", [])) for r in rows),
        "references_within_10pct": sum(1 for r in rows if r.get("references_ok")),
        "papers_with_bibliography": sum(1 for r in rows if r.get("true_references")),
    }
    summary["passed"] = bool(
        rows and summary["crashes"] == 0 and summary["blank_pngs"] == 0
        and (summary["true_recall"] or 0) >= RECALL_TARGET and (summary["caption_recall"] or 0) >= RECALL_TARGET
        and summary["references_within_10pct"] == summary["papers_with_bibliography"])
    return {"papers": rows, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED_PDFS, help="Folder of the shared PDFs.")
    parser.add_argument("--json", action="store_true", help="Print one JSON document.")
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        sys.exit(f"pdf_quality: no PDFs at {args.pdfs} (../shared/data/pdfs beside the checkout)")
    report = evaluate(args.pdfs)
    if args.json:
        print(json.dumps(report))
    else:
        _print(report)
    sys.exit(0 if report["summary"]["passed"] else 1)


def _print(report: dict) -> None:
    head = f"{'paper':44} {'pages':>5} {'capt':>4} {'fig':>4} {'recall':>6} {'truth':>6} {'tables':>7} " \
           f"{'sect':>4} {'refs':>8} {'blank':>5}"
    print(head)
    for r in report["papers"]:
        if "pages" not in r:
            print(f"{r['paper']:44} {'CRASH' if r['crashed'] else 'ERROR'}: {r.get('error', '').splitlines()[0]}")
            continue
        refs = f"{r['references']}/{r['true_references']}" if r["true_references"] else str(r["references"])
        print(f"{r['paper']:44} {r['pages']:5d} {r['captions_found']:4d} {r['figures_with_region']:4d} "
              f"{_pct(r['caption_recall']):>6} {_pct(r['true_recall']):>6} "
              f"{r['tables_found']:3d}/{r['true_tables']:<3d} {r['sections']:4d} {refs:>8} {len(r['blank_pngs']):5d}")
    s = report["summary"]
    print(f"\ncaption recall {_pct(s['caption_recall'])} (vs truth {_pct(s['true_recall'])}), "
          f"{s['crashes']} crashes, {s['blank_pngs']} blank PNGs, references within ±10% on "
          f"{s['references_within_10pct']}/{s['papers_with_bibliography']} papers: "
          f"{'PASS' if s['passed'] else 'FAIL'}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


if __name__ == "__main__":
    main()
