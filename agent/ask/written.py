"""A chat model's answer to a library question, every citation one of the retrieved passages.

Built on `agent.llm.grounded` (fenced passages, context-window fitting, the citation check): each
retrieved passage and figure gets a short key (`S1`, `S2`, …) that the model cites as `[@S3]`;
any other citation (an invented id, a number, a paper's own reference) is removed and reported.
The kept keys are then rendered as the passages' real citations, `[arxiv_id, §section, p.N]`, so
a claim points at the exact passage it rests on, not just at a paper.
"""

from __future__ import annotations

from typing import Any

from agent.llm.grounded import grounded_answer
from memory.records import FigureHit, Passage


def sources(passages: list[Passage], figures: list[FigureHit]) -> dict[str, tuple[str, Passage]]:
    """Key → (printed citation, stand-in passage whose `arxiv_id` is the key) for everything citable."""
    items = [(p.citation(), p) for p in passages]
    items += [(f.citation(), Passage(arxiv_id=f.arxiv_id, section=f"Figure {f.number}", page=f.page,
                                     text=f"Figure {f.number}: {f.caption} {f.description}".strip()))
              for f in figures]
    return {f"S{i}": (citation, p.model_copy(update={"arxiv_id": f"S{i}"}))
            for i, (citation, p) in enumerate(items, start=1)}


def written_answer(chat_model: Any, question: str, passages: list[Passage],
                   figures: list[FigureHit]) -> tuple[str, list[str], int]:
    """Ask the model: its answer with passage citations, the citations removed, how many kept."""
    keyed = sources(passages, figures)
    result = grounded_answer(chat_model, question, [stand_in for _, stand_in in keyed.values()])
    text = result.render(lambda keys: " ".join(keyed[k][0] for k in keys if k in keyed))
    return text, list(result.removed), len(result.citations)
