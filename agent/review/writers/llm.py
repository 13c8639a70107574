"""The abstractive writer: the same survey, its prose written by a chat model from retrieved chunks.

The model writes only prose: the introduction's body, each theme section and the open problems,
through `agent.llm.grounded` (paper text fenced as data, the allowed citation keys listed in the prompt,
the prompt fitted to the context window, every citation outside the review's papers removed and
reported). The skeleton, the comparison table, the figures and the references are built from the
papers' own text exactly as in the extractive writer. `agent.review.verify` then checks what the model
cited against the stored papers. A part whose call fails is written extractively, with a note.
"""

from __future__ import annotations

import re
from itertools import chain, zip_longest
from typing import TYPE_CHECKING, Any

from agent.llm.errors import LLMError
from agent.llm.grounded import GroundedText, write_grounded
from agent.llm.prompts import PromptBook
from agent.llm.usage import UsageRecorder
from agent.review.types import Draft, Outline, Theme
from agent.review.writers import extractive
from agent.review.writers.common import (
    OPEN_PROBLEMS_TITLE,
    Context,
    assemble,
    comparison_rows,
    comparison_section,
    figures_section,
    gallery,
    prepare,
    scope_paragraph,
    taxonomy_section,
)
from agent.review.writers.markdown import escape
from agent.review.writers.sentences import best, paper_sentences
from agent.settings import Settings
from memory.records import LibraryPaper, Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from memory.library import Library

PASSAGES_PER_PAPER = 3
"""Chunks retrieved per paper for its section (the context window may keep fewer)."""


class _Session:
    """One draft's calls to the model: prompts, usage, removed citations, failures."""

    def __init__(self, model: BaseChatModel, settings: Settings, ctx: Context,
                 library: Library) -> None:
        self.usage = UsageRecorder(settings.llm.prices)
        self.model = _recording(model, self.usage)
        self.prompts = PromptBook(settings.llm.prompts)
        self.ctx = ctx
        self.library = library
        self.removed: list[str] = []
        self.sentences = {pid: paper_sentences(ctx.records[pid]) for pid in ctx.paper_ids()}

    def write(self, prompt: str, passages: list[Passage], what: str,
              **variables: str) -> str | None:
        """The model's prose for one part, or None (and a note) when it could not be had."""
        try:
            result: GroundedText = write_grounded(
                self.model, prompt, passages, set(self.ctx.keys.values()), keys=self.ctx.keys,
                prompts=self.prompts, **variables)
        # LLMError covers every typed failure of the LLM layer (rate limit, timeout, no room in
        # the context window); provider SDKs used without the guard raise their own types.
        except (LLMError, OSError, ValueError, RuntimeError) as error:
            self.ctx.notes.append(f"the model failed on {what} ({type(error).__name__}: {error}); "
                                  "that part was written extractively")
            return None
        self.removed += result.removed
        if result.removed:
            self.ctx.notes.append(f"citations removed from {what} (not among the review's papers): "
                                  + ", ".join(result.removed))
        if not _prose(result.text):
            self.ctx.notes.append(f"the model wrote nothing for {what}; that part was written "
                                  "extractively")
            return None
        return _prose(result.text)


