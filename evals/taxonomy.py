"""The taxonomy eval: are the review's sections the ones a researcher would draw, over the right papers?

    python -m evals.taxonomy [--json] [--skip-pdfs]

(a) Sections vs topics: reviews of the mixed seed corpus (108 real records, abstracts only, served
    by the arXiv mirror) on broad topics, compared with the seed topic labels by adjusted Rand
    index over the labelled papers. Each paper's cluster is its top-level section; papers placed
    by kind (the surveys paragraph, "Datasets and benchmarks") are left out of the main number,
    which is also given with them counted as clusters of their own.
(b) Section names: the share passing the naming rule — 2–6 words, not made only of generic words
    (`tools.text.words`), and used (as consecutive words, stemmed) by at least half of the
    section's papers. Fixed names of structural sections (surveys, datasets, other) are counted
    apart. Also: one-paper sections in reviews of 4 or more papers.
(c) Statements: every cited sentence of reviews built from the eight shared PDFs (once through
    `review` against the mirror serving them, once from the PDFs ingested as local files), checked
    against an inventory of each PDF's furniture read straight from PyMuPDF (`evals.furniture`):
    running headers and footers, page numbers, the arXiv stamp, captions, tables, the reference
    list, affiliations. Titles written cut at punctuation (an unclosed bracket) are counted too.
(d) Single-topic reviews of the five seed topics: precision and recall of the reviewed set by
    topic label.

Every review runs the real graph with the extractive writer and every gate on `auto`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from agent import services
from agent.ingest.pipeline import ingest_local_pdf
from agent.review.approval import Decision, GatePolicies
from agent.review.context import ReviewServices
from agent.review.outline import build_outline, paper_text
from agent.review.state import ReviewRequest
from agent.review.taxonomy import paper_vectors, silhouettes
from agent.review.verify import cited_sentences, strip_appendix, verify_draft
from agent.review.writers import write_review
from agent.runs.session import ReviewSession
from agent.settings import MemorySettings, load_settings
from evals.furniture import inventory
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer, PdfFolder
from memory.embeddings import load_embedder
from tools.text import words
from tools.text.words import FUNCTION_WORDS, GENERIC_WORDS, stem

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
RECORDS = REPO / "evals" / "datasets" / "shared_pdf_records.jsonl"
PDF_NAMES = {"2501.10120": "paperqa_pasa.pdf"}
PASSWORDS = {"arxiv_2206.01062_page3_password_protected.pdf": "1234"}
BROAD_TOPICS = ["video understanding and generation", "multimodal models"]
SEED_TOPICS = ["Video Anomaly Detection", "Video Understanding", "Vision Language Model",
               "Multimodal Large Language Model", "Talking Head Generation"]
PDF_TOPIC = "deep learning for documents, tables, citations, counting, reasoning and paper search"
BROAD_PAPERS, SINGLE_PAPERS = 40, 20
STRUCTURAL = ("surveys", "datasets", "other")


# -- running reviews ---------------------------------------------------------------------------------

class Reviewer:
    """Reviews on one data dir against one mirror, sharing the embedder and library."""

    def __init__(self, home: Path, api_url: str, pdf_url: str, embedder: Any) -> None:
        self.settings = load_settings(config_file=home / "none.toml", home=home, arxiv={
            "api_url": api_url, "pdf_url": pdf_url, "min_interval_s": 0.0},
            openalex={"enabled": False})  # offline: no citation graph to ask
        self.services = ReviewServices(self.settings, embedder=embedder)

    def review(self, topic: str, max_papers: int, keep_all: bool = False) -> dict[str, Any]:
        """Run one review to the end (with `keep_all`, the papers gate keeps every candidate, as
        a person may); its run.json."""
        papers = "ask" if keep_all else "auto"
        request = ReviewRequest(topic=topic, max_papers=max_papers,
                                gates=GatePolicies(papers=papers, outline="auto", draft="auto"))
        with ReviewSession(self.settings, services=self.services) as session:
            events = list(session.start(request))
            while keep_all and type(events[-1]).__name__ == "ApprovalNeeded":
                every = [c["paper"]["arxiv_id"] for c in events[-1].request["candidates"]]
                decision = Decision(action="edit", keep=every, by="eval") if every else Decision(action="approve")
                events = list(session.resume(events[-1].run_id, decision))
        last = events[-1]
        if type(last).__name__ != "Finished":
            raise SystemExit(f"review of {topic!r} did not finish: {last}")
        run_json = Path(last.out_dir) / "run.json"
        report = json.loads(run_json.read_text())
        report["markdown"] = (run_json.parent / "review.md").read_text()
        return report


def sections(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Top-level sections as {title, kind, ids, subsections: [{title, ids}]}."""
    out = []
    for theme in (report.get("outline") or {}).get("themes", []):
        subs = [{"title": s["title"], "ids": list(s.get("paper_ids", []))}
                for s in theme.get("subthemes", [])]
        out.append({"title": theme["title"], "kind": theme.get("kind", "topic"),
                    "ids": list(theme.get("paper_ids", [])), "subsections": subs})
    return out


