"""export: write review.md, references.bib, figures/ and run.json (the run's full report)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State, add_usage, run_counts
from tools.files import write_atomic

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("export")
def export(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Export the approved draft; run.json records what was asked, read, decided and measured."""
    context = runtime.context
    assert state.draft is not None and state.verification is not None
    started = time.perf_counter()
    out_dir = Path(state.request.out_dir)
    papers = library_papers(context.services, readable_ids(state))
    written = context.stages.export_review(state.draft, state.verification, papers, out_dir,
                                           run_meta(state, context), fmt=state.request.format)
    (out_dir / "figures").mkdir(exist_ok=True)  # always there, even for a review without figures
    _stamp_export_time(out_dir / "run.json", time.perf_counter() - started)
    report.progress(len(written), len(written), str(out_dir))
    return {"outputs": [str(p) for p in written]}


def run_meta(state: State, context: ReviewContext) -> dict[str, Any]:
    """What run.json says about the run, beside what the exporter adds (`ingest` lists every
    approved paper with how it was read, failed ones included)."""
    found, usage = state.verification, usage_report(state)
    assert found is not None
    papers = [{"arxiv_id": p.arxiv_id, "version": o.version, "title": p.title, "status": o.status,
               "chunks": o.chunks, "figures": o.figures, "message": o.message}
              for p in state.papers if (o := state.ingest.get(p.arxiv_id))]
    return {
        "run_id": context.run_id, "topic": state.request.topic,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "request": state.request.model_dump(mode="json"),
        "plan": state.plan.model_dump(mode="json") if state.plan else None,
        "search": dict(state.search),
        "outline": state.outline.model_dump(mode="json") if state.outline else None,
        "papers": papers, "ingest": papers, "counts": run_counts(state),
        "citations": {"total": found.total, "unresolved": len(found.unresolved),
                      "unsupported": len(found.unsupported)},
        "verification": found.model_dump(mode="json"),
        "timings": dict(state.timings),
        "decisions": [d.model_dump(mode="json") for d in state.decisions],
        "warnings": list(state.warnings), "writer": state.draft.writer if state.draft else "",
        "usage": usage, "tokens": {k: usage[k] for k in ("calls", "input_tokens", "output_tokens")},
        "cost_usd": usage["cost_usd"], "settings": context.settings.masked(),
    }


def _stamp_export_time(run_json: Path, seconds: float) -> None:
    """Add the export's own time to run.json (it is only known once the files are written)."""
    if not run_json.exists():
        return
    data = json.loads(run_json.read_text())
    data.setdefault("timings", {})["export"] = round(seconds, 4)
    write_atomic(run_json, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def usage_report(state: State) -> dict[str, Any]:
    """Chat-model calls, tokens and cost of the whole run, in total and per stage."""
    total = add_usage({}, {"total": {}})["total"]
    for tally in state.llm_usage.values():
        total = add_usage({"total": total}, {"total": tally})["total"]
    return {**total, "by_stage": dict(state.llm_usage)}
