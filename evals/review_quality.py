"""Eval: does a review synthesize? Multi-paper citations, quotations, per-pair support, reported numbers.

    python -m evals.review_quality [--out out/review_quality] [--max-papers 12] [--skip-pdfs]
                                   [--measure DIR …]

It writes reviews the way a person does (`autoresearch review TOPIC --approve auto`, no LLM) of the
five seed topics, against the arXiv mirror over the seed corpus (abstracts only), and of the shared
PDFs (../shared/data/pdfs served by the mirror, so they are downloaded, parsed and stored in a temp
library), then measures each review.md:

- the share of citing sentences (outside headings, tables, figures and the appendix) that cite two
  or more papers, and the share of citing paragraphs that do;
- the share of citing sentences that are quotations (a quoted span of four words or more);
- the share of (sentence, cited paper) pairs supported according to `verify` (run.json), and
  according to an independent checker (`evals/support_check.py`); the checker's acceptance of
  parts checked against a paper of another review (another topic) is reported as its false-accept
  rate (papers of one review share facts, so a swap within it is no test);
- fabricated or unresolved citations (keys missing from references.bib, or reported by verify);
- cells of the "Reported results" tables whose number does not occur in the cited paper.

`--measure DIR` only measures reviews already written (each DIR holds review.md and run.json, and
the run's data dir at DIR/../home). Results go to stdout and `<out>/review_quality.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from agent import services
from agent.review.writers.sentences import split_sentences
from agent.settings import MemorySettings, load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer, PdfFolder
from evals.support_check import SupportChecker, sentence_parts
from memory.embeddings import load_embedder

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
SEED_TOPICS = ["video anomaly detection", "video understanding", "vision language model",
               "multimodal large language model", "talking head generation"]
PDF_RECORDS = REPO / "evals" / "datasets" / "shared_pdf_records.jsonl"
PDF_NAMES = {"2501.10120": "paperqa_pasa.pdf"}
PDF_TOPIC = "deep learning for documents, tables, citations, counting and paper search"
PDF_CATEGORIES = ["cs.CV", "cs.CL", "cs.HC", "cs.IR"]
TARGETS = {"multi_sentence": (">=", 0.30), "multi_paragraph": (">=", 0.60), "quotations": ("<=", 0.20),
           "verify_pairs": (">=", 0.95), "checker_pairs": (">=", 0.95), "unresolved": ("==", 0),
           "numbers_missing": ("==", 0)}
RESULTS_TITLE = "Reported Results"

_SKIP_LINE = ("|", "![", ":::", ": ", "<")
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_KEYS = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
_KEY = re.compile(r"@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")


def body_blocks(markdown: str) -> list[tuple[str, str]]:
    """(section, paragraph) for every prose paragraph before the references and the appendix."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    out, section = [], ""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if lines and lines[0].startswith("#"):
            section = lines[0].lstrip("#").strip()
            lines = lines[1:]
        if section in ("References", "Unverified Statements"):
            continue
        if lines and not lines[0].lstrip().startswith(_SKIP_LINE):
            out.append((section, " ".join(re.sub(r"^[-*+]\s+", "", line.strip()) for line in lines)))
    return out


def keys_of(text: str) -> list[str]:
    return list(dict.fromkeys(k for g in _KEYS.findall(text) for k in _KEY.findall(g)))


def is_quotation(sentence: str) -> bool:
    """A sentence that quotes four or more words verbatim."""
    return any(len((a or b).split()) >= 4 for a, b in _QUOTE.findall(sentence))


def stored_records(review_dir: Path, home: Path, embedder) -> dict:
    """The stored papers a review cites, by arXiv id (None where the library lost one)."""
    report = json.loads((review_dir / "run.json").read_text())
    library = services.library(load_settings(config_file=home / "none.toml", home=home), embedder)
    return {p["arxiv_id"]: library.get(p["arxiv_id"]) for p in report["papers"] if p.get("key")}


