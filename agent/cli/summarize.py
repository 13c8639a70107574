"""`autoresearch summarize`: one paper's structured summary (the ChatPaper layout)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent import services
from agent.cli.common import fail, print_json, services_from
from agent.summary.extract import PaperSummary
from agent.summary.render import render_summary_markdown
from agent.usecases import summarize as usecase
from tools.files import write_atomic

FORMATS = ("md", "json")


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("summarize")(summarize)


def summarize(
    ctx: typer.Context,
    paper: Annotated[str, typer.Argument(help="A PDF's path, or the arXiv id of a paper in the library.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the summary to this file instead of stdout.")] = None,
    translate: Annotated[str | None, typer.Option("--translate", help="Add the summary in this language (zh, ja, de, …); needs llm.translator.")] = None,
    extractive: Annotated[bool, typer.Option("--extractive", help="Quote the paper even when llm.summarizer is set.")] = False,
    password: Annotated[str | None, typer.Option(help="Password of an encrypted PDF.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Summarize a paper: one line, takeaways, background, prior methods, method, results,
    conclusion and figures, quoted verbatim from the paper unless a summarizer model is set."""
    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    used = services_from(ctx)
    translator = services.translator(used.settings, translate) if translate else None  # fails before any reading
    parsed = usecase.load_paper(used, paper, password)
    _emit(usecase.summarize(used.settings, parsed, extractive=extractive, translator=translator), fmt, out)


def _emit(summary: PaperSummary, fmt: str, out: Path | None) -> None:
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
