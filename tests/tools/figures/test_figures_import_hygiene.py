"""Importing the core (figure readers included) loads neither torch nor transformers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
MODULES = ["agent", "tools", "memory", "agent.cli.app", "agent.services", "agent.cli.figures",
           "agent.cli.models", "tools.figures", "tools.figures.cpu", "tools.figures.vlm",
           "tools.figures.models", "tools.figures.prompt", "tools.figures.region", "tools.figures.axes",
           "tools.figures.kinds", "tools.figures.pixels", "evals.tiny_vlm", "evals.figure_kinds",
           "evals.figure_fixtures", "evals.bench_figures"]
HEAVY = ["torch", "transformers", "pymupdf", "PIL", "huggingface_hub"]


def test_core_imports_stay_light() -> None:
    code = ("import importlib, json, sys\n"
            f"for name in {MODULES!r}: importlib.import_module(name)\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_check_can_fail() -> None:
    """The same probe sees torch once something imports it (so the test above is not vacuous)."""
    code = "import sys, tools.figures.vlm as v; v.pick_device(); print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr
