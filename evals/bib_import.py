"""Import a real BibTeX file (50 entries of d2l.bib) and review from it, offline.

The local OpenAlex server holds a work for each entry, written by hand from what the paper is
(`evals/datasets/openalex/d2l_first50_works.jsonl`: title as published, full author names, the
year OpenAlex would give, arXiv ids of the preprints), a same-titled hard negative by other authors
for each, and the seed and ReportBench corpora as distractors; the arXiv mirror serves the same
corpora. Every entry is matched with the real reader and matcher; a match is correct when it is the
entry's work. With `--review`, `autoresearch review TOPIC --from-bib` then runs end to end against
both servers (no PDFs: papers are read from their metadata) and its exit code and counts are
reported. Run: `python -m evals.bib_import [--json] [--review]`.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from agent.cli.app import main as cli
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import arxiv_works, make_work, work_id
from tools.collections.load import load_collection
from tools.collections.match import match_entries
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient
from tools.settings import ArxivSettings, OpenAlexSettings
from tools.sources.openalex import OpenAlexClient

DATA = Path(__file__).parent / "datasets"
BIB = DATA / "collections" / "d2l_first50.bib"
WORKS = DATA / "openalex" / "d2l_first50_works.jsonl"
REPORTBENCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reportbench" / "corpus.jsonl"
TOPIC = "deep learning for language and vision"


def records() -> list[dict]:
    """The arXiv-style distractor records (seed corpus, and ReportBench's when present)."""
    paths = [SEED_CORPUS] + ([REPORTBENCH] if REPORTBENCH.is_file() else [])
    return [json.loads(line) for path in paths for line in path.read_text().splitlines() if line.strip()]


def works() -> list[dict]:
    """The entries' works, a hard negative for each, and the distractors."""
    out = []
    for row in (json.loads(line) for line in WORKS.read_text().splitlines() if line.strip()):
        out.append(make_work(seed=f"d2l:{row['entry']}", title=row["title"], authors=row["authors"], year=row["year"],
                             doi=f"10.48550/arxiv.{row['arxiv_id']}" if row["arxiv_id"] else "",
                             arxiv_id=row["arxiv_id"], kind=row["kind"], cited_by_count=100))
        out.append(make_work(seed=f"d2l:{row['entry']}:negative", title=row["title"], year=row["year"] + 4,
                             authors=["Jane Q. Otherauthor"]))
    return out + arxiv_works(records())


def import_bib(tmp: Path, openalex_url: str, arxiv_url: str) -> dict:
    """Match every entry; the counts, and each entry's outcome."""
    entries = load_collection(BIB)
    client = OpenAlexClient(OpenAlexSettings(api_url=openalex_url, min_interval_s=0, daily_budget=0),
                            tmp / "openalex", HostLimiter(tmp / "locks", 0))
    arxiv = ArxivClient(ArxivSettings(api_url=arxiv_url, min_interval_s=0), tmp / "arxiv", HostLimiter(tmp / "locks", 0))
    imported = match_entries(entries, client, arxiv, OpenAlexSettings().min_match)
    rows = []
    for item in imported:
        planted = work_id(f"d2l:{item.entry.key}")
        got = item.paper.openalex_id or item.paper.arxiv_id
        verdict = "unmatched" if not item.matched else "correct" if got == planted else "wrong"
        rows.append({"entry": item.entry.key, "verdict": verdict, "paper": item.paper.arxiv_id,
                     "score": item.score, "how": item.how})
    return {"entries": len(rows), "matched": sum(r["verdict"] != "unmatched" for r in rows),
            "correct": sum(r["verdict"] == "correct" for r in rows), "wrong": sum(r["verdict"] == "wrong" for r in rows),
            "requests": client.requests_made + arxiv.requests_made, "rows": rows}


def review(tmp: Path, openalex_url: str, mirror: MirrorServer) -> dict:
    """`autoresearch review TOPIC --from-bib d2l_first50.bib --approve auto`, in this process."""
    os.environ.update({"AUTORESEARCH_HOME": str(tmp / "home"), "AUTORESEARCH_CONFIG": str(tmp / "none.toml"),
                       "AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url,
                       "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0", "AUTORESEARCH_OPENALEX__API_URL": openalex_url,
                       "AUTORESEARCH_OPENALEX__MIN_INTERVAL_S": "0", "AUTORESEARCH_OPENALEX__ENABLED": "true",
                       "HF_HUB_OFFLINE": "1"})
    out = tmp / "review"
    code = cli(["review", TOPIC, "--from-bib", str(BIB), "--approve", "auto", "--max-papers", "50", "--out", str(out)])
    report = json.loads((out / "run.json").read_text()) if (out / "run.json").is_file() else {}
    files = sorted(p.name for p in out.glob("references.*"))
    return {"exit_code": code, "counts": report.get("counts", {}), "files": files,
            "search": report.get("search", {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--review", action="store_true", help="also run the review end to end")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, OpenAlexServer(works()) as openalex, \
            MirrorServer(Corpus.from_records(records())) as mirror:
        result = import_bib(Path(tmp), openalex.api_url, mirror.api_url)
        if args.review:
            result["review"] = review(Path(tmp), openalex.api_url, mirror)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"{result['entries']} entries: {result['matched']} matched ({result['matched'] / result['entries']:.0%}), "
          f"{result['correct']} correctly, {result['wrong']} wrong; {result['requests']} requests")
    for row in result["rows"]:
        if row["verdict"] != "correct":
            print(f"  {row['verdict']}: {row['entry']}: {row['how']}")
    if "review" in result:
        print(f"review: exit {result['review']['exit_code']}, counts {result['review']['counts']}, "
              f"files {result['review']['files']}")


if __name__ == "__main__":
    main()
