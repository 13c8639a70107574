"""Zotero libraries: a zotero.sqlite built with Zotero's real schema (evals/datasets/collections/
zotero_schema.sql, from zotero/zotero), read while "Zotero" holds a write lock on it; and the
web API through a local server speaking its JSON."""

from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tools.collections.entry import CollectionError
from tools.collections.zotero import read_zotero_sqlite, read_zotero_web
from tools.settings import ZoteroSettings

SCHEMA = Path(__file__).resolve().parents[3] / "evals" / "datasets" / "collections" / "zotero_schema.sql"
FIELDS = {"title": 110, "date": 14, "DOI": 26, "url": 1, "publicationTitle": 12, "abstractNote": 90}


def add_item(db: sqlite3.Connection, item_id: int, kind: int, fields: dict, authors: list[tuple[str, str]]) -> None:
    """Insert an item the way Zotero stores it: values shared in itemDataValues, creators apart."""
    db.execute("INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, ?, 1, ?)",
               (item_id, kind, f"KEY{item_id:05d}"))
    for name, value in fields.items():
        db.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (value,))
        value_id = db.execute("SELECT valueID FROM itemDataValues WHERE value = ?", (value,)).fetchone()[0]
        db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, FIELDS[name], value_id))
    for order, (first, last) in enumerate(authors):
        db.execute("INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, 0)", (first, last))
        creator = db.execute("SELECT creatorID FROM creators WHERE firstName = ? AND lastName = ?",
                             (first, last)).fetchone()[0]
        db.execute("INSERT INTO itemCreators VALUES (?, ?, 1, ?)", (item_id, creator, order))


@pytest.fixture
def zotero_db(tmp_path: Path) -> Path:
    path = tmp_path / "zotero.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA.read_text())
        db.execute("INSERT INTO creatorTypes VALUES (1, 'author')")
        db.execute("INSERT INTO fieldsCombined SELECT fieldID, fieldName, NULL, fieldFormatID, 0 FROM fields")
        db.execute("INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (1, 'user', 1, 1)")
        add_item(db, 1, 4, {"title": "Layer Normalization", "date": "2016-07-21", "url": "https://arxiv.org/abs/1607.06450",
                            "abstractNote": "Training state-of-the-art deep neural networks is expensive."},
                 [("Jimmy Lei", "Ba"), ("Geoffrey E.", "Hinton")])
        add_item(db, 2, 4, {"title": "Theory of Inelastic Scattering of Cold Neutrons from Liquid Helium",
                            "date": "1957", "DOI": "10.1103/PhysRev.107.13", "publicationTitle": "Physical Review"},
                 [("Michael", "Cohen"), ("Richard", "Feynman")])
        add_item(db, 3, 1, {}, [])  # a note
        add_item(db, 4, 4, {"title": "A paper in the trash", "date": "2020"}, [])
        db.execute("INSERT INTO deletedItems (itemID) VALUES (4)")
        db.execute("INSERT INTO collections (collectionID, collectionName, libraryID, key) VALUES (1, 'Reading', 1, 'C1')")
        db.execute("INSERT INTO collections (collectionID, collectionName, parentCollectionID, libraryID, key) "
                   "VALUES (2, 'Physics', 1, 1, 'C2')")
        db.execute("INSERT INTO collectionItems VALUES (2, 2, 0)")
    return path


def test_the_library_reads_without_notes_or_trash_even_while_zotero_holds_a_lock(zotero_db: Path) -> None:
    writer = sqlite3.connect(zotero_db)
    writer.execute("BEGIN EXCLUSIVE")  # Zotero keeps its database locked while it runs
    try:
        entries = read_zotero_sqlite(zotero_db)
    finally:
        writer.rollback()
        writer.close()
    assert [e.title for e in entries] == ["Layer Normalization",
                                         "Theory of Inelastic Scattering of Cold Neutrons from Liquid Helium"]
    ba, feynman = entries
    assert ba.arxiv_id == "1607.06450" and ba.authors == ["Jimmy Lei Ba", "Geoffrey E. Hinton"] and ba.year == "2016"
    assert feynman.doi == "10.1103/physrev.107.13" and feynman.venue == "Physical Review"
    assert ba.key == "KEY00001" and ba.abstract.startswith("Training")


def test_a_collection_includes_its_subcollections_and_a_wrong_name_says_which_exist(zotero_db: Path) -> None:
    assert [e.key for e in read_zotero_sqlite(zotero_db, "reading")] == ["KEY00002"]
    with pytest.raises(CollectionError, match="collections: Physics, Reading"):
        read_zotero_sqlite(zotero_db, "Biology")
    before = zotero_db.read_bytes()
    read_zotero_sqlite(zotero_db, "Physics")
    assert zotero_db.read_bytes() == before  # opened immutable: nothing written


def test_a_file_that_is_not_zotero_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "zotero.sqlite"
    bogus.write_text("not a database")
    with pytest.raises(CollectionError, match="not a Zotero database"):
        read_zotero_sqlite(bogus)
    with pytest.raises(CollectionError, match="no Zotero database"):
        read_zotero_sqlite(tmp_path / "missing.sqlite")


class _ZoteroApi(BaseHTTPRequestHandler):
    """`/users/<id>/collections` and `/users/<id>/(collections/<key>/)items/top`, paged by start/limit."""

    items = [{"key": f"I{i}", "data": {"key": f"I{i}", "itemType": "journalArticle", "title": f"Paper {i}",
                                      "creators": [{"creatorType": "author", "firstName": "Ada", "lastName": f"Author{i}"}],
                                      "date": f"20{10 + i}", "DOI": f"10.1000/{i}"}} for i in range(150)]
    items.append({"key": "N1", "data": {"key": "N1", "itemType": "note", "note": "<p>a note</p>"}})

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query))
        if self.headers.get("Zotero-API-Key") != "zkey":
            return self._send(403, [])
        if parts.path.endswith("/collections"):
            return self._send(200, [{"key": "COLL1", "data": {"key": "COLL1", "name": "Reading"}}])
        pool = self.items[:3] if "/collections/COLL1/" in parts.path else self.items
        start, limit = int(params.get("start", 0)), int(params.get("limit", 25))
        self._send(200, pool[start:start + limit])

    def _send(self, status: int, body: list) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def zotero_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ZoteroApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_web_api_pages_through_the_library_and_a_collection(zotero_api: str) -> None:
    settings = ZoteroSettings(api_url=zotero_api, api_key="zkey", library_id="42")
    everything = read_zotero_web(settings)
    assert len(everything) == 150 and everything[0].authors == ["Ada Author0"] and everything[0].doi == "10.1000/0"
    assert [e.title for e in read_zotero_web(settings, "reading")] == ["Paper 0", "Paper 1", "Paper 2"]
    with pytest.raises(CollectionError, match="refused the key"):
        read_zotero_web(ZoteroSettings(api_url=zotero_api, api_key="wrong", library_id="42"))
    with pytest.raises(CollectionError, match="needs zotero.library_id"):
        read_zotero_web(ZoteroSettings(api_url=zotero_api))
