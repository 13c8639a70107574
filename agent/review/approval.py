"""Approval gates: what a paused run asks a person, and what the person answers.

A gate is an `interrupt()` carrying one of the typed requests below; a front end shows it and
resumes the run with a `Decision`. A decision is always explicit (`approve`, `edit` with a payload,
`revise` with feedback) and is checked against the request before the run resumes; nothing is ever
inferred from free text, and no model ever passes a gate: only a person or an `auto` policy does.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, cast

from pydantic import BaseModel, Field, TypeAdapter, field_validator, model_validator

from agent.review.types import GateName, Outline, Theme, ThemeKind
from agent.settings import GatePolicy, ReviewSettings
from tools.errors import BadUsage
from tools.paper import Candidate, key_of

GATES: tuple[GateName, ...] = ("papers", "outline", "draft")


class InvalidDecision(BadUsage):
    """A decision that does not fit the gate it answers: bad usage (exit 2); the run is not resumed
    and stays where it was."""


class GatePolicies(BaseModel):
    """Per gate: `ask` pauses the run for a person, `auto` approves on the spot."""

    papers: GatePolicy = "ask"
    outline: GatePolicy = "ask"
    draft: GatePolicy = "ask"

    @classmethod
    def from_settings(cls, review: ReviewSettings, approve: GatePolicy | None = None) -> GatePolicies:
        """The settings' policies, or `approve` for all three (the CLI's `--approve`)."""
        if approve:
            return cls(papers=approve, outline=approve, draft=approve)
        return cls(papers=review.approve_papers, outline=review.approve_outline,
                   draft=review.approve_draft)


class PaperBrief(BaseModel):
    """A paper as a gate shows it."""

    arxiv_id: str
    title: str
    status: str = ""
    """How it was read: ingested, abstract_only, stored."""


class PapersRequest(BaseModel):
    """Gate 1: which of these papers should the review cover?"""

    gate: Literal["papers"] = "papers"
    topic: str
    queries: list[str] = Field(default_factory=list)
    candidates: list[Candidate]
    """Ranked, most relevant first; approving keeps all of them."""
    round: Literal["search", "citations"] = "search"
    """`search`: what arXiv found for the topic; `citations`: works the approved papers cite
    (snowballing), offered once their reference lists have been read."""


class OutlineRequest(BaseModel):
    """Gate 2: is this the right taxonomy (titles, order, membership)?"""

    gate: Literal["outline"] = "outline"
    topic: str
    outline: Outline
    papers: list[PaperBrief]
    """The papers an edited outline may use."""


class DraftRequest(BaseModel):
    """Gate 3: accept the verified draft, or send it back with feedback."""

    gate: Literal["draft"] = "draft"
    title: str
    markdown: str
    revision: int
    revisions_left: int
    writer: str = "extractive"
    citations: dict[str, int] = Field(default_factory=dict)
    """total, unresolved, unsupported."""
    notes: list[str] = Field(default_factory=list)
    """What the writer did with the last feedback, and what it could not do."""


GateRequest = Annotated[PapersRequest | OutlineRequest | DraftRequest, Field(discriminator="gate")]
_REQUEST = TypeAdapter(GateRequest)


def parse_request(data: dict) -> PapersRequest | OutlineRequest | DraftRequest:
    """Rebuild a gate request from its JSON."""
    return _REQUEST.validate_python(data)


class Decision(BaseModel):
    """A person's answer to a gate.

    - `approve`: go on as proposed.
    - `edit` at the papers gate: `keep` (only these), `drop`, `add` (arXiv ids, fetched).
    - `edit` at the outline gate: `outline`, the edited outline.
    - `revise` at the draft gate: `feedback` for the next revision.
    """

    action: Literal["approve", "edit", "revise"]
    keep: list[str] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)
    add: list[str] = Field(default_factory=list)
    outline: Outline | None = None
    feedback: str = ""
    by: str = ""
    """Who decided: `auto`, `cli`, a Slack user id, …"""

    @field_validator("keep", "drop", "add")
    @classmethod
    def _arxiv_ids(cls, ids: list[str]) -> list[str]:
        """Versionless ids, whatever form they were typed in (`arXiv:2501.12948v2`, a URL), or the key
        of a paper not on arXiv (`W2741809807`, `ref-…`); the whole text must be one
        (`2501.12948/x` is refused, never read as 2501.12948)."""
        return list(dict.fromkeys(key_of(i) for i in ids if i.strip()))

    @model_validator(mode="after")
    def _payload_fits_action(self) -> Decision:
        papers_edit = bool(self.keep or self.drop or self.add)
        if self.action == "approve" and (papers_edit or self.outline or self.feedback):
            raise ValueError("approve takes no payload; use edit or revise")
        if self.action == "edit" and papers_edit == (self.outline is not None):
            raise ValueError("edit needs exactly one payload: keep/drop/add ids, or an outline")
        if self.action == "revise" and (not self.feedback.strip() or papers_edit or self.outline):
            raise ValueError("revise needs feedback and nothing else")
        return self

    def check(self, request: PapersRequest | OutlineRequest | DraftRequest) -> None:
        """Raise InvalidDecision unless this decision can answer `request`."""
        if request.gate == "papers":
            if self.action == "revise" or self.outline is not None:
                raise InvalidDecision("the papers gate takes approve, or edit with --keep/--drop/--add")
            _check_papers(self, request)
        elif request.gate == "outline":
            if self.action == "revise" or (self.action == "edit" and self.outline is None):
                raise InvalidDecision("the outline gate takes approve, or edit with an outline")
            if self.outline is not None:
                _check_outline(self.outline, request)
        elif self.action == "edit":
            raise InvalidDecision("the draft gate takes approve, or revise with feedback")
        elif self.action == "revise" and request.revisions_left <= 0:
            raise InvalidDecision(f"no revisions left (revision {request.revision} is the last): "
                                  "approve it, or cancel the run")


def _check_papers(decision: Decision, request: PapersRequest) -> None:
    """Refuse ids that are not candidates, and (first round) an answer that leaves no paper.

    `--keep`/`--drop` choose among the candidates; a typo there must not silently mean "fetch
    this id" or "drop nothing". New papers come only through `add`.
    """
    candidates = [c.paper.arxiv_id for c in request.candidates]
    unknown = [i for i in [*decision.keep, *decision.drop] if i not in candidates]
    if unknown:
        raise InvalidDecision(f"not among the candidates: {', '.join(unknown)} (the candidates: "
                              f"{', '.join(candidates) or 'none'}; new papers go in --add)")
    keep, drop = set(decision.keep), set(decision.drop)
    left = [i for i in candidates if (not keep or i in keep) and i not in drop]
    if request.round == "search" and not left and not decision.add:
        raise InvalidDecision("that answer leaves no papers to review: keep at least one, "
                              "--add arXiv ids, or cancel the run")


def _check_outline(outline: Outline, request: OutlineRequest) -> None:
    known = {p.arxiv_id for p in request.papers}
    unknown = sorted({i for t in outline.themes for i in t.paper_ids} - known)
    if unknown:
        raise InvalidDecision(f"the outline names papers this run did not read: {', '.join(unknown)}")
    if not any(t.paper_ids for t in outline.themes):
        raise InvalidDecision("the outline has no theme with papers in it")


def auto_approve() -> Decision:
    """The decision an `auto` policy takes."""
    return Decision(action="approve", by="auto")


# -- the outline as Markdown, so a person can edit it in any editor -------------------------------

def outline_to_markdown(outline: Outline, titles: dict[str, str] | None = None) -> str:
    """`# Title`, one `## Section` per section and `### Subsection` per subsection, one
    `- id  title` line per paper; how a section was formed and the papers left out as comments."""
    titles = titles or {}
    lines = [f"# {outline.title}", ""]
    for theme in outline.themes:
        lines.append(f"## {theme.title}")
        lines += _comments(theme)
        lines.extend(_paper_line(pid, titles) for pid in (theme.direct_ids() if theme.subthemes else theme.paper_ids))
        for sub in theme.subthemes:
            lines += ["", f"### {sub.title}", *_comments(sub)]
            lines.extend(_paper_line(pid, titles) for pid in sub.paper_ids)
        lines.append("")
    if outline.left_out:
        lines.append("<!-- left out (move a line under a section to include the paper):")
        lines += [f"{_paper_line(pid, titles)}  ({why})" for pid, why in outline.left_out.items()]
        lines += ["-->", ""]
    return "\n".join(lines)


def _paper_line(pid: str, titles: dict[str, str]) -> str:
    return f"- {pid}  {titles.get(pid, '')}".rstrip()


def _comments(theme: Theme) -> list[str]:
    out = [f"<!-- kind: {theme.kind} -->"] if theme.kind != "topic" else []
    if theme.key_phrases:
        out.append(f"<!-- key phrases: {', '.join(theme.key_phrases)} -->")
    return out


_ID_LINE = re.compile(r"^\s*[-*]\s+(?:arXiv:)?(\S+)")
_PHRASES = re.compile(r"^\s*<!--\s*key phrases:(.*?)-->")
_KIND = re.compile(r"^\s*<!--\s*kind:\s*(topic|surveys|datasets|other)\s*-->")


def outline_from_markdown(text: str, topic: str) -> Outline:
    """Read an outline edited as Markdown (the format `outline_to_markdown` writes): `##` starts a
    section, `###` a subsection of the section above it; comment blocks are skipped."""
    title, themes, sub, in_comment = "", [], None, False
    for line in text.splitlines():
        if in_comment or (line.lstrip().startswith("<!--") and "-->" not in line):
            in_comment = "-->" not in line
            continue
        target = sub or (themes[-1] if themes else None)
        if line.startswith("### ") and themes:
            sub = Theme(title=line[4:].strip())
            themes[-1].subthemes.append(sub)
        elif line.startswith("## "):
            themes.append(Theme(title=line[3:].strip()))
            sub = None
        elif line.startswith("# "):
            title = line[2:].strip()
        elif (match := _KIND.match(line)) and target is not None:
            target.kind = cast(ThemeKind, match.group(1))  # the pattern admits only the four kinds
        elif (match := _PHRASES.match(line)) and target is not None:
            target.key_phrases = [p.strip() for p in match.group(1).split(",") if p.strip()]
        elif (match := _ID_LINE.match(line)) and target is not None:
            target.paper_ids.append(re.sub(r"v\d+$", "", match.group(1)))
    if not themes:
        raise InvalidDecision("no `## Theme` sections found in the outline file")
    # Re-validate, so every subsection's papers belong to its section too.
    return Outline.model_validate({"topic": topic, "title": title or topic,
                                   "themes": [t.model_dump() for t in themes]})
