"""What the review's stages hand each other: candidates, the outline, the draft, the verification.

The graph and session (orchestration) and the outline/writers/verify/export modules (content)
meet here; both sides code against these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

ThemeKind = Literal["topic", "surveys", "datasets", "other"]
"""How a section was formed: `topic`, papers grouped by what they study and named by a phrase they
share; `surveys`, earlier surveys (discussed in the introduction); `datasets`, datasets and
benchmarks; `other`, the closing section of papers that fit no other."""


class Theme(BaseModel):
    """One taxonomy section of the review, possibly with subsections.

    `paper_ids` holds every paper of the section, subsections included, so code that knows nothing
    of subsections still sees each paper once; a subsection's papers are a subset of its section's,
    and the section's papers in no subsection are discussed before its subsections.
    """

    title: str
    key_phrases: list[str] = Field(default_factory=list)
    paper_ids: list[str] = Field(default_factory=list)
    """Versionless arXiv ids, in the order they are discussed."""
    subthemes: list[Theme] = Field(default_factory=list)
    """Subsections (one level: a subsection has none of its own)."""
    kind: ThemeKind = "topic"

    @model_validator(mode="after")
    def _subsections_inside(self) -> Theme:
        """A subsection's papers belong to the section too; subsections do not nest."""
        for sub in self.subthemes:
            sub.subthemes = []
            self.paper_ids += [i for i in sub.paper_ids if i not in self.paper_ids]
        return self

    def direct_ids(self) -> list[str]:
        """The section's papers that no subsection holds (discussed before the subsections)."""
        inside = {i for sub in self.subthemes for i in sub.paper_ids}
        return [i for i in self.paper_ids if i not in inside]

    def leaves(self) -> list[Theme]:
        """The subsections with papers, or the section itself when it has none."""
        subs = [t for t in self.subthemes if any(i in self.paper_ids for i in t.paper_ids)]
        return subs or [self]


class Outline(BaseModel):
    """The survey's skeleton: title and ordered theme sections (intro, table, figures, open
    problems and references are added around them by the writer)."""

    topic: str
    title: str
    themes: list[Theme] = Field(default_factory=list)
    left_out: dict[str, str] = Field(default_factory=dict)
    """Papers that were read but placed in no section, with why (e.g. a one-page excerpt whose
    text does not say what it is about); a person may still put them in at the outline gate."""

    def paper_ids(self) -> list[str]:
        """Every paper the sections hold, in order."""
        return [i for t in self.themes for i in t.paper_ids]


class ComparisonRow(BaseModel):
    """One row of the comparison table, filled from the paper's own text (empty when not stated)."""

    arxiv_id: str
    key: str
    """The paper's BibTeX key."""
    title: str = ""
    year: str = ""
    task: str = ""
    method: str = ""
    datasets: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    code: str = ""


class ReportedResult(BaseModel):
    """A number a paper reports for itself on a benchmark, copied with where it stands."""

    arxiv_id: str
    key: str = ""
    """The paper's BibTeX key."""
    benchmark: str
    """As the paper writes it (`UCF-Crime`)."""
    metric: str
    value: str
    """Verbatim from the paper (`87.4%`), never computed."""
    page: int = 0
    """0 when the paper was read from its abstract only."""
    source: str
    """`Table 2`, `text` or `abstract`."""
    evidence: str = ""
    """The sentence, or the table's caption, the number was copied from."""


class DraftFigure(BaseModel):
    """A figure embedded in the review."""

    arxiv_id: str
    key: str
    number: str
    caption: str
    description: str = ""
    image_path: str
    """Path of the PNG (copied into the export's figures/ folder)."""
    theme: str = ""
    """The theme section the figure illustrates."""
    kind: str = ""
    """The figure reader's kind (plot / diagram / …), when one has run."""


class PairSupport(BaseModel):
    """How well one cited paper supports its part of a sentence."""

    key: str
    part: str = ""
    """What this paper is cited for (the sentence's clause, framing removed)."""
    support: float = 0.0
    supported: bool = False
    reason: str = ""


class Statement(BaseModel):
    """A cited sentence of the draft, as the verifier saw it."""

    section: str
    text: str
    keys: list[str] = Field(default_factory=list)
    support: float = 0.0
    """The weakest support among the cited papers' (each paper scored on its own part)."""
    supported: bool = False
    """Whether every cited paper supports its part."""
    reason: str = ""
    """Why it is (un)supported: `verbatim`, `similar`, `numbers not in the paper`, …"""
    pairs: list[PairSupport] = Field(default_factory=list)
    """One verdict per cited paper."""


class PairCheck(BaseModel):
    """A (statement, cited paper) pair that failed, and what verify did about it."""

    section: str
    text: str
    key: str
    support: float = 0.0
    reason: str = ""
    action: Literal["citation removed", "kept"] = "kept"
    """`citation removed`: the other cited papers support the statement, so this citation left it
    (and a count of papers in it was corrected); `kept`: no cited paper supports it (see
    `unsupported`)."""


class Draft(BaseModel):
    """A written review before export. Citations in `markdown` are Pandoc style: `[@key]`."""

    title: str
    markdown: str
    keys: dict[str, str] = Field(default_factory=dict)
    """Citation key → versionless arXiv id, for every paper the writer was allowed to cite."""
    comparison: list[ComparisonRow] = Field(default_factory=list)
    figures: list[DraftFigure] = Field(default_factory=list)
    writer: str = "extractive"
    """`extractive`, or the model string that wrote it."""
    revision: int = 0
    notes: list[str] = Field(default_factory=list)
    """What the writer did with the reviewer's feedback, and what it could not do."""
    usage: dict[str, Any] = Field(default_factory=dict)
    """What an LLM writer spent: `calls`, `input_tokens`, `output_tokens`, `cost_usd` (None when
    the model has no known price)."""
    results: list[ReportedResult] = Field(default_factory=list)
    """The numbers in the "Reported results" tables, each with its source in the paper."""
    removed_citations: list[str] = Field(default_factory=list)
    """Citation markers an LLM writer produced for papers outside the review (invented or
    injected); removed before the draft was assembled, and reported by `verify` as unresolved."""


class Verification(BaseModel):
    """What `verify` found: every citation resolved or removed, every cited sentence scored."""

    total: int = 0
    """Citations in the draft before cleaning."""
    unresolved: list[str] = Field(default_factory=list)
    """Keys that resolved to no stored paper (removed from the draft and listed)."""
    unsupported: list[Statement] = Field(default_factory=list)
    statements: int = 0
    """Cited sentences checked."""
    pairs: int = 0
    """(statement, cited paper) pairs checked."""
    unsupported_pairs: list[PairCheck] = Field(default_factory=list)
    """Pairs whose paper does not support its part of the statement."""


GateName = Literal["papers", "outline", "draft"]
