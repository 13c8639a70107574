"""What every writer shares: the papers in play, and the survey's fixed parts.

Both writers produce the same shape — introduction, taxonomy, one section per theme, comparison
table, key figures, open problems, references — and differ only in how the prose is made. The
parts that are not prose (the table, the gallery, the taxonomy list, references) are built here
from the papers' own text, so an LLM never gets to invent a dataset or a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.review.facts.extract import PaperFacts
from agent.review.outline import self_description
from agent.review.types import ComparisonRow, DraftFigure, Outline, Theme
from agent.review.writers.comparison import comparison_row, short_name
from agent.review.writers.feedback import FeedbackPlan, parse_feedback
from agent.review.writers.figures import figure_markdown, key_figures
from agent.review.writers.markdown import cite, escape, pipe_table
from memory.records import LibraryPaper
from tools.citations import assign_keys, paper_year

COMPARISON_TITLE = "Comparison of Approaches"
FIGURES_TITLE = "Key Figures"
OPEN_PROBLEMS_TITLE = "Open Problems"
REFERENCES = "# References\n\n::: {#refs}\n:::"


@dataclass
class Context:
    """The papers a draft may discuss, their keys, and the reviewer's requested changes."""

    topic: str
    outline: Outline
    records: dict[str, LibraryPaper]
    keys: dict[str, str]
    """arXiv id → citation key, for every paper in `records`."""
    plan: FeedbackPlan
    notes: list[str] = field(default_factory=list)

    def themes(self) -> list[Theme]:
        """The outline's themes that still have papers."""
        return [t for t in self.outline.themes if t.paper_ids]

    def sections(self) -> list[Theme]:
        """The themes written as sections (earlier surveys are discussed in the introduction)."""
        return [t for t in self.themes() if t.kind != "surveys"]

    def surveys(self) -> list[str]:
        """The earlier surveys among the papers, for the introduction."""
        return [pid for t in self.themes() if t.kind == "surveys" for pid in t.paper_ids]

    def caveat(self, arxiv_id: str) -> str:
        """What a reader must know about how much of the paper there was to read."""
        record = self.records[arxiv_id]
        excerpt = self_description(record)
        if excerpt:
            return excerpt.split(":")[0]
        return "abstract only" if record.abstract_only else ""

    def paper_ids(self) -> list[str]:
        """Every paper discussed, in section order."""
        return [pid for t in self.themes() for pid in t.paper_ids]

    def year(self, arxiv_id: str) -> str:
        """The paper's year (published, else from its id), or empty."""
        return paper_year(self.records[arxiv_id].paper)

    def name(self, arxiv_id: str) -> str:
        """How prose refers to a paper: the title's method name, else the title."""
        title = self.records[arxiv_id].paper.title
        return short_name(title) or title


def prepare(topic: str, outline: Outline, papers: list[LibraryPaper], feedback: str) -> Context:
    """Resolve the outline against the papers at hand and apply the feedback's drops."""
    records = {p.paper.arxiv_id: p for p in papers}
    keys = assign_keys(p.paper for p in papers)
    plan = parse_feedback(feedback, outline, keys)
    notes = plan.notes()
    themes: list[Theme] = []
    for theme in outline.themes:
        if theme.title in plan.drop_themes:
            continue
        missing = [pid for pid in theme.paper_ids if pid not in records]
        if missing:
            notes.append(f"outline names papers that are not in the library: {', '.join(missing)}")
        ids = [pid for pid in theme.paper_ids if pid in records and pid not in plan.drop_papers]
        subs = [sub.model_copy(update={"paper_ids": [i for i in sub.paper_ids if i in ids]})
                for sub in theme.subthemes if sub.title not in plan.drop_themes]
        ids = [i for i in ids if i not in {j for sub in theme.subthemes if sub.title in plan.drop_themes
                                            for j in sub.paper_ids}]
        themes.append(theme.model_copy(update={"paper_ids": ids,
                                               "subthemes": [t for t in subs if t.paper_ids]}))
    kept = outline.model_copy(update={"themes": themes})
    in_use = {pid for t in themes for pid in t.paper_ids}
    return Context(topic=topic, outline=kept,
                   records={k: v for k, v in records.items() if k in in_use},
                   keys={k: v for k, v in keys.items() if k in in_use}, plan=plan, notes=notes)


def title_only(record) -> bool:
    """Whether a paper was stored with neither its full text nor an abstract."""
    return record.abstract_only and not record.paper.abstract.strip()


