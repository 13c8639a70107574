"""The figure reader interface: figures in, descriptions out, in batches."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

FigureKind = Literal["plot", "diagram", "table-image", "photo", "other"]


class FigureInput(BaseModel):
    """One extracted figure as a reader sees it."""

    arxiv_id: str = ""
    number: str
    caption: str = ""
    image_path: str
    """The rendered PNG."""
    pdf_path: str = ""
    """The source PDF, so a reader can look at the region's vector content (may be empty)."""
    page: int = 0
    bbox: tuple[float, float, float, float] | None = None
    text_inside: str = ""
    """Words found inside the figure's region."""


class FigureDescription(BaseModel):
    """What a reader says about one figure."""

    number: str
    kind: FigureKind = "other"
    summary: str = ""
    """What the figure shows, in one sentence."""
    axes: list[str] = Field(default_factory=list)
    """Axis labels, for plots."""
    legend: list[str] = Field(default_factory=list)
    trends: list[str] = Field(default_factory=list)
    """Key trends or numbers, for plots."""
    description: str = ""
    """A one-paragraph description."""
    reader: str = ""
    """Which reader wrote it (`cpu`, or the model's name)."""


class FigureReader(Protocol):
    """Describes figures; implementations batch internally."""

    name: str

    def describe(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """One description per input, in order."""
        ...
