"""`autoresearch mirror serve`: an arXiv-compatible server on 127.0.0.1 for offline work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import JSON_HELP, print_json, stderr

mirror_app = typer.Typer(help="A local arXiv-compatible server (tests, evals, offline demos).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(mirror_app, name="mirror")


@mirror_app.command("serve")
def serve(
    corpus: Annotated[Path | None, typer.Option(help="JSONL of paper records (default: the shipped seed corpus).")] = None,
    pdfs: Annotated[Path | None, typer.Option(help="Folder of PDFs served at /pdf/<id>.")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8750,
    replay: Annotated[Path | None, typer.Option(help="Folder of recorded arXiv answers (*.json) to replay.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Serve /api/query and /pdf/<id> until interrupted."""
    from evals import mirror

    server = mirror.serve(corpus or mirror.SEED_CORPUS, pdfs, port, replay)
    info = {"api_url": server.api_url, "pdf_url": server.pdf_url,
            "records": len(server.corpus.records), "pdfs": len(server.pdfs.files)}
    if as_json:
        print_json(info)
    else:
        stderr().print(f"arXiv mirror on {server.base_url} ({info['records']} records, "
                       f"{info['pdfs']} PDFs). Point autoresearch at it with\n"
                       f"  AUTORESEARCH_ARXIV__API_URL={server.api_url} "
                       f"AUTORESEARCH_ARXIV__PDF_URL={server.pdf_url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
