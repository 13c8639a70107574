"""Item 9: output paths are checked before the work starts, in one line; `--out` onto a folder
holding an earlier review needs `--force`."""

from __future__ import annotations

import json
from pathlib import Path

from evals.sample_pdfs import paper


def no_runs(cli) -> bool:
    return json.loads(cli("runs", "list", "--json").out)["runs"] == []


def test_item09_review_out_onto_a_file_fails_at_once(tmp_path: Path, small_mirror, cli) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    refused = cli("review", "video anomaly detection", "--out", str(existing))
    assert refused.code == 2
    assert "is a file, not a folder" in refused.reason and "Errno" not in refused.err
    assert small_mirror.api_hits() == [] and no_runs(cli)  # nothing ran
    assert existing.read_text() == "keep me"


def test_item09_review_out_onto_an_earlier_review_needs_force(tmp_path: Path, small_mirror, shared_embedder,
                                                              cli) -> None:
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "review.md").write_text("# my edited review")
    refused = cli("review", "video anomaly detection", "--out", str(earlier))
    assert refused.code == 2 and "--force" in refused.reason
    assert small_mirror.api_hits() == [] and no_runs(cli)
    forced = cli("review", "video anomaly detection", "--out", str(earlier), "--force", "--max-papers", "2")
    assert forced.code == 3, forced.err  # it runs (and pauses at the papers gate)


def test_item09_parse_figures_dir_onto_a_file_fails_before_parsing(tmp_path: Path, cli) -> None:
    existing = tmp_path / "existing.txt"
    existing.write_text("x")
    refused = cli("parse", str(paper(tmp_path / "p.pdf")), "--figures-dir", str(existing))
    assert refused.code == 2 and "is a file, not a folder" in refused.reason and "Errno" not in refused.err


def test_item09_file_outputs_onto_a_folder_fail_before_the_work(tmp_path: Path, small_mirror, cli) -> None:
    pdf = paper(tmp_path / "p.pdf")
    summary = cli("summarize", str(pdf), "-o", str(tmp_path))
    assert summary.code == 2 and "is a folder" in summary.reason
    digest = cli("digest", "--keyword", "video anomaly detection", "-o", str(tmp_path))
    assert digest.code == 2 and "is a folder" in digest.reason
    assert small_mirror.api_hits() == []
