"""A separate process that ingests one test paper, optionally pausing at a point the test picks.

Usage: python ingest_worker.py ARXIV_ID VERSION TOPIC [--hold embed:N|write:N] [--meet DIR]

--hold embed:N  before embedding the N-th batch of chunks (outside the write lock), create
                `<DIR>/<id>.held` and wait for SIGKILL.
--hold write:N  the same, but inside the write lock, right after the N-th chunk batch is written.
--meet DIR      open the store together with every writer that has an `*.expect` file in DIR;
                after the first chunk batch is written, create `<DIR>/<id>.wrote` and wait until
                every other `*.expect` file in DIR has its `.wrote` too: the writers interleave.
Settings (data dir, chunk size) come from the environment the test sets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from paperfactory import make_paper  # noqa: E402

from agent import services
from agent.settings import load_settings  # noqa: E402

DEADLINE_S = 60.0


def wait_for(condition, what: str) -> None:
    """Poll `condition` until true; exit non-zero after the deadline rather than hang."""
    end = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > end:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.01)


class Hook:
    """Count calls and run `action` at the chosen one."""

    def __init__(self, inner, method: str, at: int, action) -> None:
        self.inner, self.method, self.at, self.action, self.calls = inner, method, at, action, 0

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name != self.method:
            return attr

        def wrapped(*args, **kwargs):
            if name == "upsert" and args[0] != "chunks":
                return attr(*args, **kwargs)
            self.calls += 1
            if name == "embed" and self.calls == self.at:
                self.action()
            result = attr(*args, **kwargs)
            if name == "upsert" and self.calls == self.at:
                self.action()
            return result
        return wrapped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("arxiv_id")
    parser.add_argument("version")
    parser.add_argument("topic", type=int)
    parser.add_argument("--hold", default="")
    parser.add_argument("--meet", type=Path)
    parser.add_argument("--signals", type=Path)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--sections", type=int, default=6)
    args = parser.parse_args()
    if args.meet:  # open the store at the same moment as the other writers
        (args.meet / f"{args.arxiv_id}.ready").touch()
        others = [p.with_suffix(".ready") for p in args.meet.glob("*.expect")]
        wait_for(lambda: all(p.exists() for p in others), "the other writers to start")
    library = services.library(load_settings())
    library.ingest_batch = args.batch
    signals = args.signals or args.meet
    if args.hold:
        where, _, n = args.hold.partition(":")

        def hold() -> None:
            (signals / f"{args.arxiv_id}.held").touch()
            wait_for(lambda: False, "SIGKILL")

        if where == "embed":
            library.embedder = Hook(library.embedder, "embed", int(n), hold)
        else:
            library.store = Hook(library.store, "upsert", int(n), hold)
    if args.meet:
        def meet() -> None:
            (args.meet / f"{args.arxiv_id}.wrote").touch()
            others = [p.with_suffix(".wrote") for p in args.meet.glob("*.expect")]
            wait_for(lambda: all(p.exists() for p in others), "the other writers")

        library.embedder = Hook(library.embedder, "embed", 2, meet)
    record = library.add(*make_paper(args.arxiv_id, args.version, args.topic, sections=args.sections))
    print(record.chunks)


if __name__ == "__main__":
    main()
