"""Parsed papers on disk: one folder per paper under `<home>/papers/`.

Chroma holds vectors and chunk text; the full parsed paper (sections, figures, references) and its
rendered figures live here, as JSON and PNG files a person can open. The folder is keyed by the
versionless arXiv id (`astro-ph/0601001` → `astro-ph_0601001`) so a new version replaces the old,
or by `local-<sha256[:12]>` for a PDF without an id.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from memory.records import LibraryPaper
from tools.files import wait_lock, write_atomic

RECORD = "record.json"


def paper_key(arxiv_id: str = "", sha256: str = "") -> str:
    """The folder name for a paper."""
    if arxiv_id:
        return arxiv_id.replace("/", "_")
    if sha256:
        return f"local-{sha256[:12]}"
    raise ValueError("a paper needs an arXiv id or a content hash")


class PaperStore:
    """Read and write `LibraryPaper` records under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, key: str) -> Path:
        """The paper's folder (created)."""
        path = self.root / key
        path.mkdir(parents=True, exist_ok=True)
        return path

    def figures_dir(self, key: str) -> Path:
        """Where the paper's rendered figures go (created)."""
        path = self.folder(key) / "figures"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @contextmanager
    def reading(self, key: str) -> Iterator[bool]:
        """Hold the paper's lock while reading it in (parse and store); yields whether another
        process (or thread) held it first, in which case the paper may be stored already."""
        with wait_lock(self.root / ".locks" / f"{key}.lock") as waited:
            yield waited

    def save(self, record: LibraryPaper) -> Path:
        """Write a record atomically (a killed process never leaves half a file)."""
        key = paper_key(record.paper.arxiv_id, record.parsed.sha256 if record.parsed else "")
        return write_atomic(self.folder(key) / RECORD, record.model_dump_json(indent=1))

    def load(self, key_or_id: str) -> LibraryPaper | None:
        """A stored record by arXiv id or folder key, or None."""
        path = self.root / paper_key(key_or_id) / RECORD
        if not path.exists():
            return None
        return LibraryPaper.model_validate_json(path.read_text())

    def all(self) -> list[LibraryPaper]:
        """Every stored record, by id."""
        if not self.root.exists():
            return []
        records = [LibraryPaper.model_validate_json(p.read_text()) for p in sorted(self.root.glob(f"*/{RECORD}"))]
        return sorted(records, key=lambda r: r.paper.arxiv_id)

    def remove(self, key_or_id: str) -> bool:
        """Delete a paper's folder; False when there was none."""
        path = self.root / paper_key(key_or_id)
        if not path.exists():
            return False
        shutil.rmtree(path)
        return True
