"""Zotero libraries: the local `zotero.sqlite` (read-only) or the Zotero web API.

Zotero keeps its database locked while it runs, so the file is opened as an immutable, read-only
SQLite URI: nothing is written and no lock is taken. Notes, attachments, annotations and items in
the trash are not papers and are skipped. A collection name narrows the library to that collection
and its subcollections.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tools.collections.csljson import csl_entry
from tools.collections.entry import CollectionError, Entry, find_arxiv_id, find_doi, year_of
from tools.settings import ZoteroSettings

NOT_PAPERS = ("note", "attachment", "annotation")
PAGE = 100


def default_sqlite(settings: ZoteroSettings) -> Path:
    """`zotero.sqlite_path`, else Zotero's default data directory."""
    return Path(settings.sqlite_path).expanduser() if settings.sqlite_path else Path.home() / "Zotero" / "zotero.sqlite"


def read_zotero_sqlite(path: Path, collection: str = "") -> list[Entry]:
    """The papers of a local Zotero database (of one collection, when named)."""
    if not path.is_file():
        raise CollectionError(f"no Zotero database at {path} (set zotero.sqlite_path)")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        with sqlite3.connect(uri, uri=True) as db:
            db.row_factory = sqlite3.Row
            items = _item_ids(db, collection)
            return [_sqlite_entry(db, item_id, key, kind, path.name) for item_id, key, kind in items]
    except sqlite3.DatabaseError as error:
        raise CollectionError(f"{path} is not a Zotero database: {error}") from None


def _item_ids(db: sqlite3.Connection, collection: str) -> list[tuple[int, str, str]]:
    query = ("SELECT i.itemID, i.key, t.typeName FROM items i JOIN itemTypes t USING (itemTypeID) "
             "WHERE i.itemID NOT IN (SELECT itemID FROM deletedItems)")
    params: list[Any] = []
    if collection:
        ids = _collection_ids(db, collection)
        query += f" AND i.itemID IN (SELECT itemID FROM collectionItems WHERE collectionID IN ({','.join('?' * len(ids))}))"
        params = ids
    rows = db.execute(query + " ORDER BY i.itemID", params).fetchall()
    return [(r[0], r[1], r[2]) for r in rows if r[2] not in NOT_PAPERS]


def _collection_ids(db: sqlite3.Connection, name: str) -> list[int]:
    """The named collection and every collection under it."""
    rows = db.execute("SELECT collectionID, collectionName, parentCollectionID FROM collections").fetchall()
    wanted = [r[0] for r in rows if r[1].strip().lower() == name.strip().lower()]
    if not wanted:
        names = ", ".join(sorted(r[1] for r in rows)) or "none"
        raise CollectionError(f"no Zotero collection named {name!r} (collections: {names})")
    children: dict[int, list[int]] = {}
    for row in rows:
        children.setdefault(row[2], []).append(row[0])
    found, queue = [], list(wanted)
    while queue:
        current = queue.pop()
        found.append(current)
        queue += children.get(current, [])
    return found


def _sqlite_entry(db: sqlite3.Connection, item_id: int, key: str, kind: str, origin: str) -> Entry:
    fields = dict(db.execute(
        "SELECT f.fieldName, v.value FROM itemData d JOIN fields f USING (fieldID) "
        "JOIN itemDataValues v USING (valueID) WHERE d.itemID = ?", (item_id,)).fetchall())
    authors = [" ".join(p for p in (first, last) if p) for first, last in db.execute(
        "SELECT c.firstName, c.lastName FROM itemCreators ic JOIN creators c USING (creatorID) "
        "WHERE ic.itemID = ? ORDER BY ic.orderIndex", (item_id,)).fetchall()]
    return _zotero_entry(key, kind, fields, authors, origin)


def _zotero_entry(key: str, kind: str, fields: dict[str, Any], authors: list[str], origin: str) -> Entry:
    def get(*names: str) -> str:
        return next((str(fields[n]).strip() for n in names if fields.get(n)), "")

    return Entry(key=key, type=kind, title=get("title"), authors=authors, year=year_of(get("date")),
                 doi=find_doi(get("DOI"), get("url"), get("extra")),
                 arxiv_id=find_arxiv_id(get("url"), get("extra"), get("number"), get("DOI")),
                 url=get("url"), venue=get("publicationTitle", "proceedingsTitle", "bookTitle"),
                 volume=get("volume"), pages=get("pages"), abstract=get("abstractNote"), origin=origin)


def read_zotero_web(settings: ZoteroSettings, collection: str = "", http: httpx.Client | None = None) -> list[Entry]:
    """The papers of a Zotero library through the web API (`zotero.library_id`, `zotero.api_key`)."""
    if not settings.library_id or settings.api_key is None:
        raise CollectionError("the Zotero web API needs zotero.library_id and zotero.api_key")
    client = http or httpx.Client(timeout=30.0)
    base = f"{settings.api_url.rstrip('/')}/{settings.library_type}s/{settings.library_id}"
    headers = {"Zotero-API-Key": settings.api_key.get_secret_value(), "Zotero-API-Version": "3"}
    path = "/items/top"
    if collection:
        path = f"/collections/{_web_collection_key(client, base, headers, collection)}/items/top"
    entries, start = [], 0
    while True:
        batch = _get(client, f"{base}{path}", headers, {"format": "json", "limit": str(PAGE), "start": str(start)})
        for item in batch:
            data = item.get("data") or {}
            if data.get("itemType") not in NOT_PAPERS:
                entries.append(_web_entry(data))
        start += PAGE
        if len(batch) < PAGE:
            return entries


def _web_entry(data: dict[str, Any]) -> Entry:
    authors = [" ".join(p for p in (c.get("firstName", ""), c.get("lastName", "")) if p) or c.get("name", "")
               for c in data.get("creators") or [] if c.get("creatorType", "author") == "author"]
    return _zotero_entry(data.get("key", ""), data.get("itemType", ""), data, authors, "Zotero web library")


def _web_collection_key(client: httpx.Client, base: str, headers: dict[str, str], name: str) -> str:
    found = _get(client, f"{base}/collections", headers, {"format": "json", "limit": str(PAGE)})
    for item in found:
        if (item.get("data") or {}).get("name", "").strip().lower() == name.strip().lower():
            return item.get("key") or item["data"]["key"]
    raise CollectionError(f"no Zotero collection named {name!r} in the web library")


def _get(client: httpx.Client, url: str, headers: dict[str, str], params: dict[str, str]) -> list[dict]:
    try:
        response = client.get(url, headers=headers, params=params)
    except httpx.HTTPError as error:
        raise CollectionError(f"the Zotero web API could not be reached: {error}") from None
    if response.status_code in (401, 403):
        raise CollectionError("the Zotero web API refused the key (check zotero.api_key and library_id)")
    if response.status_code >= 400:
        raise CollectionError(f"the Zotero web API answered HTTP {response.status_code} for {url}")
    body = response.json()
    return body if isinstance(body, list) else []


__all__ = ["csl_entry", "default_sqlite", "read_zotero_sqlite", "read_zotero_web"]
