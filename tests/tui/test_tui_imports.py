"""The core and the TUI's headless parts import without Textual, torch or slack_bolt; `autoresearch
tui` refuses to start without a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("textual", "torch", "slack_bolt", "chromadb", "transformers", "sentence_transformers")
LIGHT = ("agent", "tools", "memory", "agent.cli.app", "agent.runs.session", "agent.ask.extractive", "agent.cli.tui",
         "agent.cli.slack",
         "tui", "tui.backend", "tui.commands", "tui.citations", "tui.run_state", "tui.outline_edit",
         "tui.paper_text")


def loaded_after(modules: tuple[str, ...]) -> list[str]:
    code = (f"import importlib, json, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_core_and_the_cli_import_no_front_end_or_model() -> None:
    assert loaded_after(LIGHT) == []


def test_the_app_imports_textual_but_no_model_or_store() -> None:
    assert loaded_after(("tui.app",)) == ["textual"]


def test_the_tui_command_needs_a_terminal(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "agent", "--home", str(tmp_path), "tui"], cwd=REPO,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
                          check=False)
    assert done.returncode == 2 and "needs a terminal" in done.stderr and done.stdout == ""
