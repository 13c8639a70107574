"""Comparative statements about several papers at once, each built from facts the papers state.

"Four of the six papers evaluate on UCF-Crime [@a; @b; @c; @d]" is written only when the facts
extracted from each of the four (`agent.review.facts`) hold that dataset, and cites exactly those
four; "since 2023, three papers build on large language models [@e; @f; @g]" only when all three
state it and no earlier paper of the section does. The wording of a fact is one its papers all use
(a dataset name common to their spellings, a family named as they name it), so every cited paper
supports its part of the sentence. Papers are also grouped by what they share, for the paragraphs
that discuss them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.review.facts.extract import Fact, FactKind, PaperFacts
from agent.review.facts.names import aliases, key
from agent.review.facts.relations import Relation
from agent.review.writers.markdown import cite, escape

_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve"]
PHRASES: dict[str, str] = {"dataset": "evaluate on {}", "metric": "report {}", "task": "address {}",
                           "supervision": "are {}", "family": "build on {}"}
"""How a shared fact is said of several papers (the subject is the papers, plural)."""


def number(n: int) -> str:
    """`four` for small counts, `14` beyond twelve."""
    return _WORDS[n] if n < len(_WORDS) else str(n)


@dataclass
class Shared:
    """A fact several papers state: its wording and, per paper, the fact that supports it."""

    kind: FactKind
    value: str
    papers: dict[str, Fact] = field(default_factory=dict)

    def ids(self, order: list[str]) -> list[str]:
        return [pid for pid in order if pid in self.papers]

    def phrase(self) -> str:
        return PHRASES[self.kind].format(escape(self.value))


def shared_facts(facts: dict[str, PaperFacts], ids: list[str], kinds: tuple[FactKind, ...]) -> list[Shared]:
    """Facts of `kinds` held by two or more of `ids`, most widely held first.

    Dataset names are matched across spellings (`UCF Crime` = `UCF-Crime`), and a name that ends
    another (`Ped2` in `UCSD Ped2`) joins it under the shorter name, which both papers then contain.
    """
    spellings = aliases([f.value for p in ids for f in facts[p].of("dataset")])
    groups: dict[tuple[str, str], Shared] = {}
    for pid in ids:
        for fact in facts[pid].facts:
            if fact.kind in kinds:
                value = spellings.get(fact.key, fact.value) if fact.kind == "dataset" else fact.value
                entry = groups.setdefault((fact.kind, key(value) if fact.kind == "dataset" else fact.key),
                                          Shared(fact.kind, value))
                entry.papers.setdefault(pid, fact)
                if len(value) < len(entry.value):  # the spelling every paper of the group contains
                    entry.value = value
    found = [g for g in groups.values() if len(g.papers) >= 2]
    if "task" in kinds:
        found = _best_tasks(found)
    return sorted(found, key=lambda g: (-len(g.papers), list(PHRASES).index(g.kind), g.value))


def _best_tasks(found: list[Shared]) -> list[Shared]:
    """Of task phrases held by the same papers, keep the longest (`video anomaly detection`, not
    `anomaly detection`, when the same papers say both)."""
    tasks = [g for g in found if g.kind == "task"]
    keep = [g for g in tasks if not any(o is not g and set(o.papers) >= set(g.papers)
                                        and g.value in o.value for o in tasks)]
    return [g for g in found if g.kind != "task"] + keep


def count_subject(k: int, n: int) -> str:
    """`Four of the six papers`, `Both papers`, `All six papers`."""
    if k == n == 2:
        return "Both papers"
    if k == n:
        return f"All {number(n)} papers"
    return f"{number(k).capitalize()} of the {number(n)} papers"


def overview(facts: dict[str, PaperFacts], ids: list[str], keys: dict[str, str]) -> list[str]:
    """What the papers share and how they differ, as cited sentences: task, data, metrics,
    supervision, method families, and what changed over time."""
    n = len(ids)
    if n < 2:
        return []
    out: list[str] = []
    tasks = shared_facts(facts, ids, ("task",))[:1]
    for task in tasks:
        out.append(f"{count_subject(len(task.papers), n)} {task.phrase()} {_cite(task, ids, keys)}.")
    data = shared_facts(facts, ids, ("dataset",))[:3]
    if data:
        first, rest = data[0], data[1:]
        line = f"{count_subject(len(first.papers), n)} {first.phrase()} {_cite(first, ids, keys)}"
        line += "".join(f"; {escape(g.value)} is used by {number(len(g.papers))} {_cite(g, ids, keys)}" for g in rest)
        out.append(line + ".")
    metrics = shared_facts(facts, ids, ("metric",))[:2]
    if metrics:
        parts = [f"{number(len(g.papers))} {g.phrase()} {_cite(g, ids, keys)}" for g in metrics]
        parts[0] = f"{count_subject(len(metrics[0].papers), n)} {metrics[0].phrase()} {_cite(metrics[0], ids, keys)}"
        out.append("; ".join(parts) + ".")
    settings = shared_facts(facts, ids, ("supervision",))[:2]
    if settings:
        parts = [f"{number(len(g.papers))} {g.phrase()} {_cite(g, ids, keys)}" for g in settings]
        parts[0] = f"{count_subject(len(settings[0].papers), n)} {settings[0].phrase()} {_cite(settings[0], ids, keys)}"
        out.append("; ".join(parts) + ".")
    families = shared_facts(facts, ids, ("family",))[:3]
    if families:
        parts = [f"{number(len(g.papers))} {g.phrase()} {_cite(g, ids, keys)}" for g in families]
        parts[0] = f"{count_subject(len(families[0].papers), n).lower()} {families[0].phrase()} {_cite(families[0], ids, keys)}"
        out.append("Their methods differ: " + "; ".join(parts) + ".")
    trend = since(facts, ids, keys)
    if trend:
        out.append(trend)
    return out


def since(facts: dict[str, PaperFacts], ids: list[str], keys: dict[str, str]) -> str:
    """A change over time: a fact two or more papers state, none of them before year Y, while
    earlier papers of the same set exist ("Since 2023, three papers build on …")."""
    years = {pid: facts[pid].year for pid in ids if facts[pid].year}
    if len(set(years.values())) < 2:
        return ""
    first = min(years.values())
    best: tuple[int, str, Shared] | None = None
    for group in shared_facts(facts, ids, ("family", "supervision", "dataset", "task")):
        held = [years.get(p, "") for p in group.papers]
        start = min(held) if all(held) else ""
        later = [p for p, y in years.items() if start and y >= start]
        if start > first and set(group.papers) == set(later) and (best is None or len(group.papers) > best[0]):
            best = (len(group.papers), start, group)
    if best is None:
        return ""
    count, start, group = best
    return f"Since {start}, {number(count)} papers {group.phrase()} {_cite(group, ids, keys)}."


def _cite(group: Shared, order: list[str], keys: dict[str, str]) -> str:
    return cite(*(keys[pid] for pid in group.ids(order)))


def groups(facts: dict[str, PaperFacts], ids: list[str], cap: int = 4) -> list[tuple[Shared, list[str]]]:
    """Split `ids` into groups of two to `cap` papers that share a method family, a kind of
    supervision, a dataset or (for the rest) a task no other paper of `ids` lacks; the papers that
    share nothing with another come last, together (a `Shared` with no value)."""
    left = list(ids)
    out: list[tuple[Shared, list[str]]] = []
    rounds: list[tuple[FactKind, ...]] = [("family", "supervision"), ("dataset",), ("task",)]
    for kinds in rounds:
        everywhere = {(g.kind, key(g.value)) for g in shared_facts(facts, ids, kinds) if len(g.papers) == len(ids)}
        while len(left) >= 2:
            options = [o for o in shared_facts(facts, left, kinds) if (o.kind, key(o.value)) not in everywhere]
            if not options:
                break
            best = options[0]
            members = best.ids(left)[:cap]
            out.append((best, members))
            left = [p for p in left if p not in members]
    return out + ([(Shared("task", ""), left)] if left else [])


def group_opening(group: Shared, members: list[str], label: Callable[[str], str], keys: dict[str, str],
                  again: bool = False) -> str:
    """`ADNet [@a] and Sultani et al. [@b] both build on transformers.`"""
    names = [f"{label(p)} {cite(keys[p])}" for p in members]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    both = " also" if again else (" both" if len(members) == 2 else " all")
    verb, _, rest = group.phrase().partition(" ")
    said = f"{verb}{both} {rest}" if verb == "are" else f"{both.strip()} {group.phrase()}"
    return f"{listed[:1].upper()}{listed[1:]} {said}."


def relation_sentence(link: Relation, label: Callable[[str], str], keys: dict[str, str],
                      facts: dict[str, PaperFacts]) -> str:
    """`ClipRank [@b] compares against SegScore [@a] on UCF-Crime.` from the source's own sentence."""
    verb = {"compares": "compares against", "extends": "builds on", "cites": "cites"}[link.kind]
    source = f"{label(link.source)} {cite(keys[link.source])}"
    target = f"{label(link.target)} {cite(keys[link.target])}"
    data = [f.value for f in facts[link.source].of("dataset") if f.value in link.evidence
            and facts[link.target].find("dataset", key(f.value))]
    where = f" on {escape(data[0])}" if data and link.kind == "compares" else ""
    return f"{source} {verb} {target}{where}."
