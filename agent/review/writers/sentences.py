"""Find the sentences of a paper worth quoting: contributions, method, results, limitations.

Sentences are taken verbatim from the paper's own text (its parsed sections when the PDF was read,
else its abstract); they are only classified and ranked here, never edited. Every one must pass
`tools.text.clean.is_clean_statement` (no running header, caption, table, equation, reference
entry or affiliation). Sections that talk
about other people's work (related work, references) are skipped, so a sentence is never
attributed to the wrong paper.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from agent.review.facts.text import clean_statement, own_blocks, section_kind, split_sentences
from memory.records import LibraryPaper
from tools.text.clean import is_motivation

Role = Literal["background", "contribution", "method", "result", "limitation"]

_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|article)|in this (?:paper|work)|our (?:work|paper))\b"
    r"[^.;]{0,80}?"
    r"\b(?:propose|present|introduce|develop|design|devise|contribute|formulate|put forward|build)",
    re.IGNORECASE)
_METHOD = re.compile(
    r"\b(?:consists? of|composed of|comprises?|we (?:use|employ|leverage|adopt|train|apply|"
    r"utili[sz]e|incorporate|exploit|combine|model|represent|first|then)|"
    r"(?:is|are) (?:built|based) (?:on|upon)|"
    r"module|encoder|decoder|architecture|objective|loss|pipeline|backbone|mechanism|branch|"
    r"transformer|diffusion|attention)\b", re.IGNORECASE)
_RESULT_STRONG = re.compile(
    r"\b(?:outperform\w*|surpass\w*|state-of-the-art|SOTA|achiev\w*|improv\w*)\b", re.IGNORECASE)
_RESULT_WORDS = re.compile(
    r"\b(?:outperform\w*|achiev\w*|improv\w*|surpass\w*|state-of-the-art|SOTA|gains?|reduc\w*|boost\w*|"
    r"exceed\w*|accuracy|AUC|F1|mAP|scores?|speed-?up|faster|better than)\b", re.IGNORECASE)
_OWN = re.compile(r"\b(?:we|our|ours|the proposed|this (?:method|approach|model|framework)|"
                  r"experiments?|evaluations?|results)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|x\b|×|points?\b|pp\b|dB\b)|\b\d+\.\d+\b|\b\d{2,}\b")
_LIMITATION = re.compile(
    r"\b(?:limitations?|future (?:work|research|directions?)|remains? (?:an? )?(?:open|challenging|"
    r"unclear|unexplored|difficult|unsolved|limited)|"
    r"open (?:problems?|questions?|challenges?|issues?)|"
    r"fails? to|struggles?|cannot|not yet|(?:is|are) limited|leave\w* [^.]{0,40}\bfor future|"
    r"challenges? remain|still (?:lack|suffer|struggle|fall))", re.IGNORECASE)
# How much a role's sentence is worth by where it was found (unlisted: 0.3).
_SECTION_PRIOR: dict[Role, dict[str, float]] = {
    "background": {"abstract": 1.0, "intro": 0.8},
    "contribution": {"abstract": 1.0, "intro": 0.8, "conclusion": 0.7},
    "method": {"method": 1.0, "abstract": 0.8, "intro": 0.5},
    "result": {"abstract": 1.0, "results": 0.9, "conclusion": 0.8, "intro": 0.5},
    "limitation": {"limits": 1.0, "conclusion": 0.9, "results": 0.5, "abstract": 0.5, "intro": 0.4},
}


class Sentence(BaseModel):
    """One verbatim sentence of a paper, with where it came from and what it says."""

    arxiv_id: str
    text: str
    section: str
    """The section's title (`Abstract` for abstract-only papers)."""
    kind: str
    """abstract / intro / method / results / conclusion / limits / other."""
    position: int
    """Order in the paper (0 = first sentence read)."""
    page: int = 0
    """The page it was read on (0 when only the abstract was stored)."""


def paper_sentences(record: LibraryPaper) -> list[Sentence]:
    """Every quotable sentence of a stored paper, in reading order."""
    arxiv_id = record.paper.arxiv_id
    out: list[Sentence] = []
    for title, text, page in own_blocks(record):
        for sentence in split_sentences(text):
            if quotable(sentence) and clean_statement(sentence, title=record.paper.title):
                out.append(Sentence(arxiv_id=arxiv_id, text=sentence, section=title,
                                    kind=section_kind(title), position=len(out), page=page))
    return out


