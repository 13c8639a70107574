"""Download ahead: PDFs arrive back to back at the politeness limit while earlier ones are read.

Reading a paper is a download (network, spaced by the host limiter) then parse, chunk, embed and
store (CPU). When each worker does both in turn, no download runs while every worker is reading,
so a busy CPU stretches a review far past its request floor. Here one thread only downloads, in
order, into the download cache; `workers` threads read what has arrived. A paper is handed to a
reader only from the caller's thread, between its progress reports, so a caller that stops (a
cancel, the `review.halt_at` hook, a kill) leaves no reading half-started beyond the workers'
current papers, and at most `ahead` downloads that no one has read — in the cache, where a
resumed run finds them without a request.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
Item = TypeVar("Item")
Result = TypeVar("Result")
AHEAD_PER_WORKER = 2
"""Downloaded papers that may wait for a reader, per worker."""


class _Downloads(Generic[Item]):
    """The download thread: fetch each item in order, never more than `ahead` unread."""

    def __init__(self, items: Sequence[Item], fetch: Callable[[Item], object] | None, ahead: int,
                 events: queue.Queue) -> None:
        self.items, self.fetch, self.events = items, fetch, events
        self.slots = threading.Semaphore(ahead)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="download-ahead", daemon=True)

    def _run(self) -> None:
        for item in self.items:
            self.slots.acquire()
            if self.stopped.is_set():
                return
            if self.fetch is not None:
                try:
                    self.fetch(item)
                except Exception as error:  # noqa: BLE001 - the reader meets it again and records it
                    log.info("download ahead failed for %s: %s", item, error)
            self.events.put(("arrived", item, None))

    def stop(self) -> None:
        """Stop after the current download (it is cached; nothing is left half-written)."""
        self.stopped.set()
        self.slots.release()


def read_ahead(items: Sequence[Item], *, fetch: Callable[[Item], object] | None,
               read: Callable[[Item], Result], workers: int,
               on_done: Callable[[Item, Result | None, Exception | None], None]) -> None:
    """Fetch every item in one thread and `read` it in `workers` threads as it arrives.

    `on_done(item, result, error)` runs in the caller's thread, once per item, as readers finish;
    whatever it raises (a cancel) stops the downloads and waits for the readers in flight.
    """
    events: queue.Queue = queue.Queue()
    downloads = _Downloads(items, fetch, AHEAD_PER_WORKER * max(1, workers), events)
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="read")
    arrived: deque[Item] = deque()
    reading, left = 0, len(items)

    def run(item: Item) -> None:
        try:
            events.put(("read", item, (read(item), None)))
        except Exception as error:  # noqa: BLE001 - handed to on_done, which records it per item
            events.put(("read", item, (None, error)))

    try:
        downloads.thread.start()
        while left:
            kind, item, outcome = events.get()
            if kind == "arrived":
                arrived.append(item)
            else:
                reading, left = reading - 1, left - 1
                on_done(item, *outcome)
            while reading < max(1, workers) and arrived:
                reading += 1
                downloads.slots.release()
                pool.submit(run, arrived.popleft())
    finally:
        downloads.stop()
        pool.shutdown(wait=True, cancel_futures=True)
