"""Capabilities, each usable alone: arXiv search, PDFs, figures, citation sources, text helpers.

PyMuPDF 2 requires its layout analyser (`pymupdf.layout`) and imports it with itself: an ONNX
model loaded at import, 0.3 s and 56 MB in every process that opens a PDF. Nothing here asks for
page layouts (`Page.get_layout`; tables are found with `use_layout=False`), so that import is
declined here, before any module of this package can import PyMuPDF. PyMuPDF then offers, once,
to print a recommendation to install the analyser on stdout, which would break `--json` output:
that offer is switched off too. `allow_pymupdf_layout` undoes the first step for code that wants
the analyser (the parse benchmark's pymupdf4llm).
"""

import os
import sys

LAYOUT_MODULE = "pymupdf.layout"

sys.modules.setdefault(LAYOUT_MODULE, None)  # pyright: ignore[reportArgumentType]  # None: "not importable"
os.environ.setdefault("PYMUPDF_SUGGEST_LAYOUT_ANALYZER", "0")


def allow_pymupdf_layout() -> None:
    """Let `import pymupdf.layout` load PyMuPDF's layout analyser again."""
    if sys.modules.get(LAYOUT_MODULE, ...) is None:  # declined above, not imported since
        del sys.modules[LAYOUT_MODULE]
