"""Block Kit for the review gates: the paper checklist, the outline (message and modal), the draft
summary with Approve / Revise and its feedback modal, and how an answered gate looks.

Every builder stays under Slack's limits (50 blocks a message, 3,000 characters a section, 75 a
button label, 2,000 a button value, 3,000 a text input, 24 a modal title); the parsing side of
each form (`selection`, `outline_text`, `feedback_text`) sits beside the builder that made it.
"""

from __future__ import annotations

from typing import Any

from agent.review.approval import DraftRequest, OutlineRequest, PapersRequest, outline_to_markdown
from slackbot.mrkdwn import escape, link, markdown_excerpt
from slackbot.refs import GateRef, ModalMeta

Block = dict[str, Any]
PAPER_KEEP, PAPERS_APPROVE, PAPERS_KEEP_ALL = "paper_keep", "papers_approve", "papers_keep_all"
OUTLINE_APPROVE, OUTLINE_OPEN, OUTLINE_VIEW = "outline_approve", "outline_open", "outline_submit"
DRAFT_APPROVE, DRAFT_REVISE, FEEDBACK_VIEW = "draft_approve", "draft_revise", "draft_feedback"
GATE_ACTIONS = (PAPERS_APPROVE, PAPERS_KEEP_ALL, OUTLINE_APPROVE, OUTLINE_OPEN, DRAFT_APPROVE, DRAFT_REVISE)
OUTLINE_BLOCK, OUTLINE_INPUT, FEEDBACK_BLOCK, FEEDBACK_INPUT = "outline", "markdown", "feedback", "text"
MAX_LISTED = 40
"""Candidates or themes listed in one message (the rest of Slack's 50 blocks frame them)."""
INPUT_CHARS = 3_000


def mrkdwn(text: str) -> Block:
    """A section of mrkdwn (cut to Slack's 3,000 characters)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def context(text: str) -> Block:
    """A small grey line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def button(label: str, action_id: str, value: str, style: str = "") -> Block:
    """A button; `primary` (green) or `danger` (red) when `style` says so."""
    element: Block = {"type": "button", "text": {"type": "plain_text", "text": label[:75]},
                      "action_id": action_id, "value": value[:2000]}
    return {**element, "style": style} if style else element


def actions(block_id: str, *buttons: Block) -> Block:
    """A row of buttons."""
    return {"type": "actions", "block_id": block_id, "elements": list(buttons)}


# -- gate 1: papers --------------------------------------------------------------------------------

def papers_message(ref: GateRef, request: PapersRequest) -> tuple[str, list[Block]]:
    """The checklist: one ticked box per candidate, with its reasons; Approve selected / Keep all."""
    shown = request.candidates[:MAX_LISTED]
    blocks = [mrkdwn(f":raised_hand: *Papers gate*: {len(request.candidates)} candidates for "
                     f"“{escape(request.topic)}”. Untick what should not be in the review, then "
                     "*Approve selected*; or *Keep all*.")]
    if request.queries:
        blocks.append(context("Searched: " + " · ".join(f"`{escape(q)[:120]}`" for q in request.queries[:8])))
    for rank, candidate in enumerate(shown, start=1):
        paper = candidate.paper
        reasons = escape(" · ".join(candidate.reasons))[:600] or "no reason recorded"
        relevance = "" if candidate.relevance is None else f" · relevance {candidate.relevance:.2f}"
        flag = f"\n:warning: _unticked: {escape(candidate.flag)[:300]}_" if candidate.flag else ""
        why = f"\n{escape(candidate.reason)[:300]}" if candidate.reason else ""
        text = (f"*{rank}. {link(paper.abs_url, paper.title)}*  {paper.year} · score {candidate.score:.2f}"
                f"{relevance}{flag}{why}\n_{reasons}_")
        option = {"text": {"type": "mrkdwn", "text": "keep"}, "value": paper.arxiv_id}
        box = {"type": "checkboxes", "action_id": PAPER_KEEP, "options": [option]}
        blocks.append({**mrkdwn(text), "block_id": f"paper:{paper.arxiv_id}",
                       "accessory": box if candidate.flag else {**box, "initial_options": [option]}})
    if len(request.candidates) > len(shown):
        blocks.append(context(f"…and {len(request.candidates) - len(shown)} more, all kept (drop them with "
                              f"`autoresearch runs approve {ref.run} --drop ID,ID`)."))
    blocks.append(actions("papers_gate", button("Approve selected", PAPERS_APPROVE, ref.value(), "primary"),
                          button("Keep all", PAPERS_KEEP_ALL, ref.value())))
    return f"Papers gate: {len(request.candidates)} candidates for {request.topic}", blocks


