"""Run the bot's work off Slack's request thread, in pools the bot owns and tests can drain.

Slack wants every request acknowledged within 3 s, so listeners `ack()` first and hand anything
slow (a review, an answer, a digest) to a pool. Two pools share one in-flight counter: Bolt's
listener bodies run in `listeners` (short: they must never wait behind a review, or the next
`ack()` would be late) and slow work in `jobs`. `drain()` waits until both are idle, so a test
waits on a condition with a deadline instead of sleeping.

Threads are daemons: stopping the bot never waits for a review to finish. A review killed that
way stays resumable from its last checkpoint (`autoresearch runs resume`), as after any crash.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from tools.errors import explain

log = logging.getLogger(__name__)
_STOP = object()


class Tracker:
    """Count work in flight across pools; wake waiters when it reaches zero."""

    def __init__(self) -> None:
        self._pending = 0
        self._idle = threading.Condition()

    def started(self) -> None:
        """One more piece of work is queued or running."""
        with self._idle:
            self._pending += 1

    def done(self) -> None:
        """One piece of work ended (however it ended)."""
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False when `timeout` seconds passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)


class TrackedPool(Executor):
    """A fixed pool of daemon threads whose work is counted by a `Tracker`."""

    def __init__(self, threads: int, name: str, tracker: Tracker) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._tracker = tracker
        self._closed = False
        self.threads = max(1, threads)
        self._threads = [threading.Thread(target=self._serve, name=f"{name}-{i}", daemon=True)
                         for i in range(self.threads)]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue `fn(*args, **kwargs)`; its future holds the result or the exception."""
        if self._closed:
            raise RuntimeError("the bot is shutting down")
        future: Future = Future()
        self._tracker.started()
        self._queue.put((future, fn, args, kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking work; with `wait`, let queued work finish first."""
        self._closed = True
        for _ in self._threads:
            self._queue.put(_STOP)
        if wait:
            for thread in self._threads:
                thread.join()

    def _serve(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            future, fn, args, kwargs = item
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as error:  # noqa: BLE001 - handed to whoever holds the future
                        future.set_exception(error)
            finally:
                self._tracker.done()


class Workers:
    """The bot's two pools: Bolt's listener bodies, and slow jobs."""

    def __init__(self, jobs: int = 4, listeners: int = 8) -> None:
        self.tracker = Tracker()
        self.listeners = TrackedPool(listeners, "slack-listener", self.tracker)
        self.jobs = TrackedPool(jobs, "slack-job", self.tracker)

    def run(self, job: Callable[[], None], on_error: Callable[[str], None]) -> Future:
        """Run a slow job; an unexpected error reaches `on_error` as one line (and the log)."""

        def guarded() -> None:
            try:
                job()
            except Exception as error:  # noqa: BLE001 - the bot's one place for a job's failure: message and hint
                log.warning("background job failed: %s", explain(error), exc_info=log.isEnabledFor(logging.DEBUG))
                on_error(explain(error))

        return self.jobs.submit(guarded)

    def drain(self, timeout: float = 60.0) -> bool:
        """Wait until no listener or job is queued or running; False when `timeout` passed first.

        Work handed on from one piece to the next is counted before the first one ends, so the
        count never touches zero in between.
        """
        return self.tracker.wait_idle(timeout)

    def shutdown(self, wait: bool = False) -> None:
        """Stop both pools; running work is abandoned unless `wait`."""
        self.listeners.shutdown(wait=wait)
        self.jobs.shutdown(wait=wait)

