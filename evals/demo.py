"""The offline demo behind `make demo`: autoresearch against a local arXiv mirror.

It starts the mirror over the shipped seed corpus (108 real arXiv records, no PDFs) on 127.0.0.1,
points autoresearch at it with a data dir under `out/demo`, and runs the main job, so a newcomer
sees it work without network.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from evals.mirror import SEED_CORPUS, Corpus, MirrorServer

OUT = Path("out/demo")


def main() -> int:
    """Run the demo; returns the CLI's exit code."""
    from agent.cli import main as cli

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    with MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        os.environ.update({
            "AUTORESEARCH_HOME": str(OUT / "home"),
            "AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
            "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url,
            "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0",
        })
        print(f"arXiv mirror on {mirror.base_url} with {len(mirror.corpus.records)} seed records",
              file=sys.stderr)
        return cli(["search", "video anomaly detection", "--since", "2023-01-01", "--max", "10"])


if __name__ == "__main__":
    sys.exit(main())
