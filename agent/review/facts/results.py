"""Find the numbers a paper reports for itself: benchmark, metric, value, and where it says so.

Only what the paper states is taken, copied character for character: a sentence of the paper's own
("we", "our", "the proposed", its method's name) that names one benchmark and a metric next to a
number ("achieves 87.4% AUC on UCF-Crime"; "improves mAP on XD-Violence from 78.84% to 82.10%"
gives the second; "… on A, B and C with AUC of x, y and z, respectively" pairs them in order), or
the paper's own row of a results table (its method's name or "ours"), each column's benchmark and
metric read from the header and the caption. Gains ("by 2.1 points", "up to 3%") are not results.
When anything is ambiguous the number is left out: a missing cell is better than a wrong one.
"""

from __future__ import annotations

import re

from agent.review.facts.extract import PaperFacts, units
from agent.review.facts.names import dataset_names, is_name_like, key, mentions, metric_names
from agent.review.types import ReportedResult
from memory.records import LibraryPaper
from tools.document import Table

_NUMBER = re.compile(r"(?<![\w.@/-])\d+(?:\.\d+)?\s?\\?%?(?![\w.-]*[A-Za-z@]|/)")
_GAIN = re.compile(r"\b(?:by|up to|of up to|over|than)\s*$|\+\s*$", re.I)
_FROM_TO = re.compile(r"\bfrom\s+(?:\w+\s+)?(?P<old>\d+(?:\.\d+)?\s?\\?%?)\s+to\s+(?:\w+\s+)?"
                      r"(?P<new>\d+(?:\.\d+)?\s?\\?%?)")
_OWN = re.compile(r"\b(?:we|our|ours|the proposed|this (?:method|approach|model|framework))\b|^(?:\w+,?\s)?it\b",
                  re.I)
_CLEAN_CELL = re.compile(r"-?\d+(?:\.\d+)?%?")


def reported_results(record: LibraryPaper, facts: PaperFacts, aliases: list[str]) -> list[ReportedResult]:
    """What the paper reports for itself (see the module docstring); `aliases`: its method's names."""
    abstract_only = record.parsed is None
    out: list[ReportedResult] = []
    for sentence, section, page in units(record)[1:]:
        if section.startswith("Table ") or not _is_own(sentence, aliases):
            continue
        source = "abstract" if abstract_only or section == "Abstract" else "text"
        for benchmark, metric, value in _from_sentence(sentence):
            out.append(ReportedResult(arxiv_id=record.paper.arxiv_id, benchmark=benchmark, metric=metric,
                                      value=value, page=page, source=source, evidence=sentence))
    for table in record.parsed.tables if record.parsed else []:
        out += _from_table(record.paper.arxiv_id, table, aliases)
    seen: set[tuple[str, str]] = set()
    unique = []
    for result in out:
        pair = (key(result.benchmark), key(result.metric))
        if pair not in seen:
            seen.add(pair)
            unique.append(result)
    return unique


def _is_own(sentence: str, aliases: list[str]) -> bool:
    return _OWN.search(sentence) is not None or any(mentions(sentence, a) for a in aliases)


def _values(sentence: str) -> list[tuple[int, str]]:
    """(position, number) of the numbers that may be results: not gains, not years, not counts."""
    out = []
    for match in _NUMBER.finditer(sentence):
        value = _plain(match.group(0))
        if _GAIN.search(sentence[:match.start()]) or re.fullmatch(r"(?:19|20)\d\d", value):
            continue
        if re.match(r"\s*(?:points?|pp|×|x\b|times|fps|[MBK]\b|GB|parameters|layers|frames)",
                    sentence[match.end():]):
            continue
        out.append((match.start(), value))
    return out


def _from_sentence(sentence: str) -> list[tuple[str, str, str]]:
    """(benchmark, metric, value) the sentence states unambiguously."""
    benchmarks = dataset_names(sentence)
    metrics = metric_names(sentence)
    if not benchmarks or len(metrics) < 1:
        return []
    moved = _FROM_TO.search(sentence)
    if moved and len(benchmarks) == 1 and len(metrics) == 1:
        return [(benchmarks[0], metrics[0], _plain(moved.group("new")))]
    values = _values(sentence)
    if re.search(r"\brespectively\b", sentence) and len(metrics) == 1 and len(values) == len(benchmarks) > 1:
        return [(b, metrics[0], v) for b, (_, v) in zip(benchmarks, values, strict=True)]
    if len(benchmarks) != 1:
        return []
    out = []
    for metric in metrics:
        name = re.escape(metric)
        near = re.search(rf"(?P<v>\d+(?:\.\d+)?\s?\\?%?)\s*(?:[\w-]+\s+){{0,5}}\(?{name}\b|"
                         rf"\b{name}\)?\s*(?:score\s*)?(?:of|=|:|is|was)?\s*(?P<w>\d+(?:\.\d+)?\s?\\?%?)", sentence)
        value = _plain(near.group("v") or near.group("w")) if near else ""
        if value and value in [v for _, v in values]:
            out.append((benchmarks[0], metric, value))
    if not out and len(metrics) == 1 and len(values) == 1:
        out.append((benchmarks[0], metrics[0], values[0][1]))
    return out


def _plain(number: str) -> str:
    """A number as printed, without the LaTeX escape an arXiv abstract may keep (`82.10\\%`)."""
    return number.replace("\\", "").strip()


def _rows(table: Table) -> list[list[str]]:
    lines = [line for line in table.markdown.splitlines() if line.startswith("|")]
    rows = [[c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")] for line in lines]
    return [r for r in rows if not all(re.fullmatch(r":?-+:?", c) for c in r if c)]


def _from_table(arxiv_id: str, table: Table, aliases: list[str]) -> list[ReportedResult]:
    """The paper's own row of a results table, one result per column whose header names data."""
    rows = _rows(table)
    numeric = [i for i, r in enumerate(rows)
               if sum(bool(_CLEAN_CELL.fullmatch(c)) for c in r[1:]) >= max(1, len(r[1:]) // 2)]
    if not numeric:
        return []
    header, body = rows[:numeric[0]], rows[numeric[0]:]
    caption_data = dataset_names(table.caption, caption=True)
    caption_metric = metric_names(table.caption)
    out = []
    for row in body:
        label = next((c for c in row if c), "")
        if not (re.search(r"\bours\b|proposed", label, re.I)
                or any(label == a or label.startswith((f"{a}-", f"{a} ")) for a in aliases)):
            continue
        for column, cell in enumerate(row[1:], start=1):
            head = " ".join(h[column] for h in header if column < len(h) and h[column])
            metric = (metric_names(head) or caption_metric or [""])[0]
            rest = " ".join(w for w in head.split() if key(w) not in {key(m) for m in metric_names(head)})
            benchmark = rest if rest and is_name_like(rest) else (caption_data[0] if len(caption_data) == 1 else "")
            if metric and benchmark and _CLEAN_CELL.fullmatch(cell):
                out.append(ReportedResult(arxiv_id=arxiv_id, benchmark=benchmark, metric=metric, value=cell,
                                          page=table.page, source=f"Table {table.number}",
                                          evidence=f"{table.caption} (row {label})"))
    return out
