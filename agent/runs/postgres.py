"""Postgres for shared deployments: connections, pools and the checkpointer, with clear errors.

Runs started on one machine are listed, approved and resumed from another when every process
points `checkpoint.postgres_dsn` at one database. The DSN is a secret (it may hold a password):
no message here ever contains it, only `host:port/dbname`. psycopg is imported inside these
functions, so the SQLite default never needs the `postgres` extra.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agent.settings import CheckpointSettings
from tools.errors import AutoresearchError

CONNECT_TIMEOUT_S = 10
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
"""TCP keepalives on every connection: a connection holding a run's lock for hours stays open
through NAT and firewalls, and a vanished peer is noticed within about a minute."""


class PostgresUnavailable(AutoresearchError, RuntimeError):
    """Postgres cannot be used: the extra is missing, the DSN is absent or bad, or it is unreachable."""


def dsn_of(checkpoint: CheckpointSettings) -> str:
    """The configured DSN, or a message saying how to set it."""
    if checkpoint.postgres_dsn is None or not checkpoint.postgres_dsn.get_secret_value().strip():
        raise PostgresUnavailable(
            "checkpoint.backend = postgres needs checkpoint.postgres_dsn (env "
            "AUTORESEARCH_CHECKPOINT__POSTGRES_DSN), e.g. postgresql://autoresearch@db:5432/autoresearch")
    return checkpoint.postgres_dsn.get_secret_value().strip()


def where(dsn: str) -> str:
    """`host:port/dbname` for messages: never the user's password, never the DSN itself."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a DSN that does not parse is described, not echoed
        return "(an unparsable checkpoint.postgres_dsn)"
    return f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{parts.get('dbname') or '(default db)'}"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise PostgresUnavailable("checkpoint.backend = postgres needs the postgres extra: "
                                  "pip install 'autoresearch[postgres]'") from error
    return psycopg


def _scrubbed(error: Exception, dsn: str) -> str:
    """The first line of a driver error, with the DSN and its password cut out."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    try:
        from psycopg.conninfo import conninfo_to_dict

        password = str(conninfo_to_dict(dsn).get("password") or "")
    except Exception:  # noqa: BLE001 - unparsable: it may be echoed whole; say nothing of it
        return "the DSN is not a valid libpq connection string or postgresql:// URL"
    for secret in (dsn, password):
        if secret:
            text = text.replace(secret, "***")
    return text


def connect(dsn: str, **options: Any) -> Any:
    """One autocommit connection, or PostgresUnavailable naming host, port and database."""
    psycopg = _psycopg()
    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, **KEEPALIVES, **options)
    except (psycopg.Error, ValueError) as error:
        raise PostgresUnavailable(f"cannot use the Postgres database at {where(dsn)}: {_scrubbed(error, dsn)}; "
                                  "check checkpoint.postgres_dsn and that the server is up") from None


def open_pool(dsn: str, max_size: int, dict_rows: bool = False) -> Any:
    """A connection pool, opened and checked: a reachable database, or one clear error now.

    The checkpointer needs autocommit, no prepared statements (safe behind pgbouncer) and dict rows.
    """
    connect(dsn).close()  # a driver error names its cause; a pool that cannot connect only times out
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool, PoolTimeout

    kwargs: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0, "connect_timeout": CONNECT_TIMEOUT_S,
                              **KEEPALIVES}
    if dict_rows:
        kwargs["row_factory"] = dict_row
    pool = ConnectionPool(dsn, min_size=1, max_size=max(1, max_size), kwargs=kwargs, open=True,
                          name="autoresearch")
    try:
        pool.wait(timeout=CONNECT_TIMEOUT_S)
    except PoolTimeout:
        pool.close()
        raise PostgresUnavailable(f"no connection to the Postgres database at {where(dsn)} within "
                                  f"{CONNECT_TIMEOUT_S} s") from None
    return pool


@contextmanager
def exclusive(dsn: str, name: str, timeout_s: float = 120) -> Iterator[None]:
    """Hold a database-wide advisory lock named `name` (schema setup by several processes at once).

    Polled with `pg_try_advisory_lock` rather than waited for: a session blocked in
    `pg_advisory_lock` holds a snapshot, and the holder's `CREATE INDEX CONCURRENTLY` would wait for
    that snapshot forever (a deadlock Postgres does not detect).
    """
    with connect(dsn) as connection:
        deadline = time.monotonic() + timeout_s
        while not connection.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (name,)).fetchone()[0]:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"waited {timeout_s:.0f} s for another process to finish setting up "
                                          f"the tables at {where(dsn)}")
            time.sleep(0.05)
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (name,))


def missing_table(dsn: str, table: str) -> bool:
    """Whether `table` does not exist yet (checked first: creating needs rights a user may lack)."""
    with connect(dsn) as connection:
        return connection.execute("SELECT to_regclass(%s) IS NULL", (table,)).fetchone()[0]


@contextmanager
def setting_up(dsn: str) -> Iterator[None]:
    """Turn a failure to create or migrate tables into one line saying who may do it."""
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        raise PostgresUnavailable(f"cannot create the tables in the Postgres database at {where(dsn)}: "
                                  f"{_scrubbed(error, dsn)}; the first process to use it needs a role that may "
                                  "create tables there (see docs/deploy.md)") from None


def _migrated(dsn: str, migrations: int) -> bool:
    """Whether LangGraph's checkpoint tables are there and fully migrated."""
    if missing_table(dsn, "checkpoint_migrations"):
        return False
    with connect(dsn) as connection:
        latest = connection.execute("SELECT max(v) FROM checkpoint_migrations").fetchone()[0]
    return latest is not None and latest >= migrations - 1


def postgres_checkpointer(checkpoint: CheckpointSettings, serde: Any) -> Any:
    """LangGraph's PostgresSaver over a pool; its tables are created or migrated once, under a lock."""
    dsn = dsn_of(checkpoint)
    _psycopg()
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
    except ImportError as error:
        raise PostgresUnavailable("checkpoint.backend = postgres needs langgraph-checkpoint-postgres: "
                                  "pip install 'autoresearch[postgres]'") from error
    pool = open_pool(dsn, checkpoint.pool_size, dict_rows=True)
    saver = PostgresSaver(pool, serde=serde)
    try:
        if not _migrated(dsn, len(PostgresSaver.MIGRATIONS)):
            # setup() creates indexes CONCURRENTLY (no transaction), so a lock, not a transaction,
            # keeps two processes starting at once from racing on the same CREATE.
            with setting_up(dsn), exclusive(dsn, "autoresearch:checkpoint-setup"):
                saver.setup()
    except Exception:  # noqa: BLE001 - cleanup only: the pool is closed and the error re-raised as it was
        pool.close()
        raise
    return saver
