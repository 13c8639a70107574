"""Half-written papers stay invisible: chunks and figures are pending until their paper commits.

`Library.add` writes a paper's chunks batch by batch (embedding takes a while), then its entry in
the `papers` collection. A process killed in between used to leave chunks that `ask` retrieved and
cited although the paper was "not in the library". Now every chunk and figure is written with
`pending: true`, the writer's token and the fingerprint of the write; searches skip pending records
(`visible`); committing the paper's entry publishes them (`publish`). Chroma has no transaction
across collections, so a kill may still land between the entry and the publish, or before the
entry: `recover` (run when a library is opened) finishes the first case and deletes the second —
only for writers that are gone. A live writer holds a lock file named by its token, whose path its
records carry, so another process on the machine (whatever its data dir: processes sharing a Chroma
server need not share one) never touches an ingest in flight; a write from another machine is
taken for abandoned only after `STALE_S`.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from memory.store import VectorStore

log = logging.getLogger(__name__)
PENDING = "pending"
HIDDEN = ("chunks", "figures")
"""Collections whose records stay hidden until their paper's entry is committed."""
STALE_S = 86400.0
"""A pending write from another machine (a shared Chroma server) counts as abandoned after this."""
HOST = socket.gethostname()


@dataclass(frozen=True)
class Writer:
    """One `Library.add` in flight: what its pending records carry."""

    token: str
    fingerprint: str
    lock: str = ""
    """The absolute path of the lock file this writer holds ("" when it holds none)."""

    def marks(self) -> dict[str, Any]:
        """Metadata every record of this write carries until it is published."""
        return {PENDING: True, "writer": self.token, "host": HOST, "lock": self.lock,
                "write": self.fingerprint, "since": time.time()}


@contextmanager
def writing(locks: Path | None, fingerprint: str) -> Iterator[Writer]:
    """Hold a lock file named by a fresh token for the duration of one write (it proves the
    writer is alive to any process on this machine, whatever its data dir: processes sharing a
    Chroma server need not share one); remove it afterwards."""
    token = uuid.uuid4().hex
    if locks is None:
        yield Writer(token, fingerprint)
        return
    locks.mkdir(parents=True, exist_ok=True)
    path = (locks / f"{token}.lock").resolve()
    with FileLock(str(path)):
        yield Writer(token, fingerprint, str(path))
    path.unlink(missing_ok=True)


def visible(where: dict[str, Any] | None) -> dict[str, Any]:
    """`where` restricted to published records (records written before pending existed count)."""
    shown = {PENDING: {"$ne": True}}
    return shown if not where else {"$and": [where, shown]}


def publish(store: VectorStore, collection: str, ids: list[str]) -> None:
    """Make a committed paper's records visible."""
    if ids:
        store.mark(collection, ids, {PENDING: False})


def pending_count(store: VectorStore, collection: str) -> int:
    """How many records of a collection are not published (yet)."""
    return len(store.ids(collection, {PENDING: True}))


def recover(store: VectorStore) -> int:
    """Finish or undo the writes of writers that died; the number of records touched.

    A pending record whose paper entry carries the same fingerprint was committed: publish it.
    Any other pending record of a dead writer belongs to a write that never committed: delete it.
    """
    touched = 0
    entries: dict[str, str | None] = {}
    writers: dict[str, bool] = {}
    for collection in HIDDEN:
        hits = store.get(collection, where={PENDING: True})
        for hit in hits:
            token = str(hit.metadata.get("writer", ""))
            if token not in writers:
                writers[token] = _is_dead(hit.metadata)
        dead = [h for h in hits if writers[str(h.metadata.get("writer", ""))]]
        keep, drop = [], []
        for hit in dead:
            arxiv_id = str(hit.metadata.get("arxiv_id", ""))
            if arxiv_id not in entries:
                entry = store.get("papers", ids=[arxiv_id]) if arxiv_id else []
                entries[arxiv_id] = entry[0].metadata.get("fingerprint") if entry else None
            (keep if entries[arxiv_id] == hit.metadata.get("write") else drop).append(hit.id)
        publish(store, collection, keep)
        if drop:
            store.delete(collection, ids=drop)
        touched += len(keep) + len(drop)
    if touched:
        log.warning("cleaned up after an interrupted ingest: %d records published or removed", touched)
    return touched


def halt_after(halt_at: str) -> int:
    """The batch count `memory.halt_at = "embed:N"` names (0: the crash-test hook is off)."""
    return int(halt_at.partition(":")[2]) if halt_at.startswith("embed:") else 0


def halt() -> None:
    """The crash-test hook: say so (a test waits for this line), then stay here until killed."""
    log.warning("halted by memory.halt_at")
    threading.Event().wait()


def _is_dead(meta: dict[str, Any]) -> bool:
    """Whether the writer of a pending record is gone: its lock file (on this machine) is gone or
    free; a writer on another machine, or one without a lock file, once its write is too old."""
    lock = str(meta.get("lock", ""))
    if meta.get("host") != HOST or not lock:
        return time.time() - float(meta.get("since", 0.0)) > STALE_S
    path = Path(lock)
    if not path.exists():
        return True
    try:
        with FileLock(str(path), timeout=0):
            pass
    except Timeout:
        return False
    path.unlink(missing_ok=True)
    return True