def measure(review_dir: Path, records: dict, foreign: dict, embedder) -> dict:
    """Every measure of one review (see the module docstring); `foreign`: papers of another
    review, to see whether the checker refuses parts checked against a paper they do not cite."""
    markdown = (review_dir / "review.md").read_text()
    report = json.loads((review_dir / "run.json").read_text())
    key_to_id = {p["key"]: p["arxiv_id"] for p in report["papers"] if p.get("key")}
    bib = (review_dir / "references.bib").read_text()
    bib_keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    sentences, paragraphs = [], []
    for _, paragraph in body_blocks(markdown):
        cited = [s for s in split_sentences(paragraph) if keys_of(s)]
        if cited:
            paragraphs.append(len(keys_of(paragraph)) >= 2)
            sentences += cited
    usable = {i: r for i, r in {**foreign, **records}.items() if r is not None}
    checker = SupportChecker(embedder, usable)
    pairs = [(part, key) for s in sentences for key, part in sentence_parts(s).items()]
    checked = [checker.check(part, key_to_id[key], key) for part, key in pairs
               if records.get(key_to_id.get(key, ""))]
    swapped = _swapped(checker, pairs, [i for i in foreign if i in usable and i not in records])
    used = {k for s in sentences for k in keys_of(s)} | set(_KEY.findall(" ".join(_KEYS.findall(markdown))))
    verification = report.get("verification", {})
    return {
        "review": str(review_dir), "papers": len(report["papers"]),
        "citing_sentences": len(sentences), "citing_paragraphs": len(paragraphs),
        "multi_sentence": _share(sum(len(keys_of(s)) >= 2 for s in sentences), len(sentences)),
        "multi_paragraph": _share(sum(paragraphs), len(paragraphs)),
        "quotations": _share(sum(is_quotation(s) for s in sentences), len(sentences)),
        "verify_pairs": _verify_share(verification),
        "checker_pairs": _share(sum(c.supported for c in checked), len(checked)),
        "checker_pairs_n": len(checked),
        "checker_false_accept": _share(sum(c.supported for c in swapped), len(swapped)),
        "unresolved": len(verification.get("unresolved", [])) + len(used - bib_keys),
        "numbers_missing": _numbers_missing(markdown, key_to_id, records),
        "results_cells": len(_result_cells(markdown)),
        "checker_unsupported": [c.__dict__ for c in checked if not c.supported][:20],
    }


def _swapped(checker, pairs, others: list[str]) -> list:
    """The same parts checked against papers of another review (the checker should refuse them)."""
    rng = random.Random(0)
    if not others:
        return []
    return [checker.check(part, rng.choice(sorted(others))) for part, _ in rng.sample(pairs, min(60, len(pairs)))]


def _verify_share(verification: dict) -> float | None:
    """Supported pairs according to verify: its per-pair counts, else its per-statement verdicts."""
    if "pairs" in verification:
        bad = len(verification.get("unsupported_pairs", []))
        return _share(verification["pairs"] - bad, verification["pairs"])
    total = verification.get("statements", 0)
    bad = len(verification.get("unsupported", []))
    return _share(total - bad, total)


def _result_cells(markdown: str) -> list[tuple[str, str]]:
    """(key, reported value) for each row of the Reported results tables."""
    section = markdown.split(f"# {RESULTS_TITLE}\n", 1)
    if len(section) < 2:
        return []
    body = section[1].split("\n# ", 1)[0]
    cells = []
    for line in body.splitlines():
        columns = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        keys = keys_of(columns[0]) if columns else []
        if keys and len(columns) >= 3:
            cells.append((keys[0], columns[2].replace("\\", "")))
    return cells


