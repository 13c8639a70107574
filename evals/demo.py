"""The offline demo behind `make demo`: autoresearch against a local arXiv mirror.

It starts the mirror over the shipped seed corpus (108 real arXiv records, no PDFs) on 127.0.0.1,
points autoresearch at it with a data dir under `out/demo`, and runs the main job, a full review
with every gate on `auto`, so a newcomer sees it work without network. The mirror has no PDFs, so
every paper is read from its abstract (run.json marks each one `abstract_only`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from agent.cli.app import main as cli
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer

OUT = Path("out/demo")
TOPIC = "video anomaly detection"


def main() -> int:
    """Run the demo; returns the CLI's exit code."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        os.environ.update({
            "AUTORESEARCH_HOME": str(OUT / "home"),
            "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
            "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url,
            "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0",
            "AUTORESEARCH_OPENALEX__ENABLED": "false",  # offline: no citation graph to ask
        })
        print(f"arXiv mirror on {mirror.base_url} with {len(mirror.corpus.records)} seed records",
              file=sys.stderr)
        code = cli(["review", TOPIC, "--approve", "auto", "--max-papers", "12", "--out", str(OUT / "review")])
    if code == 0:
        print(f"\nThe review is in {(OUT / 'review' / 'review.md').resolve()} "
              f"(references.bib and run.json beside it).", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
