"""The review graph's state: what the run asked for, and what each stage has produced so far.

Everything here is checkpointed after every node, so it stays small and JSON-friendly: ids, paper
records, the outline, the draft. Big things (parsed papers, chunks, figures) live in the library
and are looked up by id. Fields written by more than one node (or more than once) have a reducer in
their `Annotated` type; every other field is replaced by the last node that returns it.
"""

from __future__ import annotations

import operator
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from agent.review.approval import GatePolicies
from agent.review.types import Draft, GateName, Outline, Verification
from agent.settings import Settings
from tools.paper import Candidate, Paper

IngestStatus = Literal["ingested", "abstract_only", "stored", "failed"]


class CollectionSpec(BaseModel):
    """Where a review's starting papers come from, instead of an arXiv search (`review --from-bib`)."""

    path: str = ""
    """A .bib, .ris or CSL-JSON file, or a `zotero.sqlite` (empty: `zotero.sqlite_path`)."""
    kind: Literal["bibtex", "ris", "csl-json", "zotero", "zotero-web"] | None = None
    """None: told by the file's extension and first line."""
    name: str = ""
    """A Zotero collection name (its subcollections included); empty: the whole library."""

    def describe(self) -> str:
        """"refs.bib", "Zotero (local): Reading list", …"""
        if self.kind in ("zotero", "zotero-web"):
            where = "Zotero web library" if self.kind == "zotero-web" else "Zotero (local)"
            return f"{where}: {self.name}" if self.name else where
        return Path(self.path).name


class ReviewRequest(BaseModel):
    """What a person asked for; a task file (`--task review.toml`) maps onto it."""

    topic: str = Field(min_length=1)
    max_papers: int | None = Field(default=None, ge=1, le=500)
    """Most papers proposed at the papers gate; None = `review.max_papers`."""
    categories: list[str] = Field(default_factory=list)
    """arXiv categories (any of them), e.g. `cs.CV`; empty = all."""
    since: date | None = None
    until: date | None = None
    out_dir: str = ""
    """Absolute output folder; the session fills `<home>/reviews/<run_id>` when empty."""
    format: Literal["md", "latex"] = "md"
    gates: GatePolicies | None = None
    """Per-gate policies; None = `review.approve_*`."""
    max_revisions: int | None = Field(default=None, ge=0)
    """None = `review.max_revisions`."""
    models: dict[str, str] = Field(default_factory=dict)
    """Chat models by role (`planner`, `writer`) for this run, over the settings' `llm.*`."""
    collection: CollectionSpec | None = None
    """Start from this collection (matched on OpenAlex or arXiv) instead of an arXiv search."""


class SearchPlan(BaseModel):
    """The plan stage's output: what to ask arXiv."""

    queries: list[str]
    """Plain-words topics or raw arXiv queries, most important first."""
    categories: list[str] = Field(default_factory=list)
    since: date | None = None
    until: date | None = None
    planner: str = "heuristic"
    """`heuristic`, or the model string that planned."""


class IngestOutcome(BaseModel):
    """What happened to one approved paper in the ingest stage."""

    arxiv_id: str
    version: str = ""
    status: IngestStatus
    """ingested (full text), abstract_only (no PDF to be had), stored (already in the library),
    failed (recorded and skipped)."""
    chunks: int = 0
    figures: int = 0
    message: str = ""


class GateRecord(BaseModel):
    """One decision taken at a gate, for the run's report."""

    gate: GateName
    action: str
    by: str = ""
    detail: str = ""


def merge(left: dict, right: dict) -> dict:
    """Reducer: union of two dicts, the newer value winning per key."""
    return {**left, **right}


