"""Embeddings computed once: a SQLite cache on disk in front of any embedder.

A review embeds the same texts again and again (candidates ranked per query and again across
queries, the same abstracts stored in the library, every paper again on the next run of the
topic). Embedding is the slowest thing on a CPU, so vectors are kept by model and text hash.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import numpy as np

from memory.embeddings import Embedder

_BATCH = 500
"""Keys per SQL lookup (SQLite's variable limit is far above)."""
MEMORY_LIMIT = 50_000
"""Vectors kept in memory (about 75 MB at 384 dimensions) before that copy is dropped."""


class CachingEmbedder:
    """An Embedder that answers texts it has seen from disk and embeds only the new ones."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=30)) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, rows L2-normalised, as the inner embedder gives them."""
        if not texts:
            return self.inner.embed(texts)
        keys = [_key(self.name, t) for t in texts]
        found = self._lookup(set(keys))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            vectors = self.inner.embed(missing)
            fresh = {_key(self.name, t): v for t, v in zip(missing, vectors, strict=True)}
            self._store(fresh)
            found.update(fresh)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {k: self._memory[k] for k in keys if k in self._memory}
        wanted = [k for k in keys if k not in found]
        if not wanted:
            return found
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start:start + _BATCH]
                rows = db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(batch))})",
                                  batch).fetchall()
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        with self._lock:
            self._memory.update(found)
        return found

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            if len(self._memory) > MEMORY_LIMIT:
                self._memory.clear()
            self._memory.update(vectors)
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)


def _key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]
