"""Fixtures for the figure readers: a PDF with one figure of each kind, and a tiny real VLM."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.figure_fixtures import build_figure_pdf
from tools.figures.base import FigureInput


@pytest.fixture(scope="session")
def fixture_figures(tmp_path_factory: pytest.TempPathFactory) -> list[FigureInput]:
    """Four figures (plot, diagram, photo, table-image) extracted from a PDF built with PyMuPDF."""
    return build_figure_pdf(tmp_path_factory.mktemp("figure-pdf"))


@pytest.fixture(scope="session")
def tiny_vlm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny randomly initialised SmolVLM-architecture model saved with its processor (offline)."""
    from evals.tiny_vlm import build_tiny_vlm

    return build_tiny_vlm(tmp_path_factory.mktemp("models") / "tiny-smolvlm")
