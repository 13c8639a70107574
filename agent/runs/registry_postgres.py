"""The run registry in Postgres: runs listed, approved, resumed and cancelled from any machine.

The same table as the SQLite registry, in the shared database. A file lock does not cross machines,
so a process driving a run holds a session-level advisory lock on a connection of its own; Postgres
releases it when that connection ends (the process exits, is killed, or its machine vanishes and
TCP keepalives notice). Whether a run is live is read from `pg_locks`, without taking the lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agent.review.types import GateName
from agent.runs.postgres import connect, exclusive, missing_table, open_pool, setting_up
from agent.runs.registry import RunBusy, RunInfo, RunNotFound, RunStatus, now, pick, row_info
from tools.inputs import nonblank

TABLE = "autoresearch_runs"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    run_id TEXT PRIMARY KEY, topic TEXT NOT NULL, status TEXT NOT NULL, gate TEXT,
    out_dir TEXT NOT NULL, request TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE, created TEXT NOT NULL, updated TEXT NOT NULL)
"""
_KEY = "hashtextextended('autoresearch-run:' || {}, 0)"
"""A run's advisory lock key (bigint) from its id, computed by the server for lock and lookup alike."""
_LIVE = f"""EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = (({_KEY.format('{id}')} >> 32) & 4294967295)::oid
    AND l.objid = ({_KEY.format('{id}')} & 4294967295)::oid)"""
"""Someone holds the run's lock (a bigint key shows in pg_locks as its high and low 32 bits)."""


def _like(prefix: str) -> str:
    """A LIKE pattern matching ids that start with `prefix` (its wildcards taken literally)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class PostgresRunRegistry:
    """The runs table and per-run advisory locks in the shared Postgres database."""

    def __init__(self, dsn: str, pool_size: int = 4) -> None:
        self.dsn = dsn
        if missing_table(dsn, TABLE):
            with setting_up(dsn), exclusive(dsn, "autoresearch:runs-setup"), connect(dsn) as connection:
                connection.execute(_SCHEMA)
        self.pool = open_pool(dsn, pool_size, dict_rows=True)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.pool.connection() as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create(self, run_id: str, topic: str, out_dir: str, request: str) -> None:
        """Record a new run as running."""
        self._rows(f"INSERT INTO {TABLE} (run_id, topic, status, out_dir, request, created, updated) "
                   "VALUES (%s, %s, 'running', %s, %s, %s, %s)", (run_id, topic, out_dir, request, now(), now()))

    def set_status(self, run_id: str, status: RunStatus, gate: GateName | None = None, error: str = "") -> None:
        """Move a run to a new status (the gate only while paused)."""
        self._rows(f"UPDATE {TABLE} SET status = %s, gate = %s, error = %s, updated = %s WHERE run_id = %s",
                   (status, gate, error, now(), run_id))

    def request_cancel(self, run_id: str) -> None:
        """Ask the process driving a live run (on any machine) to stop."""
        self._rows(f"UPDATE {TABLE} SET cancel_requested = TRUE, updated = %s WHERE run_id = %s", (now(), run_id))

    def cancel_requested(self, run_id: str) -> bool:
        """Whether someone asked this run to stop."""
        rows = self._rows(f"SELECT cancel_requested FROM {TABLE} WHERE run_id = %s", (run_id,))
        return bool(rows and rows[0]["cancel_requested"])

    def request_json(self, run_id: str) -> str:
        """The run's request as stored at its start."""
        rows = self._rows(f"SELECT request FROM {TABLE} WHERE run_id = %s", (run_id,))
        if not rows:
            raise RunNotFound(f"no run {run_id!r}")
        return rows[0]["request"]

    def get(self, run_id: str) -> RunInfo:
        """A run by its id or a unique prefix of it (a blank one is a `BadInput`: it would match all)."""
        run_id = nonblank(run_id, "the run id")
        rows = self._rows(f"SELECT *, {_LIVE.format(id='run_id')} AS live FROM {TABLE} "
                          "WHERE run_id = %s OR run_id LIKE %s ORDER BY run_id = %s DESC",
                          (run_id, _like(run_id), run_id))
        row = pick(rows, run_id)
        return row_info(row, live=row["status"] == "running" and row["live"])

    def list(self, limit: int = 50) -> list[RunInfo]:
        """The latest runs, newest first."""
        rows = self._rows(f"SELECT *, {_LIVE.format(id='run_id')} AS live FROM {TABLE} "
                          "ORDER BY created DESC, run_id DESC LIMIT %s", (limit,))
        return [row_info(r, live=r["status"] == "running" and r["live"]) for r in rows]

    def close(self) -> None:
        """Close the pool."""
        self.pool.close()

    # -- who drives a run -------------------------------------------------------------------------

    @contextmanager
    def driving(self, run_id: str) -> Iterator[None]:
        """Hold the run's advisory lock on a connection of its own; RunBusy when anyone else does."""
        connection = connect(self.dsn)
        try:
            got = connection.execute(f"SELECT pg_try_advisory_lock({_KEY.format('%s')})", (run_id,)).fetchone()
            if not got or not got[0]:
                raise RunBusy(f"run {run_id} is being driven by another process right now")
            yield
            # Unlock before closing: the server ends a closed session a moment later, and until
            # then pg_locks still shows the lock, so `is_live` right after this block would lie.
            connection.execute(f"SELECT pg_advisory_unlock({_KEY.format('%s')})", (run_id,))
        finally:
            connection.close()  # on any error too: ending the session releases the lock

    def is_live(self, run_id: str) -> bool:
        """Whether some process, on any machine, holds the run's lock."""
        rows = self._rows(f"SELECT {_LIVE.format(id='%s')} AS live", (run_id, run_id))
        return bool(rows[0]["live"])
