"""The default writer: a survey built from the papers' own sentences, no LLM needed.

Every sentence about a paper is quoted verbatim from that paper and cited to it; the writer adds
only connective structure (which paper, when, what kind of statement follows) and the scaffolding
of the survey. A sentence from a paper read from its abstract only is marked as such.
"""

from __future__ import annotations

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
from agent.review.writers.markdown import cite, escape, quote
from agent.review.writers.sentences import Role, Sentence, best, paper_sentences
from memory.records import LibraryPaper
from tools.text.clean import is_motivation

# What precedes each kind of quoted sentence in a paper's paragraph.
LEADS: dict[Role, str] = {
    "contribution": "the authors write:",
    "method": "On the method:",
    "result": "On results:",
    "limitation": "On limitations:",
}
ROLES_DEFAULT: list[tuple[Role, int]] = [("contribution", 1), ("method", 1), ("result", 1)]
ROLES_EXPANDED: list[tuple[Role, int]] = [("contribution", 2), ("method", 2), ("result", 2),
                                          ("limitation", 1)]
ROLES_CONCISE: list[tuple[Role, int]] = [("contribution", 1), ("result", 1)]


def write_extractive(topic: str, outline: Outline, papers: list[LibraryPaper], feedback: str = "",
                     revision: int = 0) -> Draft:
    """Write the review from verbatim, cited sentences of the papers."""
    ctx = prepare(topic, outline, papers, feedback)
    sentences = {pid: paper_sentences(ctx.records[pid]) for pid in ctx.paper_ids()}
    used: set[str] = set()
    sections = [_theme_section(ctx, theme, sentences, used) for theme in ctx.sections()]
    rows = comparison_rows(ctx)
    figures = gallery(ctx)
    markdown = assemble(outline.title, [
        _introduction(ctx, sentences, used), taxonomy_section(ctx), *sections,
        comparison_section(ctx, rows), figures_section(ctx, figures),
        _open_problems(ctx, sentences, used),
    ])
    return Draft(title=outline.title, markdown=markdown, keys={v: k for k, v in ctx.keys.items()},
                 comparison=rows, figures=figures, writer="extractive", revision=revision,
                 notes=ctx.notes)


def _introduction(ctx: Context, sentences: dict[str, list[Sentence]], used: set[str]) -> str:
    """Scope, how the papers frame the problem (one opening sentence per theme), organisation."""
    framing = []
    # One opening sentence per theme, round-robin over the themes' papers, three at most.
    for pid in _round_robin([t.paper_ids for t in ctx.themes()]):
        found = [s for s in best(sentences[pid], "background", 3, exclude=used)
             if is_motivation(s.text, topic=ctx.topic)][:1]
        if found and len(framing) < 3:
            used.add(found[0].text)
            framing.append(f"{quote(found[0].text)} {cite(ctx.keys[pid])}.")
    parts = ["# Introduction", "", scope_paragraph(ctx)]
    if framing:
        parts += ["", "In the papers' own words, the field is motivated as follows. "
                  + " ".join(framing)]
    surveys = surveys_paragraph(ctx, sentences, used)
    return "\n".join(parts + (["", surveys] if surveys else []))


def surveys_paragraph(ctx: Context, sentences: dict[str, list[Sentence]], used: set[str]) -> str:
    """Earlier surveys, at the end of the introduction as surveys discuss them: what each covers."""
    theme = next((t for t in ctx.themes() if t.kind == "surveys"), None)
    if theme is None:
        return ""
    count = len(theme.paper_ids)
    lead = (f"{count} of the papers are surveys themselves; what each sets out to cover:" if count > 1
            else "One of the papers is a survey itself; what it sets out to cover:")
    parts = [f"## {escape(theme.title)}", "", lead]
    return "\n".join(parts + _papers(ctx, theme, theme.paper_ids, sentences, used))


def _round_robin(groups: list[list[str]]) -> list[str]:
    """The first of each group, then the second of each, …"""
    return [g[i] for i in range(max(map(len, groups), default=0)) for g in groups if i < len(g)]


def _theme_section(ctx: Context, theme: Theme, sentences: dict[str, list[Sentence]],
                   used: set[str]) -> str:
    """A theme: what it covers, its own papers, then its subsections (`###`) the same way."""
    paragraphs = [f"## {escape(theme.title)}", "", _lead(ctx, theme)]
    paragraphs += _papers(ctx, theme, theme.direct_ids(), sentences, used)
    for sub in theme.subthemes:
        paragraphs += ["", f"### {escape(sub.title)}", "", _lead(ctx, sub)]
        paragraphs += _papers(ctx, sub, sub.paper_ids, sentences, used)
    return "\n".join(paragraphs)


