"""A throwaway PostgreSQL server on 127.0.0.1, for tests and the shared-deployment load eval.

Uses the server binaries of the Debian `postgresql` package (`initdb`, `postgres`, on PATH or in
/usr/lib/postgresql/<version>/bin): a fresh cluster in a temp dir, trust auth, TCP on 127.0.0.1
only (no Unix socket), stopped and deleted on exit. initdb refuses to run as root, so under root
the cluster belongs to the `postgres` system user (created by the package) or `nobody`.

The server runs in the foreground as our child (not daemonised by `pg_ctl`), and on Linux it is
told to stop when its parent dies, so a test session killed outright leaves no server behind.
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.errors import AutoresearchError

TOOLS = ("initdb", "postgres")


class PostgresMissing(AutoresearchError, RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def server_bin_dir() -> Path:
    """The folder holding initdb and postgres (the newest version when several are installed)."""
    candidates: list[Path] = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(p) for p in versioned), key=lambda p: _version(p.parent.name), reverse=True)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in TOOLS):
            return folder
    raise PostgresMissing("PostgreSQL server binaries (initdb, postgres) not found on PATH or in "
                          "/usr/lib/postgresql/*/bin: install the Debian package `postgresql`")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)) or (0,)


def _owner() -> pwd.struct_passwd | None:
    """Who runs the server: None (ourselves), or an unprivileged account when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresMissing("running as root, and neither a `postgres` nor a `nobody` account exists to run "
                          "initdb as (it refuses root)")


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGINT (fast shutdown) when our parent dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TempPostgres:
    """A PostgreSQL cluster in a temp dir, listening on 127.0.0.1:`port`; use it as a context manager.

    `durable=False` turns fsync off (tests: faster, nothing to keep); the load eval keeps it on.
    """

    def __init__(self, durable: bool = False, max_connections: int = 200) -> None:
        self.bin = server_bin_dir()
        self.owner = _owner()
        self.durable = durable
        self.max_connections = max_connections
        self.root = Path(tempfile.mkdtemp(prefix="autoresearch-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def dsn(self) -> str:
        """The superuser's DSN for the default database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_owner(self) -> dict[str, Any]:
        """subprocess options that run a command as the cluster's owner."""
        if self.owner is None:
            return {}
        return {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []}

    def start(self, timeout_s: float = 60) -> TempPostgres:
        """initdb, then start on a free port (a few tries: another process may take the port first)."""
        if self.owner is not None:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        made = subprocess.run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                               "-E", "UTF8", "--no-locale", "--no-sync"], cwd=self.root, capture_output=True,
                              text=True, timeout=120, check=False, **self._as_owner())
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed: {made.stderr.strip()[-500:]}")
        for _ in range(3):
            self.port = free_port()
            self._configure()
            if self._launch(timeout_s):
                return self
        self.stop()
        raise RuntimeError(f"postgres did not start: {self._tail()}")

    def _launch(self, timeout_s: float) -> bool:
        """Start the server and wait until it accepts connections; False if it exits first."""
        import psycopg

        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([str(self.bin / "postgres"), "-D", str(self.data)], cwd=self.root,
                                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
                                            **self._as_owner())
        deadline = time.monotonic() + timeout_s
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                psycopg.connect(self.dsn, connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        self._halt()
        return False

    def _configure(self) -> None:
        """Rewrite our settings at the end of postgresql.conf (the last value of a setting wins)."""
        conf = self.data / "postgresql.conf"
        base = conf.read_text().split("# -- autoresearch --")[0]
        extra = {"listen_addresses": "'127.0.0.1'", "port": str(self.port), "unix_socket_directories": "''",
                 "max_connections": str(self.max_connections)}
        if not self.durable:
            extra.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        conf.write_text(base + "# -- autoresearch --\n" + "".join(f"{k} = {v}\n" for k, v in extra.items()))

    def _tail(self) -> str:
        try:
            return self.log.read_text().strip()[-500:]
        except OSError:
            return "(no server log)"

    def create_database(self, name: str) -> str:
        """Create a database; its DSN."""
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _halt(self) -> None:
        """Fast shutdown (SIGINT), then wait for the server to exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        """Stop the server and delete the cluster."""
        self._halt()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
