"""`autoresearch digest`: the morning's table of new papers for every watched keyword.

Cron-friendly: with `--out FILE` or `--post-slack CHANNEL` it prints nothing unless `--verbose`,
and it exits non-zero only when something failed (a keyword's search, a translation, the post),
after delivering whatever did work.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent import services
from agent.cli.common import EXIT_FAILED, fail, settings_from
from agent.digest.build import Digest, DigestOptions, parse_since
from agent.digest.render import render
from agent.usecases import digest as usecase
from tools.files import write_atomic

FORMATS = ("md", "json", "html")


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("digest")(digest)


def digest(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only papers submitted since: 1d, 12h, 2w or YYYY-MM-DD (default: the newest, whatever their date).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md (GitHub, DailyArXiv layout), json or html.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the digest to this file (atomically) instead of stdout.")] = None,
    keyword: Annotated[list[str] | None, typer.Option("--keyword", "-k", help="Only this keyword (repeatable; need not be watched).")] = None,
    new_only: Annotated[bool, typer.Option("--new-only", help="Keep only papers no earlier digest showed.")] = False,
    refresh: Annotated[bool, typer.Option(help="Ask arXiv even when a cached answer is fresh.")] = False,
    translate: Annotated[str | None, typer.Option("--translate", help="Add titles and abstracts in this language (zh, ja, de, …); needs llm.translator.")] = None,
    post_slack: Annotated[str | None, typer.Option("--post-slack", help="Also post the digest to this Slack channel; needs slack.bot_token.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what happened (on stderr).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Build the digest: one arXiv search per keyword, newest first, new papers marked."""
    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    verbose = verbose or bool(ctx.obj and ctx.obj.verbose)
    settings = settings_from(ctx)
    options = DigestOptions(since=parse_since(since), refresh=refresh, new_only=new_only,
                            max_per_keyword=settings.digest.max_per_keyword)
    translator = services.translator(settings, translate) if translate else None
    poster = services.digest_poster(settings) if post_slack else None  # a missing token fails before any search

    def deliver(result: Digest) -> None:
        """Write the file, post to Slack, or print: a failed delivery stops before the state commit."""
        text = render(result, fmt)
        if out is not None:
            try:
                write_atomic(out, text)
            except OSError as error:
                fail(f"cannot write {out}: {error.strerror or error}")
        if poster is not None and post_slack:
            poster.post(post_slack, result)
        if out is None and not post_slack:
            sys.stdout.write(text)
            sys.stdout.flush()

    result = usecase.digest(settings, keyword or [], options=options, translate_with=translator,
                            deliver=deliver, hint=f"{usecase.WATCH_ONE} or pass --keyword")
    if verbose:
        _report(result, out, post_slack)
    problems = result.problems()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        fail(f"digest incomplete: {problems[0]}{more}", EXIT_FAILED)


def _report(result: Digest, out: Path | None, channel: str | None) -> None:
    """One line per keyword on stderr, then where the digest went."""
    for table in result.keywords:
        state = f"failed: {table.error}" if table.error else f"{len(table.papers)} papers, {table.new_count} new"
        sys.stderr.write(f"digest: {table.keyword}: {state}\n")
    if out is not None:
        sys.stderr.write(f"digest: wrote {out}\n")
    if channel:
        sys.stderr.write(f"digest: posted to {channel}\n")
