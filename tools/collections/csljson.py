"""CSL-JSON files (Zotero's and Mendeley's "CSL JSON" export, pandoc's bibliography format)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.collections.entry import CollectionError, Entry, find_arxiv_id, find_doi


def read_csl_json(path: Path) -> list[Entry]:
    """Every item of a CSL-JSON file (a list of items, or an object of items by id)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CollectionError(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise CollectionError(f"{path} is not JSON: {error}") from None
    items = list(data.values()) if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CollectionError(f"{path} is not CSL-JSON: expected a list of items")
    return [csl_entry(item, path.name) for item in items]


def csl_entry(item: dict[str, Any], origin: str) -> Entry:
    """One CSL item as an `Entry`."""
    def get(name: str) -> str:
        value = item.get(name)
        return str(value).strip() if value not in (None, "") else ""

    return Entry(
        key=get("id"), type=get("type"), title=get("title"),
        authors=[_name(a) for a in item.get("author") or [] if isinstance(a, dict) and _name(a)],
        year=_year(item.get("issued")), doi=find_doi(get("DOI"), get("URL")),
        arxiv_id=find_arxiv_id(get("URL"), get("DOI"), get("number"), get("note")), url=get("URL"),
        venue=get("container-title"), volume=get("volume"), pages=get("page"), abstract=get("abstract"),
        origin=origin)


def _name(author: dict[str, Any]) -> str:
    if author.get("literal"):
        return str(author["literal"]).strip()
    return " ".join(str(author[k]).strip() for k in ("given", "family") if author.get(k))


def _year(issued: Any) -> str:
    if isinstance(issued, dict):
        parts = issued.get("date-parts") or [[]]
        if parts and parts[0]:
            return str(parts[0][0])[:4]
        return str(issued.get("raw") or issued.get("literal") or "")[:4]
    return ""
