"""Answer a question from the library, with a citation on every claim.

One core for every front end (CLI, TUI, Slack): retrieve passages (MMR-reranked so near-duplicate
overlapping chunks do not crowd out other papers), look for figures too, then answer. Without a
chat model the answer is extractive: the most relevant sentences of each passage, grouped by
paper, each cited `[arxiv_id, §section, p.N]`. With one, the model writes the answer and
`agent.ask.written` keeps only citations that point at what was retrieved.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from agent.ask.written import written_answer
from agent.llm.errors import LLMError
from memory.library import Library
from memory.records import FigureHit, Passage
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS

FIGURE_K = 3
FIGURE_WORDS = re.compile(r"\b(fig(ure)?s?|plots?|charts?|diagrams?|graphs?|curves?|illustrat\w*|visuali[sz]\w*)\b",
                          re.IGNORECASE)
"""A question about figures ranks figure hits first."""
SENTENCES_PER_PASSAGE = 2
STOPWORDS = FUNCTION_WORDS | DOCUMENT_WORDS
"""Question words that say nothing about what is asked."""


class Answer(BaseModel):
    """What `ask` returns: the answer and the evidence it rests on."""

    question: str
    answer: str
    passages: list[Passage] = Field(default_factory=list)
    """The retrieved passages, best first (the only things the answer may cite)."""
    figures: list[FigureHit] = Field(default_factory=list)
    """Figures that match the question (caption or a figure reader's description)."""
    mode: Literal["extractive", "llm", "empty"] = "extractive"
    removed_citations: list[str] = Field(default_factory=list)
    """Citations a chat model wrote that match no retrieved passage; removed from `answer`."""
    notice: str = ""
    """Why a configured chat model's answer was not used (the answer is then extractive)."""


def figure_citation(figure: FigureHit) -> str:
    """`[2501.12948, Fig. 3, p.7]` (`FigureHit.citation`)."""
    return figure.citation()


def answer_question(library: Library, question: str, k: int = 8, arxiv_ids: list[str] | None = None,
                    chat_model: Any | None = None, diversity: float = 0.15, *,
                    vector: np.ndarray | None = None) -> Answer:
    """Retrieve, rerank and answer; extractive unless a LangChain chat model is given.

    `vector`: the question's embedding when the caller has it already (`Library.query_vector`).
    """
    question = question.strip()
    if not question:
        raise ValueError("ask needs a question")
    vector = library.query_vector(question) if vector is None else vector
    passages = library.search(question, k, arxiv_ids, vector=vector, diversity=diversity)
    figures = _relevant_figures(question, library.search_figures(question, FIGURE_K, arxiv_ids, vector=vector),
                                passages)
    if not passages and not figures:
        where = f" in {', '.join(arxiv_ids)}" if arxiv_ids else ""
        return Answer(question=question, mode="empty",
                      answer=f"Nothing in the library{where} to answer from: add papers first.")
    extractive = Answer(question=question, answer=extractive_answer(question, passages, figures),
                        passages=passages, figures=figures)
    if chat_model is None:
        return extractive
    try:
        text, removed, cited = written_answer(chat_model, question, passages, figures)
    except LLMError as error:
        return extractive.model_copy(update={"notice": f"the chat model failed ({error}); answered extractively"})
    if not cited:
        return extractive.model_copy(update={
            "removed_citations": removed,
            "notice": "the chat model's answer cited none of the retrieved passages; answered extractively"})
    return Answer(question=question, answer=text, passages=passages, figures=figures, mode="llm",
                  removed_citations=removed)


def _relevant_figures(question: str, hits: list[FigureHit], passages: list[Passage]) -> list[FigureHit]:
    """Figures worth showing: any for a question about figures, else those as close as the best text."""
    if FIGURE_WORDS.search(question):
        return hits
    best = passages[0].score if passages else 0.0
    return [h for h in hits if h.score >= best]


def extractive_answer(question: str, passages: list[Passage], figures: list[FigureHit]) -> str:
    """The best sentences of each passage, grouped by paper (best paper first), each cited."""
    terms = _terms(question)
    groups: OrderedDict[str, list[Passage]] = OrderedDict()
    for passage in passages:
        groups.setdefault(passage.arxiv_id, []).append(passage)
    blocks = [_figure_block(figures)] if figures and FIGURE_WORDS.search(question) else []
    for arxiv_id, group in groups.items():
        title = group[0].title or arxiv_id
        lines = [f"{title} ({arxiv_id})" if title != arxiv_id else arxiv_id]
        lines += [f"- {_best_sentences(p.text, terms)} {p.citation()}" for p in group]
        blocks.append("\n".join(lines))
    if figures and not FIGURE_WORDS.search(question):
        blocks.append(_figure_block(figures))
    papers = len(groups)
    head = f"From {papers} paper{'s' if papers != 1 else ''} in your library (extractive: no LLM configured):"
    return "\n\n".join([head, *blocks])


def _figure_block(figures: list[FigureHit]) -> str:
    lines = ["Figures"]
    for figure in figures:
        text = figure.caption + (f" — {figure.description}" if figure.description else "")
        lines.append(f"- Figure {figure.number}: {_clip(text, 300)} {figure_citation(figure)}")
    return "\n".join(lines)


def _terms(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9\-]+", text.lower()) if w not in STOPWORDS}


def _best_sentences(text: str, terms: set[str], limit: int = 420) -> str:
    """The passage's sentences that share most words with the question, in reading order."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s]
    if not sentences:
        return ""
    scored = sorted(range(len(sentences)), key=lambda i: (-len(_terms(sentences[i]) & terms), i))
    keep = sorted(scored[:SENTENCES_PER_PASSAGE])
    return _clip(" ".join(sentences[i] for i in keep), limit)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