def selection(state_values: dict[str, Any], request: PapersRequest) -> tuple[list[str], list[str]]:
    """(kept, dropped) arXiv ids from the checklist's state; a candidate whose box is not in it
    stays as proposed (kept, unless flagged)."""
    kept, dropped = [], []
    for candidate in request.candidates:
        arxiv_id = candidate.paper.arxiv_id
        box = (state_values.get(f"paper:{arxiv_id}") or {}).get(PAPER_KEEP)
        ticked = (not candidate.flag if box is None
                  else any(o.get("value") == arxiv_id for o in box.get("selected_options") or []))
        (kept if ticked else dropped).append(arxiv_id)
    return kept, dropped


# -- gate 2: outline -------------------------------------------------------------------------------

def outline_message(ref: GateRef, request: OutlineRequest) -> tuple[str, list[Block]]:
    """The proposed taxonomy, one section per theme; Approve outline / Edit outline…"""
    titles = {p.arxiv_id: p.title for p in request.papers}
    outline = request.outline
    blocks = [mrkdwn(f":raised_hand: *Outline gate*: “{escape(outline.title)}”, {len(outline.themes)} themes "
                     f"over {len(request.papers)} papers.")]
    for number, theme in enumerate(outline.themes[:MAX_LISTED], start=1):
        kind = f"  ({theme.kind})" if theme.kind != "topic" else ""
        lines = [f"*{number}. {escape(theme.title)}*{kind}"]
        if theme.key_phrases:
            lines.append("_" + escape(", ".join(theme.key_phrases))[:300] + "_")
        own = theme.direct_ids() if theme.subthemes else theme.paper_ids
        lines += [f"• {link(f'https://arxiv.org/abs/{pid}', titles.get(pid) or pid)}" for pid in own]
        for sub_number, sub in enumerate(theme.subthemes, start=1):
            lines.append(f"*{number}.{sub_number} {escape(sub.title)}*")
            lines += [f"    ◦ {link(f'https://arxiv.org/abs/{pid}', titles.get(pid) or pid)}" for pid in sub.paper_ids]
        blocks.append(mrkdwn("\n".join(lines)))
    if outline.left_out:
        blocks.append(context("Left out: " + "; ".join(
            f"{escape(titles.get(pid) or pid)} ({escape(why)})" for pid, why in outline.left_out.items())))
    blocks.append(actions("outline_gate", button("Approve outline", OUTLINE_APPROVE, ref.value(), "primary"),
                          button("Edit outline…", OUTLINE_OPEN, ref.value())))
    return f"Outline gate: {outline.title}", blocks


def outline_text(request: OutlineRequest) -> str:
    """The outline as editable Markdown: with titles when it fits a text input, else ids only."""
    titles = {p.arxiv_id: p.title for p in request.papers}
    text = outline_to_markdown(request.outline, titles)
    return text if len(text) <= INPUT_CHARS else outline_to_markdown(request.outline)


