"""The default writer: a survey in the reviewer's voice, built from the papers' own text, no LLM needed.

Each theme section opens with what its papers share and how they differ — task, data, metrics,
supervision, method families, counts and years — in sentences that cite every paper they speak
about, each built from facts extracted from those papers (`agent.review.writers.synthesis`). Then
the papers are discussed in groups that share a method family, a kind of supervision or a dataset,
foundations first (a paper comes after those it builds on or compares against): a sentence that
names the group, then each paper in the third person, its own claims rewritten from its sentences
("we propose X" → "Sultani et al. [@k] propose X", `agent.review.writers.voice`), and how it relates
to the other reviewed papers. A "Reported results" section sets side by side the numbers papers
report on a shared benchmark, each copied with its source. Nothing is said that no paper states.
"""

from __future__ import annotations

from agent.review.facts.relations import foundations_first
from agent.review.types import Draft, Outline, Theme
from agent.review.writers.common import (
    OPEN_PROBLEMS_TITLE,
    Context,
    assemble,
    comparison_rows,
    comparison_section,
    figures_section,
    gallery,
    prepare,
    scope_paragraph,
    taxonomy_section,
)
from agent.review.writers.knowledge import Knowledge, gather
from agent.review.writers.markdown import cite, escape
from agent.review.writers.results import results_section, shared_results
from agent.review.writers.sentences import Role, best
from agent.review.writers.synthesis import Shared, group_opening, groups, number, overview, relation_sentence
from agent.review.writers.voice import THEY, join, merge, render, statement
from memory.records import LibraryPaper
from tools.text.clean import is_motivation

ROLES: list[Role] = ["contribution", "method", "result", "limitation"]
"""The roles a paper's statements are picked for, in order (as many as its length allows)."""
MERGE_WORDS = 55
"""Two statements about one paper become one sentence when together they stay this short."""


def write_extractive(topic: str, outline: Outline, papers: list[LibraryPaper], feedback: str = "",
                     revision: int = 0) -> Draft:
    """Write the review from the papers' facts and their own sentences, in the reviewer's voice."""
    ctx = prepare(topic, outline, papers, feedback)
    know = gather(ctx)
    used: set[str] = set()
    sections = [theme_section(ctx, know, theme, used) for theme in ctx.sections()]
    rows = comparison_rows(ctx, know.facts)
    figures = gallery(ctx)
    shared = shared_results(know.results, ctx.paper_ids())
    markdown = assemble(outline.title, [
        introduction(ctx, know, used), taxonomy_section(ctx), *sections,
        comparison_section(ctx, rows, overview(know.facts, ctx.paper_ids(), ctx.keys)),
        results_section(shared, know.label, ctx.keys, know.facts), figures_section(ctx, figures),
        open_problems(ctx, know, used),
    ])
    return Draft(title=outline.title, markdown=markdown, keys={v: k for k, v in ctx.keys.items()},
                 comparison=rows, figures=figures, writer="extractive", revision=revision,
                 notes=ctx.notes, results=[r for g in shared for r in g])


def introduction(ctx: Context, know: Knowledge, used: set[str]) -> str:
    """Scope, then how the papers frame the problem (one opening sentence per theme, three at most)."""
    framing = []
    for pid in _round_robin([t.paper_ids for t in ctx.themes()]):
        found = [s for s in best(know.sentences[pid], "background", 3, exclude=used)
                 if is_motivation(s.text, topic=ctx.topic)][:1]
        if found and len(framing) < 3:
            used.add(found[0].text)
            framing.append(statement(found[0].text, know.subjects[pid], ctx.keys[pid], "background"))
    parts = ["# Introduction", "", scope_paragraph(ctx)]
    if framing:
        parts += ["", "The papers motivate the problem in similar terms. " + " ".join(join(framing))]
    surveys = surveys_part(ctx, know, used)
    return "\n".join(parts + (["", surveys] if surveys else []))


def surveys_part(ctx: Context, know: Knowledge, used: set[str]) -> str:
    """Earlier surveys, at the end of the introduction as surveys discuss them: what they share,
    then what each sets out to cover."""
    theme = next((t for t in ctx.themes() if t.kind == "surveys"), None)
    if theme is None:
        return ""
    return f"## {escape(theme.title)}\n\n" + _part(ctx, know, theme, theme.paper_ids, theme.paper_ids, used)


def _round_robin(groups_: list[list[str]]) -> list[str]:
    """The first of each group, then the second of each, …"""
    return [g[i] for i in range(max(map(len, groups_), default=0)) for g in groups_ if i < len(g)]


def theme_section(ctx: Context, know: Knowledge, theme: Theme, used: set[str]) -> str:
    """A theme: what its papers share and how they differ, then its papers in groups, then its
    subsections (`###`) the same way."""
    return "\n\n".join(heading + body for heading, body in theme_parts(ctx, know, theme, used))


def theme_parts(ctx: Context, know: Knowledge, theme: Theme, used: set[str]) -> list[tuple[str, str]]:
    """(heading, body) of a theme and of each of its subsections, in order."""
    parts = [(f"## {escape(theme.title)}\n\n",
              _part(ctx, know, theme, theme.paper_ids, theme.direct_ids() if theme.subthemes else theme.paper_ids,
                    used))]
    parts += [(f"### {escape(sub.title)}\n\n", _part(ctx, know, sub, sub.paper_ids, sub.paper_ids, used))
              for sub in theme.subthemes]
    return parts


