"""How the reviewed papers relate: which cites, compares against or extends which, and in what order.

A paper cites another when its parsed reference list holds it (by arXiv id, or by title); what kind
of link it is comes from the paper's own sentences that name the other paper's method: a sentence
of comparison (outperforms, compared with, than, baseline, or one in the results sections) makes it
"compares against", a sentence of lineage (builds on, extends, based on, follows) makes it
"extends". A name mentioned without a reference entry counts too, when the name is distinctive
(an inner capital or digit, as method names are). Abstract-only papers have no reference list, so
only their sentences can link them. The links order a section: foundations first.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from agent.review.facts.extract import PaperFacts, units
from agent.review.facts.names import is_name_like
from memory.records import LibraryPaper

RelationKind = Literal["cites", "compares", "extends"]

_COMPARE = re.compile(r"\b(?:compar\w*|outperform\w*|surpass\w*|than|baselines?|versus|vs\.?|against|"
                      r"beats?|superior to)\b", re.I)
_EXTEND = re.compile(r"\b(?:build(?:s|ing)? (?:up)?on|built (?:up)?on|extend\w*|based on|follow\w*|"
                     r"inspired by|improv\w* (?:up)?on|adopt\w*)\b", re.I)


class Relation(BaseModel):
    """`source` cites, compares against or extends `target` (both reviewed papers)."""

    source: str
    target: str
    kind: RelationKind
    evidence: str
    """The source's sentence that names the target, or its reference entry."""
    page: int = 0


def _flat(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _in_references(record: LibraryPaper, target: LibraryPaper) -> str:
    """The source's reference entry for `target`, or empty."""
    if not record.parsed:
        return ""
    title = _flat(target.paper.title)
    words = set(title.split())
    for ref in record.parsed.references:
        if ref.arxiv_id and ref.arxiv_id.split("v")[0] == target.paper.arxiv_id:
            return ref.raw
        raw = _flat(ref.title or ref.raw)
        if len(title) > 15 and (title in raw or (
                ref.title and len(words & set(raw.split())) >= 0.85 * len(words | set(raw.split())))):
            return ref.raw
    return ""


def relations(records: dict[str, LibraryPaper], facts: dict[str, PaperFacts]) -> list[Relation]:
    """Every link between two reviewed papers, the strongest kind per pair."""
    found: dict[tuple[str, str], Relation] = {}
    sentences = {pid: units(r) for pid, r in records.items()}
    for source, record in records.items():
        for target, other in records.items():
            if source == target:
                continue
            name = facts[target].name
            distinctive = bool(name) and is_name_like(name) and name != facts[source].name
            for sentence, _, page in sentences[source][1:] if distinctive else []:
                if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence):
                    kind: RelationKind = ("compares" if _COMPARE.search(sentence) else
                                          "extends" if _EXTEND.search(sentence) else "cites")
                    _keep(found, Relation(source=source, target=target, kind=kind, evidence=sentence,
                                          page=page))
            entry = _in_references(record, other)
            if entry:
                _keep(found, Relation(source=source, target=target, kind="cites", evidence=entry))
    return list(found.values())


_STRENGTH = {"cites": 0, "extends": 1, "compares": 2}


def _keep(found: dict[tuple[str, str], Relation], relation: Relation) -> None:
    pair = (relation.source, relation.target)
    if pair not in found or _STRENGTH[relation.kind] > _STRENGTH[found[pair].kind]:
        found[pair] = relation


def foundations_first(ids: list[str], links: list[Relation], years: dict[str, str]) -> list[str]:
    """`ids` ordered so a paper comes after the papers it builds on (then by year, then as given)."""
    inside = set(ids)
    needs = {pid: {r.target for r in links if r.source == pid and r.target in inside} for pid in ids}
    order: list[str] = []
    rank = {pid: (years.get(pid) or "9999", n) for n, pid in enumerate(ids)}
    while len(order) < len(ids):
        ready = [p for p in ids if p not in order and needs[p] <= set(order)]
        if not ready:  # a cycle (two papers citing each other): break it by year
            ready = [p for p in ids if p not in order]
        order.append(min(ready, key=rank.__getitem__))
    return order
