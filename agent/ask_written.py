"""A chat model's answer to a library question, its citations checked against what was retrieved.

The model sees the retrieved passages fenced as data and may cite them by their exact citation or
their number. Afterwards every bracketed citation is checked: numbers become the passage's real
citation, citations of retrieved passages (or figures) stay, and anything else that looks like a
citation is removed from the text and reported, so the answer never points at a page nobody read.
"""

from __future__ import annotations

import re
from typing import Any

from agent.prompts import ASK_PASSAGE, ASK_SYSTEM, ASK_USER
from memory.records import FigureHit, Passage
from tools.paper import ARXIV_ID_RE

BRACKETS = re.compile(r"\[([^\[\]\n]{1,200})\]")
NUMBERS = re.compile(r"^\s*\d+(\s*[,;]\s*\d+)*\s*$")
PAGE = re.compile(r"\bp(?:age|p)?\.?\s*(\d+)", re.IGNORECASE)


def _sources(passages: list[Passage], figures: list[FigureHit]) -> list[tuple[str, str]]:
    """(citation, text) for everything the model may cite, numbered from 1 in this order."""
    from agent.ask import figure_citation

    items = [(p.citation(), p.text) for p in passages]
    items += [(figure_citation(f), f"Figure {f.number}: {f.caption} {f.description}".strip()) for f in figures]
    return items


def build_messages(question: str, passages: list[Passage], figures: list[FigureHit]) -> list[tuple[str, str]]:
    """The (role, content) messages for the chat model."""
    body = "\n\n".join(ASK_PASSAGE.format(number=i, citation=c, text=t.replace("PASSAGES>>>", ""))
                       for i, (c, t) in enumerate(_sources(passages, figures), start=1))
    return [("system", ASK_SYSTEM), ("human", ASK_USER.format(question=question, passages=body))]


def written_answer(chat_model: Any, question: str, passages: list[Passage],
                   figures: list[FigureHit]) -> tuple[str, list[str]]:
    """Ask the model; return its answer with checked citations, and the citations removed."""
    reply = chat_model.invoke(build_messages(question, passages, figures))
    return check_citations(_text(reply), [c for c, _ in _sources(passages, figures)])


def _text(reply: Any) -> str:
    content = getattr(reply, "content", reply)
    if isinstance(content, list):  # content blocks: keep the text ones
        content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content).strip()


def check_citations(text: str, allowed: list[str]) -> tuple[str, list[str]]:
    """Keep citations of `allowed` (by exact text, number, or id + page); remove other citations."""
    exact = {_norm(c): c for c in allowed}
    by_page = {(_id(c), _page(c)): c for c in allowed}
    removed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        if NUMBERS.match(inner):
            numbers = [int(n) for n in re.findall(r"\d+", inner)]
            good = [allowed[n - 1] for n in numbers if 1 <= n <= len(allowed)]
            removed.extend(f"[{n}]" for n in numbers if not 1 <= n <= len(allowed))
            return " ".join(dict.fromkeys(good))
        if _norm(match.group(0)) in exact:
            return exact[_norm(match.group(0))]
        if not (ARXIV_ID_RE.search(inner) or "§" in inner):
            return match.group(0)  # not a citation: [CLS], [0, 1], a bracketed aside
        found = by_page.get((_id(match.group(0)), _page(match.group(0))))
        if found:
            return found
        removed.append(match.group(0))
        return ""

    checked = BRACKETS.sub(replace, text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", checked)).strip(), removed


def _norm(citation: str) -> str:
    return re.sub(r"\s+", " ", citation.strip().lower())


def _id(citation: str) -> str:
    match = ARXIV_ID_RE.search(citation)
    return match.group("id") if match else citation.strip("[] ").split(",")[0].strip()


def _page(citation: str) -> str:
    match = PAGE.search(citation)
    return match.group(1) if match else ""
