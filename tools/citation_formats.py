"""A review's references as CSL-JSON and RIS, beside references.bib, for Zotero, Mendeley and EndNote.

Both carry what the BibTeX carries: title, authors, year, the arXiv id (as the `arXiv:` number and
its abs URL) or the DOI and venue of a work found elsewhere, and the citation key as the item id,
so a reference manager imports the file in one step and the keys in review.md still match.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from tools.citations import paper_date
from tools.paper import Paper


def _names(author: str) -> dict[str, str]:
    """CSL name parts: `Ada Lovelace` → given Ada, family Lovelace; one word stays literal."""
    parts = author.strip().rsplit(" ", 1)
    return {"family": parts[1], "given": parts[0]} if len(parts) == 2 else {"literal": author.strip()}


def csl_item(paper: Paper, key: str) -> dict:
    """One CSL-JSON item."""
    date = [int(p) for p in re.findall(r"\d+", paper_date(paper))[:3]]
    item: dict = {"id": key, "type": "article" if paper.on_arxiv else "article-journal",
                  "title": paper.title, "author": [_names(a) for a in paper.authors if a.strip()]}
    if date:
        item["issued"] = {"date-parts": [date]}
    if paper.on_arxiv:
        item.update({"number": f"arXiv:{paper.versioned_id}", "publisher": "arXiv", "URL": paper.abs_url})
    elif paper.abs_url:
        item["URL"] = paper.abs_url
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.journal_ref:
        item["container-title"] = paper.journal_ref
    if paper.abstract:
        item["abstract"] = paper.abstract
    return item


def to_csl_json(papers: Iterable[Paper], keys: dict[str, str]) -> str:
    """A CSL-JSON list (keys: paper id → citation key)."""
    return json.dumps([csl_item(p, keys[p.arxiv_id]) for p in papers], indent=2, ensure_ascii=False) + "\n"


def ris_record(paper: Paper, key: str) -> list[tuple[str, str]]:
    """One RIS record as (tag, value) lines, authors as `Family, Given`."""
    lines = [("TY", "JOUR" if paper.journal_ref else "GEN"), ("ID", key), ("TI", paper.title)]
    lines += [("AU", _family_first(a)) for a in paper.authors if a.strip()]
    year = paper_date(paper)[:4]
    if year:
        lines.append(("PY", year))
    if paper.journal_ref:
        lines.append(("JO", paper.journal_ref))
    if paper.on_arxiv:
        lines += [("PB", "arXiv"), ("N1", f"arXiv:{paper.versioned_id}")]
    if paper.doi:
        lines.append(("DO", paper.doi))
    if paper.abs_url:
        lines.append(("UR", paper.abs_url))
    if paper.abstract:
        lines.append(("AB", paper.abstract))
    return lines


def to_ris(papers: Iterable[Paper], keys: dict[str, str]) -> str:
    """An RIS file (keys: paper id → citation key): `TAG  - value` lines, each record closed by `ER`."""
    out = []
    for paper in papers:
        out += [f"{tag}  - {_one_line(value)}" for tag, value in ris_record(paper, keys[paper.arxiv_id])]
        out += ["ER  - ", ""]
    return "\n".join(out)


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _family_first(author: str) -> str:
    names = _names(author)
    return f"{names['family']}, {names['given']}" if "family" in names else names["literal"]
