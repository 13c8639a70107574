"""Make an answer's citations clickable: `[2501.12948, §3 Method, p.4]` becomes a Markdown link.

`ask` cites every claim as `[arxiv_id, §section, p.N]` (figures as `[id, Fig. 3, p.7]`). The
chat renders answers as Markdown; each citation turns into a link `cite:N` whose target is kept
beside the text, so a click (or the sources picker) opens the paper at that section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}|local-[0-9a-f]{6,64})(?:v\d+)?"
_PART = r"(?:§[^,\]\n]+|Fig\.\s*[^,\]\n]+|p\.\d+)"
CITATION = re.compile(rf"(?<![\\\[])\[(?P<id>{_ID})(?P<rest>(?:,\s*{_PART})*)\](?!\()")
SCHEME = "cite:"


@dataclass(frozen=True)
class Citation:
    """Where a citation points."""

    arxiv_id: str
    section: str = ""
    page: int = 0
    figure: str = ""

    @property
    def label(self) -> str:
        """The citation as written: `2501.12948, §3 Method, p.4`."""
        parts = [self.arxiv_id]
        if self.section:
            parts.append(f"§{self.section}")
        if self.figure:
            parts.append(f"Fig. {self.figure}")
        if self.page:
            parts.append(f"p.{self.page}")
        return ", ".join(parts)


def _citation(match: re.Match[str]) -> Citation:
    section, page, figure = "", 0, ""
    for part in (p.strip() for p in match.group("rest").split(",") if p.strip()):
        if part.startswith("§"):
            section = part[1:].strip()
        elif part.startswith("Fig."):
            figure = part[4:].strip()
        elif part.startswith("p."):
            page = int(part[2:])
    return Citation(re.sub(r"v\d+$", "", match.group("id")), section, page, figure)


def link_citations(markdown: str) -> tuple[str, list[Citation]]:
    """The Markdown with every citation a `cite:N` link, and the citations by N (first use order)."""
    found: list[Citation] = []

    def replace(match: re.Match[str]) -> str:
        citation = _citation(match)
        if citation not in found:
            found.append(citation)
        label = match.group(0)[1:-1].replace("[", "").replace("]", "")
        return f"[\\[{label}\\]]({SCHEME}{found.index(citation)})"

    return CITATION.sub(replace, markdown), found


def target(href: str, citations: list[Citation]) -> Citation | None:
    """The citation a clicked `cite:N` link points at (None for other links)."""
    if not href.startswith(SCHEME):
        return None
    index = href[len(SCHEME):]
    return citations[int(index)] if index.isdigit() and int(index) < len(citations) else None


def cited_papers(citations: list[Citation]) -> list[str]:
    """The distinct papers cited, in first-use order."""
    return list(dict.fromkeys(c.arxiv_id for c in citations))