# -- (a) adjusted Rand index ---------------------------------------------------------------------------

def adjusted_rand(truth: list[str], found: list[str]) -> float:
    """Hubert & Arabie's adjusted Rand index of two labelings of the same items."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(truth, found)) if len(truth) > 1 else 1.0


def section_agreement(report: dict[str, Any], topic_of: dict[str, str]) -> dict[str, Any]:
    """ARI of top-level sections against topic labels: by-kind sections left out, and counted."""
    placed = [(pid, f"{n}") for n, s in enumerate(sections(report)) for pid in s["ids"]]
    labelled = [(pid, c) for pid, c in placed if topic_of.get(pid)]
    kinds = {f"{n}": s["kind"] for n, s in enumerate(sections(report))}
    main = [(pid, c) for pid, c in labelled if kinds[c] not in ("surveys", "datasets")]
    return {
        "papers": len(placed), "labelled": len(labelled), "by_kind": len(labelled) - len(main),
        "ari": round(adjusted_rand([topic_of[p] for p, _ in main], [c for _, c in main]), 3),
        "ari_all": round(adjusted_rand([topic_of[p] for p, _ in labelled], [c for _, c in labelled]), 3),
        "topics": dict(Counter(topic_of[p] for p, _ in labelled)),
        "sections": [f"{s['title']} ({len(s['ids'])})" + (
            " [" + "; ".join(f"{x['title']} ({len(x['ids'])})" for x in s["subsections"]) + "]"
            if s["subsections"] else "") for s in sections(report)],
    }


# -- (b) section names ------------------------------------------------------------------------------

def name_check(name: str, texts: list[str]) -> str:
    """Why a section name fails the naming rule (`` when it passes)."""
    tokens = re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", name)
    if not 2 <= len(tokens) <= 6:
        return f"{len(tokens)} words"
    generic = GENERIC_WORDS | _naming_generic()
    content = [t.lower() for t in tokens if t.lower() not in FUNCTION_WORDS]
    if not content or all(w in generic for w in content):
        return "only generic words"
    wanted = [stem(p) for t in content for p in re.split(r"['’-]", t) if p]
    users = sum(1 for text in texts if _uses(wanted, text))
    if users * 2 < len(texts):
        return f"used by {users} of {len(texts)} papers"
    return ""


def _naming_generic() -> frozenset[str]:
    return frozenset(getattr(words, "NAMING_WORDS", frozenset()))


def _uses(wanted: list[str], text: str) -> bool:
    """Whether `text` has the stems `wanted` as consecutive content words."""
    tokens = [stem(t) for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in FUNCTION_WORDS]
    size = len(wanted)
    return any(tokens[i:i + size] == wanted for i in range(len(tokens) - size + 1))


def placement(reports: list[dict[str, Any]], texts: dict[str, str], titles: dict[str, str],
              embedder: Any) -> dict[str, Any]:
    """Papers of topic sections closer to another section than to their own (negative silhouette,
    in the outline's own vectors), and sections of six or more papers without subsections."""
    negative, papers, unsplit = 0, 0, []
    for report in reports:
        own = report.get("texts", texts)
        topic = [s for s in sections(report) if s["kind"] == "topic"]
        ids = [i for s in topic for i in s["ids"] if i in own]
        unsplit += [s["title"] for s in topic if len(s["ids"]) >= 6 and not s["subsections"]]
        if len(topic) < 2:
            papers += len(ids)
            continue
        named = titles | {p["arxiv_id"]: p["title"] for p in report.get("papers", []) if p.get("text")}
        vectors = paper_vectors([named.get(i, "") for i in ids], [own[i] for i in ids], embedder)
        position = {i: n for n, i in enumerate(ids)}
        scores = silhouettes(vectors, [[position[i] for i in s["ids"] if i in position] for s in topic])
        negative += sum(1 for v in scores.values() if v < -1e-9)
        papers += len(ids)
    return {"papers": papers, "negative_silhouette": negative, "big_sections_without_subsections": unsplit}


def name_quality(reports: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, Any]:
    """Share of section names passing the rule, the failures, and one-paper sections."""
    checked, failures, structural, lonely = 0, [], 0, []
    for report in reports:
        papers = sum(len(s["ids"]) for s in sections(report))
        for section in sections(report):
            parts = [section] + [{**x, "kind": "topic"} for x in section["subsections"]]
            for part in parts:
                if len(part["ids"]) == 1 and papers >= 4 and section["kind"] != "surveys":
                    lonely.append(part["title"])
                if section["kind"] in STRUCTURAL and part is section:
                    structural += 1
                    continue
                checked += 1
                own = report.get("texts", texts)
                why = name_check(part["title"], [own[i] for i in part["ids"] if i in own])
                if why:
                    failures.append(f"{part['title']!r}: {why}")
    return {"names": checked, "pass": round(1 - len(failures) / max(1, checked), 3),
            "failures": failures, "structural": structural, "one_paper_sections": lonely}


# -- (c) statements --------------------------------------------------------------------------------

def statement_quality(markdowns: list[str], inventories: list[Any]) -> dict[str, Any]:
    """Cited sentences that borrow from the PDFs' furniture, by kind; titles cut at punctuation."""
    total, dirty = 0, []
    for markdown in markdowns:
        for section, sentence, _ in cited_sentences(strip_appendix(markdown)):
            if section in ("Comparison of Approaches", "References"):
                continue
            total += 1
            for inv in inventories:
                kind = inv.kind_of(sentence)
                if kind:
                    dirty.append({"kind": kind, "pdf": inv.name, "sentence": sentence[:240]})
                    break
    cut = [t for md in markdowns for t in re.findall(r"\*([^*\n]{3,200})\*", md)
           if t.count("(") != t.count(")") or t.count("[") != t.count("]")]
    return {"statements": total, "clean": round(1 - len(dirty) / max(1, total), 4),
            "dirty": len(dirty), "by_kind": dict(Counter(d["kind"] for d in dirty)),
            "examples": dirty[:8], "cut_titles": cut}


def shared_pdf_reviews(embedder: Any, work: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """A `review` of the eight PDFs through the mirror, and one from the PDFs as local files."""
    pdfs = SHARED / "pdfs"
    files = sorted(pdfs.glob("*.pdf"))
    inventories = [inventory(f, PASSWORDS.get(f.name)) for f in files]
    with MirrorServer(Corpus.load(RECORDS), PdfFolder(pdfs, PDF_NAMES)) as mirror:
        mirrored = Reviewer(work / "pdf-mirror", mirror.api_url, mirror.pdf_url, embedder)
        by_review = mirrored.review(PDF_TOPIC, len(files), keep_all=True)
    return [by_review, local_review(files, embedder, work / "pdf-local")], inventories


def local_review(files: list[Path], embedder: Any, home: Path) -> dict[str, Any]:
    """Ingest PDFs as local files (no arXiv metadata), then outline, write and verify them."""
    settings = load_settings(config_file=home / "none.toml", home=home)
    library = services.library(settings, embedder)
    ids = []
    for path in files:
        result = ingest_local_pdf(path, library=library, store=library.papers, settings=settings,
                                  password=PASSWORDS.get(path.name))
        if result.status != "failed":
            ids.append(result.arxiv_id)
    papers = [r for r in (library.get(i) for i in ids) if r is not None]
    outline = build_outline("documents, tables, citations and reasoning", papers, embedder)
    draft = write_review(outline.topic, outline, papers, library, settings)
    draft, _ = verify_draft(draft, library, papers)
    return {"outline": outline.model_dump(mode="json"), "markdown": draft.markdown,
            "papers": [{"arxiv_id": p.paper.arxiv_id, "title": p.paper.title, "text": paper_text(p)}
                       for p in papers]}


# -- (d) single-topic precision ---------------------------------------------------------------------

def reviewed_set(report: dict[str, Any]) -> set[str]:
    """The papers the review discusses (in its sections)."""
    return {pid for s in sections(report) for pid in s["ids"]}


def precision_recall(report: dict[str, Any], topic: str, topic_of: dict[str, str]) -> dict[str, Any]:
    found = reviewed_set(report)
    relevant = {p for p, t in topic_of.items() if t == topic}
    hits = len(found & relevant)
    return {"topic": topic, "reviewed": len(found), "labelled": len(relevant),
            "precision": round(hits / max(1, len(found)), 3), "recall": round(hits / max(1, len(relevant)), 3)}


# -- the run --------------------------------------------------------------------------------------

def evaluate(skip_pdfs: bool = False) -> dict[str, Any]:
    """All four measures."""
    rows = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    topic_of = {r["arxiv_id"]: r.get("topic") or "" for r in rows}
    texts = {r["arxiv_id"]: f"{r['title']}. {r['abstract']}" for r in rows}
    embedder = load_embedder(MemorySettings())
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        reviewer = Reviewer(Path(tmp) / "seed", mirror.api_url, mirror.pdf_url, embedder)
        broad = {t: reviewer.review(t, BROAD_PAPERS) for t in BROAD_TOPICS}
        single = {t: reviewer.review(t.lower(), SINGLE_PAPERS) for t in SEED_TOPICS}
        result["sections_vs_topics"] = {t: section_agreement(r, topic_of) for t, r in broad.items()}
        result["single_topic"] = [precision_recall(r, t, topic_of) for t, r in single.items()]
        reports = [*broad.values(), *single.values()]
        if not skip_pdfs and SHARED.is_dir():
            pdf_reports, inventories = shared_pdf_reviews(embedder, Path(tmp))
            for report in pdf_reports:
                report["texts"] = {**texts, **_report_texts(report)}
            result["statements"] = statement_quality([r["markdown"] for r in pdf_reports], inventories)
            result["pdf_sections"] = [[f"{s['title']} ({len(s['ids'])})" for s in sections(r)]
                                      for r in pdf_reports]
            reports += pdf_reports
        result["names"] = name_quality(reports, texts)
        titles = {r["arxiv_id"]: r["title"] for r in rows} | _record_titles()
        result["placement"] = placement(reports, texts, titles, embedder)
    aris = [v["ari"] for v in result["sections_vs_topics"].values()]
    result["summary"] = {"ari_mean": round(sum(aris) / len(aris), 3), "ari_min": min(aris),
                         "names_pass": result["names"]["pass"],
                         "one_paper_sections": len(result["names"]["one_paper_sections"]),
                         "negative_silhouette": result["placement"]["negative_silhouette"],
                         "precision_min": min(r["precision"] for r in result["single_topic"]),
                         "recall_mean": round(sum(r["recall"] for r in result["single_topic"]) / 5, 3)}
    if "statements" in result:
        result["summary"]["statements_clean"] = result["statements"]["clean"]
    return result


def _record_titles() -> dict[str, str]:
    rows = [json.loads(line) for line in RECORDS.read_text().splitlines() if line.strip()]
    return {r["arxiv_id"]: r["title"] for r in rows}


def _report_texts(report: dict[str, Any]) -> dict[str, str]:
    """Title + abstract of the papers of a PDF review (from their records), for the naming rule."""
    rows = [json.loads(line) for line in RECORDS.read_text().splitlines() if line.strip()]
    out = {r["arxiv_id"]: f"{r['title']}. {r['abstract']}" for r in rows}
    for paper in report.get("papers", []):
        if paper.get("text"):  # a review of local files: named from what was parsed
            out[paper["arxiv_id"]] = paper["text"]
        out.setdefault(paper["arxiv_id"], paper.get("title", ""))
    return out


def _print(result: dict[str, Any]) -> None:
    for topic, found in result["sections_vs_topics"].items():
        print(f"(a) {topic}: ARI {found['ari']:.2f} (all sections {found['ari_all']:.2f}) over "
              f"{found['labelled'] - found['by_kind']} labelled papers; {found['topics']}")
        print("    sections: " + " | ".join(found["sections"]))
    names = result["names"]
    print(f"(b) section names passing the rule: {names['pass']:.0%} of {names['names']} "
          f"(+{names['structural']} fixed structural names); one-paper sections: "
          f"{len(names['one_paper_sections'])}")
    for failure in names["failures"][:20]:
        print(f"    fails: {failure}")
    if "statements" in result:
        s = result["statements"]
        print(f"(c) statements clean: {s['clean']:.1%} of {s['statements']} ({s['dirty']} dirty: "
              f"{s['by_kind']}); titles cut at punctuation: {len(s['cut_titles'])}")
        for example in s["examples"]:
            print(f"    {example['kind']} ({example['pdf']}): {example['sentence'][:160]}")
        for listing in result["pdf_sections"]:
            print("    pdf review sections: " + " | ".join(listing))
    placed = result["placement"]
    print(f"    papers of topic sections with a negative silhouette: {placed['negative_silhouette']} of "
          f"{placed['papers']}; sections of 6+ papers without subsections: "
          f"{placed['big_sections_without_subsections']}")
    for row in result["single_topic"]:
        print(f"(d) {row['topic']}: precision {row['precision']:.2f}, recall {row['recall']:.2f} "
              f"({row['reviewed']} reviewed, {row['labelled']} labelled)")
    print("summary: " + json.dumps(result["summary"]))


def main(argv: list[str] | None = None) -> int:
    """Run the eval and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--skip-pdfs", action="store_true", help="leave out (c), the shared PDFs")
    args = parser.parse_args(argv)
    result = evaluate(args.skip_pdfs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    return 0 if not math.isnan(result["summary"]["ari_mean"]) else 1


if __name__ == "__main__":
    sys.exit(main())
