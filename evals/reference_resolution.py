"""Reference resolution on the shared PDFs' bibliographies, against a local OpenAlex server.

There is no network here, so the OpenAlex server (`evals/openalex_server.py`) holds:
- one work per reference that names a scholarly work, written by hand from the reference (its real
  title, authors, year; venue, volume and first page for journal references) and checked against
  the raw reference: `evals/datasets/openalex/shared_pdf_references.jsonl` (the ground truth);
- for each of those, a hard negative: a work with the same title (or, for a journal reference,
  the same volume, page and year in another journal) by other authors, years apart — what a
  careless matcher would take;
- every record of the seed corpus and of ReportBench's corpus (8,479 real titles) as distractors,
  in OpenAlex's layout (arXiv preprints as OpenAlex lists them).

The PDFs are parsed with the project's parser and every reference is resolved through the real
client (`tools.sources.openalex.OpenAlexClient`) with the default threshold. A match is correct
when it is the planted work or a work with the same title and year (ReportBench holds copies of
famous papers); a match for a reference that names no work is wrong. The numbers therefore say how
well parsing + matching find a work that exists, among distractors — not how much of the real
literature OpenAlex covers. `--absent` leaves the planted works out, as when OpenAlex lacks them: then
only the hard negatives and the distractors remain, and any match that is not a same-titled copy
is wrong. Run: `python -m evals.reference_resolution [--json] [--sample 50] [--absent]`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from pathlib import Path

from evals.mirror import SEED_CORPUS
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import arxiv_works, make_work, work_id
from tools.document import Reference
from tools.pdf.parse import parse_pdf
from tools.ratelimit import HostLimiter
from tools.settings import OpenAlexSettings
from tools.sources.match import words
from tools.sources.openalex import OpenAlexClient
from tools.sources.resolve import Resolved, resolve_references

DATA = Path(__file__).parent / "datasets" / "openalex"
TRUTH = DATA / "shared_pdf_references.jsonl"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PDF_NAMES = {"1111.2011": "arxiv_1111.2011v2.pdf", "1804.07821": "arxiv_1804.07821v1.pdf",
             "2203.00274": "arxiv_2203.00274v2.pdf", "2302.07302": "arxiv_2302.07302v1.pdf",
             "2501.12948": "arxiv_2501.12948v1.pdf", "pasa": "paperqa_pasa.pdf"}


def load_truth(path: Path = TRUTH) -> list[dict]:
    """The hand-checked ground truth, one row per reference."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def truth_works(truth: list[dict], planted: bool = True) -> list[dict]:
    """The planted works (unless `planted` is false: the works are then missing, as when OpenAlex
    lacks them) and a hard negative for each."""
    works = []
    for row in (r for r in truth if r["work"]):
        seed = f"truth:{row['pdf']}:{row['index']}"
        title = row["title"] or f"(title not recorded) {row['venue']} {row['volume']}"
        works += [] if not planted else [make_work(seed=seed, title=title, authors=row["authors"], year=row["year"],
                               doi=row["doi"] or (f"10.48550/arxiv.{row['arxiv_id']}" if row["arxiv_id"] else ""),
                               venue=row["venue"], volume=row["volume"], first_page=row["first_page"],
                               arxiv_id=row["arxiv_id"], kind=row["kind"], cited_by_count=10)]
        venue = re.sub(r"\b([AB])$", lambda m: "A" if m.group(1) == "B" else "B", row["venue"]) if row["venue"] else ""
        works.append(make_work(seed=seed + ":negative", title=title, authors=["Jane Q. Otherauthor", "R. Someone"],
                               year=(row["year"] or 2000) + 4, venue=venue + (" Letters" if venue == row["venue"] else ""),
                               volume=row["volume"], first_page=row["first_page"]))
    return works


def corpus(truth: list[dict], planted: bool = True) -> list[dict]:
    """Everything the server answers from."""
    records = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    bench = SHARED / "reportbench" / "corpus.jsonl"
    if bench.is_file():
        records += [json.loads(line) for line in bench.read_text().splitlines() if line.strip()]
    return truth_works(truth, planted) + arxiv_works(records)


def parsed_references(pdfs: Path) -> dict[tuple[str, int], Reference]:
    """(paper, index) → the reference as the project's parser reads it."""
    out = {}
    for name, filename in PDF_NAMES.items():
        parsed = parse_pdf(pdfs / filename, figures_dir=None)
        for index, reference in enumerate(parsed.references):
            out[(name, index)] = reference
    return out


