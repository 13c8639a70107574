"""Split a parsed paper into sentences, each tagged with the role its section plays in a summary.

The summary quotes the paper, so every sentence here is a verbatim piece of a paragraph
(whitespace collapsed): the splitter (shared with the review writer, `agent.review.writers.sentences`)
only cuts, never rewrites. Unlike the review writer, the summary keeps related work: it is where
"prior methods and their problems" come from. A section's role (introduction,
related work, method, experiments, conclusion, limitations) comes from its heading, then from its
parent's, then from where it sits: an unnamed section between the introduction and the
experiments is taken to describe the method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.review.writers.sentences import split_sentences as split_paragraph
from tools.document import ParsedPaper

ROLES = ("abstract", "introduction", "background", "related", "method", "experiments",
         "discussion", "conclusion", "skip")
_ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("skip", ("reference", "bibliograph", "acknowledg", "appendix", "supplementa", "author contribution",
              "ethic", "funding", "reproducibility", "checklist", "impact statement", "ccs concept",
              "keyword", "acm reference", "index terms", "contents")),
    ("abstract", ("abstract",)),
    ("related", ("related work", "prior work", "previous work", "literature", "related research",
                 "related literature")),
    ("conclusion", ("conclusion", "concluding", "summary and", "closing remark")),
    ("discussion", ("limitation", "discussion", "future work", "broader", "failure", "unsuccessful")),
    ("experiments", ("experiment", "evaluation", "result", "benchmark", "ablation", "empirical",
                     "comparison", "user study", "performance", "case stud")),
    ("introduction", ("introduction", "motivation")),
    ("background", ("background", "preliminar", "problem formulation", "problem definition",
                    "problem statement", "notation")),
    ("method", ("method", "approach", "proposed", "model", "framework", "architecture", "design",
                "algorithm", "overview", "pipeline", "training", "system", "implementation")),
]
_BULLET_SPLIT_RE = re.compile(r"(?<=[.!?:])\s+(?=[•●▪◦∙·]\s)")
_BULLET_RE = re.compile(r"^(?:[•●▪◦∙·\-–—*]|\(?[0-9ivx]{1,4}[.)]|\([a-z]\))\s+")
_CAPTION_RE = re.compile(r"^(?:fig(?:ure)?\.?|table|algorithm)\s*[A-Z]?\d+", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the paper, with where it came from."""

    text: str
    role: str
    section: str
    """The section's path (`3 Method > 3.2 Loss`), or `Abstract`."""
    page: int
    position: float
    """Where it sits in its section, 0.0 (first) to 1.0 (last)."""


def split_sentences(text: str) -> list[str]:
    """Cut text into sentences (the review writer's splitter), list items apart, markers dropped."""
    out = []
    for sentence in split_paragraph(text):
        out += [_strip_bullet(piece) for piece in _BULLET_SPLIT_RE.split(sentence)]
    return [s for s in out if s]


def _strip_bullet(sentence: str) -> str:
    """Drop a leading list marker (the rest is still verbatim)."""
    return _BULLET_RE.sub("", sentence, count=1).strip()


def is_quotable(sentence: str) -> bool:
    """Whether a sentence reads as prose worth quoting (not a caption, an equation or a fragment)."""
    words = sentence.split()
    if not 6 <= len(words) <= 70:
        return False
    if not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "\"'(“"):
        return False
    if not re.search(r"[.!?][\"')\]”]*$", sentence) or _CAPTION_RE.match(sentence):
        return False
    if "=" in " ".join(words[:4]):
        return False  # a formula's tail cut into a sentence ("Dx = where …")
    visible = [c for c in sentence if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    return letters / max(1, len(visible)) >= 0.72 and "http" not in sentence.lower()


def role_of(title: str) -> str | None:
    """The role a heading names, or None when it names none."""
    lowered = re.sub(r"^[\dA-Z]{0,3}(?:\.\d+)*\.?\s+", "", title.strip()).lower()
    for role, words in _ROLE_WORDS:
        if any(word in lowered for word in words):
            return role
    return None


def section_roles(paper: ParsedPaper) -> list[str]:
    """The role of every section, in order (see the module docstring for the rules)."""
    roles: list[str] = []
    stack: list[tuple[int, str]] = []
    seen_experiments = after_references = False
    for section in paper.sections:
        while stack and stack[-1][0] >= section.level:
            stack.pop()
        own = role_of(section.title)
        role = own or (stack[-1][1] if stack else None)
        if role is None:
            role = "discussion" if seen_experiments else "method"
        if own == "skip" and re.search(r"reference|bibliograph", section.title, re.IGNORECASE):
            after_references = True
        elif after_references:
            role = "skip"  # appendices: the summary quotes the paper's body
        if section.level <= 1 or not stack:
            seen_experiments = seen_experiments or role in ("experiments", "conclusion")
        stack.append((section.level, role))
        roles.append(role)
    return roles


def paper_sentences(paper: ParsedPaper) -> list[Sentence]:
    """Every quotable sentence of the paper, abstract first, then the sections in order."""
    out: list[Sentence] = []
    if paper.abstract:
        out += _tagged(split_sentences(paper.abstract), "abstract", "Abstract", 1)
    paths = paper.section_paths()
    for (path, section), role in zip(paths, section_roles(paper), strict=True):
        if role == "skip" or (role == "abstract" and paper.abstract):
            continue
        pieces: list[tuple[str, int]] = []
        for paragraph in section.paragraphs:
            pieces += [(s, paragraph.page) for s in split_sentences(paragraph.text)]
        total = max(1, len(pieces) - 1)
        out += [Sentence(text, role, path, page, i / total) for i, (text, page) in enumerate(pieces)
                if is_quotable(text)]
    return out


def _tagged(texts: list[str], role: str, section: str, page: int) -> list[Sentence]:
    total = max(1, len(texts) - 1)
    return [Sentence(t, role, section, page, i / total) for i, t in enumerate(texts) if is_quotable(t)]