def _lead(ctx: Context, theme: Theme) -> str:
    """What a (sub)section gathers: how many papers, which years, the phrases they share."""
    years = [ctx.year(p) for p in theme.paper_ids if ctx.year(p)]
    span = f" from {min(years)} to {max(years)}" if years and min(years) != max(years) else ""
    phrases = ", ".join(escape(p) for p in theme.key_phrases[:3])
    count = len(theme.paper_ids)
    noun = "section" if theme.subthemes or theme.kind != "topic" else "theme"
    return (f"This {noun} gathers {count} paper{'s' if count != 1 else ''}{span}"
            + (f", whose shared vocabulary includes {phrases}." if phrases else "."))


def _papers(ctx: Context, theme: Theme, ids: list[str], sentences: dict[str, list[Sentence]],
            used: set[str]) -> list[str]:
    """One paragraph per paper, in order, each opened by where it stands in time."""
    paragraphs: list[str] = []
    previous = ""
    for n, pid in enumerate(ids):
        roles = _roles(ctx, theme, pid)
        opening = _connective(n, previous, ctx, pid)
        paragraphs += ["", _paper_paragraph(ctx, pid, sentences[pid], roles, used, opening)]
        previous = ctx.year(pid)
    return paragraphs


def _roles(ctx: Context, theme: Theme, pid: str) -> list[tuple[Role, int]]:
    if pid in ctx.plan.expand_papers or theme.title in ctx.plan.expand_themes:
        return ROLES_EXPANDED
    return ROLES_CONCISE if ctx.plan.concise else ROLES_DEFAULT


def _connective(n: int, previous_year: str, ctx: Context, pid: str) -> str:
    """How a paper's paragraph opens, from its place in the (chronological) theme."""
    year = ctx.year(pid)
    if n == 0:
        return "In"
    if year and previous_year and year > previous_year:
        return "Later, in"
    if year and year == previous_year:
        return "In the same year, in"
    return "Also in this theme, in"


def _paper_paragraph(ctx: Context, pid: str, sentences: list[Sentence],
                     roles: list[tuple[Role, int]], used: set[str], connective: str) -> str:
    """One paper: its name and year, then its own sentences by role, each quoted and cited."""
    record = ctx.records[pid]
    key = ctx.keys[pid]
    marks = [ctx.year(pid), ctx.caveat(pid)]
    when = ", ".join(x for x in marks if x)
    opening = f"{connective} *{escape(record.paper.title)}*" + (f" ({when})" if when else "")
    picked: list[tuple[Role, Sentence]] = []
    for role, count in roles:
        for sentence in best(sentences, role, count, exclude=used):
            used.add(sentence.text)
            picked.append((role, sentence))
    if not picked:
        # Nothing matched a role: fall back to the paper's first sentences, still verbatim.
        picked = [("contribution", s) for s in sentences if s.text not in used][:2]
        used.update(s.text for _, s in picked)
    if not picked:
        return f"{opening}, no quotable sentence was found in the stored text {cite(key)}."
    out = []
    for i, (role, sentence) in enumerate(picked):
        lead = f"{opening}, {LEADS['contribution']}" if i == 0 else LEADS[role]
        if i > 0 and role == picked[i - 1][0]:
            lead = "And:"
        out.append(f"{lead} {quote(sentence.text)} {cite(key)}.")
    return " ".join(out)


def _open_problems(ctx: Context, sentences: dict[str, list[Sentence]], used: set[str]) -> str:
    """Limitations and open questions the papers state, grouped by theme."""
    parts = [f"# {OPEN_PROBLEMS_TITLE}", ""]
    found_any = False
    for theme in ctx.themes():
        quotes = []
        for pid in theme.paper_ids:
            for sentence in best(sentences[pid], "limitation", 1, exclude=used):
                used.add(sentence.text)
                quotes.append(f"{quote(sentence.text)} {cite(ctx.keys[pid])}.")
        if quotes:
            found_any = True
            parts += [f"**{escape(theme.title)}.** " + " ".join(quotes[:3]), ""]
    if not found_any:
        parts.append("None of the papers states a limitation or an open problem in the text that "
                     "was read.")
    return "\n".join(parts)
