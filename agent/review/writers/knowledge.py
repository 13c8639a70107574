"""What the writers know about the papers before writing a word: facts, links, results, sentences.

Gathered once per draft from the stored papers and shared by the extractive and the LLM writer, so
both state the same grounded facts: each paper's facts (`agent.review.facts.extract`), the links
between reviewed papers (`relations`), the numbers each reports (`results`), its quotable
sentences, and how prose names it and its authors.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.review.facts.extract import PaperFacts, paper_facts
from agent.review.facts.relations import Relation, relations
from agent.review.facts.results import reported_results
from agent.review.types import ReportedResult
from agent.review.writers.common import Context
from agent.review.writers.markdown import escape
from agent.review.writers.sentences import Sentence, paper_sentences
from agent.review.writers.voice import Subject, authors_subject


@dataclass
class Knowledge:
    """The grounded material of one draft, by arXiv id."""

    facts: dict[str, PaperFacts]
    links: list[Relation]
    results: list[ReportedResult]
    sentences: dict[str, list[Sentence]]
    subjects: dict[str, Subject]

    titles: dict[str, str]

    def label(self, arxiv_id: str) -> str:
        """How a paper is named beside its citation (Markdown): its method's name, else its authors
        (`Sultani et al.`), else its title in italics."""
        if self.facts[arxiv_id].name:
            return escape(self.facts[arxiv_id].name)
        who = self.subjects[arxiv_id].who
        return f"*{escape(self.titles[arxiv_id])}*" if who.startswith("the authors of") else who

    def links_from(self, arxiv_id: str) -> list[Relation]:
        return [r for r in self.links if r.source == arxiv_id]

    def title_only(self, arxiv_id: str) -> bool:
        """A paper known by its title and metadata alone (no abstract, no full text)."""
        return not self.sentences[arxiv_id] and not any(
            f.section not in ("Title", "Comment") for f in self.facts[arxiv_id].facts)


def gather(ctx: Context) -> Knowledge:
    """Extract everything the draft may state about the papers in `ctx`."""
    ids = ctx.paper_ids()
    facts = {pid: paper_facts(ctx.records[pid]) for pid in ids}
    results = [r.model_copy(update={"key": ctx.keys[pid]})
               for pid in ids for r in reported_results(ctx.records[pid], facts[pid], facts[pid].aliases)]
    subjects = {pid: authors_subject(ctx.records[pid].paper, facts[pid].name) for pid in ids}
    return Knowledge(facts=facts, links=relations({p: ctx.records[p] for p in ids}, facts), results=results,
                     sentences={pid: paper_sentences(ctx.records[pid]) for pid in ids}, subjects=subjects,
                     titles={pid: ctx.records[pid].paper.title for pid in ids})
