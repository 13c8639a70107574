"""The library's catalog (`memory.catalog`): `library list` without Chroma, never out of step with it.

A real embedded Chroma store in a temp dir; the listing process is a real child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from paperfactory import make_paper

from agent import services
from agent.settings import load_settings
from agent.usecases import library as usecase
from memory.catalog import Catalog
from memory.library import Library
from tools.document import Figure

ROOT = Path(__file__).resolve().parents[2]


def in_chroma(library: Library) -> dict:
    return {hit.id: hit.metadata for hit in library.store.get("papers")}


def test_the_catalog_follows_every_write_to_the_papers_collection(embedder) -> None:
    library = services.library(load_settings(), embedder)
    assert library.catalog is not None and library.catalog.read() == {}  # written when the store is new
    library.add(*make_paper("2401.00001"))
    library.add(*make_paper("2401.00002", topic=2))
    assert library.catalog.read() == in_chroma(library) and len(in_chroma(library)) == 2
    library.update_figures("2401.00001", [Figure(number="1", caption="A new caption", page=1,
                                                 bbox=(0, 0, 10, 10))])
    assert library.catalog.read() == in_chroma(library)
    assert library.catalog.read()["2401.00001"]["figures"] == 1
    library.add(*make_paper("2401.00002", topic=3))  # new content, same version: rewritten
    library.remove("2401.00001")
    assert library.catalog.read() == in_chroma(library) and list(in_chroma(library)) == ["2401.00002"]


def test_library_list_in_a_new_process_reads_the_catalog_without_importing_chromadb(embedder) -> None:
    settings = load_settings()
    library = services.library(settings, embedder)
    for number in range(3):
        library.add(*make_paper(f"2401.0000{number}", topic=number))
    expected = [usecase.entry(r) for r in library.list(with_text=False)]
    code = ("import json, sys\n"
            "from agent.services import Services\nfrom agent.settings import load_settings\n"
            "from agent.usecases import library\n"
            "listed = [library.entry(r) for r in library.papers(Services(load_settings()))]\n"
            "print(json.dumps({'listed': listed, 'chromadb': 'chromadb' in sys.modules}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "AUTORESEARCH_HOME": str(settings.data_dir), "PYTHONPATH": str(ROOT)})
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"listed": expected, "chromadb": False}


def test_a_write_that_fails_leaves_no_catalog_and_the_library_writes_it_again(embedder, monkeypatch) -> None:
    settings = load_settings()
    library = services.library(settings, embedder)
    library.add(*make_paper("2401.00001"))
    catalog = Catalog(settings.data_dir / "papers")
    upsert = library.store.upsert

    def fail_on_papers(collection, *args, **kwargs):
        if collection == "papers":
            raise OSError("disk full")
        return upsert(collection, *args, **kwargs)

    monkeypatch.setattr(library.store, "upsert", fail_on_papers)
    with pytest.raises(OSError, match="disk full"):
        library.add(*make_paper("2401.00002", topic=2))
    assert catalog.read() is None  # never a catalog that disagrees with Chroma
    monkeypatch.setattr(library.store, "upsert", upsert)
    listed = library.list(with_text=False)  # from Chroma, and the catalog comes back
    assert [r.paper.arxiv_id for r in listed] == ["2401.00001"] and catalog.read() == in_chroma(library)
    catalog.path.unlink()
    again = services.library(settings, embedder)  # opening writes a missing catalog too
    assert again.catalog is not None and again.catalog.read() == in_chroma(library)
