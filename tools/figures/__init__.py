"""Figure readers: describe a paper's figures with a local vision-language model or on the CPU.

`make_reader(settings.figures)` picks one: `figures.reader = gpu` needs `figures.model`; `cpu` never loads a
model; `auto` uses the model when one is configured, else the CPU reader. Importing this package
imports neither torch nor transformers; the GPU reader imports them when it first loads its model.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tools.figures.base import FigureDescription, FigureInput, FigureKind, FigureReader
from tools.figures.cpu import CPUReader
from tools.figures.models import FigureModelMissing, ModelPullFailed, resolve_model
from tools.figures.vlm import VLMReader

if TYPE_CHECKING:
    from tools.settings import FigureSettings

log = logging.getLogger(__name__)

__all__ = ["CPUReader", "FigureDescription", "FigureInput", "FigureKind", "FigureModelMissing",
           "FigureReader", "ModelPullFailed", "make_reader"]


def make_reader(settings: FigureSettings, prefer: str | None = None) -> FigureReader:
    """The figure reader the settings (or `prefer`: auto, cpu, gpu) ask for.

    `gpu` without a usable model raises FigureModelMissing with what to do; `auto` uses the CPU
    reader when no model is configured, or (with a warning) when the configured one is missing.
    The model itself loads on first `describe`.
    """
    choice = (prefer or settings.reader).lower()
    if choice not in ("auto", "cpu", "gpu"):
        raise ValueError(f"unknown figure reader {choice!r}: use auto, cpu or gpu")
    if choice == "cpu" or (choice == "auto" and not settings.model.strip()):
        return CPUReader()
    try:
        resolve_model(settings.model)  # fail now, with the message, rather than mid-run
    except FigureModelMissing as missing:
        if choice == "gpu":
            raise
        log.warning("%s; describing figures with the CPU reader", missing)
        return CPUReader()
    return VLMReader(settings, fallback=CPUReader())
