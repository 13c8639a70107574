"""An answer from the library as a Slack message: the text with its citations as arXiv links,
then the papers it rests on."""

from __future__ import annotations

import re
from typing import Any

from agent.ask.extractive import Answer
from slackbot.blocks import context, mrkdwn
from slackbot.mrkdwn import chunks, cite_links, escape, paper_link
from tools.paper import ARXIV_ID_RE

_HEADING = re.compile(rf"^(?P<title>.+) \({ARXIV_ID_RE.pattern}\)$")
MAX_SECTIONS = 40
MAX_SOURCES = 8


def answer_message(answer: Answer) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for an answer; long answers are cut under Slack's block limit."""
    pieces = chunks(answer_mrkdwn(answer.answer))
    blocks = [mrkdwn(piece) for piece in pieces[:MAX_SECTIONS]]
    if len(pieces) > MAX_SECTIONS:
        blocks.append(context("…the answer goes on: ask `autoresearch ask` for all of it."))
    sources = _sources(answer)
    if sources:
        blocks.append(context("Sources: " + " · ".join(sources)))
    notes = []
    if answer.mode == "llm":
        notes.append("Written by the chat model from the passages above; every citation checked.")
    if answer.notice:
        notes.append(escape(answer.notice))
    if answer.removed_citations:
        notes.append(f"Removed {len(answer.removed_citations)} citation(s) that match no retrieved passage.")
    if notes:
        blocks.append(context(" ".join(notes)))
    return escape(answer.answer or answer.question)[:3000], blocks


def answer_mrkdwn(text: str) -> str:
    """The answer as mrkdwn: paper headings (`Title (2501.12948)`) bold links, citations links."""
    lines = []
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and not line.startswith(("- ", "Figures")):
            arxiv_id = heading.group("id") + (heading.group("version") or "")
            lines.append(f"*{paper_link(heading.group('id'), heading.group('title'))}* ({arxiv_id})")
        else:
            lines.append(cite_links(line))
    return "\n".join(lines)


def _sources(answer: Answer) -> list[str]:
    """The distinct papers behind the passages and figures, best first, as links."""
    seen: dict[str, str] = {}
    for passage in answer.passages:
        seen.setdefault(passage.arxiv_id, passage.title)
    for figure in answer.figures:
        seen.setdefault(figure.arxiv_id, "")
    links = []
    for arxiv_id, title in list(seen.items())[:MAX_SOURCES]:
        label = f"{title} ({arxiv_id})" if title else arxiv_id
        links.append(paper_link(arxiv_id, label[:150]) if not arxiv_id.startswith("local-") else escape(label))
    return links
