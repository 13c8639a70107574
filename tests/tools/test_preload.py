"""`tools.preload`: modules imported ahead of need on a daemon thread, failures left to the step
that needs them."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from tools.preload import preload


def test_a_module_is_imported_on_a_daemon_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "preload_probe.py").write_text(
        "import threading\nLOADED_BY = threading.current_thread().name\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "preload_probe", raising=False)
    thread = preload("preload_probe")
    assert thread is not None and thread.daemon
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert sys.modules["preload_probe"].LOADED_BY == "preload"
    assert preload("preload_probe", "sys") is None  # everything is loaded already: no thread


def test_a_module_that_fails_is_logged_and_the_others_still_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "preload_broken.py").write_text("raise RuntimeError('broken on purpose')\n")
    (tmp_path / "preload_after.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("preload_broken", "preload_after", "preload_absent_module"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with caplog.at_level(logging.DEBUG, logger="tools.preload"):
        thread = preload("preload_broken", "preload_absent_module", "preload_after")
        assert thread is not None
        thread.join(timeout=30)
    assert "preload_broken" not in sys.modules and sys.modules["preload_after"].VALUE == 1
    assert "broken on purpose" in caplog.text and "preload_absent_module" in caplog.text
