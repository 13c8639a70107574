"""Pick the reader for a collection: by the file's extension, else by what its first line looks like."""

from __future__ import annotations

import re
from pathlib import Path

from tools.collections.bibtex import read_bibtex
from tools.collections.csljson import read_csl_json
from tools.collections.entry import CollectionError, Entry
from tools.collections.ris import read_ris

KINDS = ("bibtex", "ris", "csl-json")


def sniff(path: Path) -> str | None:
    """`bibtex`, `ris`, `csl-json`, or None when the file looks like none of them."""
    suffix = path.suffix.lower()
    if suffix in (".bib", ".bibtex", ".biblatex"):
        return "bibtex"
    if suffix in (".ris", ".enw"):
        return "ris"
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4096].lstrip()
    except OSError:
        return None
    if re.match(r"^(?:\d+\.\s*\n)?TY {2}- ", head):
        return "ris"
    if head.startswith(("[", "{")) and suffix in (".json", ".csljson", ""):
        return "csl-json"
    if re.match(r"^(?:%.*\n\s*)*@\w+\s*\{", head):
        return "bibtex"
    return None


def load_collection(path: Path, kind: str | None = None) -> list[Entry]:
    """The entries of a BibTeX, RIS or CSL-JSON file (`kind` forces the format)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise CollectionError(f"no such file: {path}")
    kind = kind or sniff(path)
    if kind == "bibtex":
        entries = read_bibtex(path)
    elif kind == "ris":
        entries = read_ris(path)
    elif kind == "csl-json":
        entries = read_csl_json(path)
    else:
        raise CollectionError(f"{path} is not BibTeX, RIS or CSL-JSON")
    if not entries:
        raise CollectionError(f"{path} holds no entries")
    return entries
