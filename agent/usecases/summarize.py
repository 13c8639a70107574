"""Summarize: one paper's structured summary, quoted from it or written by `llm.summarizer`.

The CLI (`autoresearch summarize`) and the TUI (`/summarize`) both come here, so both open an
encrypted PDF with its password, both fall back to the abstract for a paper stored without its
text, and both refuse a summarizer model that could not be built instead of quietly quoting.
"""

from __future__ import annotations

from pathlib import Path

from agent import services as factories
from agent.llm.errors import LLMError
from agent.llm.factory import ModelFor, configured_model
from agent.llm.prompts import PromptBook, PromptError
from agent.llm.translation import Translator
from agent.services import Services
from agent.settings import Settings
from agent.summary.extract import PaperSummary, summarize_extractive
from agent.summary.written import SummaryError, summarize_with_model, translate_summary
from agent.usecases.library import NotInLibrary, paper_key
from tools.document import ParsedPaper
from tools.errors import AutoresearchError, BadUsage
from tools.pdf.parse import parse_pdf


class UnknownPaper(AutoresearchError, ValueError):
    """Neither a PDF file nor an arXiv id."""


def load_paper(services: Services, paper: str, password: str | None = None) -> ParsedPaper:
    """The parsed paper: parse a PDF path, or read a library paper by arXiv id (or `local-…` key)."""
    path = Path(paper).expanduser()
    if path.is_file():
        return parse_pdf(path, figures_dir=None, password=password,
                         time_budget_s=services.settings.pdf.time_budget_s)
    try:
        key = paper_key(paper)
    except BadUsage:
        raise UnknownPaper(f"{paper!r} is neither a PDF file nor an arXiv id") from None
    record = services.library.get(key)
    if record is None:
        raise NotInLibrary(f"{key} is not in the library",
                           hint=f"add it first: autoresearch ingest {key}, or pass the PDF's path")
    if record.parsed is not None:
        return record.parsed
    meta = record.paper
    return ParsedPaper(source=meta.abs_url, title=meta.title, authors=meta.authors, arxiv_id=meta.arxiv_id,
                       version=meta.version, abstract=meta.abstract,
                       warnings=["only the abstract is in the library; the summary quotes it alone"])


def summarize(settings: Settings, parsed: ParsedPaper, *, extractive: bool = False,
              translator: Translator | None = None, models: ModelFor | None = None) -> PaperSummary:
    """Extractive by default; written by `llm.summarizer` when one is configured (and not
    `extractive`); translated too when a translator is given. `models(role)` builds the model
    (default: `agent.services.chat_model`)."""
    name = configured_model(settings, "summarizer")
    if extractive or not name:
        summary = summarize_extractive(parsed)
    else:
        try:
            model = models("summarizer") if models else factories.chat_model(settings, "summarizer")
            prompts = PromptBook(settings.llm.prompts)
        except (LLMError, PromptError) as error:
            raise SummaryError(f"llm.summarizer = {name!r}: {error}") from error
        if model is None:
            raise SummaryError(f"the summarizer model {name!r} could not be built")
        summary = summarize_with_model(parsed, model, name, prompts)
    summary.warnings = list(parsed.warnings) + summary.warnings
    if translator is not None:
        translate_summary(summary, translator)
    return summary
