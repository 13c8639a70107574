"""Atomic file writes and work locks: a reader (or a process killed mid-write) sees the old file or
the new one, and two processes never do the same piece of work at once."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write `data` to `path` through a uniquely named temp file in the same folder, then rename.

    The temp name is unique per call, so two processes writing the same file never clobber each
    other's half-written temp file; the last rename wins whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


@contextmanager
def wait_lock(path: Path) -> Iterator[bool]:
    """Hold an exclusive file lock (across processes and threads); yields whether it had to wait.

    Waiting means someone else was doing the same work (downloading that PDF, reading that paper):
    the caller should look for its result before doing it again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=0)
        waited = False
    except Timeout:
        log.info("waiting for another process: %s", path.name)
        lock.acquire()
        waited = True
    try:
        yield waited
    finally:
        lock.release()
