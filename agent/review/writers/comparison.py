"""Fill the comparison table from what each paper's own text states, and nothing else.

Every cell is a span found in the paper (its parsed text, else its abstract and arXiv comment):
the task and method from the title and the "we propose …" sentences; datasets, metrics and the
code link from the facts extracted from the paper (`agent.review.facts`: names found by how papers
write them, not from a list). When a paper does not say, the cell stays empty.
"""

from __future__ import annotations

import re

from agent.review.facts.extract import CODE, PaperFacts, paper_facts
from agent.review.facts.names import short_name
from agent.review.types import ComparisonRow
from agent.review.writers.sentences import paper_sentences
from memory.records import LibraryPaper
from tools.citations import paper_year

_PROPOSE = re.compile(
    r"\b(?:we|this (?:paper|work))\s+(?:propose|present|introduce|develop|design)s?\s+"
    r"(?P<what>[^.;:]{4,160}?)(?=,|;|\.|\s(?:that|which|to|for|by|where|with)\b)", re.IGNORECASE)
_NAMED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+(?P<name>[A-Z][\w\-+.]*[\w+])")
_TASK_PATTERNS = (
    re.compile(r"\b(?:the )?(?:task|problem) of (?P<task>[a-z][\w\- ]{3,60}?)"
               r"(?=[,.;:(]|\s(?:is|which|that|where|with|remains|has|by|using|from)\b)"),
    re.compile(r"\b(?:we|this (?:paper|work))\s+(?:address|tackle|study|investigate|focus on|"
               r"consider|explore)s?\s+(?:the\s+)?(?P<task>[a-z][\w\- ]{3,60}?)"
               r"(?=[,.;:(]|\s(?:by|with|which|that|where|in|using|through|via|and)\b)"),
)


def paper_text(record: LibraryPaper) -> str:
    """The text the table may draw from: title, abstract, comment and the body (no related work)."""
    parts = [record.paper.title, record.paper.abstract, record.paper.comment]
    if record.parsed:
        parts += [s.text for s in paper_sentences(record)]
        parts += [p.text for sec in record.parsed.sections for p in sec.paragraphs
                  if CODE.search(p.text)]
    return "\n".join(p for p in parts if p)


def _front(record: LibraryPaper) -> str:
    """Title and abstract: where a paper names its task plainly (the body wanders)."""
    abstract = record.paper.abstract or (record.parsed.abstract if record.parsed else "")
    return f"{record.paper.title}\n{abstract}"


def comparison_row(record: LibraryPaper, key: str, facts: PaperFacts | None = None) -> ComparisonRow:
    """One table row for a paper; empty cells where its text says nothing."""
    paper = record.paper
    facts = facts or paper_facts(record)
    text = paper_text(record)
    code = facts.of("code")
    return ComparisonRow(arxiv_id=paper.arxiv_id, key=key, title=paper.title,
                         year=paper_year(paper), task=find_task(paper.title, _front(record)),
                         method=find_method(paper.title, text),
                         datasets=[f.value for f in facts.of("dataset")],
                         metrics=[f.value for f in facts.of("metric")], code=code[0].value if code else "")


def find_method(title: str, text: str) -> str:
    """The method's name and the paper's own short description of it."""
    name = short_name(title)
    named = _NAMED.search(text)
    if not name and named:
        name = named.group("name")
    proposed = next((m for m in _PROPOSE.finditer(text) if not m.group("what").startswith("to ")),
                    None)
    what = _trim(proposed.group("what"), 12) if proposed else ""
    if name and what and name.lower() not in what.lower():
        return f"{name}: {what}"
    return what or name


def find_task(title: str, text: str) -> str:
    """The task as the paper names it: `the task of …`, `we address …`, or the title's subject."""
    for pattern in _TASK_PATTERNS:
        for found in pattern.finditer(text):
            if len(found.group("task").split()) >= 2:
                return _trim(found.group("task"), 10)
    after_for = re.search(r"\bfor\s+(?P<task>[^:,]{4,70})$", title)
    if after_for:
        return after_for.group("task").strip()
    _, sep, subtitle = title.partition(":")
    if sep and re.match(r"\s*[A-Z][a-z]+ing\b", subtitle):
        return subtitle.strip()
    return ""


def _trim(phrase: str, words: int) -> str:
    parts = " ".join(phrase.split()).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
