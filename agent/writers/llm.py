"""The abstractive writer: the same survey, its prose written by a chat model from retrieved chunks.

The model writes only prose: the introduction's body, each theme section and the open problems.
The survey's skeleton, the comparison table, the figures and the references are built from the
papers' own text exactly as in the extractive writer. Each prompt lists the only citation keys the
model may use and fences the papers' text as data (`<paper key=…>` blocks, their angle brackets
escaped so a paper cannot close the fence and speak as an instruction). Whatever the model cites
is checked afterwards by `agent.verify`; a key it invents is removed there and reported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.review_types import Draft, Outline, Theme
from agent.settings import Settings
from agent.writers import extractive
from agent.writers.common import (
    OPEN_PROBLEMS_TITLE, Context, assemble, comparison_rows, comparison_section, figures_section,
    gallery, prepare, scope_paragraph, taxonomy_section,
)
from agent.writers.markdown import CITATION_GROUP, escape
from agent.writers.prompts import INTRO_PROMPT, OPEN_PROBLEMS_PROMPT, SECTION_PROMPT, SYSTEM_PROMPT
from agent.writers.sentences import best, paper_sentences
from memory.records import LibraryPaper

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from memory.library import Library

CHARS_PER_TOKEN = 3.5
"""A conservative characters-per-token ratio for sizing the retrieved text to the context window."""
RESERVED_TOKENS = 1800
"""Room kept for the instructions and the model's answer."""


class _Session:
    """One draft's conversation with the model: prompts sent, tokens spent, failures noted."""

    def __init__(self, model: "BaseChatModel", settings: Settings, ctx: Context) -> None:
        self.model = model
        self.ctx = ctx
        self.budget_chars = int(max(settings.llm.context_window - RESERVED_TOKENS, 1000) * CHARS_PER_TOKEN)
        self.usage = {"input_tokens": 0, "output_tokens": 0, "calls": 0}
        self.sentences = {pid: paper_sentences(ctx.records[pid]) for pid in ctx.paper_ids()}

    def ask(self, prompt: str, allowed: list[str], what: str) -> str | None:
        """The model's Markdown for one part, or None (noted) when the call fails."""
        from langchain_core.messages import HumanMessage, SystemMessage

        system = SYSTEM_PROMPT.format(keys="\n".join(f"- {k}" for k in allowed))
        try:
            reply = self.model.invoke([SystemMessage(system), HumanMessage(prompt)])
        # Providers raise their own error types (HTTP, rate limit, timeout, parsing); whatever it is,
        # this part falls back to extracted sentences and the note says why.
        except Exception as error:  # noqa: BLE001
            self.ctx.notes.append(f"the model failed on {what} ({type(error).__name__}: {error}); "
                                  "that part was written extractively")
            return None
        self.usage["calls"] += 1
        meta = getattr(reply, "usage_metadata", None) or {}
        self.usage["input_tokens"] += int(meta.get("input_tokens", 0))
        self.usage["output_tokens"] += int(meta.get("output_tokens", 0))
        return clean_reply(str(reply.content), set(allowed))


def write_abstractive(topic: str, outline: Outline, papers: list[LibraryPaper], library: "Library",
                      settings: Settings, chat_model: "BaseChatModel", feedback: str = "",
                      revision: int = 0) -> Draft:
    """Write the review with `chat_model`, grounded in chunks retrieved from the library."""
    ctx = prepare(topic, outline, papers, feedback)
    session = _Session(chat_model, settings, ctx)
    sections = [_theme_section(session, library, theme, feedback) for theme in ctx.themes()]
    rows = comparison_rows(ctx)
    figures = gallery(ctx)
    markdown = assemble(outline.title, [
        _introduction(session, library), taxonomy_section(ctx), *sections,
        comparison_section(ctx, rows), figures_section(ctx, figures), _open_problems(session),
    ])
    return Draft(title=outline.title, markdown=markdown, keys={v: k for k, v in ctx.keys.items()},
                 comparison=rows, figures=figures, writer=model_name(chat_model), revision=revision,
                 notes=ctx.notes, usage=session.usage)


