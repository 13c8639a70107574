"""Item 10: `ingest adir` says it is a folder; `--recursive` ingests the PDFs in it."""

from __future__ import annotations

import json
from pathlib import Path

from evals.sample_pdfs import paper


def test_item10_a_folder_is_named_as_such_and_recursive_ingests_its_pdfs(tmp_path: Path, small_mirror,
                                                                         shared_embedder, cli) -> None:
    folder = tmp_path / "adir"
    (folder / "sub").mkdir(parents=True)
    paper(folder / "one.pdf", stamp="")
    paper(folder / "sub" / "two.PDF", stamp="arXiv:2401.00077v1  [cs.CL]  1 Jan 2024")
    (folder / "notes.txt").write_text("not a paper")

    refused = cli("ingest", str(folder))
    assert refused.code == 2
    assert "is a folder" in refused.reason and "--recursive" in refused.reason
    assert small_mirror.api_hits() == []  # not taken as a title to search

    done = cli("ingest", str(folder), "--recursive", "--json")
    assert done.code == 0, done.err
    items = [r["item"] for r in json.loads(done.out)["results"]]
    assert items == [str(folder / "one.pdf"), str(folder / "sub" / "two.PDF")]
    assert json.loads(cli("library", "stats", "--json").out)["papers"] == 2