def outline_modal(meta: ModalMeta, request: OutlineRequest) -> Block:
    """The outline in a modal: edit titles, order and membership; submitting approves it."""
    text = outline_text(request)
    blocks = [mrkdwn("One `## Theme` per section, `### Subsection` under it, one `- id  title` line per "
                     "paper. Submitting approves the outline as it stands here.")]
    if len(text) <= INPUT_CHARS:
        blocks.append({"type": "input", "block_id": OUTLINE_BLOCK, "label": {"type": "plain_text", "text": "Outline"},
                       "element": {"type": "plain_text_input", "action_id": OUTLINE_INPUT, "multiline": True,
                                   "initial_value": text, "max_length": INPUT_CHARS}})
    else:
        blocks.append(mrkdwn(f"This outline is too long to edit in Slack: approve it here, or edit it with "
                             f"`autoresearch runs approve {meta.ref.run} --outline outline.md`."))
    return _modal(OUTLINE_VIEW, "Outline", "Approve", meta, blocks)


def submitted_text(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """A text input's value from a submitted view (None when the modal had no such input)."""
    field = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(action_id)
    return None if field is None else (field.get("value") or "")


# -- gate 3: draft ---------------------------------------------------------------------------------

def draft_message(ref: GateRef, request: DraftRequest) -> tuple[str, list[Block]]:
    """The draft's summary and opening; Approve / Revise… (while revisions are left)."""
    c = request.citations
    summary = (f":raised_hand: *Draft gate*: *{escape(request.title)}* (revision {request.revision}, "
               f"{escape(request.writer)})\n{len(request.markdown.split())} words · {c.get('total', 0)} citations · "
               f"{c.get('unresolved', 0)} unresolved · {c.get('unsupported', 0)} unsupported · "
               f"{request.revisions_left} revision{'s' if request.revisions_left != 1 else ''} left")
    blocks = [mrkdwn(summary)]
    if request.notes:
        blocks.append(context("\n".join(f"• {escape(n)[:400]}" for n in request.notes[:5])))
    blocks.append(mrkdwn(markdown_excerpt(request.markdown) or "_(empty draft)_"))
    buttons = [button("Approve", DRAFT_APPROVE, ref.value(), "primary")]
    if request.revisions_left > 0:
        buttons.append(button("Revise…", DRAFT_REVISE, ref.value()))
    blocks.append(actions("draft_gate", *buttons))
    return f"Draft gate: {request.title} (revision {request.revision})", blocks


def feedback_modal(meta: ModalMeta) -> Block:
    """Ask what the next revision should change."""
    blocks = [{"type": "input", "block_id": FEEDBACK_BLOCK,
               "label": {"type": "plain_text", "text": "What should change?"},
               "element": {"type": "plain_text_input", "action_id": FEEDBACK_INPUT, "multiline": True,
                           "max_length": INPUT_CHARS, "placeholder": {
                               "type": "plain_text", "text": "e.g. compare the datasets, shorten the introduction"}}}]
    return _modal(FEEDBACK_VIEW, "Revise the draft", "Send back", meta, blocks)


# -- shared ----------------------------------------------------------------------------------------

def gate_message(ref: GateRef, request: PapersRequest | OutlineRequest | DraftRequest) -> tuple[str, list[Block]]:
    """The message for whichever gate `request` is."""
    if isinstance(request, PapersRequest):
        return papers_message(ref, request)
    if isinstance(request, OutlineRequest):
        return outline_message(ref, request)
    return draft_message(ref, request)


def answered(blocks: list[Block], line: str) -> list[Block]:
    """A gate message once answered: no buttons or boxes left to click, and who decided what."""
    kept = [{k: v for k, v in b.items() if k != "accessory"} for b in blocks if b.get("type") != "actions"]
    return kept[:49] + [context(line)]


def _modal(callback_id: str, title: str, submit: str, meta: ModalMeta, blocks: list[Block]) -> Block:
    return {"type": "modal", "callback_id": callback_id, "private_metadata": meta.model_dump_json(),
            "title": {"type": "plain_text", "text": title[:24]}, "submit": {"type": "plain_text", "text": submit[:24]},
            "close": {"type": "plain_text", "text": "Cancel"}, "blocks": blocks}
