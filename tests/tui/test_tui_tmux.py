"""`autoresearch tui` in a real terminal (tmux at 80x24): completion, a search, every mode, quit."""

from __future__ import annotations

import shutil

import pytest

from evals.tui_tmux import run


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")
def test_the_real_command_in_a_real_terminal() -> None:
    shots = {shot.step: shot.text for shot in run(80, 24)}
    assert "Ask your library, or / for commands" in shots["start"]
    assert "Chat F2  Runs F3  Library F4" in shots["start"]
    assert "/search TOPIC  Search arXiv for a topic, ranked by meaning" in shots["typed /se"]
    search = shots["/search video anomaly detection"]
    assert "10 papers for “video anomaly detection”" in search and "2004.00222v3" in search
    assert "No run selected" in shots["F3 runs"]
    assert "sort: newest added" in shots["F4 library"]
    assert "Keys and commands" in shots["F1 help"] and "/summarize" in shots["F1 help"]
    assert all(len(line) <= 80 for text in shots.values() for line in text.splitlines())
