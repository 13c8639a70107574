"""What memory hands back: passages with their provenance, and library entries."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.document import ParsedPaper
from tools.paper import Paper


class Passage(BaseModel):
    """A retrieved chunk of a paper, citable as `[arxiv_id, §section, p.N]`."""

    arxiv_id: str
    version: str = ""
    title: str = ""
    """The paper's title (for grouping and display)."""
    section: str = ""
    """The section path the chunk came from (`Abstract` for abstract-only papers)."""
    page: int = 0
    chunk: int = 0
    text: str
    score: float = 0.0
    """Higher is more relevant (1 - cosine distance, or a reranker's score)."""

    def citation(self) -> str:
        """The human-readable citation `[2501.12948, §3 Method, p.4]`."""
        parts = [self.arxiv_id]
        if self.section:
            parts.append(f"§{self.section}")
        if self.page:
            parts.append(f"p.{self.page}")
        return "[" + ", ".join(parts) + "]"


class FigureHit(BaseModel):
    """A figure found by meaning (caption + description)."""

    arxiv_id: str
    number: str
    caption: str
    description: str = ""
    kind: str = ""
    image_path: str = ""
    page: int = 0
    score: float = 0.0

    def citation(self) -> str:
        """The human-readable citation `[2501.12948, Fig. 3, p.7]`."""
        return f"[{self.arxiv_id}, Fig. {self.number}" + (f", p.{self.page}]" if self.page else "]")


class LibraryPaper(BaseModel):
    """A paper in the library: its metadata, what was read of it, and how much is stored."""

    paper: Paper
    parsed: ParsedPaper | None = None
    """None when only the abstract could be had."""
    abstract_only: bool = False
    chunks: int = 0
    figures: int = 0
    added: str = ""
    """ISO timestamp of the last (re-)ingest."""
    tags: list[str] = Field(default_factory=list)
