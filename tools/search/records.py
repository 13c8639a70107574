"""arXiv records kept by id, from every answer: a look-up of a known id sends no request.

The query cache (`tools.search.arxiv`) answers the same request twice; this answers a different
request for records already seen — the papers a search returned, looked up again by id when they
are ingested, or a batch look-up done first so that the per-paper look-ups after it cost nothing.
A record is kept under its versioned id, and under its bare id when it was the latest version
(a search result, or the answer to an unversioned id), for `arxiv.cache_ttl_s` like any answer.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from tools.files import write_atomic
from tools.paper import Paper, split_arxiv_id


class RecordCache:
    """Paper records on disk, one small JSON file per id."""

    def __init__(self, folder: Path, ttl_s: float) -> None:
        self.folder = folder
        self.ttl_s = ttl_s

    def _path(self, key: str) -> Path:
        return self.folder / f"{re.sub(r'[^A-Za-z0-9.-]', '_', key)}.json"

    def put(self, papers: list[Paper], latest: bool) -> None:
        """Keep records (under the bare id too when they are the latest version)."""
        for paper in papers:
            data = json.dumps({"fetched": time.time(),
                               "paper": paper.model_dump(mode="json", exclude={"score", "found_by"})})
            keys = [paper.versioned_id] + ([paper.arxiv_id] if latest and paper.version else [])
            for key in keys:
                write_atomic(self._path(key), data)

    def get(self, wanted: str) -> Paper | None:
        """The record for an id as asked (`2501.12948` = latest, `2501.12948v1`), if fresh."""
        try:
            bare, version = split_arxiv_id(wanted)
            entry = json.loads(self._path(bare + version).read_text())
        except (ValueError, OSError):
            return None
        if time.time() - float(entry.get("fetched", 0)) > self.ttl_s:
            return None
        return Paper.model_validate(entry["paper"]).model_copy(update={"found_by": ["id"]})

    def get_many(self, wanted: list[str]) -> dict[str, Paper]:
        """The fresh records among `wanted`, by the id as asked."""
        found = {i: self.get(i) for i in wanted}
        return {i: p for i, p in found.items() if p is not None}
