"""`autoresearch models pull NAME`: fetch a figure model once, so runs never download."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import JSON_HELP, print_json, settings_from, stdout
from tools.figures.models import pull_model

models_app = typer.Typer(help="Fetch vision-language models for describing figures.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(models_app, name="models")


@models_app.command("pull")
def pull(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A Hugging Face model: HuggingFaceTB/SmolVLM-256M-Instruct.")],
    directory: Annotated[Path | None, typer.Option("--dir", help="Download into this folder instead of the shared cache.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Download a model where a network allows; then set figures.model to use it."""
    folder = pull_model(name, directory, settings_from(ctx).figures.hub_endpoint)
    use = str(directory) if directory else name
    if as_json:
        print_json({"name": name, "path": str(folder), "setting": use})
        return
    stdout().print(f"{name} is in {folder}\nuse it with: AUTORESEARCH_FIGURES__MODEL={use}",
                   markup=False, highlight=False)
