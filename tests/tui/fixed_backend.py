"""A backend that answers with fixed data, for the snapshot tests only.

Snapshots compare pixels: they need the same papers, runs, dates and ids on every machine and every
day, which a real data dir cannot give (run ids and `added` stamps carry the clock, paths carry the
temp dir). Every other TUI test uses the real `tui.backend.Backend` over the mirror and a real
library; this stand-in only replaces where the data comes from, never how the app handles it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from agent.ask.extractive import Answer
from agent.digest.build import Digest
from agent.ingest.pipeline import IngestResult
from agent.review.approval import Decision, DraftRequest, OutlineRequest, PaperBrief, PapersRequest
from agent.review.state import ReviewRequest
from agent.review.types import Outline, Theme
from agent.runs.events import BaseEvent
from agent.runs.registry import RunInfo
from agent.summary.extract import PaperSummary, summarize_extractive
from evals.mirror import SEED_CORPUS
from memory.records import LibraryPaper, Passage
from tests.fixtures.papers import sample_paper
from tools.paper import Candidate, Paper
from tools.search.topic import SearchOutcome
from tui.backend import BackendError, ProgressFn, TuiBackend

ROWS = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
VAD = [r for r in ROWS if r.get("topic") == "Video Anomaly Detection"][:6]
NOW = 1_790_000_000.0
"""The fixed clock of snapshot apps (2026-09-21)."""


def paper(row: dict) -> Paper:
    return Paper(arxiv_id=row["arxiv_id"], version=row.get("version") or "v1", title=row["title"],
                 authors=row.get("authors") or ["A. Author", "B. Author"], published=row.get("published") or "2024-01-01",
                 abstract=row["abstract"], categories=["cs.CV"])


def library() -> list[LibraryPaper]:
    """Six abstract-only seed papers and one parsed paper (with sections, figures, a description)."""
    records = [LibraryPaper(paper=paper(r), abstract_only=True, chunks=1, added=f"2026-09-{10 + n:02d}T08:00:00+00:00")
               for n, r in enumerate(VAD)]
    parsed = sample_paper()
    framegate = Paper(arxiv_id="2501.00001", version="v1", title=parsed.title, authors=parsed.authors,
                      published="2025-01-02", abstract=parsed.abstract, categories=["cs.CV"])
    records.append(LibraryPaper(paper=framegate, parsed=parsed, chunks=14, figures=2,
                                added="2026-09-20T09:30:00+00:00"))
    return records


def papers_request() -> PapersRequest:
    return PapersRequest(topic="video anomaly detection", queries=["video anomaly detection", "VAD"],
                         candidates=[Candidate(paper=paper(r), score=round(0.8 - n * 0.05, 2), reasons=[
                             "found by “video anomaly detection” (rank 1)", f"similarity to the topic {0.8 - n * 0.05:.2f}"])
                                     for n, r in enumerate(VAD)])


def outline_request() -> OutlineRequest:
    ids = [r["arxiv_id"] for r in VAD]
    outline = Outline(topic="video anomaly detection", title="Video Anomaly Detection: A Survey", themes=[
        Theme(title="Weakly supervised detection", key_phrases=["multiple instance", "weak labels"], paper_ids=ids[:3]),
        Theme(title="Reconstruction and prediction", key_phrases=["autoencoder"], paper_ids=ids[3:5]),
        Theme(title="Benchmarks", paper_ids=ids[5:])])
    return OutlineRequest(topic="video anomaly detection", outline=outline,
                          papers=[PaperBrief(arxiv_id=r["arxiv_id"], title=r["title"], status="abstract_only") for r in VAD])


def draft_request() -> DraftRequest:
    ids = [r["arxiv_id"] for r in VAD]
    markdown = "\n".join([
        "# Video Anomaly Detection: A Survey", "",
        "## Introduction", "",
        f"Anomaly detection in surveillance video flags rare events [@{ids[0]}]. Weak labels make it "
        f"practical at scale [@{ids[1]}].", "",
        "## Weakly supervised detection", "",
        "| Paper | Task | Datasets |", "|---|---|---|",
        f"| {VAD[0]['title'][:30]} | detection | UCF-Crime |", "",
        "## References", "", f"- {VAD[0]['title']}"])
    return DraftRequest(title="Video Anomaly Detection: A Survey", markdown=markdown, revision=0,
                        revisions_left=2, citations={"total": 2, "unresolved": 0, "unsupported": 0},
                        notes=[])


def runs() -> list[RunInfo]:
    common = dict(out_dir="/reviews/x", created="2026-09-21T08:00:00+00:00", updated="2026-09-21T08:05:00+00:00")
    return [
        RunInfo(run_id="20260921-c0ffee", topic="video anomaly detection", status="paused", gate="papers",
                timings={"plan": 0.3, "search": 4.2}, **common),
        RunInfo(run_id="20260920-beef01", topic="talking head generation", status="finished",
                timings={"plan": 0.2, "search": 3.1, "ingest": 12.4}, **common),
        RunInfo(run_id="20260919-abc123", topic="vision language models", status="failed", error="arXiv answered 503 four times", **common),
    ]


class FixedBackend:
    """The `tui.backend.TuiBackend` interface over the data above (runs never advance here)."""

    def __init__(self) -> None:
        self.records = library()
        self.settings: Any = None
        self.removed: list[str] = []

    def chat_model_name(self) -> str:
        return ""

    def agent_model(self) -> None:
        return None

    def close(self) -> None:
        pass

    def warm(self) -> dict[str, int]:
        return self.stats()

    def stats(self) -> dict[str, int]:
        return {"papers": len(self.records), "chunks": sum(r.chunks for r in self.records), "figures": 2}

    def papers(self) -> list[LibraryPaper]:
        return [r.model_copy(update={"parsed": None}) for r in self.records]

    def paper(self, arxiv_id: str) -> LibraryPaper | None:
        return next((r for r in self.records if r.paper.arxiv_id == arxiv_id), None)

    def remove(self, arxiv_id: str) -> bool:
        self.removed.append(arxiv_id)
        before = len(self.records)
        self.records = [r for r in self.records if r.paper.arxiv_id != arxiv_id]
        return len(self.records) < before

    def search(self, topic: str, max_results: int) -> SearchOutcome:
        return SearchOutcome(query=f'all:"{topic}"', results=[paper(r) for r in VAD][:max_results], requests=1)

    def ask(self, question: str, k: int = 8) -> Answer:
        text = ("From 2 papers in your library (extractive: no LLM configured):\n\n"
                "FrameGate: Fast Frame-Level Video Anomaly Detection (2501.00001)\n"
                "- FrameGate achieves 87.4% AUC on UCF-Crime. [2501.00001, §4.1 Results, p.6]\n\n"
                f"{VAD[0]['title']} ({VAD[0]['arxiv_id']})\n"
                f"- Anomalies are events that signify irregular behaviour. [{VAD[0]['arxiv_id']}, §Abstract]")
        passages = [Passage(arxiv_id="2501.00001", text="x", section="4.1 Results", page=6),
                    Passage(arxiv_id=VAD[0]["arxiv_id"], text="y", section="Abstract")]
        return Answer(question=question, answer=text, passages=passages)

    def runs(self, limit: int = 50) -> list[RunInfo]:
        return runs()

    def show(self, run_id: str) -> RunInfo:
        info = next(r for r in runs() if r.run_id == run_id)
        pending = papers_request().model_dump(mode="json") if info.status == "paused" else None
        return info.model_copy(update={"pending": pending})

    def ingest(self, items: list[str], progress: ProgressFn | None = None) -> list[IngestResult]:
        return [IngestResult(item=item, arxiv_id=item, status="failed", error="the fixed backend reads nothing")
                for item in items]

    def summarize(self, arxiv_id: str) -> PaperSummary:
        record = self.paper(arxiv_id)
        if record is None or record.parsed is None:
            raise BackendError(f"{arxiv_id} is not in the library")
        return summarize_extractive(record.parsed)

    def digest(self, keyword: str = "") -> Digest:
        return Digest(generated="2026-09-21T00:00:00+00:00", keywords=[])

    def cancel(self, run_id: str) -> RunInfo:
        return self.show(run_id).model_copy(update={"status": "cancelled"})

    def start_review(self, request: ReviewRequest, run_id: str | None = None) -> Iterator[BaseEvent]:
        return iter(())

    def resume(self, run_id: str, decision: Decision | None = None) -> Iterator[BaseEvent]:
        return iter(())


def _implements(backend: FixedBackend) -> TuiBackend:
    """The type checker's proof that this stand-in has every method the screens call."""
    return backend
