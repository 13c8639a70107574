"""`autoresearch config`: see the effective settings."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from agent.cli.common import JSON_HELP, print_json, settings_from, stdout
from agent.settings import default_config_file
from agent.settings_doc import markdown, settings_reference

config_app = typer.Typer(help="Inspect settings (defaults < config file < environment < flags).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(config_app, name="config")


@config_app.command("show")
def show(ctx: typer.Context,
         as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Print the effective settings, secrets masked."""
    settings = settings_from(ctx)
    document = settings.masked()
    if as_json:
        print_json(document)
        return
    out = stdout()
    out.print(f"# config file: {ctx.obj.config or default_config_file()}", markup=False)
    out.print(_toml(document), markup=False, highlight=False)


@config_app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the config file's path and the data dir."""
    settings = settings_from(ctx)
    stdout().print(f"config: {ctx.obj.config or default_config_file()}\ndata:   {settings.home}",
                   markup=False, highlight=False)


@config_app.command("doc")
def doc(as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False) -> None:
    """Print the configuration reference: every setting, its environment variable, default and meaning."""
    rows = settings_reference()
    if as_json:
        print_json({"settings": [row.model_dump(mode="json") for row in rows]})
        return
    typer.echo(markdown(rows), nl=False)


def _toml(document: dict[str, Any]) -> str:
    """Render settings as TOML-looking text (flat keys first, then one table per group)."""
    lines = [f"{k} = {json.dumps(v)}" for k, v in document.items() if not isinstance(v, dict)]
    for group, values in document.items():
        if isinstance(values, dict):
            lines.append(f"\n[{group}]")
            lines.extend(f"{k} = {json.dumps(v)}" for k, v in values.items())
    return "\n".join(lines)
