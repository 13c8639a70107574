"""The summary written by a chat model, and the summary translated into a second language.

The model writes each field from the sections that hold it (the introduction for the background,
the method sections for the method, …), one short call per field, so a small local model with a
short context still does the job. A field the model leaves empty falls back to the extractive
sentences, and the summary says so in its warnings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.prompts import SUMMARY_FIELD_SYSTEM, SUMMARY_FIELD_TASKS, SUMMARY_FIELD_USER
from agent.translation import Translator
from agent.writers.sentences import section_roles, split_sentences
from agent.writers.summary import FIELD_TITLES, FIELDS, PaperSummary, SummaryTranslation, summarize_extractive
from tools.document import ParsedPaper

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


class SummaryError(RuntimeError):
    """The summarizer model failed; the message says how."""


def passages_for(paper: ParsedPaper, roles: tuple[str, ...], budget: int) -> str:
    """The text of the sections with these roles, in order, cut to `budget` characters."""
    texts = [paper.abstract] if "abstract" in roles and paper.abstract else []
    for section, role in zip(paper.sections, section_roles(paper), strict=True):
        if role in roles:
            texts += [p.text for p in section.paragraphs]
    if not texts and paper.abstract:
        texts = [paper.abstract]
    joined = "\n".join(" ".join(t.split()) for t in texts)
    return joined[:budget]


def summarize_with_model(paper: ParsedPaper, model: "BaseChatModel", model_name: str,
                         budget_chars: int = 6000) -> PaperSummary:
    """Write every field with the model; figures keep their captions and descriptions."""
    summary = summarize_extractive(paper)
    summary.mode, summary.model, summary.sources, summary.warnings = "llm", model_name, {}, []
    for name in FIELDS:
        passages = passages_for(paper, FIELD_ROLES[name], budget_chars)
        answer = _ask(model, paper.title, passages, SUMMARY_FIELD_TASKS[name]) if passages else ""
        sentences = _lines(answer) if name == "takeaways" else split_sentences(answer)
        if not sentences:
            summary.warnings.append(f"{FIELD_TITLES[name].lower()}: the model wrote nothing; "
                                    "quoted from the paper instead")
            continue
        setattr(summary, name, " ".join(sentences) if name == "one_line" else sentences)
    return summary


def _ask(model: "BaseChatModel", title: str, passages: str, task: str) -> str:
    """One call; any provider error becomes a `SummaryError`."""
    from langchain_core.messages import HumanMessage, SystemMessage

    prompt = SUMMARY_FIELD_USER.format(title=title or "(untitled)", passages=passages, task=task)
    try:
        reply = model.invoke([SystemMessage(SUMMARY_FIELD_SYSTEM), HumanMessage(prompt)])
    except Exception as error:  # noqa: BLE001 - providers raise their own types; one clear message
        raise SummaryError(f"the summarizer model failed: {type(error).__name__}: {str(error)[:200]}") from error
    content = reply.content
    if isinstance(content, list):
        content = "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)
    return re.sub(r"<think>.*?</think>", "", str(content), flags=re.DOTALL).strip()


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
