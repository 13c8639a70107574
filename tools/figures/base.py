"""The figure reader interface: figures in, descriptions out, in batches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from tools.document import Figure, ParsedPaper

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


def figure_inputs(arxiv_id: str, parsed: ParsedPaper, figures: list[Figure], pdf_cache: Path) -> list[FigureInput]:
    """What a reader needs to know about stored figures, with the paper's PDF when it is on disk
    (the file it was parsed from, or the download cache's `<sha256>.pdf`) so it can measure regions."""
    pdf = ""
    for candidate in (Path(parsed.source) if parsed.source and "://" not in parsed.source else None,
                      pdf_cache / f"{parsed.sha256}.pdf" if parsed.sha256 else None):
        if candidate is not None and candidate.is_file():
            pdf = str(candidate)
            break
    return [FigureInput(arxiv_id=arxiv_id, number=f.number, caption=f.caption, image_path=f.image_path,
                        pdf_path=pdf, page=f.page, bbox=f.bbox, text_inside=f.text_inside) for f in figures]


def describe_figures(reader: FigureReader, arxiv_id: str, parsed: ParsedPaper, pdf_cache: Path) -> list[Figure]:
    """The paper's figures, those with an image and no description yet described by `reader`."""
    todo = [f for f in parsed.figures if f.image_path and not f.description]
    if not todo:
        return list(parsed.figures)
    described = reader.describe(figure_inputs(arxiv_id, parsed, todo, pdf_cache))
    by_number = {f.number: d for f, d in zip(todo, described, strict=True)}
    out = []
    for figure in parsed.figures:
        found = by_number.get(figure.number) if figure.image_path and not figure.description else None
        out.append(figure if found is None else
                   figure.model_copy(update={"kind": found.kind, "description": found.text()}))
    return out


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

    def text(self) -> str:
        """Everything said about the figure as one paragraph (what memory stores and search reads)."""
        parts = [self.summary] if self.summary and self.summary not in self.description else []
        parts.append(self.description)
        for label, values in (("Axes", self.axes), ("Legend", self.legend), ("Key trends", self.trends)):
            missing = [v for v in values if v.lower() not in self.description.lower()]
            if missing:
                parts.append(f"{label}: " + "; ".join(missing) + ".")
        return " ".join(p.strip() for p in parts if p.strip())


class FigureReader(Protocol):
    """Describes figures; implementations batch internally."""

    name: str

    def describe(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """One description per input, in order."""
        ...
