"""A per-host politeness limiter shared by every thread and process that uses one data dir.

arXiv asks for at most one request every three seconds and one connection at a time. Each host
gets a lock file and a timestamp file under the data dir: a request holds the lock for its whole
duration (one connection at a time) and starts no sooner than `interval_s` after the previous
request to that host *finished*, so the spacing also holds when measured at the server.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock


class HostLimiter:
    """Space requests to each host by at least `interval_s` seconds, across processes."""

    def __init__(self, lock_dir: Path, interval_s: float) -> None:
        self.lock_dir = lock_dir
        self.interval_s = interval_s
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[float]:
        """Hold the host's slot for one request; yields the seconds spent waiting for it."""
        host = urlsplit(url).netloc or "local"
        name = re.sub(r"[^A-Za-z0-9._-]", "_", host)
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.lock_dir / f"{name}.last"
        with self._thread_lock(host), FileLock(str(self.lock_dir / f"{name}.lock")):
            waited = self._wait_for_turn(stamp)
            try:
                yield waited
            finally:
                stamp.write_text(repr(time.time()))

    def _thread_lock(self, host: str) -> threading.Lock:
        """One in-process lock per host, so threads queue before touching the file lock."""
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _wait_for_turn(self, stamp: Path) -> float:
        """Sleep until `interval_s` has passed since the last request to this host ended."""
        try:
            last = float(stamp.read_text() or 0.0)
        except (FileNotFoundError, ValueError):
            last = 0.0
        delay = last + self.interval_s - time.time()
        if delay > 0:
            time.sleep(delay)
            return delay
        return 0.0