def add_seconds(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    """Reducer: add stage timings (a stage that runs twice, e.g. a revised draft, sums up)."""
    out = dict(left)
    for stage, seconds in right.items():
        out[stage] = round(out.get(stage, 0.0) + seconds, 4)
    return out


def add_usage(left: dict[str, dict[str, Any]], right: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Reducer: add chat-model usage per stage (a cost becomes None once any part is unpriced)."""
    out = {stage: dict(tally) for stage, tally in left.items()}
    for stage, tally in right.items():
        mine = out.setdefault(stage, {"calls": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
        for key in ("calls", "input_tokens", "output_tokens"):
            mine[key] = mine.get(key, 0) + tally.get(key, 0)
        mine_cost, their_cost = mine.get("cost_usd"), tally.get("cost_usd")
        mine["cost_usd"] = None if mine_cost is None or their_cost is None else round(mine_cost + their_cost, 8)
    return out


@dataclass
class InputState:
    """What a run starts from."""

    request: ReviewRequest
    """The person's request, with defaults from settings resolved."""


@dataclass
class State(InputState):
    """Everything the review graph carries from stage to stage."""

    plan: SearchPlan | None = None
    """Queries, categories and dates to search (plan)."""
    candidates: list[Candidate] = field(default_factory=list)
    """Ranked papers proposed at the papers gate, with reasons (search)."""
    search: dict[str, Any] = field(default_factory=dict)
    """How the search went: requests, budget, pool size, why it stopped, queries (search)."""
    papers: list[Paper] = field(default_factory=list)
    """The papers the person approved, in order (gate_papers, then gate_cited)."""
    snowballed: bool = False
    """Whether the approved papers' references have been followed (snowball runs once)."""
    cited: list[Candidate] = field(default_factory=list)
    """Works the approved papers cite, ranked and explained, for the second papers gate (snowball)."""
    ingest: Annotated[dict[str, IngestOutcome], merge] = field(default_factory=dict)
    """Per approved paper id: how it was read (ingest)."""
    outline: Outline | None = None
    """The taxonomy, possibly edited at the outline gate (outline, gate_outline)."""
    draft: Draft | None = None
    """The latest draft; after verify, the cleaned one (draft, verify)."""
    verification: Verification | None = None
    """What verify found in the latest draft (verify)."""
    revision: int = 0
    """How many times the draft gate sent the draft back."""
    feedback: str = ""
    """The person's feedback for the next revision (gate_draft)."""
    draft_approved: bool = False
    """Set by gate_draft; routes to export instead of back to draft."""
    decisions: Annotated[list[GateRecord], operator.add] = field(default_factory=list)
    """Every gate decision, in order."""
    warnings: Annotated[list[str], operator.add] = field(default_factory=list)
    """Problems that did not stop the run (also sent as Warning events)."""
    timings: Annotated[dict[str, float], add_seconds] = field(default_factory=dict)
    """Wall seconds per stage."""
    llm_usage: Annotated[dict[str, dict[str, Any]], add_usage] = field(default_factory=dict)
    """Chat-model calls, tokens and cost per stage (kept in the state, so a resumed run's report
    still counts what earlier processes spent)."""
    outputs: list[str] = field(default_factory=list)
    """Files written by export."""


def checkpoint_types() -> list[tuple[str, str]]:
    """The pydantic models a checkpoint of `State` may hold, for the serializer's allowlist."""
    found: set[type[BaseModel]] = set()

    def visit(tp: object) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in found:
                return
            found.add(tp)
            for info in tp.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(tp):
            visit(arg)

    for hint in typing.get_type_hints(State, include_extras=True).values():
        visit(hint)
    return sorted((t.__module__, t.__name__) for t in found)


def resolve_request(request: ReviewRequest, settings: Settings, out_dir: Path) -> ReviewRequest:
    """Fill what the request left to the settings, so a resumed run never depends on them."""
    review = settings.review
    return request.model_copy(update={
        "max_papers": request.max_papers or review.max_papers,
        "gates": request.gates or GatePolicies.from_settings(review),
        "max_revisions": review.max_revisions if request.max_revisions is None else request.max_revisions,
        "out_dir": str(Path(request.out_dir or out_dir).expanduser().resolve()),
    })


def run_counts(state: State) -> dict[str, int]:
    """The numbers a finished run reports (Finished event, run.json)."""
    statuses = [o.status for o in state.ingest.values()]
    found = state.verification or Verification()
    return {"papers": len(state.papers), "llm_calls": sum(u.get("calls", 0) for u in state.llm_usage.values()), "ingested": statuses.count("ingested"),
            "stored": statuses.count("stored"), "abstract_only": statuses.count("abstract_only"),
            "failed": statuses.count("failed"), "themes": len(state.outline.themes) if state.outline else 0,
            "citations": found.total, "unresolved": len(found.unresolved),
            "unsupported": len(found.unsupported), "revisions": state.revision}
