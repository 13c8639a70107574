"""`tools` declines PyMuPDF's layout analyser (an ONNX model PyMuPDF 2 loads on import) and its
offer to print a recommendation on stdout, and lets code that wants the analyser have it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
import tools
import pymupdf
declined = pymupdf._get_layout is None and sys.modules.get("pymupdf.layout", 0) is None
doc = pymupdf.open()
page = doc.new_page()
for x in (50, 150, 250):
    page.draw_line((x, 50), (x, 200))
for y in (50, 100, 150, 200):
    page.draw_line((50, y), (250, y))
for row, y in enumerate((80, 130, 180)):
    for column, x in enumerate((60, 160)):
        page.insert_text((x, y), f"cell {row}{column}")
tables = len(page.find_tables(strategy="lines", use_layout=False).tables)
tools.allow_pymupdf_layout()
import pymupdf.layout
print(json.dumps({"declined": declined, "tables": tables, "allowed": pymupdf._get_layout is not None}))
"""


def test_the_layout_analyser_is_declined_without_a_word_on_stdout_and_can_be_allowed() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYMUPDF_SUGGEST_LAYOUT_ANALYZER"}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120, check=True)
    # The whole of stdout is the one JSON line: PyMuPDF's "Consider using the pymupdf_layout
    # package" (printed by `find_tables` when no analyser is loaded) would come before it.
    assert json.loads(done.stdout) == {"declined": True, "tables": 1, "allowed": True}
