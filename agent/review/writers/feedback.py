"""Read a reviewer's free-text feedback on a draft, conservatively.

Feedback steers content only (the gate decision itself is explicit and made elsewhere). A clause
acts only when it names both an action (drop / expand / shorten) and a target the draft knows: an
arXiv id, a citation key, or a section title written out. Anything else is reported back as not
applied, so the person sees what the writer understood instead of a guess.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from agent.review.types import Outline
from tools.paper import ARXIV_ID_RE

_DROP = re.compile(r"\b(?:drop|remove|exclude|omit|delete|cut|leave out|take out|skip)\b", re.I)
_EXPAND = re.compile(r"\b(?:expand|elaborate|extend|more (?:on|about|detail)|longer|deeper|"
                     r"go into|say more|detail)\b", re.I)
_SHORTEN = re.compile(
    r"\b(?:shorten|shorter|more concise|condense|less detail|trim|too long|brief)\b", re.I)
_NEGATION = re.compile(r"\b(?:don't|do not|never|no need to|not)\b", re.I)


class FeedbackPlan(BaseModel):
    """What the writer will change on this revision."""

    drop_papers: set[str] = Field(default_factory=set)
    drop_themes: set[str] = Field(default_factory=set)
    expand_papers: set[str] = Field(default_factory=set)
    expand_themes: set[str] = Field(default_factory=set)
    concise: bool = False
    applied: list[str] = Field(default_factory=list)
    unapplied: list[str] = Field(default_factory=list)

    def notes(self) -> list[str]:
        """Lines for the draft's notes: what was done, and what was not understood."""
        return ([f"feedback applied: {a}" for a in self.applied]
                + [f"feedback not applied (name a paper id, citation key or section title): {u}"
                   for u in self.unapplied])


def parse_feedback(feedback: str, outline: Outline, keys: dict[str, str]) -> FeedbackPlan:
    """Turn feedback into drop/expand/shorten actions on known papers and sections."""
    plan = FeedbackPlan()
    by_key = {key.lower(): arxiv_id for arxiv_id, key in keys.items()}
    for clause in (c.strip() for c in re.split(r"[\n;]+|(?<=[.!?])\s+", feedback)):
        if not clause:
            continue
        papers, themes = _targets(clause, outline, by_key, set(keys))
        drop, expand, shorten = (bool(p.search(clause)) for p in (_DROP, _EXPAND, _SHORTEN))
        if _NEGATION.search(clause) or (drop and expand):
            plan.unapplied.append(clause)
        elif drop and (papers or themes):
            plan.drop_papers |= papers
            plan.drop_themes |= themes
            plan.applied.append(f"dropped {_describe(papers, themes)}")
        elif expand and (papers or themes):
            plan.expand_papers |= papers
            plan.expand_themes |= themes
            plan.applied.append(f"expanded {_describe(papers, themes)}")
        elif shorten and not papers and not themes:
            plan.concise = True
            plan.applied.append("shortened every paper's paragraph")
        else:
            plan.unapplied.append(clause)
    return plan


def _targets(clause: str, outline: Outline, by_key: dict[str, str],
             known_ids: set[str]) -> tuple[set[str], set[str]]:
    """Papers (by id or key) and themes (by full title) a clause names."""
    papers = {m.group("id") for m in ARXIV_ID_RE.finditer(clause) if m.group("id") in known_ids}
    for word in re.findall(r"@?([A-Za-z][\w:-]*)", clause):
        if word.lower() in by_key:
            papers.add(by_key[word.lower()])
    lowered = " ".join(clause.lower().split())
    themes = {t.title for t in outline.themes if len(t.title) >= 4 and t.title.lower() in lowered}
    return papers, themes


def _describe(papers: set[str], themes: set[str]) -> str:
    parts = [f"section “{t}”" for t in sorted(themes)] + [f"paper {p}" for p in sorted(papers)]
    return ", ".join(parts)
