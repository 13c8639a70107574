"""The `autoresearch` command line: headless, scriptable (`--json`), cron-friendly.

Each command group lives in `agent/cli/` and registers itself here. Exit codes: 0 done,
1 failed (one line on stderr says why), 2 bad usage, 3 a review paused at an approval gate.
"""

from __future__ import annotations

import gc
import logging
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from agent.cli import common
from tools.errors import AutoresearchError, BadUsage, explain

if TYPE_CHECKING:  # Typer >= 0.29 parses with its own copy of click
    from typer._click.core import Command, Context

COMMANDS = {name: f"agent.cli.{name}" for name in (
    "search", "parse", "ingest", "ask", "figures", "digest", "summarize", "review", "tui", "slack",
    "library", "models", "watch", "runs", "config", "mirror", "llm")}
"""Every command (in the order `--help` lists them) and the module whose `register(app)` adds it."""


class CommandGroup(TyperGroup):
    """The root group: a command's module is imported when that command runs, so `autoresearch ask`
    never loads what `review` needs; listing every command (`--help`, `.commands`) imports them all."""

    @property
    def commands(self) -> dict[str, Command]:  # type: ignore[override]
        """Every command, each module imported."""
        for name in COMMANDS:
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, Command]) -> None:
        self._commands = dict(value)

    def list_commands(self, ctx: Context) -> list[str]:
        return [*COMMANDS, *(name for name in self._commands if name not in COMMANDS)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        self._load(cmd_name)
        return self._commands.get(cmd_name)

    def _load(self, name: str) -> None:
        """Import the command's module and add what its `register` adds."""
        if name in self._commands or name not in COMMANDS:
            return
        own = typer.Typer(add_completion=False)
        import_module(COMMANDS[name]).register(own)
        self._commands.update(dict(typer.main.get_group(own).commands))


app = typer.Typer(
    name="autoresearch",
    help="A research assistant for arXiv: search, read, remember, review.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=CommandGroup,
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn every failure into an exit code and one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="autoresearch", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as error:
        # Typer >= 0.29 parses with its own copy of click, whose errors are TyperExceptions.
        show = getattr(error, "show", None)
        if show is not None:
            show()
        else:
            sys.stderr.write(f"autoresearch: {error}\n")
        return getattr(error, "exit_code", common.EXIT_USAGE)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("autoresearch: interrupted\n")
        return 130
    except AutoresearchError as error:  # the one place the CLI shows a failure: message and hint
        _log_if_verbose(argv)
        sys.stderr.write(f"autoresearch: {explain(error)}\n")
        return common.EXIT_USAGE if isinstance(error, BadUsage) else common.EXIT_FAILED
    except Exception as error:  # noqa: BLE001 - last resort for a bug: one clear line, no traceback
        _log_if_verbose(argv)
        sys.stderr.write(f"autoresearch: {explain(error)}\n")
        return common.EXIT_FAILED
    return result if isinstance(result, int) else common.EXIT_OK


def run() -> None:
    """The `autoresearch` program (and `python -m agent`): `main`, then exit with its code.

    What is alive at the end is frozen out of the interpreter's last garbage collections: they
    walked every object a command built (0.2 s of a cold `ask`, 0.75 s after a 30-paper review) only to
    free memory the process gives back anyway. Atexit handlers, `with` blocks and module teardown
    still run; only finalizers of objects caught in reference cycles are skipped, and nothing
    here depends on them (files are closed by `with`, the stores survive even a killed writer).
    Tests call `main` in their own process, where nothing is frozen.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


def _log_if_verbose(argv: list[str] | None) -> None:
    """With --verbose, log the traceback too (the one line on stderr stays)."""
    if "--verbose" in (argv or sys.argv) or "-v" in (argv or sys.argv):
        logging.getLogger("autoresearch").exception("failed")


if __name__ == "__main__":
    run()
