"""The `autoresearch` command line: headless, scriptable (`--json`), cron-friendly.

Each command group lives in `agent/cli/` and registers itself here. Exit codes: 0 done,
1 failed (one line on stderr says why), 2 bad usage, 3 a review paused at an approval gate.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from agent.cli import (
    ask,
    common,
    config,
    digest,
    figures,
    ingest,
    library,
    llm,
    mirror,
    models,
    parse,
    review,
    runs,
    search,
    slack,
    summarize,
    tui,
    watch,
)
from tools.inputs import BadInput

app = typer.Typer(
    name="autoresearch",
    help="A research assistant for arXiv: search, read, remember, review.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML config file (default ~/.config/autoresearch/config.toml).")] = None,
    home: Annotated[Path | None, typer.Option(help="Data dir (default: AUTORESEARCH_HOME or the user data dir).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens (to stderr).")] = False,
) -> None:
    """Global options, before the command: `autoresearch --home DIR search …`."""
    ctx.obj = common.CliContext(config=config_file, home=home, verbose=verbose)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


for module in (search, parse, ingest, library, ask, figures, models, watch, digest, summarize, review,
               runs, tui, config, mirror, llm, slack):
    module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn every failure into an exit code and one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="autoresearch", standalone_mode=False)
    except (click.exceptions.Exit, typer.Exit) as done:
        return done.exit_code
    except (click.ClickException, typer.TyperException) as error:
        # Typer >= 0.29 parses with its own copy of click, whose errors are TyperExceptions.
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"autoresearch: {error}\n")
        return getattr(error, "exit_code", common.EXIT_USAGE)
    except BadInput as error:  # raised by the core's checks of what was typed: bad usage
        sys.stderr.write(f"autoresearch: {str(error).splitlines()[0]}\n")
        return common.EXIT_USAGE
    except (click.exceptions.Abort, typer.Abort, KeyboardInterrupt):
        sys.stderr.write("autoresearch: interrupted\n")
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: one clear line, no traceback
        if "--verbose" in (argv or sys.argv) or "-v" in (argv or sys.argv):
            logging.getLogger("autoresearch").exception("failed")
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        sys.stderr.write(f"autoresearch: {message}\n")
        return common.EXIT_FAILED
    return result if isinstance(result, int) else common.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
