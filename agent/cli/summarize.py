"""`autoresearch summarize`: one paper's structured summary (the ChatPaper layout)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import fail, print_json, settings_from
from tools.files import write_atomic
from tools.inputs import BadInput, check_output_file
from tools.paper import NotAPaperKey, parse_paper_key

FORMATS = ("md", "json")


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("summarize")(summarize)


def summarize(
    ctx: typer.Context,
    paper: Annotated[str, typer.Argument(help="A PDF's path, or a paper in the library: arXiv id, arXiv URL or local-… key.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the summary to this file instead of stdout.")] = None,
    translate: Annotated[str | None, typer.Option("--translate", help="Add the summary in this language (zh, ja, de, …); needs llm.translator.")] = None,
    extractive: Annotated[bool, typer.Option("--extractive", help="Quote the paper even when llm.summarizer is set.")] = False,
    password: Annotated[str | None, typer.Option(help="Password of an encrypted PDF.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Summarize a paper: one line, takeaways, background, prior methods, method, results,
    conclusion and figures, quoted verbatim from the paper unless a summarizer model is set."""
    from agent import services
    from agent.llm.translation import TranslationError, check_language
    from agent.summary.written import SummaryError, translate_summary

    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    key = _key(paper)
    if out is not None:
        check_output_file(out, "--out")
    settings = settings_from(ctx)
    try:
        translator = services.translator(settings, check_language(translate)) if translate else None
    except (ValueError, TranslationError) as error:
        fail(str(error))
    parsed = _load(settings, paper, key, password)
    try:
        summary = _write(settings, parsed, extractive)
        if translator is not None:
            translate_summary(summary, translator)
    except (SummaryError, TranslationError) as error:
        fail(str(error))
    _emit(summary, fmt, out)


def _key(paper: str) -> str | None:
    """None for a PDF file; else the library key the argument names (`NotAPaperKey`, exit 2, when
    it names none: checked before any work)."""
    if Path(paper).expanduser().is_file():
        return None
    try:
        return parse_paper_key(paper)[0]
    except NotAPaperKey as error:
        raise BadInput(f"no PDF file at {paper!r}, and {error}") from None


def _load(settings, paper: str, key: str | None, password: str | None):
    """The parsed paper: parse a PDF path, or read a library paper by its key."""
    if key is None:
        return _parse(settings, Path(paper).expanduser(), password)
    from agent import services

    record = services.library(settings).get(key)
    if record is None:
        fail(f"{key} is not in the library: add it first (autoresearch ingest {key}) "
             "or pass the PDF's path")
    if record.parsed is not None:
        return record.parsed
    from tools.document import ParsedPaper

    meta = record.paper
    return ParsedPaper(source=meta.abs_url, title=meta.title, authors=meta.authors, arxiv_id=meta.arxiv_id,
                       version=meta.version, abstract=meta.abstract,
                       warnings=["only the abstract is in the library; the summary quotes it alone"])


def _parse(settings, path: Path, password: str | None):
    """Parse a PDF with the project's parser (no figure rendering: captions are enough here)."""
    from tools.pdf.parse import PdfError, parse_pdf

    try:
        return parse_pdf(path, figures_dir=None, password=password, time_budget_s=settings.pdf.time_budget_s)
    except PdfError as error:
        fail(str(error))


def _write(settings, parsed, extractive: bool):
    """Extractive by default; written by `llm.summarizer` when one is configured."""
    from agent import services
    from agent.llm.errors import LLMError
    from agent.llm.prompts import PromptBook, PromptError
    from agent.summary.extract import summarize_extractive
    from agent.summary.written import SummaryError, summarize_with_model

    name = settings.llm.summarizer
    if extractive or not name.strip() or name.strip().lower() in ("none", "off"):
        summary = summarize_extractive(parsed)
    else:
        try:
            model = services.chat_model(settings, "summarizer")
            prompts = PromptBook(settings.llm.prompts)
        except (LLMError, PromptError) as error:
            raise SummaryError(f"llm.summarizer = {name!r}: {error}") from error
        if model is None:
            raise SummaryError(f"the summarizer model {name!r} could not be built")
        summary = summarize_with_model(parsed, model, name, prompts)
    summary.warnings = list(parsed.warnings) + summary.warnings
    return summary


def _emit(summary, fmt: str, out: Path | None) -> None:
    from agent.summary.render import render_summary_markdown

    if out is None and fmt == "json":
        print_json(summary)
        return
    text = render_summary_markdown(summary) if fmt == "md" else summary.model_dump_json(indent=1) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(out, text)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
