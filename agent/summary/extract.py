"""The structured per-paper summary (the ChatPaper layout), written extractively by default.

Each field quotes sentences chosen from the sections that hold that kind of statement: the
background from the introduction, prior methods and their problems from related work and the
introduction, the method from the method sections, tasks and results (sentences with numbers)
from the experiments, the conclusion and limitations from the closing sections. Where a paper has
no such section, the abstract stands in. Every sentence is a sentence of the paper, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, Field

from agent.summary.sentences import Sentence, paper_sentences
from tools.document import ParsedPaper

FIELDS = ("one_line", "takeaways", "background", "prior_methods", "method", "results", "conclusion")
FIELD_TITLES = {
    "one_line": "One-line summary", "takeaways": "Key takeaways", "background": "Background",
    "prior_methods": "Prior methods and their problems", "method": "Method",
    "results": "Tasks and results", "conclusion": "Conclusion and limitations",
}
_MEASURE_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|points?\b|pp\b)|\b\d+\.\d+\b"
                         r"|\d+(?:\.\d+)?\s*[×x]\s*(?:faster|speed|fewer|more|less|smaller|larger|higher|lower)")
_COUNT_RE = re.compile(r"\b\d+\b")
_NOT_RESULTS_RE = re.compile(r"\d+\s*[×x]\s*\d+|\[[\d,;\s–-]+\]|\((?:[^()]*?\b(?:19|20)\d{2}[a-z]?)\)|\b(?:19|20)\d{2}\b"
                             r"|<sup>.*?</sup>|\b(?:Section|Sec\.|Table|Figure|Fig\.|Eq\.)\s*\d+(?:\.\d+)*")


class FigureNote(BaseModel):
    """A figure as the summary lists it."""

    number: str
    caption: str
    page: int = 0
    description: str = ""
    described_by: Literal["figure reader", "paper", ""] = ""
    """Who wrote the description: the figure reader (a model looked at it) or the paper's text."""


class SummaryTranslation(BaseModel):
    """The summary's text in a second language, field by field."""

    language: str
    title: str = ""
    fields: dict[str, list[str]] = Field(default_factory=dict)
    captions: dict[str, str] = Field(default_factory=dict)
    """Figure number → translated caption."""


class PaperSummary(BaseModel):
    """One paper's structured summary."""

    title: str
    authors: list[str] = Field(default_factory=list)
    arxiv_id: str = ""
    source: str = ""
    mode: Literal["extractive", "llm"] = "extractive"
    model: str = ""
    """The summarizer model, when LLM-written."""
    one_line: str = ""
    takeaways: list[str] = Field(default_factory=list)
    background: list[str] = Field(default_factory=list)
    prior_methods: list[str] = Field(default_factory=list)
    method: list[str] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)
    conclusion: list[str] = Field(default_factory=list)
    figures: list[FigureNote] = Field(default_factory=list)
    sources: dict[str, list[str]] = Field(default_factory=dict)
    """Field → the sections its sentences were quoted from (extractive)."""
    warnings: list[str] = Field(default_factory=list)
    translation: SummaryTranslation | None = None

    def field_sentences(self, name: str) -> list[str]:
        """A field's sentences as a list (the one-line summary is a list of one)."""
        value = getattr(self, name)
        return [value] if isinstance(value, str) else list(value)


def _cues(*words: str) -> Callable[[str], int]:
    """A scorer counting how many cue phrases a sentence holds."""
    patterns = [re.compile(rf"\b{re.escape(w)}", re.IGNORECASE) for w in words]
    return lambda text: sum(bool(p.search(text)) for p in patterns)


_OURS = _cues("we propose", "we present", "we introduce", "this paper", "in this work", "this work",
              "we develop", "our method", "our approach", "our model", "our framework", "presented here",
              "here we", "we show")
_CONTEXT = _cues("recent", "important", "widely", "growing", "increasing", "attention", "critical",
                 "essential", "fundamental", "has become", "have become", "plays", "popular", "demand",
                 "challeng", "crucial", "emerg", "success")
_PRIOR = _cues("existing", "previous", "prior", "conventional", "traditional", "current", "earlier",
               "approaches", "methods", "models", "works", "studies", "systems", "techniques")
_PROBLEM = _cues("however", "suffer", "fail", "limited", "limitation", "struggle", "lack", "drawback",
                 "cannot", "unable", "expensive", "costly", "inefficient", "rely on", "ignore",
                 "overlook", "insufficient", "difficult", "poor", "bottleneck", "not ")
_METHOD = _cues("we propose", "we introduce", "we design", "we use", "we adopt", "we employ", "we train",
                "we apply", "we first", "we then", "we build", "we construct", "consists of",
                "composed of", "framework", "module", "architecture", "pipeline", "our method",
                "our approach", "our model", "is trained", "is designed", "we leverage", "we formulate")