def judge(row: dict, item: Resolved) -> str:
    """`correct`, `wrong`, `refused` (no match) for one reference."""
    if item.match is None:
        return "refused"
    if not row["work"]:
        return "wrong"
    work = item.match.work
    if work.id == work_id(f"truth:{row['pdf']}:{row['index']}"):
        return "correct"
    same_title = row["title"] and words(work.title) == words(row["title"])
    return "correct" if same_title and work.year and abs(work.year - (row["year"] or 0)) <= 1 else "wrong"


def run(pdfs: Path, sample: int, seed: int = 7, planted: bool = True) -> dict:
    """Resolve every reference; the numbers, and a sample of matches to check by hand."""
    truth = load_truth()
    references = parsed_references(pdfs)
    rows = [r for r in truth if (r["pdf"], r["index"]) in references]
    with OpenAlexServer(corpus(truth, planted)) as server, tempfile.TemporaryDirectory() as tmp:
        settings = OpenAlexSettings(api_url=server.api_url, mailto="eval@example.org", min_interval_s=0.0,
                                    daily_budget=0)
        client = OpenAlexClient(settings, Path(tmp), HostLimiter(Path(tmp) / "locks", 0.0))
        resolved = resolve_references([references[(r["pdf"], r["index"])] for r in rows], client,
                                      settings.min_match)
        requests = client.requests_made
    verdicts = [judge(row, item) for row, item in zip(rows, resolved, strict=True)]
    return report(rows, resolved, verdicts, requests, sample, seed)


def report(rows: list[dict], resolved: list[Resolved], verdicts: list[str], requests: int, sample: int,
           seed: int) -> dict:
    """Totals, per paper and per way of matching, the wrong matches, and the sample."""
    works = [v for row, v in zip(rows, verdicts, strict=True) if row["work"]]
    ways: dict[str, int] = {}
    for item in resolved:
        if item.match is not None:
            way = item.match.how.split(" (")[0].split(",")[0]
            ways[way] = ways.get(way, 0) + 1
    per_paper = {}
    for name in PDF_NAMES:
        mine = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r["pdf"] == name]
        per_paper[name] = {"references": len(mine), "naming_works": sum(r["work"] for r, _ in mine),
                           "resolved": sum(v != "refused" for _, v in mine),
                           "wrong": sum(v == "wrong" for _, v in mine)}
    matched = [i for i, item in enumerate(resolved) if item.match is not None]
    picked = sorted(random.Random(seed).sample(matched, min(sample, len(matched))))
    return {
        "references": len(rows), "naming_works": len(works),
        "resolved": sum(v != "refused" for v in verdicts), "correct": verdicts.count("correct"),
        "wrong": verdicts.count("wrong"),
        "resolved_share_of_works": round(works.count("correct") / max(1, len(works)), 4),
        "resolved_share_of_all": round(verdicts.count("correct") / max(1, len(rows)), 4),
        "requests": requests, "by_way": ways, "per_paper": per_paper,
        "wrong_matches": [_line(rows[i], resolved[i]) for i, v in enumerate(verdicts) if v == "wrong"],
        "unresolved_works": [_line(rows[i], resolved[i]) for i, v in enumerate(verdicts)
                             if v == "refused" and rows[i]["work"]],
        "sample": [_line(rows[i], resolved[i]) for i in picked],
    }


def _line(row: dict, item: Resolved) -> dict:
    work = item.match.work if item.match else None
    return {"ref": f"{row['pdf']}#{row['index']}", "raw": re.sub(r"\s+", " ", row["raw"])[:150],
            "matched": f"{work.title[:90]} | {work.year} | {(work.authors or ['?'])[0]} | {work.venue[:30]}" if work else "",
            "how": item.match.how if item.match else item.note}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED / "pdfs")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--absent", action="store_true",
                        help="leave the planted works out: every match must then be to a same-titled copy, or refused")
    args = parser.parse_args()
    result = run(args.pdfs, args.sample, planted=not args.absent)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"{result['references']} references ({result['naming_works']} name a work): "
          f"{result['correct']} resolved correctly, {result['wrong']} wrong, {result['requests']} requests")
    print(f"resolved: {result['resolved_share_of_works']:.1%} of the references naming a work, "
          f"{result['resolved_share_of_all']:.1%} of all; by way: {result['by_way']}")
    for name, numbers in result["per_paper"].items():
        print(f"  {name}: {numbers}")
    for title, rows in (("wrong", result["wrong_matches"]), ("unresolved works", result["unresolved_works"]),
                        ("sample to check by hand", result["sample"])):
        print(f"\n{title} ({len(rows)}):")
        for line in rows:
            print(f"  {line['ref']}: {line['raw'][:110]}\n      -> {line['matched'] or '-'}  [{line['how']}]")


if __name__ == "__main__":
    main()
