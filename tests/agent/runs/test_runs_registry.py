"""The run registry, SQLite and Postgres alike: ids and prefixes, statuses, who is driving a run,
cancel flags. The Postgres cases run against a real PostgreSQL server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent import services
from agent.runs.registry import RunBusy, RunNotFound, RunRegistry, SqliteRunRegistry, new_run_id
from agent.settings import load_settings

REPO = Path(__file__).resolve().parents[3]
HOLD = """
import sys
from agent import services
from agent.settings import load_settings
registry = services.run_registry(load_settings())
with registry.driving(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture(params=["sqlite", "postgres"])
def registry(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunRegistry]:
    """The registry `agent.services` builds for each backend (env set, so subprocesses agree)."""
    if request.param == "postgres":
        monkeypatch.setenv("AUTORESEARCH_CHECKPOINT__BACKEND", "postgres")
        monkeypatch.setenv("AUTORESEARCH_CHECKPOINT__POSTGRES_DSN", request.getfixturevalue("postgres_dsn"))
    built = services.run_registry(load_settings())
    yield built
    built.close()


def test_the_factory_picks_the_backend(registry: RunRegistry) -> None:
    backend = load_settings().checkpoint.backend
    assert type(registry).__name__ == {"sqlite": "SqliteRunRegistry", "postgres": "PostgresRunRegistry"}[backend]
    assert (load_settings().data_dir / "runs" / "runs.sqlite").exists() == (backend == "sqlite")


def test_runs_are_found_by_id_or_unique_prefix(registry: RunRegistry) -> None:
    for run_id in ("20260101-aaaaaa", "20260101-aaabbb", "20260102-cccccc"):
        registry.create(run_id, "topic", "/out", "{}")
    assert registry.get("20260102").run_id == "20260102-cccccc"
    assert registry.get("20260101-aaaaaa").run_id == "20260101-aaaaaa"
    with pytest.raises(RunNotFound, match="matches 2 runs"):
        registry.get("20260101-aaa")
    with pytest.raises(RunNotFound, match="no run 'nope'"):
        registry.get("nope")
    assert [r.run_id for r in registry.list()][0] in {"20260101-aaaaaa", "20260101-aaabbb", "20260102-cccccc"}
    assert len(registry.list(limit=2)) == 2


def test_status_gate_and_cancel_flag(registry: RunRegistry) -> None:
    run_id = new_run_id()
    registry.create(run_id, "vad", "/out", '{"topic": "vad"}')
    assert registry.get(run_id).status == "running" and registry.request_json(run_id) == '{"topic": "vad"}'
    registry.set_status(run_id, "paused", gate="outline")
    info = registry.get(run_id)
    assert (info.status, info.gate, info.cancel_requested) == ("paused", "outline", False)
    registry.request_cancel(run_id)
    assert registry.cancel_requested(run_id) and registry.get(run_id).cancel_requested
    with pytest.raises(RunNotFound):
        registry.request_json("20990101-ffffff")


def test_a_run_is_live_while_some_process_drives_it(registry: RunRegistry) -> None:
    run_id = "20260101-live00"
    registry.create(run_id, "vad", "/out", "{}")
    other = "20260101-other0"
    registry.create(other, "vad", "/out", "{}")
    assert not registry.is_live(run_id)
    with registry.driving(run_id):
        assert registry.is_live(run_id) and registry.get(run_id).live
        assert not registry.is_live(other) and not registry.get(other).live
        with pytest.raises(RunBusy):
            with registry.driving(run_id):
                pass
    assert not registry.is_live(run_id)
    # Another process holding the lock, then killed, is seen the same way: its lock goes with it.
    holder = subprocess.Popen([sys.executable, "-c", HOLD, run_id], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert registry.is_live(run_id) and [r.live for r in registry.list() if r.run_id == run_id] == [True]
    with pytest.raises(RunBusy):
        with registry.driving(run_id):
            pass
    holder.kill()
    holder.wait()
    # Postgres ends the dead client's session a moment after the kernel closes its socket.
    assert released(registry, run_id, within_s=10)
    with registry.driving(run_id):
        assert registry.is_live(run_id)


def test_sqlite_registry_is_the_default() -> None:
    assert isinstance(services.run_registry(load_settings()), SqliteRunRegistry)


def released(registry: RunRegistry, run_id: str, within_s: float) -> bool:
    """Whether the run's lock is free now or becomes free within `within_s` (polled, no fixed sleep)."""
    deadline = time.monotonic() + within_s
    while registry.is_live(run_id):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
