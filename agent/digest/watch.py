"""Keyword watchlists: the topics a person follows every morning.

A watch is a keyword (the digest's heading), optionally narrowed to arXiv categories or replaced by
a raw arXiv query. Watches added with `autoresearch watch add` live in one small JSON file in the
data dir, written atomically under a file lock; watches declared in the config file
(`digest.keywords`) are merged in read-only, so a team can ship a shared list.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from filelock import FileLock
from pydantic import BaseModel, Field, ValidationError

from tools.errors import AutoresearchError
from tools.files import write_atomic
from tools.search.query import is_raw_query, phrase_query, with_filters

WATCH_FILE = "watchlist.json"


class WatchError(AutoresearchError, ValueError):
    """A watchlist change that cannot be made (duplicate, unknown name, unreadable file)."""


class Watch(BaseModel):
    """One keyword followed by the digest."""

    name: str
    """The keyword as the user wrote it; the digest's `## <name>` heading."""
    categories: list[str] = Field(default_factory=list)
    """arXiv categories to keep (any of them); empty = all."""
    query: str = ""
    """A raw arXiv query used instead of the keyword phrase (`ti:"talking head" OR abs:…`)."""
    added: str = ""
    """ISO timestamp of when the watch was added."""
    source: Literal["watchlist", "config"] = "watchlist"
    """Where the watch comes from: the data dir's watchlist or the config file (read-only)."""

    @property
    def key(self) -> str:
        """The case-insensitive identity of a watch (one per keyword)."""
        return " ".join(self.name.lower().split())

    def search_query(self) -> str:
        """The arXiv query for this watch: the exact phrase in title or abstract, or the raw query.

        A phrase (as DailyArXiv does) keeps a daily table on topic; a keyword that is already
        written in arXiv's syntax is sent as written.
        """
        raw = self.query or (self.name if is_raw_query(self.name) else "")
        # Parenthesised whole: `with_filters` only wraps queries that do not start with "(".
        base = f"({raw})" if raw else phrase_query(self.name)
        return with_filters(base, self.categories)

    def same_options(self, other: Watch) -> bool:
        """Whether two watches on one keyword ask for the same search."""
        return self.categories == other.categories and self.query == other.query


class _WatchFile(BaseModel):
    """The on-disk shape of the watchlist."""

    version: int = 1
    watches: list[Watch] = Field(default_factory=list)


class WatchList:
    """Read and change the watchlist file; config-declared keywords are merged in on read."""

    def __init__(self, path: Path, declared: list[str] | None = None) -> None:
        self.path = path
        self.declared = declared or []
        self._lock = FileLock(str(path.with_suffix(".lock")))

    def all(self) -> list[Watch]:
        """Every watch: the file's, then config keywords the file does not already have."""
        watches = self._read()
        keys = {w.key for w in watches}
        for name in self.declared:
            watch = Watch(name=name, source="config")
            if watch.key not in keys and name.strip():
                watches.append(watch)
                keys.add(watch.key)
        return watches

    def get(self, name: str) -> Watch | None:
        """The watch for a keyword (case-insensitive), or None."""
        wanted = Watch(name=name).key
        return next((w for w in self.all() if w.key == wanted), None)

    def add(self, watch: Watch, replace: bool = False) -> tuple[Watch, str]:
        """Add a watch; returns it with what happened: `added`, `unchanged` or `replaced`.

        Adding the same keyword with the same options again is a no-op (scripts can re-run it);
        different options need `replace=True`, so a typo never silently changes a watch.
        """
        if not watch.name.strip():
            raise WatchError("a watch needs a keyword")
        with self._lock:
            watches = self._read()
            existing = next((w for w in watches if w.key == watch.key), None)
            if existing and existing.same_options(watch):
                return existing, "unchanged"
            if existing and not replace:
                raise WatchError(f"{existing.name!r} is already watched with other options; "
                                 "pass --replace to change it")
            stamped = watch.model_copy(update={
                "added": datetime.now(UTC).isoformat(timespec="seconds"),
                "source": "watchlist"})
            kept = [w for w in watches if w.key != watch.key]
            self._write(kept + [stamped])
        return stamped, "replaced" if existing else "added"

    def remove(self, name: str) -> Watch:
        """Remove a watch by keyword; raises `WatchError` when it is not in the watchlist file."""
        key = Watch(name=name).key
        with self._lock:
            watches = self._read()
            found = next((w for w in watches if w.key == key), None)
            if found is None:
                if any(Watch(name=d).key == key for d in self.declared):
                    raise WatchError(f"{name!r} is declared in the config file (digest.keywords); "
                                     "remove it there")
                raise WatchError(f"{name!r} is not watched (see `autoresearch watch list`)")
            self._write([w for w in watches if w.key != key])
        return found

    def _read(self) -> list[Watch]:
        """The watches in the file (none when it does not exist yet)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            return _WatchFile.model_validate_json(text).watches
        except (ValidationError, json.JSONDecodeError) as error:
            raise WatchError(f"the watchlist {self.path} is unreadable ({type(error).__name__}); "
                             "fix or delete it") from None

    def _write(self, watches: list[Watch]) -> None:
        """Replace the file atomically (a killed process leaves the old or the new list)."""
        write_atomic(self.path, _WatchFile(watches=watches).model_dump_json(indent=1))
