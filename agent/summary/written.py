"""The summary written by a chat model, and the summary translated into a second language.

The model writes each field from the sections that hold it (the introduction for the background,
the method sections for the method, …), one short call per field with the `summary_field`
prompt, the paper's text fenced as data and cut to the model's context window, so a small local
model with a short context still does the job. A field the model leaves empty falls back to the
extractive sentences, and the summary says so in its warnings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.llm.budget import counter_for, fit_passages, prompt_budget
from agent.llm.errors import LLMError
from agent.llm.grounded import fence_passage, strip_fences
from agent.llm.prompts import SUMMARY_FIELD_TASKS, PromptBook
from agent.llm.thinking import strip_think
from agent.llm.translation import Translator
from agent.summary.extract import FIELD_TITLES, FIELDS, PaperSummary, SummaryTranslation, summarize_extractive
from agent.summary.sentences import section_roles, split_sentences
from memory.records import Passage
from tools.document import ParsedPaper
from tools.errors import AutoresearchError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

FIELD_ROLES = {
    "one_line": ("abstract", "introduction"),
    "takeaways": ("abstract", "introduction", "conclusion"),
    "background": ("introduction", "background"),
    "prior_methods": ("related", "introduction"),
    "method": ("method",),
    "results": ("experiments",),
    "conclusion": ("conclusion", "discussion"),
}


class SummaryError(AutoresearchError, RuntimeError):
    """The summarizer model failed; the message says how."""


def passages_for(paper: ParsedPaper, roles: tuple[str, ...]) -> list[Passage]:
    """One passage per section with these roles, in the paper's order (the abstract first).

    A paper with no such section gets its abstract, so every field has something to stand on.
    """
    key = paper.arxiv_id or "paper"
    found = [Passage(arxiv_id=key, section="Abstract", page=1, text=paper.abstract)
             ] if "abstract" in roles and paper.abstract else []
    for (path, section), role in zip(paper.section_paths(), section_roles(paper), strict=True):
        text = " ".join(" ".join(p.text for p in section.paragraphs).split())
        if role in roles and text:
            found.append(Passage(arxiv_id=key, section=path, page=section.page, text=text))
    if not found and paper.abstract:
        found = [Passage(arxiv_id=key, section="Abstract", page=1, text=paper.abstract)]
    return found


def summarize_with_model(paper: ParsedPaper, model: BaseChatModel, model_name: str,
                         prompts: PromptBook | None = None) -> PaperSummary:
    """Write every field with the model; figures keep their captions and descriptions."""
    prompts = prompts or PromptBook()
    summary = summarize_extractive(paper)
    summary.mode, summary.model, summary.sources, summary.warnings = "llm", model_name, {}, []
    for name in FIELDS:
        answer = _ask(model, prompts, paper, passages_for(paper, FIELD_ROLES[name]), SUMMARY_FIELD_TASKS[name])
        sentences = _lines(answer) if name == "takeaways" else split_sentences(answer)
        if not sentences:
            summary.warnings.append(f"{FIELD_TITLES[name].lower()}: the model wrote nothing; "
                                    "quoted from the paper instead")
            continue
        setattr(summary, name, " ".join(sentences) if name == "one_line" else sentences)
    return summary


def _ask(model: BaseChatModel, prompts: PromptBook, paper: ParsedPaper, passages: list[Passage],
         task: str) -> str:
    """One call with the passages that fit; the LLM layer's failures become `SummaryError`."""
    title = paper.title or "(untitled)"
    fixed = prompts.render("summary_field", passages="", title=title, task=task)
    kept = fit_passages(passages, prompt_budget(model, fixed), counter_for(model),
                        lambda p, text: fence_passage(p, p.arxiv_id, text))
    if not kept:
        return ""
    block = "\n\n".join(fence_passage(p, p.arxiv_id) for p in kept)
    try:
        reply = model.invoke(prompts.render("summary_field", passages=block, title=title, task=task))
    except LLMError as error:
        raise SummaryError(f"the summarizer model failed: {error}") from error
    return strip_fences(strip_think(str(reply.text))).strip()


def _lines(answer: str) -> list[str]:
    """Bullet lines of an answer, markers dropped."""
    lines = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in answer.splitlines()]
    return [line for line in lines if len(line.split()) >= 3]


def translate_summary(summary: PaperSummary, translator: Translator) -> PaperSummary:
    """Add the title, every field and every caption in the translator's language.

    Raises `TranslationError` when the model cannot translate: a summary asked for in two
    languages never comes out in one.
    """
    result = SummaryTranslation(language=translator.language, title=translator.translate(summary.title))
    for name in FIELDS:
        sentences = [s for s in summary.field_sentences(name) if s]
        if name == "takeaways":
            result.fields[name] = [translator.translate(s) for s in sentences]
        elif sentences:
            result.fields[name] = [translator.translate(" ".join(sentences))]
    for figure in summary.figures:
        if figure.caption:
            result.captions[figure.number] = translator.translate(figure.caption)
    summary.translation = result
    return summary
