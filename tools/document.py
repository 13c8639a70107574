"""What a parsed paper looks like: the schema shared by the parser, memory, figures and writers."""

from __future__ import annotations

from pydantic import BaseModel, Field

BBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in PDF points, origin top-left (PyMuPDF's convention)."""


class Paragraph(BaseModel):
    """A block of body text in reading order."""

    text: str
    page: int
    """1-based page number."""


class Section(BaseModel):
    """A heading and the paragraphs under it (until the next heading of any level)."""

    title: str
    level: int = 1
    """1 for top-level sections, 2 for subsections, …"""
    number: str = ""
    """The heading's own numbering (`3.2`, `A`), when printed."""
    page: int = 1
    paragraphs: list[Paragraph] = Field(default_factory=list)


class Figure(BaseModel):
    """A figure anchored by its "Figure N" / "Fig. N" caption."""

    number: str
    """`1`, `2`, `A1`, … as printed."""
    caption: str
    page: int
    bbox: BBox
    """The figure's region (without the caption)."""
    image_path: str = ""
    """The region rendered to PNG (empty when rendering failed; see the paper's warnings)."""
    vector: bool = False
    """True when the region is made of vector drawings rather than raster images."""
    text_inside: str = ""
    """Words found inside the region (axis labels, legends, node labels)."""
    kind: str = ""
    """plot / diagram / table-image / photo / other, once a figure reader has looked at it."""
    description: str = ""
    """A figure reader's description, once one has run."""


class Table(BaseModel):
    """A table anchored by its "Table N" caption."""

    number: str
    caption: str
    page: int
    bbox: BBox | None = None
    markdown: str = ""
    """The table's content as Markdown, when PyMuPDF could read it."""


class Reference(BaseModel):
    """One bibliography entry."""

    raw: str
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    year: str = ""
    arxiv_id: str = ""
    doi: str = ""


class ParsedPaper(BaseModel):
    """Everything the parser read from one PDF."""

    source: str
    """The PDF's path or URL."""
    sha256: str = ""
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    arxiv_id: str = ""
    version: str = ""
    pages: int = 0
    abstract: str = ""
    sections: list[Section] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    """Problems worth telling the user (no text layer, a figure that could not be rendered, …)."""

    def section_paths(self) -> list[tuple[str, Section]]:
        """Each section with its path from the top (`3 Method > 3.2 Loss`), for chunk metadata."""
        stack: list[Section] = []
        out: list[tuple[str, Section]] = []
        for section in self.sections:
            while stack and stack[-1].level >= section.level:
                stack.pop()
            stack.append(section)
            out.append((" > ".join(_label(s) for s in stack), section))
        return out


def _label(section: Section) -> str:
    return f"{section.number} {section.title}".strip()