def model_name(model: "BaseChatModel") -> str:
    """The model's own name, for the draft and the run report."""
    for attribute in ("model_name", "model", "model_id"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return getattr(model, "_llm_type", type(model).__name__)


def fence(key: str, title: str, text: str) -> str:
    """A paper's text as a data block the prompt tells the model never to obey."""
    safe = text.replace("<", "&lt;").replace(">", "&gt;")
    return f'<paper key="{key}" title="{title.replace(chr(34), chr(39))}">\n{safe}\n</paper>'


def _excerpts(session: _Session, library: "Library", ids: list[str], query: str, k: int = 3) -> str:
    """Retrieved chunks of each paper, fenced, within the context budget."""
    per_paper = max(400, session.budget_chars // max(len(ids), 1))
    blocks = []
    for pid in ids:
        passages = library.search(query, k=k, arxiv_ids=[pid])
        text = "\n…\n".join(p.text for p in passages) or session.ctx.records[pid].paper.abstract
        blocks.append(fence(session.ctx.keys[pid], session.ctx.records[pid].paper.title, text[:per_paper]))
    return "\n\n".join(blocks)


def _theme_section(session: _Session, library: "Library", theme: Theme, feedback: str) -> str:
    ctx = session.ctx
    allowed = [ctx.keys[pid] for pid in theme.paper_ids]
    query = f"{theme.title}: {', '.join(theme.key_phrases)}. Contribution, method, results, limitations."
    expand = _expanded(ctx, theme)
    prompt = SECTION_PROMPT.format(
        topic=ctx.topic, section=theme.title, phrases=", ".join(theme.key_phrases) or "(none)",
        keys=", ".join(allowed), excerpts=_excerpts(session, library, theme.paper_ids, query),
        length="4 to 6 paragraphs" if expand else ("1 paragraph" if ctx.plan.concise else "2 to 4 paragraphs"),
        feedback=feedback.strip() or "(none)")
    text = session.ask(prompt, allowed, f"section “{theme.title}”")
    if text is None:
        return extractive._theme_section(ctx, theme, session.sentences, set())
    return f"## {escape(theme.title)}\n\n{text}"


def _expanded(ctx: Context, theme: Theme) -> bool:
    """Whether the feedback asked for more on this theme or one of its papers."""
    return theme.title in ctx.plan.expand_themes or bool(ctx.plan.expand_papers & set(theme.paper_ids))


def _introduction(session: _Session, library: "Library") -> str:
    ctx = session.ctx
    ids = [t.paper_ids[0] for t in ctx.themes()][:8]
    allowed = [ctx.keys[pid] for pid in ids]
    prompt = INTRO_PROMPT.format(topic=ctx.topic, themes="; ".join(t.title for t in ctx.themes()),
                                 keys=", ".join(allowed),
                                 excerpts=_excerpts(session, library, ids, f"{ctx.topic}: motivation", k=1))
    body = session.ask(prompt, allowed, "the introduction")
    if body is None:
        return extractive._introduction(ctx, session.sentences, set())
    return f"# Introduction\n\n{scope_paragraph(ctx)}\n\n{body}"


def _open_problems(session: _Session) -> str:
    ctx = session.ctx
    blocks, allowed = [], []
    for pid in ctx.paper_ids():
        found = best(session.sentences[pid], "limitation", 2)
        if found:
            allowed.append(ctx.keys[pid])
            blocks.append(fence(ctx.keys[pid], ctx.records[pid].paper.title, " ".join(s.text for s in found)))
    if not blocks:
        return extractive._open_problems(ctx, session.sentences, set())  # says none was found
    excerpts = "\n\n".join(blocks)[: session.budget_chars]
    prompt = OPEN_PROBLEMS_PROMPT.format(topic=ctx.topic, keys=", ".join(allowed), excerpts=excerpts)
    body = session.ask(prompt, allowed, "the open problems")
    if body is None:
        return extractive._open_problems(ctx, session.sentences, set())
    return f"# {OPEN_PROBLEMS_TITLE}\n\n{body}"


def clean_reply(text: str, allowed: set[str]) -> str:
    """The model's prose as body Markdown: no fences or headings, citations in Pandoc form.

    `[key]` and `[@a, @b]` become `[@key]` and `[@a; @b]` when every item is an allowed key;
    anything else that looks like a citation is left for the verifier to judge.
    """
    text = re.sub(r"^```\w*\s*$", "", text.strip(), flags=re.MULTILINE)
    text = "\n".join(line for line in text.splitlines() if not re.match(r"^\s*#{1,6}\s", line))

    def bracket(match: re.Match) -> str:
        items = [i.strip().lstrip("@") for i in re.split(r"[;,]", match.group(1))]
        if items and all(i in allowed for i in items):
            return "[" + "; ".join(f"@{i}" for i in items) + "]"
        return match.group(0)

    text = re.sub(r"\[((?:@?[\w:.-]+\s*[;,]\s*)*@?[\w:.-]+)\](?!\()", bracket, text)
    text = CITATION_GROUP.sub(lambda m: "[" + re.sub(r"\s*,\s*(?=@)", "; ", m.group("body")) + "]", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