_RESULT = _cues("outperform", "achiev", "improv", "accuracy", "state-of-the-art", "sota", "surpass",
                "better", "gain", "score", "f1", "bleu", "auc", "exceed", "reduc", "increas", "compared")
_TASK = _cues("we evaluate", "we conduct", "experiments on", "evaluated on", "benchmark", "dataset",
              "we test", "tasks")
_CLOSING = _cues("we presented", "we proposed", "we introduced", "in this paper", "this work",
                 "this paper", "we have", "conclude", "we showed", "we demonstrated", "overall")
_LIMITS = _cues("limitation", "future work", "future research", "in the future", "does not", "do not",
                "cannot", "remains", "not yet", "restricted", "drawback", "fail", "struggle",
                "leave", "open question")
_OTHERS = _cues("they ", "their ", "previous", "prior work", "existing", "others")
_SELF = _cues("our ", "proposed", "we propose", "this paper", "this work")
_FINDING = _cues("we show", "we find", "we found", "we demonstrate", "results show", "outperform",
                 "achiev", "state-of-the-art", "significantly", "the first", "novel", "propose",
                 "contribution", "surpass", "reveal")


def has_number(text: str) -> bool:
    """Whether a sentence reports a result as a number: a score, a percentage, a ratio.

    Years, citation numbers and cross-references ("Table 3") do not count; a bare integer counts
    only beside a result word ("improves by 12 points").
    """
    text = _NOT_RESULTS_RE.sub(" ", text)
    return bool(_MEASURE_RE.search(text) or (_COUNT_RE.search(text) and _RESULT(text)))


class _Picker:
    """Choose sentences for the fields, never quoting one sentence twice."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.used: set[str] = set()
        self.sources: dict[str, list[str]] = {}

    def pick(self, name: str, roles: Iterable[str], score: Callable[[Sentence], float], k: int,
             minimum: float = 0.5, reuse: bool = False) -> list[str]:
        """The `k` best sentences from sections with these roles, in the paper's order."""
        roles = tuple(roles)
        pool = [s for s in self.sentences if s.role in roles and (reuse or s.text not in self.used)]
        ranked = sorted(((score(s), i) for i, s in enumerate(pool)), key=lambda x: (-x[0], x[1]))
        chosen = sorted(i for value, i in ranked[:k] if value >= minimum)
        picked = [pool[i] for i in chosen]
        self.used.update(s.text for s in picked)
        for sentence in picked:
            self.sources.setdefault(name, [])
            if sentence.section not in self.sources[name]:
                self.sources[name].append(sentence.section)
        return [s.text for s in picked]

    def first_of(self, name: str, attempts: list[tuple[tuple[str, ...], Callable[[Sentence], float], int]],
                 minimum: float = 0.5) -> list[str]:
        """Try each (roles, scorer, k) in turn until one yields sentences."""
        for roles, score, k in attempts:
            found = self.pick(name, roles, score, k, minimum)
            if found:
                return found
        return []


ANY = ("abstract", "introduction", "background", "related", "method", "experiments", "discussion",
       "conclusion")


def summarize_extractive(paper: ParsedPaper) -> PaperSummary:
    """The summary by quotation (see the module docstring); fields stay empty only for empty papers."""
    sentences = paper_sentences(paper)
    picker = _Picker(sentences)
    early = lambda s: 1.0 - 0.5 * s.position  # noqa: E731 - small scorers read best inline
    one = picker.first_of("one_line", [
        (("abstract",), lambda s: _OURS(s.text) + early(s) * 0.1, 1),
        (("introduction",), lambda s: _OURS(s.text) + early(s) * 0.1, 1),
        (("abstract", "introduction"), early, 1)])
    summary = PaperSummary(
        title=paper.title, authors=paper.authors, arxiv_id=paper.arxiv_id, source=paper.source,
        one_line=one[0] if one else "",
        background=picker.first_of("background", [
            (("introduction", "background"), lambda s: _CONTEXT(s.text) + 2 * early(s) - 2 * _OURS(s.text)
             - _PROBLEM(s.text), 3),
            (("abstract",), lambda s: early(s) + _CONTEXT(s.text) - _OURS(s.text), 2)]),
        prior_methods=picker.first_of("prior_methods", [
            (("related", "introduction", "background"),
             lambda s: min(_PRIOR(s.text), 2) + min(_PROBLEM(s.text), 2) - _SELF(s.text)
             - 0.5 * min(_RESULT(s.text), 1) - 0.5, 3),
            (("abstract", "discussion"), lambda s: min(_PRIOR(s.text), 2) + _PROBLEM(s.text) - 0.5, 2),
            (("related",), early, 2)]),
        method=picker.first_of("method", [
            (("method",), lambda s: _METHOD(s.text) + early(s), 4),
            (("abstract", "introduction"), lambda s: _METHOD(s.text) + _OURS(s.text) - 0.5, 3)]),
        results=_results(picker),
        takeaways=picker.first_of("takeaways", [
            (("abstract", "introduction", "conclusion"), lambda s: _FINDING(s.text) + 0.5 * has_number(s.text)
             - _OTHERS(s.text) - 0.5, 4),
            (ANY, lambda s: _FINDING(s.text), 3)]),
        conclusion=_conclusion(picker),
        figures=figure_notes(paper, sentences),
    )
    _fill_gaps(picker, summary)
    summary.sources = picker.sources
    return summary


