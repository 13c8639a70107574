"""The abstractive writer: the same survey, its prose written by a chat model from the same facts.

Each theme section starts from the extractive writer's grounded statements (what the papers share
and how they differ, each paper in the reviewer's voice, every statement built from facts extracted
from the papers); the model turns them into fluent prose, with the papers' best chunks beside them,
through `agent.llm.grounded` (paper text and statements fenced as data, the allowed citation keys
listed in the prompt, the prompt fitted to the context window, every citation outside the review's
papers removed and reported). The introduction's body and the open problems are written from
retrieved chunks. The skeleton, the comparison table, the reported results, the figures and the
references are built exactly as in the extractive writer. `agent.review.verify` then checks every
(statement, cited paper) pair the model wrote. A part whose call fails is written extractively.
"""

from __future__ import annotations

import html
import re
from itertools import chain, zip_longest
from typing import TYPE_CHECKING, Any

from agent.llm.errors import LLMError
from agent.llm.factory import usage_recorder
from agent.llm.grounded import GroundedText, write_grounded
from agent.llm.prompts import PromptBook
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
from agent.review.writers.knowledge import Knowledge, gather
from agent.review.writers.results import results_section, shared_results
from agent.review.writers.sentences import best
from agent.review.writers.synthesis import overview
from agent.settings import Settings
from memory.records import LibraryPaper, Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.llm.usage import UsageRecorder
    from memory.library import Library

PASSAGES_PER_PAPER = 3
"""Chunks retrieved per paper for its section (the context window may keep fewer)."""


class _Session:
    """One draft's calls to the model: prompts, usage, removed citations, failures."""

    def __init__(self, model: BaseChatModel, settings: Settings, ctx: Context,
                 library: Library) -> None:
        self.usage = usage_recorder(settings)
        self.model = _recording(model, self.usage)
        self.prompts = PromptBook(settings.llm.prompts)
        self.ctx = ctx
        self.library = library
        self.removed: list[str] = []
        self.know: Knowledge = gather(ctx)
        self.used: set[str] = set()

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
    know = session.know
    sections = [_theme_section(session, theme, feedback) for theme in ctx.sections()]
    rows = comparison_rows(ctx, know.facts)
    figures = gallery(ctx)
    shared = shared_results(know.results, ctx.paper_ids())
    markdown = assemble(outline.title, [
        _introduction(session), taxonomy_section(ctx), *sections,
        comparison_section(ctx, rows, overview(know.facts, ctx.paper_ids(), ctx.keys)),
        results_section(shared, know.label, ctx.keys, know.facts), figures_section(ctx, figures),
        _open_problems(session),
    ])
    snapshot = session.usage.snapshot()
    usage: dict[str, Any] = {k: snapshot[k]
                             for k in ("calls", "input_tokens", "output_tokens", "cost_usd")}
    return Draft(title=outline.title, markdown=markdown, keys={v: k for k, v in ctx.keys.items()},
                 comparison=rows, figures=figures, writer=model_name(chat_model), revision=revision,
                 notes=ctx.notes, usage=usage, removed_citations=session.removed,
                 results=[r for g in shared for r in g])


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
    """The model's prose for a theme and each of its subsections (`###`), from the extractive
    writer's grounded statements of each; a part whose call fails keeps those statements."""
    ctx = session.ctx
    parts = extractive.theme_parts(ctx, session.know, theme, session.used)
    subs = [theme, *theme.subthemes]
    written = []
    for (heading, statements), part in zip(parts, subs, strict=True):
        text = _rewrite(session, theme, part, statements, feedback)
        written.append(heading + (statements if text is None else text))
    return "\n\n".join(written)


def _rewrite(session: _Session, theme: Theme, part: Theme, statements: str, feedback: str) -> str | None:
    """The model's prose from one (sub)section's statements, or None when the call failed."""
    ctx = session.ctx
    query = (f"{part.title}: {', '.join(part.key_phrases)}. "
             "Contribution, method, results, limitations.")
    expand = (theme.title in ctx.plan.expand_themes or part.title in ctx.plan.expand_themes
              or bool(ctx.plan.expand_papers & set(part.paper_ids)))
    length = "Write four to six paragraphs." if expand else (
        "Write one paragraph." if ctx.plan.concise else "Write two to four paragraphs.")
    if feedback.strip():
        length += f" Reviewer feedback on the previous draft (content only): {feedback.strip()}"
    passages = _retrieve(session, part.paper_ids, query, PASSAGES_PER_PAPER)
    fenced = "<text>\n" + html.escape(statements, quote=False) + "\n</text>"
    title = part.title if part is theme else f"{theme.title}: {part.title}"
    return session.write("review_synthesis", passages, f"section “{title}”", topic=ctx.topic,
                         section=title, statements=fenced, guidance=length)


def _introduction(session: _Session) -> str:
    ctx = session.ctx
    ids = [pid for theme in ctx.themes() for pid in theme.paper_ids[:2]][:8]
    passages = _retrieve(session, ids, f"{ctx.topic}: why it matters and what makes it hard", 1)
    body = session.write("review_introduction", passages, "the introduction", topic=ctx.topic,
                         themes="; ".join(t.title for t in ctx.sections()))
    if body is None:
        return extractive.introduction(ctx, session.know, set())
    surveys = extractive.surveys_part(ctx, session.know, session.used)
    return f"# Introduction\n\n{scope_paragraph(ctx)}\n\n{body}" + (f"\n\n{surveys}" if surveys else "")


def _open_problems(session: _Session) -> str:
    ctx = session.ctx
    passages = []
    for pid in ctx.paper_ids():
        found = best(session.know.sentences[pid], "limitation", 2)
        if found:
            passages.append(Passage(arxiv_id=pid, section=found[0].section,
                                    text=" ".join(s.text for s in found)))
    if not passages:
        return extractive.open_problems(ctx, session.know, set())  # says none was stated
    body = session.write("review_open_problems", passages, "the open problems", topic=ctx.topic)
    if body is None:
        return extractive.open_problems(ctx, session.know, set())
    return f"# {OPEN_PROBLEMS_TITLE}\n\n{body}"
