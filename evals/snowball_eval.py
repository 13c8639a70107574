"""Snowballing on real reference lists: do the papers the shared PDFs cite come in as candidates?

The shared PDFs (`../shared/data/pdfs`) are parsed with the project's parser; every reference it
reads becomes a record of a mirror corpus (the seed corpus stays in as distractors), and each paper
in turn is "approved" and snowballed through the mirror:

- a reference with an arXiv id becomes a record under that id, with the title, authors and year
  the reference itself gives (nothing is looked up online; the id is what the paper printed);
- a reference without an id but with a title becomes a record under a made-up id `0001.NNNNN`:
  new-style arXiv ids start at 0704 (April 2007), so 0001.x can never be a real paper's id and no
  record pretends to be one; it is what a title search must find, by title alone;
- a reference with neither is counted, not used.

Reported per paper, and for all papers approved at once: references read, with an id, with a
title only; the share of each found as candidates (a title match must land on the planted record:
a match to another record counts as wrong); candidates cited by more than one approved paper;
requests spent against the budget (counted at the mirror; the most cited works are looked up
first, so a tight budget drops the least cited). Titles are searched exactly as the parser read
them and the planted record carries that same title, so this measures the lookup (batching,
matching among distractors, the budget), not the parser's reading of titles. Run:
`python -m evals.snowball_eval [--json] [--budget N] [--pdfs DIR]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from agent.settings import load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from memory.embeddings import Embedder, load_embedder
from tools.document import ParsedPaper, Reference
from tools.paper import split_arxiv_id
from tools.pdf.parse import PdfError, parse_pdf
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.search.snowball import SnowballOutcome, snowball_search

SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdfs"
MADE_UP_PREFIX = "0001."


Planted = dict[tuple[str, int], str]
"""(citing paper, reference index) → the id of the record made for that reference."""


def reference_records(parsed: dict[str, ParsedPaper]) -> tuple[list[dict], Planted]:
    """Mirror records for every usable reference, and (citing id, index) → the id planted for it."""
    records: dict[str, dict] = {}
    planted: Planted = {}
    for citing, paper in parsed.items():
        for index, reference in enumerate(paper.references):
            arxiv_id = _printed_id(reference)
            if not arxiv_id and len(reference.title.split()) < 3:
                continue
            if not arxiv_id:
                arxiv_id = _title_ids(records).get(_flat(reference.title)) or \
                    f"{MADE_UP_PREFIX}{len(records) + 1:05d}"
            planted[(citing, index)] = arxiv_id
            records.setdefault(arxiv_id, _record(arxiv_id, reference))
    return list(records.values()), planted


def _printed_id(reference: Reference) -> str:
    try:
        return split_arxiv_id(reference.arxiv_id)[0] if reference.arxiv_id else ""
    except ValueError:
        return ""


def _title_ids(records: dict[str, dict]) -> dict[str, str]:
    return {_flat(r["title"]): i for i, r in records.items() if i.startswith(MADE_UP_PREFIX)}


def _record(arxiv_id: str, reference: Reference) -> dict:
    year = reference.year[:4] if reference.year[:4].isdigit() else ""
    return {"arxiv_id": arxiv_id, "title": reference.title or reference.raw[:120],
            "authors": reference.authors, "published": f"{year}-01-01" if year else "",
            "abstract": reference.raw}


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def evaluate(parsed: dict[str, ParsedPaper], embedder: Embedder, budget: int = 20) -> list[dict]:
    """Snowball each paper alone through a mirror holding every reference; one row per paper."""
    records, planted = reference_records(parsed)
    corpus = Corpus.load(SEED_CORPUS)
    known = {r["arxiv_id"] for r in corpus.records}
    for record in records:
        if record["arxiv_id"] not in known:
            corpus.add(record)
    rows = []
    groups = [{citing: paper} for citing, paper in parsed.items()]
    if len(parsed) > 1:
        groups.append(dict(parsed))  # every paper approved at once: shared citations add up
    with MirrorServer(corpus) as mirror:
        for approved in groups:
            with tempfile.TemporaryDirectory() as home:
                settings = load_settings(home=home, arxiv={"api_url": mirror.api_url,
                                                           "min_interval_s": 0.0})
                client = ArxivClient(settings.arxiv, Path(home) / "cache",
                                     HostLimiter(Path(home) / "locks", 0.0))
                before = len(mirror.api_hits())
                topic = "; ".join(p.title or i for i, p in approved.items())
                outcome = snowball_search(approved, client, embedder, topic, budget,
                                          max_results=10_000)
                hits = len(mirror.api_hits()) - before
                rows.append(_row(approved, planted, outcome, hits, budget))
    return rows


def _row(approved: dict[str, ParsedPaper], planted: Planted, outcome: SnowballOutcome, hits: int,
         budget: int) -> dict:
    found = {c.paper.arxiv_id for c in outcome.candidates}
    refs = [(c, i, r) for c, p in approved.items() for i, r in enumerate(p.references)
            if (c, i) in planted]
    with_id = {planted[(c, i)] for c, i, r in refs if _printed_id(r)} - set(approved)
    by_title = {planted[(c, i)] for c, i, r in refs if not _printed_id(r)}
    titled = [c for c in outcome.candidates if c.reasons[1].startswith("title matched")]
    wrong = [c for c in titled if c.paper.arxiv_id not in by_title]
    shared = [c for c in outcome.candidates if not c.reasons[0].startswith("cited by 1 ")]
    return {"paper": next(iter(approved)) if len(approved) == 1 else f"all {len(approved)}",
            "references": sum(len(p.references) for p in approved.values()),
            "with_id": len(with_id), "title_only": len(by_title),
            "found_with_id": round(len(found & with_id) / len(with_id), 4) if with_id else None,
            "found_by_title": round(len(found & by_title) / len(by_title), 4) if by_title else None,
            "wrong_title_matches": len(wrong), "candidates": len(outcome.candidates),
            "cited_by_several": len(shared), "requests": hits, "budget": budget}


def parse_shared(folder: Path = SHARED_PDFS) -> dict[str, ParsedPaper]:
    """Parse the shared PDFs that have an arXiv id in their name (edge-case files skipped)."""
    parsed: dict[str, ParsedPaper] = {}
    for path in sorted(folder.glob("*.pdf")):
        try:
            paper = parse_pdf(path, figures_dir=None)
        except PdfError as error:
            print(f"skipped {path.name}: {error}")
            continue
        key = paper.arxiv_id or path.stem
        if paper.references:
            parsed[key] = paper
    return parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=SHARED_PDFS)
    parser.add_argument("--budget", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    parsed = parse_shared(args.pdfs)
    rows = evaluate(parsed, load_embedder(load_settings().memory), args.budget)
    if args.json:
        print(json.dumps({"budget": args.budget, "rows": rows}))
        return
    print(f"{'paper':12} {'refs':>4} {'w/ id':>5} {'title':>5} {'found id':>8} {'found ti':>8} "
          f"{'wrong':>5} {'cited>1':>7} {'requests':>8}")
    for r in rows:
        print(f"{r['paper'][:12]:12} {r['references']:4d} {r['with_id']:5d} {r['title_only']:5d} "
              f"{_pct(r['found_with_id']):>8} {_pct(r['found_by_title']):>8} "
              f"{r['wrong_title_matches']:5d} {r['cited_by_several']:7d} "
              f"{r['requests']:5d}/{r['budget']}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


if __name__ == "__main__":
    main()
