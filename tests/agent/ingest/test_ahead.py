"""Downloads run ahead of reading: in order, within their bound, and a stop leaves nothing behind."""

from __future__ import annotations

import threading

import pytest

from agent.ingest.ahead import AHEAD_PER_WORKER, read_ahead

WAIT_S = 30
"""A guard against a hang, never a pause: every wait below ends on an event."""


def test_downloads_go_on_while_every_reader_is_busy() -> None:
    items, fetched, read = list(range(6)), [], []
    all_fetched = threading.Event()

    def fetch(item: int) -> None:
        fetched.append(item)
        if len(fetched) == len(items):
            all_fetched.set()

    def slow_read(item: int) -> int:
        assert all_fetched.wait(WAIT_S), "a download waited for a reader"
        read.append(item)
        return item * 10

    results: dict[int, int] = {}
    read_ahead(items, fetch=fetch, read=slow_read, workers=2,
               on_done=lambda item, result, error: results.__setitem__(item, result))
    assert fetched == items  # in order, one thread
    assert results == {i: i * 10 for i in items} and sorted(read) == items


def test_downloads_stay_within_their_bound_of_the_readers() -> None:
    items, fetched = list(range(8)), []
    enough = threading.Event()
    ahead = AHEAD_PER_WORKER * 1

    def fetch(item: int) -> None:
        fetched.append(item)
        if len(fetched) == 1 + ahead:
            enough.set()

    def read(item: int) -> int:
        assert enough.wait(WAIT_S)
        return item

    seen_at_done: list[int] = []
    read_ahead(items, fetch=fetch, read=read, workers=1,
               on_done=lambda item, result, error: seen_at_done.append(len(fetched)))
    assert seen_at_done[0] == 1 + ahead  # one being read, `ahead` waiting: no more
    assert fetched == items


def test_failures_are_handed_over_per_item_and_a_stop_ends_everything() -> None:
    def fetch(item: int) -> None:
        if item == 1:
            raise OSError("download failed")

    def read(item: int) -> int:
        if item == 1:
            raise OSError("no PDF to read")
        return item

    outcomes: list[tuple[int, object]] = []

    def on_done(item: int, result: int | None, error: Exception | None) -> None:
        outcomes.append((item, str(error) if error else result))
        if len(outcomes) == 3:
            raise KeyboardInterrupt("cancelled")  # what a cancel does: the caller stops

    with pytest.raises(KeyboardInterrupt):
        read_ahead(list(range(20)), fetch=fetch, read=read, workers=1, on_done=on_done)
    assert outcomes == [(0, 0), (1, "no PDF to read"), (2, 2)]
