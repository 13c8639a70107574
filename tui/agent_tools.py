"""The assistant's tools: search, ingest, ask, summarize, review — the chat's own commands.

Each tool runs the same backend call as its slash command and returns plain text for the model.
Starting a review always needs the person's confirmation; ingesting needs it above
`INGEST_WITHOUT_ASKING` papers (downloading one or two papers is what a person asked for when
they asked about them; twenty is a decision).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from agent.summary.render import render_summary_markdown
from tui.chat_agent import AgentTool

INGEST_WITHOUT_ASKING = 2
SUMMARY_CHARS = 4000


class SearchArgs(BaseModel):
    topic: str = Field(min_length=2, description="What to search arXiv for, in plain words")
    max_results: int = Field(default=10, ge=1, le=25, description="How many papers to list")


class IngestArgs(BaseModel):
    items: list[str] = Field(min_length=1, max_length=25,
                             description="arXiv ids (2501.12948), arXiv or PDF URLs, or paper titles")


class AskArgs(BaseModel):
    question: str = Field(min_length=2, description="A question about the papers in the library")


class SummarizeArgs(BaseModel):
    arxiv_id: str = Field(description="The arXiv id of a paper in the library")


class ReviewArgs(BaseModel):
    topic: str = Field(min_length=2, description="The literature review's topic")
    max_papers: int = Field(default=10, ge=2, le=50, description="Most papers to propose for approval")


def build_tools(backend: Any, start_review: Callable[[str, int], str]) -> list[AgentTool]:
    """The tools over `backend`; `start_review(topic, max_papers)` starts a run in the UI and
    says which (the run then pauses at the papers gate for the person)."""

    def search(args: SearchArgs) -> str:
        outcome = backend.search(args.topic, args.max_results)
        lines = [f"{len(outcome.results)} papers for {args.topic!r}:"]
        lines += [f"- {p.arxiv_id} ({p.year}) {p.title}" for p in outcome.results]
        return "\n".join(lines)

    def ingest(args: IngestArgs) -> str:
        results = backend.ingest(args.items)
        lines = [f"{sum(r.ok for r in results)} of {len(results)} read in full:"]
        lines += [f"- {r.arxiv_id or r.item}: {r.status}{' (' + r.error + ')' if r.error else ''} {r.title}"
                  for r in results]
        return "\n".join(lines)

    def ask(args: AskArgs) -> str:
        return backend.ask(args.question).answer

    def summarize(args: SummarizeArgs) -> str:
        return render_summary_markdown(backend.summarize(args.arxiv_id))[:SUMMARY_CHARS]

    def review(args: ReviewArgs) -> str:
        return start_review(args.topic, args.max_papers)

    return [
        AgentTool("search", "Search arXiv for papers on a topic (nothing is stored).", SearchArgs, search),
        AgentTool("ingest", "Download, read and store papers in the library.", IngestArgs, ingest,
                  confirm=_ingest_question),
        AgentTool("ask", "Answer a question from the library's papers, with citations.", AskArgs, ask),
        AgentTool("summarize", "Structured summary of one paper in the library.", SummarizeArgs, summarize),
        AgentTool("review", "Start a literature review run; the person approves papers, outline and "
                            "draft in the app.", ReviewArgs, review, confirm=_review_question),
    ]


def _ingest_question(args: IngestArgs) -> str:
    if len(args.items) <= INGEST_WITHOUT_ASKING:
        return ""
    shown = ", ".join(args.items[:6]) + (" …" if len(args.items) > 6 else "")
    return f"The assistant wants to ingest {len(args.items)} papers ({shown}): download and read them into the library?"


def _review_question(args: ReviewArgs) -> str:
    return (f"The assistant wants to start a literature review of “{args.topic}” (up to {args.max_papers} "
            "papers). You will approve the papers, the outline and the draft. Start it?")
