"""The run registry: every review run, readable and cancellable from any process.

A small table beside the checkpoints holds each run's topic, status, the gate it waits at, its
output folder and timestamps. While a process drives a run it holds the run's lock, so other
processes can tell a live run from one whose process died (which `runs resume` picks up). A cancel
on a live run sets a flag the driving process reads at its next stage or progress step.

`RunRegistry` is the interface; `SqliteRunRegistry` (here: a file and lock files in the data dir,
one machine) and `agent.runs.registry_postgres.PostgresRunRegistry` (a table and advisory locks in the
shared database, many machines) implement it; `agent.services.run_registry` picks by setting.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from filelock import FileLock, Timeout
from pydantic import BaseModel

from agent.review.types import GateName
from tools.errors import AutoresearchError

RunStatus = Literal["running", "paused", "finished", "failed", "cancelled"]
FINAL: tuple[RunStatus, ...] = ("finished", "cancelled")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, topic TEXT NOT NULL, status TEXT NOT NULL, gate TEXT,
    out_dir TEXT NOT NULL, request TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
    cancel_requested INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL, updated TEXT NOT NULL)
"""


class RunNotFound(AutoresearchError, KeyError):
    """No run has this id (or prefix)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "run not found"


class RunBusy(AutoresearchError, RuntimeError):
    """Another process is driving this run right now."""


class RunInfo(BaseModel):
    """One run as `runs list|show`, the TUI and the Slack bot see it."""

    run_id: str
    topic: str
    status: RunStatus
    gate: GateName | None = None
    """The gate a paused run waits at."""
    out_dir: str
    created: str
    updated: str
    error: str = ""
    """Why a run failed (one line)."""
    live: bool = False
    """A process is driving it now; a `running` run that is not live was killed: resume it."""
    cancel_requested: bool = False
    pending: dict[str, Any] | None = None
    """The pending gate request (`agent.review.approval.*Request` as JSON); filled by `show`."""
    timings: dict[str, float] = {}
    """Seconds per stage so far; filled by `show`."""


def new_run_id() -> str:
    """A short id that sorts by start time: `20261121-a3f9c2`."""
    return f"{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(3)}"


def now() -> str:
    """A timestamp as the registry stores it (UTC, ISO 8601, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def pick(rows: list[Any], run_id: str) -> Any:
    """The row a run id or unique prefix names, from rows matching it (the exact id first)."""
    if not rows:
        raise RunNotFound(f"no run {run_id!r} (see `autoresearch runs list`)")
    if len(rows) > 1 and rows[0]["run_id"] != run_id:
        raise RunNotFound(f"{run_id!r} matches {len(rows)} runs; give more of the id")
    return rows[0]


def row_info(row: Any, live: bool) -> RunInfo:
    """A registry row (SQLite or Postgres, read by column name) as a RunInfo."""
    return RunInfo(run_id=row["run_id"], topic=row["topic"], status=row["status"], gate=row["gate"],
                   out_dir=row["out_dir"], created=row["created"], updated=row["updated"],
                   error=row["error"], cancel_requested=bool(row["cancel_requested"]), live=live)


class RunRegistry(Protocol):
    """Where runs are recorded, and who drives each one right now."""

    def create(self, run_id: str, topic: str, out_dir: str, request: str) -> None:
        """Record a new run as running."""
        ...

    def set_status(self, run_id: str, status: RunStatus, gate: GateName | None = None, error: str = "") -> None:
        """Move a run to a new status (the gate only while paused)."""
        ...

    def request_cancel(self, run_id: str) -> None:
        """Ask the process driving a live run to stop."""
        ...

    def cancel_requested(self, run_id: str) -> bool:
        """Whether someone asked this run to stop."""
        ...

    def request_json(self, run_id: str) -> str:
        """The run's request as stored at its start."""
        ...

    def get(self, run_id: str) -> RunInfo:
        """A run by its id or a unique prefix of it."""
        ...

    def list(self, limit: int = 50) -> list[RunInfo]:
        """The latest runs, newest first."""
        ...

    def driving(self, run_id: str) -> AbstractContextManager[None]:
        """Hold the run's lock while driving it; RunBusy when another process (or thread) does."""
        ...

    def is_live(self, run_id: str) -> bool:
        """Whether some process holds the run's lock (it is released when that process dies)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class SqliteRunRegistry:
    """The runs table in a SQLite file and per-run lock files: one data dir, one machine."""

    def __init__(self, path: Path, locks_dir: Path) -> None:
        self.path = path
        self.locks_dir = locks_dir
        locks_dir.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection: safe across threads and processes."""
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:
                yield db

    def create(self, run_id: str, topic: str, out_dir: str, request: str) -> None:
        """Record a new run as running."""
        with self._db() as db:
            db.execute("INSERT INTO runs (run_id, topic, status, out_dir, request, created, updated) "
                       "VALUES (?, ?, 'running', ?, ?, ?, ?)", (run_id, topic, out_dir, request, now(), now()))

    def set_status(self, run_id: str, status: RunStatus, gate: GateName | None = None, error: str = "") -> None:
        """Move a run to a new status (the gate only while paused)."""
        with self._db() as db:
            db.execute("UPDATE runs SET status = ?, gate = ?, error = ?, updated = ? WHERE run_id = ?",
                       (status, gate, error, now(), run_id))

    def request_cancel(self, run_id: str) -> None:
        """Ask the process driving a live run to stop."""
        with self._db() as db:
            db.execute("UPDATE runs SET cancel_requested = 1, updated = ? WHERE run_id = ?", (now(), run_id))

    def cancel_requested(self, run_id: str) -> bool:
        """Whether someone asked this run to stop."""
        with self._db() as db:
            row = db.execute("SELECT cancel_requested FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return bool(row and row[0])

    def request_json(self, run_id: str) -> str:
        """The run's request as stored at its start."""
        with self._db() as db:
            row = db.execute("SELECT request FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise RunNotFound(f"no run {run_id!r}")
        return row[0]

    def get(self, run_id: str) -> RunInfo:
        """A run by its id or a unique prefix of it."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM runs WHERE run_id = ? OR run_id LIKE ? ORDER BY run_id = ? DESC",
                              (run_id, f"{run_id}%", run_id)).fetchall()
        return self._info(pick(rows, run_id))

    def list(self, limit: int = 50) -> list[RunInfo]:
        """The latest runs, newest first."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM runs ORDER BY created DESC, run_id DESC LIMIT ?", (limit,)).fetchall()
        return [self._info(r) for r in rows]

    def _info(self, row: sqlite3.Row) -> RunInfo:
        return row_info(row, live=row["status"] == "running" and self.is_live(row["run_id"]))

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""

    # -- who drives a run -------------------------------------------------------------------------

    def _lock(self, run_id: str) -> FileLock:
        return FileLock(str(self.locks_dir / f"{run_id}.lock"), timeout=0, thread_local=False)

    @contextmanager
    def driving(self, run_id: str) -> Iterator[None]:
        """Hold the run's lock while driving it; RunBusy when another process (or thread) does."""
        lock = self._lock(run_id)
        try:
            lock.acquire()
        except Timeout:
            raise RunBusy(f"run {run_id} is being driven by another process right now") from None
        try:
            yield
        finally:
            lock.release()

    def is_live(self, run_id: str) -> bool:
        """Whether some process holds the run's lock (the kernel drops it when a process dies)."""
        lock = self._lock(run_id)
        try:
            lock.acquire()
        except Timeout:
            return True
        lock.release()
        return False