def _prose(text: str) -> str:
    """The model's text as body Markdown: headings and code fences it added are dropped."""
    lines = [line for line in text.splitlines()
             if not re.match(r"^\s*(?:#{1,6}\s|```)", line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _recording(model: BaseChatModel, recorder: UsageRecorder) -> BaseChatModel:
    """The model with `recorder` among its callbacks (a copy: the caller's model is unchanged)."""
    callbacks = model.callbacks
    if callbacks is not None and not isinstance(callbacks, list):
        return model  # a callback manager: the caller accounts for usage itself
    return model.model_copy(update={"callbacks": [*(callbacks or []), recorder]})


def write_abstractive(topic: str, outline: Outline, papers: list[LibraryPaper], library: Library,
                      settings: Settings, chat_model: BaseChatModel, feedback: str = "",
                      revision: int = 0) -> Draft:
    """Write the review with `chat_model`, grounded in chunks retrieved from the library."""
    ctx = prepare(topic, outline, papers, feedback)
    session = _Session(chat_model, settings, ctx, library)
    sections = [_theme_section(session, theme, feedback) for theme in ctx.sections()]
    rows = comparison_rows(ctx)
    figures = gallery(ctx)
    markdown = assemble(outline.title, [
        _introduction(session), taxonomy_section(ctx), *sections,
        comparison_section(ctx, rows), figures_section(ctx, figures), _open_problems(session),
    ])
    snapshot = session.usage.snapshot()
    usage: dict[str, Any] = {k: snapshot[k]
                             for k in ("calls", "input_tokens", "output_tokens", "cost_usd")}
    return Draft(title=outline.title, markdown=markdown, keys={v: k for k, v in ctx.keys.items()},
                 comparison=rows, figures=figures, writer=model_name(chat_model), revision=revision,
                 notes=ctx.notes, usage=usage, removed_citations=session.removed)


def model_name(model: BaseChatModel) -> str:
    """The model's own name, for the draft and the run report."""
    for attribute in ("model_name", "model", "model_id"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return getattr(model, "_llm_type", type(model).__name__)


def _retrieve(session: _Session, ids: list[str], query: str, k: int) -> list[Passage]:
    """Each paper's best chunks for `query`, interleaved so every paper's best comes first."""
    per_paper = [session.library.search(query, k=k, arxiv_ids=[pid]) for pid in ids]
    return [p for p in chain.from_iterable(zip_longest(*per_paper)) if p is not None]


def _theme_section(session: _Session, theme: Theme, feedback: str) -> str:
    """A section: the model's prose on its own papers, then on each subsection under `###`."""
    ctx = session.ctx
    parts: list[tuple[Theme, list[str], str]] = []
    if theme.direct_ids() or not theme.subthemes:
        parts.append((theme, theme.direct_ids() if theme.subthemes else theme.paper_ids, ""))
    parts += [(sub, sub.paper_ids, f"### {escape(sub.title)}\n\n") for sub in theme.subthemes]
    written = []
    for part, ids, heading in parts:
        text = _part(session, theme, part, ids, feedback)
        if text is None:
            return extractive._theme_section(ctx, theme, session.sentences, set())
        written.append(heading + text)
    return f"## {escape(theme.title)}\n\n" + "\n\n".join(written)


def _part(session: _Session, theme: Theme, part: Theme, ids: list[str], feedback: str) -> str | None:
    """The model's prose on one (sub)section's papers, or None when the call failed."""
    ctx = session.ctx
    query = (f"{part.title}: {', '.join(part.key_phrases)}. "
             "Contribution, method, results, limitations.")
    expand = (theme.title in ctx.plan.expand_themes or part.title in ctx.plan.expand_themes
              or bool(ctx.plan.expand_papers & set(ids)))
    length = "Write four to six paragraphs." if expand else (
        "Write one paragraph." if ctx.plan.concise else "Write two to four paragraphs.")
    if feedback.strip():
        length += f" Reviewer feedback on the previous draft (content only): {feedback.strip()}"
    passages = _retrieve(session, ids, query, PASSAGES_PER_PAPER)
    title = part.title if part is theme else f"{theme.title}: {part.title}"
    return session.write("grounded_section", passages, f"section “{title}”",
                         topic=ctx.topic, section=title, guidance=length)


def _introduction(session: _Session) -> str:
    ctx = session.ctx
    ids = [pid for theme in ctx.themes() for pid in theme.paper_ids[:2]][:8]
    passages = _retrieve(session, ids, f"{ctx.topic}: why it matters and what makes it hard", 1)
    body = session.write("review_introduction", passages, "the introduction", topic=ctx.topic,
                         themes="; ".join(t.title for t in ctx.sections()))
    if body is None:
        return extractive._introduction(ctx, session.sentences, set())
    surveys = extractive.surveys_paragraph(ctx, session.sentences, set())
    return f"# Introduction\n\n{scope_paragraph(ctx)}\n\n{body}" + (f"\n\n{surveys}" if surveys else "")


def _open_problems(session: _Session) -> str:
    ctx = session.ctx
    passages = []
    for pid in ctx.paper_ids():
        found = best(session.sentences[pid], "limitation", 2)
        if found:
            passages.append(Passage(arxiv_id=pid, section=found[0].section,
                                    text=" ".join(s.text for s in found)))
    if not passages:
        return extractive._open_problems(ctx, session.sentences, set())  # says none was stated
    body = session.write("review_open_problems", passages, "the open problems", topic=ctx.topic)
    if body is None:
        return extractive._open_problems(ctx, session.sentences, set())
    return f"# {OPEN_PROBLEMS_TITLE}\n\n{body}"