_LAST_RESORT: dict[str, Callable[[Sentence], float]] = {
    "one_line": lambda s: _OURS(s.text) + (s.role == "abstract"),
    "takeaways": lambda s: _FINDING(s.text) + has_number(s.text),
    "background": lambda s: _CONTEXT(s.text) + (s.role in ("introduction", "abstract")) - s.position,
    "prior_methods": lambda s: _PRIOR(s.text) + _PROBLEM(s.text),
    "method": lambda s: _METHOD(s.text) + _OURS(s.text),
    "results": lambda s: 2 * has_number(s.text) + _RESULT(s.text),
    "conclusion": lambda s: _CLOSING(s.text) + _LIMITS(s.text) + s.position,
}


def _fill_gaps(picker: _Picker, summary: PaperSummary) -> None:
    """Give an empty field the paper's closest sentence, and say so in the warnings.

    Short papers and excerpts lack whole sections; a quoted near miss, flagged, serves a reader
    better than an empty field.
    """
    for name in FIELDS:
        if any(summary.field_sentences(name)):
            continue
        found = (picker.pick(name, ANY, _LAST_RESORT[name], 1, minimum=float("-inf"))
                 or picker.pick(name, ANY, _LAST_RESORT[name], 1, minimum=float("-inf"), reuse=True))
        if not found:
            summary.warnings.append(f"no sentence of the paper fits {FIELD_TITLES[name].lower()}")
            continue
        setattr(summary, name, found[0] if name == "one_line" else found)
        summary.warnings.append(f"{FIELD_TITLES[name].lower()}: no section for it; quoted the closest sentence")


def _results(picker: _Picker) -> list[str]:
    """One sentence on the tasks evaluated, then results that report numbers."""
    tasks = picker.pick("results", ("experiments",), lambda s: _TASK(s.text) + (s.position < 0.3), 1, 1.0)
    numbers = picker.first_of("results", [
        (("experiments",), lambda s: has_number(s.text) * (1 + _RESULT(s.text)), 3, ),
        (("abstract", "introduction", "conclusion", "discussion"),
         lambda s: has_number(s.text) * (1 + _RESULT(s.text)), 3),
        (("experiments", "abstract", "conclusion"), lambda s: _RESULT(s.text), 2)], minimum=1.0)
    return tasks + numbers


def _conclusion(picker: _Picker) -> list[str]:
    """The closing statement, then a limitation."""
    closing = picker.first_of("conclusion", [
        (("conclusion",), lambda s: _CLOSING(s.text) + 1 - s.position, 2),
        (("discussion",), lambda s: _CLOSING(s.text) + 0.5, 1),
        (("abstract",), lambda s: s.position + _CLOSING(s.text), 1)])
    named = lambda s: 0.5 * bool(re.search(r"limitation|future", s.section, re.IGNORECASE))  # noqa: E731
    limits = picker.first_of("conclusion", [
        (("conclusion", "discussion"), lambda s: _LIMITS(s.text) + named(s), 2),
        (("experiments", "method", "introduction"), lambda s: _LIMITS(s.text) - 1 + ("limitation" in s.text.lower()), 1)],
        minimum=1.0)
    return closing + limits


def figure_notes(paper: ParsedPaper, sentences: list[Sentence] | None = None) -> list[FigureNote]:
    """Every figure with its caption, and a description: the figure reader's, else the paper's words."""
    sentences = paper_sentences(paper) if sentences is None else sentences
    notes = []
    for figure in paper.figures:
        note = FigureNote(number=figure.number, caption=" ".join(figure.caption.split()), page=figure.page)
        if figure.description:
            note.description, note.described_by = figure.description, "figure reader"
        else:
            mention = re.compile(rf"\bFig(?:ure|s?\.)?\s*~?{re.escape(figure.number)}(?![\d.]\d)", re.IGNORECASE)
            found = next((s.text for s in sentences if mention.search(s.text)), "")
            if found:
                note.description, note.described_by = found, "paper"
        notes.append(note)
    return notes