def scope_paragraph(ctx: Context) -> str:
    """What the survey covers: how many papers, which years, how many read in full."""
    ids = ctx.paper_ids()
    years = sorted(ctx.year(i) for i in ids if ctx.year(i))
    span = f", published in {years[0]}" if years else ""
    if years and years[0] != years[-1]:
        span = f", published between {years[0]} and {years[-1]}"
    partial = sum(1 for i in ids if ctx.records[i].abstract_only)
    titles = sum(1 for i in ids if title_only(ctx.records[i]))
    if not partial:
        read = " All of them were read in full."
    elif partial == len(ids) and not titles:
        read = " All of them were read from their abstract only (no full text was available)."
    else:
        read = f" {len(ids) - partial} were read in full and {partial - titles} from their abstract only."
    if titles:
        read += (f" {titles} had neither full text nor abstract and are described by their title "
                 "and metadata only (‡).")
    themes = ctx.sections()
    listing = "; ".join(f"{escape(t.title)} ({len(t.paper_ids)})" for t in themes)
    grouped = f"{len(themes)} sections" if len(themes) != 1 else "one section"
    surveys = len(ctx.surveys())
    earlier = (f" {surveys} of them {'are surveys' if surveys > 1 else 'is a survey'}, discussed "
               "below." if surveys else "")
    return (f"This survey reviews {len(ids)} papers on {escape(ctx.topic)}{span}.{read}{earlier} "
            f"Grouped by what they study, they fall into {grouped}: {listing}. "
            f"A comparison table, the key figures and the open problems the papers state follow.")


def taxonomy_section(ctx: Context) -> str:
    """The taxonomy as a list: each theme, its key phrases and its papers."""
    lines = ["# Taxonomy", "",
             "The papers fall into the following sections (each named by a phrase most of its papers "
             "use):", ""]
    for theme in ctx.themes():
        lines.append(_taxonomy_line(ctx, theme, theme.direct_ids() if theme.subthemes else theme.paper_ids))
        lines += ["  " + _taxonomy_line(ctx, sub, sub.paper_ids) for sub in theme.subthemes]
    return "\n".join(lines)


def _taxonomy_line(ctx: Context, theme: Theme, ids: list[str]) -> str:
    phrases = ", ".join(escape(p) for p in theme.key_phrases[:4])
    names = ", ".join(escape(ctx.name(pid)) for pid in ids)
    label = f"**{escape(theme.title)}**" + (f" ({phrases})" if phrases else "")
    return f"- {label}" + (f": {names}." if names else "")


def comparison_rows(ctx: Context, facts: dict[str, PaperFacts] | None = None) -> list[ComparisonRow]:
    """One row per paper, in section order (datasets, metrics and code from `facts` when given)."""
    return [comparison_row(ctx.records[pid], ctx.keys[pid], (facts or {}).get(pid)) for pid in ctx.paper_ids()]


def comparison_section(ctx: Context, rows: list[ComparisonRow], across: list[str] | None = None) -> str:
    """The comparison table as a pipe table, with how to read it (after `across`: what all the
    reviewed papers share, as cited sentences)."""
    header = ["Paper", "Year", "Task", "Method", "Datasets", "Metrics", "Code"]
    body = []
    for row in rows:
        record = ctx.records[row.arxiv_id]
        mark = "‡" if title_only(record) else "†" if record.abstract_only else ""
        code = f"<{row.code}>" if row.code else ""
        body.append([f"{escape(ctx.name(row.arxiv_id))}{mark} {cite(row.key)}", row.year,
                     escape(row.task), escape(row.method), escape(", ".join(row.datasets)),
                     escape(", ".join(row.metrics)), code])
    intro = ("Each cell is taken from the paper's own text; an empty cell means the paper does not "
             "state it in the text that was read. † marks papers read from their abstract only, ‡ "
             "papers known by their title and metadata only.")
    table = pipe_table(header, body)
    shared = f"Across the review: {' '.join(across)}\n\n" if across else ""
    return f"# {COMPARISON_TITLE}\n\n{shared}{intro}\n\n{table}\n\n: Comparison of the reviewed papers."


def figures_section(ctx: Context, figures: list[DraftFigure]) -> str:
    """The gallery of key figures, one per theme."""
    if not figures:
        return ""
    parts = [f"# {FIGURES_TITLE}", "",
             "One key figure per theme: its overview or architecture figure where the paper has "
             "one."]
    for figure in figures:
        if figure.theme:
            parts += ["", f"**{escape(figure.theme)}.**"]
        parts += ["", figure_markdown(figure, ctx.records[figure.arxiv_id].paper.title)]
    return "\n".join(parts)


def gallery(ctx: Context) -> list[DraftFigure]:
    """The key figures of the themes still in the draft."""
    return key_figures(ctx.outline, ctx.records, ctx.keys)


def assemble(title: str, parts: list[str]) -> str:
    """Join the sections, dropping empty ones, and close with the references."""
    return "\n\n".join(p.strip() for p in [*parts, REFERENCES] if p and p.strip()) + "\n"
