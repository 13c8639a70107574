"""The run registry: ids and prefixes, statuses, who is driving a run, cancel flags."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.runs import RunBusy, RunNotFound, RunRegistry, new_run_id


@pytest.fixture
def registry(tmp_path: Path) -> RunRegistry:
    return RunRegistry(tmp_path / "runs.sqlite", tmp_path / "locks")


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


def test_a_run_is_live_while_some_process_drives_it(registry: RunRegistry, tmp_path: Path) -> None:
    run_id = "20260101-live00"
    registry.create(run_id, "vad", "/out", "{}")
    assert not registry.is_live(run_id)
    with registry.driving(run_id):
        assert registry.is_live(run_id) and registry.get(run_id).live
        with pytest.raises(RunBusy):
            with registry.driving(run_id):
                pass
    assert not registry.is_live(run_id)
    # Another process holding the lock (and dying) is seen the same way: the kernel drops the lock.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); "
         "lock.acquire(); print('held', flush=True); sys.stdin.read()", str(tmp_path / "locks" / f"{run_id}.lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert registry.is_live(run_id)
    holder.kill()
    holder.wait()
    assert not registry.is_live(run_id)
