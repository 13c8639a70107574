"""`autoresearch tui`: the terminal app (chat, runs, approvals, library)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from agent.cli.common import EXIT_USAGE, fail, settings_from


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("tui")(tui)


def tui(
    ctx: typer.Context,
    theme: Annotated[str | None, typer.Option(help="textual-dark, textual-light, or any Textual theme (default tui.theme).")] = None,
) -> None:
    """Open the terminal app: chat with your library, watch and approve review runs, browse papers."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("autoresearch tui needs a terminal; for scripts use the other commands (they take --json)",
             EXIT_USAGE)
    settings = settings_from(ctx, tui={"theme": theme})
    from tui.app import AutoresearchApp  # textual is imported only when the app is opened

    AutoresearchApp(settings).run()