def _part(ctx: Context, know: Knowledge, theme: Theme, everyone: list[str], own: list[str],
          used: set[str]) -> str:
    """What `everyone` shares and how they differ, then the `own` papers (those no subsection
    holds) in groups, foundations first."""
    years = {pid: ctx.year(pid) for pid in everyone}
    shown = [y for y in years.values() if y]
    span = f" from {min(shown)} to {max(shown)}" if shown and min(shown) != max(shown) else ""
    count = len(everyone)
    noun = "section" if theme in ctx.outline.themes else "subsection"
    lead = f"This {noun} discusses {count} paper{'s' if count != 1 else ''}{span}."
    opening = overview(know.facts, foundations_first(everyone, know.links, years), ctx.keys)
    if count > 1 and not opening:
        opening = ["They share no task phrase, dataset, metric, kind of supervision or method family in "
                   "the text that was read."]
    paragraphs = [" ".join([lead, *opening])]
    ids = foundations_first(own, know.links, years)
    discussed: list[str] = []
    seen: set[tuple[str, str]] = set()
    grouped = groups(know.facts, ids)
    for common, members in grouped:
        paragraphs.append(_group_paragraph(ctx, know, theme, common, members, used, discussed, seen,
                                           alone=len(grouped) == 1))
    return "\n\n".join(paragraphs)


def _group_paragraph(ctx: Context, know: Knowledge, theme: Theme, common: Shared, members: list[str],
                     used: set[str], discussed: list[str], seen: set[tuple[str, str]], alone: bool) -> str:
    """Papers that share `common`: a sentence saying so, then each paper and its links to those before."""
    if common.value:
        lines = [group_opening(common, members, know.label, ctx.keys, (common.kind, common.value) in seen)]
        seen.add((common.kind, common.value))
    else:  # the papers that share nothing extracted with another of the section
        which = "" if alone else " remaining"
        lines = [f"The{which} {number(len(members))} papers take different routes."] if len(members) > 1 else []
    for pid in members:
        lines.append(paper_statement(ctx, know, pid, _length(ctx, theme, pid), used))
        lines += [relation_sentence(link, know.label, ctx.keys, know.facts)
                  for link in know.links_from(pid) if link.target in discussed][:1]
        discussed.append(pid)
    return " ".join(lines)


def _length(ctx: Context, theme: Theme, pid: str) -> int:
    """How many of a paper's sentences to use: more when the reviewer asked to expand, fewer for concise."""
    if pid in ctx.plan.expand_papers or theme.title in ctx.plan.expand_themes:
        return 4
    return 1 if ctx.plan.concise else 2


def paper_statement(ctx: Context, know: Knowledge, pid: str, limit: int, used: set[str]) -> str:
    """One paper in the reviewer's voice: its contribution, merged with its method or result."""
    key, subject = ctx.keys[pid], know.subjects[pid]
    if know.title_only(pid):
        year = f" ({ctx.year(pid)})" if ctx.year(pid) else ""
        title = escape(ctx.records[pid].paper.title)
        who = "One paper" if subject.who.startswith("the authors of") else f"The work of {subject.who}"
        return f"{who} {cite(key)}{year} is known here by its title only: “{title}”."
    picked: list[tuple[Role, str]] = []
    for role in ROLES[:3 if limit < 4 else 4]:
        found = best(know.sentences[pid], role, exclude=used)
        if found and len(picked) < limit:
            used.add(found[0].text)
            picked.append((role, found[0].text))
    if not picked:
        rest: list[tuple[Role, str]] = [("contribution", s.text) for s in know.sentences[pid] if s.text not in used]
        picked = rest[:1]
        used.update(text for _, text in picked)
    if not picked:
        return render(f"\x01 \x00 study {ctx.records[pid].paper.title}", key, subject)
    lines = [statement(picked[0][1], subject, key, picked[0][0])]
    for role, text in picked[1:]:
        follow = statement(text, THEY, "", role)
        if len((lines[-1] + follow).split()) <= MERGE_WORDS and "; " not in lines[-1]:
            lines[-1] = merge(lines[-1], follow)
        elif limit > 2:  # asked to expand: a sentence of its own
            lines.append(statement(text, subject, key, role))
    caveat = ctx.caveat(pid)
    if caveat and caveat != "abstract only":  # a paper a person put back although its text is thin
        lines.append(f"Only {caveat} was read of it.")
    return " ".join(lines)


def open_problems(ctx: Context, know: Knowledge, used: set[str]) -> str:
    """Limitations and open questions the papers state, grouped by theme, in the reviewer's voice."""
    parts = [f"# {OPEN_PROBLEMS_TITLE}", ""]
    found_any = False
    for theme in ctx.themes():
        said = []
        for pid in theme.paper_ids:
            for sentence in best(know.sentences[pid], "limitation", 1, exclude=used):
                used.add(sentence.text)
                said.append(statement(sentence.text, know.subjects[pid], ctx.keys[pid], "limitation"))
        if said:
            found_any = True
            parts += [f"**{escape(theme.title)}.** " + " ".join(join(said[:3])), ""]
    if not found_any:
        parts.append("None of the papers states a limitation or an open problem in the text that "
                     "was read.")
    return "\n".join(parts)
