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

from agent.cli.common import EXIT_FAILED, fail, settings_from
from tools.files import write_atomic
from tools.inputs import check_output_file

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
    from agent import services
    from agent.digest.build import DigestOptions, build_digest, parse_since, translate_digest
    from agent.llm.translation import TranslationError, check_language

    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if out is not None:
        check_output_file(out, "--out")
    verbose = verbose or bool(ctx.obj and ctx.obj.verbose)
    settings = settings_from(ctx)
    try:
        options = DigestOptions(since=parse_since(since), refresh=refresh, new_only=new_only,
                                max_per_keyword=settings.digest.max_per_keyword)
        translator = services.translator(settings, check_language(translate)) if translate else None
    except (ValueError, TranslationError) as error:
        fail(str(error))
    poster = _poster(settings) if post_slack else None
    watches = _watches(settings, keyword or [])
    seen = _open(services.seen_state, settings)
    result = build_digest(services.digest_client(settings), watches, options, seen)
    if translator is not None:
        translate_digest(result, translator)
    problems = result.problems()
    _deliver(result, fmt, out, post_slack, poster, printed=out is None and not post_slack)
    seen.commit(result, {w.name: w.key for w in watches})
    if verbose:
        _report(result, out, post_slack)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        fail(f"digest incomplete: {problems[0]}{more}", EXIT_FAILED)


def _watches(settings, keywords: list[str]) -> list:
    """The watches to search: the named keywords (watched or not), else the whole watchlist."""
    from agent import services
    from agent.digest.watch import Watch, WatchError

    try:
        watchlist = services.watchlist(settings)
        if keywords:
            return [watchlist.get(k) or Watch(name=" ".join(k.split())) for k in keywords]
        watches = watchlist.all()
    except WatchError as error:
        fail(str(error))
    if not watches:
        fail("no keywords watched: add one with `autoresearch watch add \"Video Anomaly Detection\"` "
             "or pass --keyword")
    return watches


def _open(factory, settings):
    try:
        return factory(settings)
    except ValueError as error:
        fail(str(error))


def _poster(settings):
    """The Slack poster, checked before any search so a missing token fails fast."""
    from agent import services
    from agent.digest.post import PostError

    try:
        return services.digest_poster(settings)
    except PostError as error:
        fail(str(error))


def _deliver(result, fmt: str, out: Path | None, channel: str | None, poster, printed: bool) -> None:
    """Write the file, post to Slack, or print: a failed delivery stops before the state commit."""
    from agent.digest.post import PostError
    from agent.digest.render import render

    text = render(result, fmt)
    if out is not None:
        try:
            write_atomic(out, text)
        except OSError as error:
            fail(f"cannot write {out}: {error.strerror or error}")
    if channel:
        try:
            poster.post(channel, result)
        except PostError as error:
            fail(str(error))
    if printed:
        sys.stdout.write(text)
        sys.stdout.flush()


def _report(result, out: Path | None, channel: str | None) -> None:
    """One line per keyword on stderr, then where the digest went."""
    for table in result.keywords:
        state = f"failed: {table.error}" if table.error else f"{len(table.papers)} papers, {table.new_count} new"
        sys.stderr.write(f"digest: {table.keyword}: {state}\n")
    if out is not None:
        sys.stderr.write(f"digest: wrote {out}\n")
    if channel:
        sys.stderr.write(f"digest: posted to {channel}\n")
