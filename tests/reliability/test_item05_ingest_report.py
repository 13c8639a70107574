"""Item 5: the ingest summary line and exit code follow what was stored; a paper kept by its
abstract counts as stored, with a warning."""

from __future__ import annotations

import json

from evals.mirror import Corpus, MirrorServer

RECORDS = [{"arxiv_id": f"2401.0000{i}", "version": "v1", "title": f"Paper number {i} on sparse attention",
            "authors": ["A. Author"], "published": f"2024-01-0{i}",
            "abstract": f"Abstract {i}: sparse attention for long documents."} for i in (1, 2)]


def serve(monkeypatch) -> MirrorServer:
    mirror = MirrorServer(Corpus.from_records(RECORDS)).start()
    for key, value in {"API_URL": mirror.api_url, "PDF_URL": mirror.pdf_url, "MIN_INTERVAL_S": "0",
                       "MAX_TRIES": "1"}.items():
        monkeypatch.setenv(f"AUTORESEARCH_ARXIV__{key}", value)
    return mirror


def test_item05_html_instead_of_pdf_is_stored_from_the_abstract_and_exit_0(monkeypatch, shared_embedder, cli) -> None:
    mirror = serve(monkeypatch)
    try:
        mirror.overrides["/pdf/2401.00001v1"] = (200, "text/html", b"<!doctype html><html>Just a moment...</html>")
        done = cli("ingest", "2401.00001", "--json")
        plain = cli("ingest", "2401.00001")
    finally:
        mirror.stop()
    assert done.code == 0, done.err
    document = json.loads(done.out)
    assert document["results"][0]["status"] == "abstract_only"
    assert (document["stored"], document["abstract_only"], document["failed"]) == (1, 1, 0)
    assert "abstract only" in done.err and "HTML" in done.err  # the warning says why
    assert plain.code == 0 and "1 of 1 stored" in plain.out
    assert json.loads(cli("library", "stats", "--json").out)["papers"] == 1


def test_item05_exit_1_only_when_nothing_was_stored(monkeypatch, shared_embedder, cli) -> None:
    mirror = serve(monkeypatch)
    try:
        mirror.overrides["/pdf/2401.00002v1"] = (200, "text/html", b"<html>blocked</html>")
        mixed = cli("ingest", "2401.00002", "2401.99999", "--json")  # abstract only + unknown id
        nothing = cli("ingest", "2401.99999")
    finally:
        mirror.stop()
    assert mixed.code == 0, mixed.err
    document = json.loads(mixed.out)
    assert [r["status"] for r in document["results"]] == ["abstract_only", "failed"]
    assert (document["stored"], document["failed"]) == (1, 1)
    assert nothing.code == 1 and "nothing ingested" in nothing.reason