def _numbers_missing(markdown: str, key_to_id: dict, records: dict) -> int:
    """Reported-results cells whose value does not occur in the cited paper's text or tables."""
    def flat(text: str) -> str:
        return " " + " ".join(re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower())) + " "

    missing = 0
    for key, value in _result_cells(markdown):
        record = records.get(key_to_id.get(key, ""))
        parts = [record.paper.abstract, record.paper.title] if record else []
        if record and record.parsed:
            parts += [p.text for s in record.parsed.sections for p in s.paragraphs]
            parts += [t.markdown + " " + t.caption for t in record.parsed.tables] + [record.parsed.abstract]
        numbers = re.findall(r"\d+(?:\.\d+)?", value)
        if not record or not numbers or any(f" {n} " not in flat(" ".join(parts)) for n in numbers):
            missing += 1
    return missing


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def run_reviews(out: Path, max_papers: int, pdfs: bool) -> list[tuple[Path, Path]]:
    """Write the reviews (seed topics on the mirror; the shared PDFs); their (review dir, home)."""
    done = []
    base = {"AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0", "AUTORESEARCH_LLM__WRITER": "",
            "AUTORESEARCH_LLM__PLANNER": "", "HF_HUB_OFFLINE": "1"}
    with MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        env = {**base, "AUTORESEARCH_HOME": str(out / "seed" / "home"),
               "AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url}
        for topic in SEED_TOPICS:
            review = out / "seed" / topic.replace(" ", "-")
            _review(topic, review, env, ["--max-papers", str(max_papers)])
            done.append((review, out / "seed" / "home"))
    if pdfs and (SHARED / "pdfs").is_dir():
        with MirrorServer(Corpus.load(PDF_RECORDS), PdfFolder(SHARED / "pdfs", PDF_NAMES)) as mirror:
            env = {**base, "AUTORESEARCH_HOME": str(out / "pdfs" / "home"),
                   "AUTORESEARCH_ARXIV__API_URL": mirror.api_url, "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url}
            review = out / "pdfs" / "review"
            _review(PDF_TOPIC, review, env, ["--max-papers", "8", *(f"--category={c}" for c in PDF_CATEGORIES)])
            done.append((review, out / "pdfs" / "home"))
    return done


def _review(topic: str, out: Path, env: dict[str, str], extra: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "agent", "review", topic, "--approve", "auto",
                             "--out", str(out), "--json", *extra], cwd=REPO, env={**os.environ, **env},
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"review of {topic!r} failed ({result.returncode}): {result.stderr.strip()[-400:]}")


def pooled(rows: list[dict]) -> dict:
    """Sums over all reviews, weighted by what each measure counts."""
    def weighted(name: str, weight: str) -> float | None:
        pairs = [(r[name], r[weight]) for r in rows if r[name] is not None and r[weight]]
        total = sum(w for _, w in pairs)
        return round(sum(v * w for v, w in pairs) / total, 3) if total else None

    return {"multi_sentence": weighted("multi_sentence", "citing_sentences"),
            "multi_paragraph": weighted("multi_paragraph", "citing_paragraphs"),
            "quotations": weighted("quotations", "citing_sentences"),
            "verify_pairs": weighted("verify_pairs", "checker_pairs_n"),
            "checker_pairs": weighted("checker_pairs", "checker_pairs_n"),
            "checker_false_accept": weighted("checker_false_accept", "checker_pairs_n"),
            "unresolved": sum(r["unresolved"] for r in rows),
            "numbers_missing": sum(r["numbers_missing"] for r in rows),
            "results_cells": sum(r["results_cells"] for r in rows)}


def table(rows: list[dict], total: dict) -> str:
    names = ["multi_sentence", "multi_paragraph", "quotations", "verify_pairs", "checker_pairs",
             "checker_false_accept", "unresolved", "numbers_missing", "results_cells"]
    lines = [f"{'review':<34}" + "".join(f"{n[:13]:>14}" for n in names)]
    for row in [*rows, {"review": "ALL", **total}]:
        label = Path(row["review"]).name if row["review"] != "ALL" else "ALL"
        if label == "review":
            label = Path(row["review"]).parent.name
        lines.append(f"{label:<34}" + "".join(f"{'-' if row.get(n) is None else row[n]!s:>14}" for n in names))
    for name, (op, goal) in TARGETS.items():
        value = total.get(name)
        ok = value is not None and {">=": value >= goal, "<=": value <= goal, "==": value == goal}[op]
        lines.append(f"target {name} {op} {goal}: {value} ({'meets' if ok else 'misses'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/review_quality"))
    parser.add_argument("--max-papers", type=int, default=12)
    parser.add_argument("--skip-pdfs", action="store_true")
    parser.add_argument("--measure", type=Path, nargs="*", default=None)
    args = parser.parse_args(argv)
    if args.measure:
        reviews = [(d, d.parent / "home") for d in args.measure]
    else:
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        reviews = run_reviews(args.out, args.max_papers, not args.skip_pdfs)
    embedder = load_embedder(MemorySettings())
    stored = [stored_records(review, home, embedder) for review, home in reviews]
    rows = [measure(review, stored[n], stored[(n + 1) % len(stored)] if len(stored) > 1 else {}, embedder)
            for n, (review, _) in enumerate(reviews)]
    total = pooled(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "review_quality.json").write_text(json.dumps({"reviews": rows, "all": total}, indent=1))
    print(table(rows, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
