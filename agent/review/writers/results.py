"""The "Reported results" section: the numbers papers report on a benchmark they share, side by side.

One table per benchmark and metric that two or more reviewed papers report, one row per paper, each
number copied from the paper (`agent.review.facts.results`) with the page and the table, or the
sentence, it stands in. Nothing is computed, ranked or rounded. Under each table one sentence says
what it holds, and a caveat says where the papers' settings differ (their supervision or setting as
they state it), since numbers from different papers are never a controlled comparison. When no
benchmark is shared the section says so instead of inventing one.
"""

from __future__ import annotations

from collections.abc import Callable

from agent.review.facts.extract import PaperFacts
from agent.review.facts.names import aliases, key
from agent.review.types import ReportedResult
from agent.review.writers.markdown import cite, escape, pipe_table
from agent.review.writers.synthesis import number

RESULTS_TITLE = "Reported Results"


def shared_results(results: list[ReportedResult], order: list[str]) -> list[list[ReportedResult]]:
    """Results grouped by (benchmark, metric), kept where two or more papers report them."""
    spelled = aliases([r.benchmark for r in results])
    groups: dict[tuple[str, str], list[ReportedResult]] = {}
    for result in sorted(results, key=lambda r: order.index(r.arxiv_id) if r.arxiv_id in order else 0):
        name = spelled.get(key(result.benchmark), result.benchmark)
        group = groups.setdefault((key(name), key(result.metric)), [])
        if all(r.arxiv_id != result.arxiv_id for r in group):
            group.append(result.model_copy(update={"benchmark": name}))
    return sorted((g for g in groups.values() if len(g) >= 2), key=lambda g: (-len(g), g[0].benchmark))


def where(result: ReportedResult) -> str:
    """`Table 2, p. 7`, `p. 5, text` or `abstract`."""
    if result.source == "abstract":
        return "abstract"
    page = f"p. {result.page}" if result.page else ""
    return ", ".join(x for x in ([result.source, page] if result.source != "text" else [page, "text"]) if x)


def results_section(groups: list[list[ReportedResult]], label: Callable[[str], str],
                    keys: dict[str, str], facts: dict[str, PaperFacts]) -> str:
    """The section: a table and a reading per shared benchmark, or a line saying none is shared."""
    parts = [f"# {RESULTS_TITLE}", ""]
    if not groups:
        parts.append("No benchmark and metric is reported by two or more of the reviewed papers in the "
                     "text that was read, so no results are set side by side.")
        return "\n".join(parts)
    parts.append("Each number is copied from the paper it belongs to, with the page and the table or "
                 "sentence it comes from; none is computed or converted here.")
    for group in groups:
        rows = [[f"{label(r.arxiv_id)} {cite(keys[r.arxiv_id])}", escape(r.metric), escape(r.value),
                 escape(where(r))] for r in group]
        benchmark, metric = escape(group[0].benchmark), escape(group[0].metric)
        parts += ["", pipe_table(["Paper", "Metric", "Reported", "Source"], rows), "",
                  f": Reported results on {benchmark} ({metric}).", "", _reading(group, label, keys, facts)]
    return "\n".join(parts)


def _reading(group: list[ReportedResult], label: Callable[[str], str], keys: dict[str, str],
             facts: dict[str, PaperFacts]) -> str:
    """What the table holds, each number with its paper, then where the settings differ."""
    said = [f"{label(r.arxiv_id)} {cite(keys[r.arxiv_id])} reports {escape(r.value)} {escape(r.metric)}"
            for r in group]
    first = (f"On {escape(group[0].benchmark)}, {number(len(group))} papers report "
             f"{escape(group[0].metric)}: " + "; ".join(said) + ".")
    settings = {r.arxiv_id: [f.value for f in facts[r.arxiv_id].of("supervision")] for r in group}
    if len({tuple(v) for v in settings.values()}) > 1:
        differ = [f"{label(pid)} {cite(keys[pid])} is {escape(' and '.join(v))}"
                  for pid, v in settings.items() if v]
        caveat = ("These numbers come from each paper's own experiments, and the settings differ: "
                  + "; ".join(differ) + ".") if differ else ""
    else:
        caveat = ""
    if not caveat:
        caveat = ("These numbers come from each paper's own experiments (its own training data, "
                  "backbone and protocol), so they are not a controlled comparison.")
    return f"{first} {caveat}"
