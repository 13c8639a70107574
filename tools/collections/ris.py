"""RIS files (EndNote, Mendeley, Zotero, databases), read with rispy."""

from __future__ import annotations

from pathlib import Path

import rispy

from tools.collections.entry import CollectionError, Entry, find_arxiv_id, find_doi, first_last, year_of


def read_ris(path: Path) -> list[Entry]:
    """Every record of a .ris file."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise CollectionError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        records = rispy.loads(text)
    except Exception as error:  # noqa: BLE001 - rispy raises plain IOError/ValueError variants
        raise CollectionError(f"{path} is not RIS: {error}") from None
    return [_entry(r, path.name) for r in records]


def _entry(record: dict, origin: str) -> Entry:
    def get(*names: str) -> str:
        for name in names:
            value = record.get(name)
            if isinstance(value, list):
                value = value[0] if value else ""
            if value:
                return str(value).strip()
        return ""

    urls = record.get("urls") or []
    authors = record.get("authors") or record.get("first_authors") or []
    pages = "-".join(p for p in [get("start_page"), get("end_page")] if p)
    return Entry(
        key=get("id"), type=get("type_of_reference").lower(),
        title=get("title", "primary_title", "short_title", "translated_title"),
        authors=[first_last(a) for a in authors], year=year_of(get("year", "publication_year", "date")),
        doi=find_doi(get("doi"), *urls), arxiv_id=find_arxiv_id(*urls, get("doi"), get("notes")),
        url=urls[0] if urls else "",
        venue=get("journal_name", "secondary_title", "alternate_title3", "alternate_title1"),
        volume=get("volume"), pages=pages, abstract=get("abstract", "notes_abstract"), origin=origin)