def quotable(sentence: str) -> bool:
    """Whether a sentence reads well on its own: prose of sensible length, not a table fragment."""
    if not 40 <= len(sentence) <= 400 or not sentence[0].isupper() or sentence[-1] not in ".!?":
        return False
    letters = sum(c.isalpha() for c in sentence)
    if letters < 0.6 * len(sentence):
        return False
    if sentence.count("(") != sentence.count(")") or sentence.count("[") != sentence.count("]"):
        return False
    if re.search(r"\b(?:Table|Figure|Fig\.)\s*\d+\s*(?:shows|presents|reports|illustrates)",
                 sentence):
        return False  # points at something the review does not show
    return not re.search(r"https?://|\w-\s+\w|[•▪◦·]|</?[a-z]+\b[^>]*>|(?<![\w\\])@\w", sentence)


def _contribution(sentence: Sentence) -> float:
    return 1.0 if _CONTRIBUTION.search(sentence.text) else 0.0


def _method(sentence: Sentence) -> float:
    """How a method is built: method words said of the authors' own work (or in its section)."""
    text = sentence.text
    if (_CONTRIBUTION.search(text) or _RESULT_STRONG.search(text)
            or _NUMBER.search(_unreferenced(text))):
        return 0.0
    if sentence.kind != "method" and not _OWN.search(text):
        return 0.0
    return min(1.0, 0.4 * len(_METHOD.findall(text)))


def _result(sentence: Sentence) -> float:
    """A result: numbers, or a strong result verb said of the authors' own work."""
    text = sentence.text
    words, numbers = len(_RESULT_WORDS.findall(text)), len(_NUMBER.findall(_unreferenced(text)))
    own = _OWN.search(text) is not None
    claimed = numbers or (own and _RESULT_STRONG.search(text))
    if not words or not claimed or _LIMITATION.search(text):
        return 0.0
    return (0.6 if numbers else 0.3) + min(0.4, 0.2 * words) - (0.0 if own else 0.1)


def _limitation(sentence: Sentence) -> float:
    return 1.0 if _LIMITATION.search(sentence.text) else 0.0


def _background(sentence: Sentence) -> float:
    """An opening sentence of the abstract that motivates the field: what the problem is or why
    it matters, not what one paper did or how it was evaluated (`tools.text.clean`)."""
    opening = sentence.kind == "abstract" and sentence.position < 3
    return 1.0 if opening and is_motivation(sentence.text) else 0.0


_ROLE_STRENGTH = {"contribution": _contribution, "method": _method, "result": _result,
                  "limitation": _limitation, "background": _background}


def _unreferenced(text: str) -> str:
    """The text without pointers (`Section 3.2`, `Table 2`): their numbers are no result."""
    return re.sub(r"\b(?:Sections?|Sec\.|Tables?|Tab\.|Figures?|Fig\.|Eqs?\.|Equations?|Appendix)"
                  r"\s*\(?[A-Z]?\d+(?:\.\d+)*\)?", " ", text)


def role_score(sentence: Sentence, role: Role) -> float:
    """How well a sentence plays `role` (0 = not at all), by wording, place and length."""
    strength = _ROLE_STRENGTH[role](sentence)
    if strength == 0.0:
        return 0.0
    prior = _SECTION_PRIOR[role].get(sentence.kind, 0.3)
    penalty = 0.15 if re.search(r"\[\d+(?:[,–-]\s*\d+)*\]|et al\.", sentence.text) else 0.0
    if len(sentence.text) > 300:
        penalty += 0.2  # long sentences quote badly
    return strength * prior - penalty - 0.0001 * sentence.position


def best(sentences: list[Sentence], role: Role, n: int = 1,
         exclude: set[str] | None = None) -> list[Sentence]:
    """The `n` best sentences for `role`, in reading order, skipping `exclude` (texts)."""
    exclude = exclude or set()
    scored = [(role_score(s, role), s) for s in sentences if s.text not in exclude]
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])[:n]
    return sorted((s for _, s in ranked), key=lambda s: s.position)
