"""The library's paper entries as one JSON file, so that listing the library needs no Chroma.

`autoresearch library list` (and the TUI's library screen) only need each paper's entry: the
metadata the papers collection holds. Opening Chroma for that costs most of a second of imports;
reading `<data_dir>/papers/catalog.json` costs nothing. Chroma stays the source of truth:

- every write to the papers collection holds the library's write lock (a file lock shared by
  every process on the data dir) and goes read the catalog → delete the file → write Chroma →
  write the catalog with the change (`Catalog.changing`), so a writer killed in between leaves no
  catalog, never a wrong one, and a reader sees the library before or after a whole write;
- with no catalog (a new or older data dir, a writer that died), opening the library or listing
  it writes the catalog again from what Chroma holds, under the same lock (`Library.open`,
  `Library.list`).

Each write rewrites the whole file: a few milliseconds for hundreds of papers, a few hundred for
ten thousand.

An embedded store only: a Chroma server's library also changes from other machines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from memory.records import LibraryPaper
from tools.files import write_atomic
from tools.paper import Paper

FILE = "catalog.json"
FORMAT = 1

Entries = dict[str, dict[str, Any]]
"""Paper id → the metadata of its entry in the papers collection."""


class Catalog:
    """The papers collection's entries in one file (see the module docstring)."""

    def __init__(self, papers_dir: Path) -> None:
        self.path = papers_dir / FILE

    def read(self) -> Entries | None:
        """The entries, or None when there is no readable catalog (list from Chroma instead)."""
        try:
            document = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            return None
        if not isinstance(document, dict) or document.get("format") != FORMAT \
                or not isinstance(document.get("papers"), dict):
            return None
        return document["papers"]

    def write(self, entries: Entries) -> None:
        """Write the entries as they are in Chroma now (the caller holds the write lock)."""
        write_atomic(self.path, json.dumps({"format": FORMAT, "papers": entries}, sort_keys=True))

    @contextmanager
    def changing(self) -> Iterator[Entries | None]:
        """Around one write to the papers collection (under the write lock): the catalog is gone
        while the write runs; apply the change to the entries yielded (None: there was no catalog,
        and none is written) and the catalog comes back with it, once the block ends without error."""
        entries = self.read()
        self.path.unlink(missing_ok=True)
        yield entries
        if entries is not None:
            self.write(entries)


def record_from_entry(arxiv_id: str, meta: dict[str, Any]) -> LibraryPaper:
    """A library record as its entry describes it (no parsed text)."""
    raw = meta.get("paper")
    paper = Paper.model_validate_json(raw) if isinstance(raw, str) else Paper(
        arxiv_id=arxiv_id, version=str(meta.get("version", "")), title=str(meta.get("title", "")))
    return LibraryPaper(paper=paper, abstract_only=bool(meta.get("abstract_only", False)),
                        chunks=int(meta.get("chunks", 0)), figures=int(meta.get("figures", 0)),
                        added=str(meta.get("added", "")))


def listed(papers_dir: Path) -> list[LibraryPaper] | None:
    """Every paper of an embedded library by id, from its catalog; None when there is none."""
    entries = Catalog(papers_dir).read()
    if entries is None:
        return None
    return [record_from_entry(key, entries[key]) for key in sorted(entries)]
