"""The paper's own text, cut into sentences: what facts are extracted from and statements built on.

Only the paper's own parts count (title, abstract, its own sections): sections about other
people's work (related work, references) and the back matter are skipped, so nothing another paper
did is ever attributed to this one. Sentences are cut, never edited.
"""

from __future__ import annotations

import re
from functools import lru_cache

from memory.records import LibraryPaper
from tools.text.clean import is_clean_statement

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|resp|approx|Fig|Figs|Eq|Eqs|Sec|Secs|Tab|No|Ref|Refs|"
    r"Dr|Prof|Mr|Ms|Inc|Ltd|St|al|viz|incl)|\b[A-Z])\.$")
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(\[]?[A-Z0-9])")

_SKIP_SECTIONS = re.compile(
    r"related work|background|prior work|previous work|literature|references|bibliography|"
    r"acknowledg|appendix|supplementary|author contributions|ethics|broader impact|checklist",
    re.IGNORECASE)
_SECTION_KIND = [
    ("abstract", re.compile(r"abstract", re.I)),
    ("intro", re.compile(r"introduction|overview|motivation", re.I)),
    ("limits", re.compile(r"limitation|future work|discussion", re.I)),
    ("conclusion", re.compile(r"conclu|summary", re.I)),
    ("results", re.compile(r"experiment|result|evaluation|ablation|benchmark|comparison", re.I)),
    ("method", re.compile(r"method|approach|model|framework|architecture|design|proposed|training",
                          re.I)),
]
def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; `e.g.`, `et al.`, `Fig.` and initials end none."""
    return list(_sentences(text))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """`split_sentences`, remembered: a draft splits each paragraph several times (facts,
    sentences, results, relations; 4,260 calls for 816 paragraphs in a 12-paper review)."""
    text = " ".join(text.split())
    if not text:
        return ()
    pieces = _SPLIT.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ABBREVIATIONS.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return tuple(s.strip() for s in sentences if s.strip())


def section_kind(title: str) -> str:
    """What a section is, from its title."""
    return next((kind for kind, pattern in _SECTION_KIND if pattern.search(title)), "other")


def own_blocks(record: LibraryPaper) -> list[tuple[str, str, int]]:
    """(section title, paragraph, page) of the paper's own text: abstract and body, in reading
    order, without the sections about other people's work (related work, references, …)."""
    blocks: list[tuple[str, str, int]] = []
    parsed = record.parsed
    abstract = (parsed.abstract if parsed and parsed.abstract else record.paper.abstract).strip()
    if abstract:
        blocks.append(("Abstract", abstract, 1 if parsed else 0))
    if parsed:
        skipping_level = 0
        for section in parsed.sections:
            if skipping_level and section.level > skipping_level:
                continue  # a subsection of a skipped section
            skipping_level = section.level if _SKIP_SECTIONS.search(section.title) else 0
            if skipping_level or section_kind(section.title) == "abstract":
                continue
            blocks.extend((section.title, p.text, p.page) for p in section.paragraphs)
    return blocks


def clean_statement(sentence: str, title: str = "") -> bool:
    """Whether a sentence may become a statement at all: not a running header or footer, a caption,
    a table row, an equation, a reference entry or an affiliation the parser left in the body text
    (`tools.text.clean`, the one home of those rules; `title` catches a header repeating it)."""
    return is_clean_statement(sentence, title=title)
